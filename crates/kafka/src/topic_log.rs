//! A topic read as a log from its start, as Kafka's `KafkaBasedLog` reads the config, offset
//! and status topics: every partition assigned directly (no consumer group), and reads that
//! go on until each partition's end as it was when the read began, so a worker acts on the
//! topic only once it has seen everything written before. The calls block: async callers
//! run them on a blocking thread.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use connect_api::ConnectError;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::to_connect;

/// One record of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
    /// The key bytes.
    pub key: Option<Vec<u8>>,
    /// The value bytes; `None` is a tombstone.
    pub value: Option<Vec<u8>>,
}

/// A reader of one topic from its beginning.
pub struct TopicLog {
    consumer: BaseConsumer,
    topic: String,
    /// The next offset to read per partition.
    positions: BTreeMap<i32, i64>,
}

impl std::fmt::Debug for TopicLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TopicLog")
            .field("topic", &self.topic)
            .field("positions", &self.positions)
            .finish()
    }
}

impl TopicLog {
    /// Opens `topic` with consumer settings and assigns all its partitions from the
    /// beginning. librdkafka wants a `group.id` even for assigned partitions; the log never
    /// joins that group nor commits to it (one is named if the settings have none). An `Err` when the topic's partitions cannot be found
    /// within `timeout` (the worker retries or fails to start).
    pub fn open(settings: &Settings, topic: &str, timeout: Duration) -> Result<Self, ConnectError> {
        let mut settings = settings.clone();
        settings
            .entry("group.id".into())
            .or_insert_with(|| "ferry-topic-log".into());
        settings.insert("enable.auto.commit".into(), "false".into());
        settings.insert("enable.partition.eof".into(), "false".into());
        let config = to_rdkafka(&settings).map_err(ConnectError::from)?;
        let consumer: BaseConsumer =
            create_checked(&config, |c| c.create()).map_err(ConnectError::from)?;
        let metadata = consumer
            .fetch_metadata(Some(topic), timeout)
            .map_err(|e| to_connect(&format!("Could not read the partitions of {topic}"), &e))?;
        let partitions: Vec<i32> = metadata
            .topics()
            .iter()
            .filter(|t| t.name() == topic && t.error().is_none())
            .flat_map(|t| t.partitions().iter().map(|p| p.id()))
            .collect();
        if partitions.is_empty() {
            return Err(ConnectError::retriable(format!(
                "Topic {topic} has no partitions the worker can read (does it exist?)"
            )));
        }
        let mut assignment = TopicPartitionList::new();
        for p in &partitions {
            assignment
                .add_partition_offset(topic, *p, Offset::Beginning)
                .map_err(|e| to_connect(&format!("Could not assign {topic}-{p}"), &e))?;
        }
        consumer
            .assign(&assignment)
            .map_err(|e| to_connect(&format!("Could not assign {topic}"), &e))?;
        Ok(TopicLog {
            consumer,
            topic: topic.to_string(),
            positions: partitions.into_iter().map(|p| (p, 0)).collect(),
        })
    }

    /// How many partitions the topic has.
    pub fn partition_count(&self) -> usize {
        self.positions.len()
    }

    /// Reads everything written to the topic up to now (each partition's end as the read
    /// begins), in offset order per partition, and remembers where it stopped: the next call
    /// returns only what came after. A retriable `Err` when the end is not reached within
    /// `timeout`; nothing read is lost (the next call returns it again).
    pub fn read_to_end(&mut self, timeout: Duration) -> Result<Vec<LogRecord>, ConnectError> {
        let deadline = Instant::now() + timeout;
        let mut ends = BTreeMap::new();
        for p in self.positions.keys() {
            let (_, high) = self
                .consumer
                .fetch_watermarks(&self.topic, *p, timeout)
                .map_err(|e| {
                    to_connect(&format!("Could not read the end of {}-{p}", self.topic), &e)
                })?;
            ends.insert(*p, high);
        }
        let mut positions = self.positions.clone();
        let mut records = Vec::new();
        while ends
            .iter()
            .any(|(p, end)| positions.get(p).is_some_and(|at| at < end))
        {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                self.rewind()?;
                return Err(ConnectError::retriable(format!(
                    "Could not read {} to its end within {timeout:?}",
                    self.topic
                )));
            }
            match self.consumer.poll(left.min(Duration::from_millis(100))) {
                None => {}
                Some(Err(e)) => {
                    self.rewind()?;
                    return Err(to_connect(&format!("Could not read {}", self.topic), &e));
                }
                Some(Ok(m)) => {
                    positions.insert(m.partition(), m.offset() + 1);
                    records.push(LogRecord {
                        partition: m.partition(),
                        offset: m.offset(),
                        key: m.key().map(<[u8]>::to_vec),
                        value: m.payload().map(<[u8]>::to_vec),
                    });
                }
            }
        }
        self.positions = positions;
        Ok(records)
    }

    /// Goes back to where the last complete read stopped.
    fn rewind(&mut self) -> Result<(), ConnectError> {
        let mut tpl = TopicPartitionList::new();
        for (p, at) in &self.positions {
            tpl.add_partition_offset(&self.topic, *p, Offset::Offset(*at))
                .map_err(|e| to_connect(&format!("Could not rewind {}-{p}", self.topic), &e))?;
        }
        self.consumer
            .assign(&tpl)
            .map_err(|e| to_connect(&format!("Could not rewind {}", self.topic), &e))
    }
}
