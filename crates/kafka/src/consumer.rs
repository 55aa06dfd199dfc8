//! The consumer of a sink task. librdkafka's consumer is polled on a dedicated thread that
//! hands batches and partition changes to the async task loop over a bounded channel; the
//! loop sends commits back. Revocations wait for the loop: it commits what was written of
//! the revoked partitions (and closes them in the sink task) before the rebalance goes on.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use connect_api::plugin::{SinkOffsets, TopicPartition};
use connect_api::{ConnectError, TimestampType, Topic};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _, ConsumerContext, Rebalance};
use rdkafka::message::{Headers, Message};
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::sync::{mpsc, oneshot};

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::{to_connect, KafkaConfigError};
use crate::record::{RawHeader, RawRecord};

/// What the consumer thread reports.
#[derive(Debug)]
pub enum ConsumerEvent {
    /// Records, in order per partition.
    Records(Vec<RawRecord>),
    /// Partitions newly assigned to the task.
    Assigned(Vec<TopicPartition>),
    /// Partitions taken away: answer with the offsets to commit for them (the consumer
    /// thread commits them before the rebalance continues).
    Revoked(Vec<TopicPartition>, oneshot::Sender<SinkOffsets>),
    /// A consumer error that is not about one record (logged by the loop; retriable ones
    /// resolve themselves).
    Error(ConnectError),
}

struct Context {
    events: mpsc::Sender<ConsumerEvent>,
    /// Set once shutdown began: revocations no longer wait for the loop.
    closing: Arc<std::sync::atomic::AtomicBool>,
    /// Set while the task is paused: newly assigned partitions are paused too.
    paused: Arc<std::sync::atomic::AtomicBool>,
}

impl ClientContext for Context {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        use rdkafka::config::RDKafkaLogLevel as L;
        match level {
            L::Emerg | L::Alert | L::Critical | L::Error => {
                tracing::error!(target: "librdkafka", "{fac}: {log_message}")
            }
            L::Warning => tracing::warn!(target: "librdkafka", "{fac}: {log_message}"),
            _ => tracing::debug!(target: "librdkafka", "{fac}: {log_message}"),
        }
    }
}

fn partitions(list: &TopicPartitionList) -> Vec<TopicPartition> {
    list.elements()
        .iter()
        .map(|e| TopicPartition::new(e.topic(), e.partition()))
        .collect()
}

fn offsets_list(offsets: &SinkOffsets) -> TopicPartitionList {
    let mut list = TopicPartitionList::with_capacity(offsets.len());
    for (tp, offset) in offsets {
        // an offset librdkafka refuses cannot be committed; the commit call reports it
        let _ = list.add_partition_offset(&tp.topic, tp.partition, Offset::Offset(*offset));
    }
    list
}

impl ConsumerContext for Context {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let Rebalance::Revoke(list) = rebalance else {
            return;
        };
        let revoked = partitions(list);
        if revoked.is_empty() || self.closing.load(std::sync::atomic::Ordering::Relaxed) {
            return;
        }
        let (reply, answer) = oneshot::channel();
        if self
            .events
            .blocking_send(ConsumerEvent::Revoked(revoked, reply))
            .is_err()
        {
            return;
        }
        if let Ok(offsets) = answer.blocking_recv() {
            if !offsets.is_empty() {
                if let Err(e) = consumer.commit(&offsets_list(&offsets), CommitMode::Sync) {
                    tracing::warn!("Could not commit offsets of revoked partitions: {e}");
                }
            }
        }
    }

    fn post_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(list) => {
                if self.paused.load(std::sync::atomic::Ordering::Relaxed) {
                    if let Err(e) = consumer.pause(list) {
                        tracing::warn!("Could not pause newly assigned partitions: {e}");
                    }
                }
                let _ = self
                    .events
                    .blocking_send(ConsumerEvent::Assigned(partitions(list)));
            }
            Rebalance::Error(e) => {
                let _ = self
                    .events
                    .blocking_send(ConsumerEvent::Error(to_connect("Rebalance failed", e)));
            }
            Rebalance::Revoke(_) => {}
        }
    }
}

/// What the sink task consumes.
#[derive(Debug, Clone)]
pub enum Subscription {
    /// `topics`.
    Topics(Vec<String>),
    /// `topics.regex` (a pattern librdkafka matches; anchored with `^`).
    Pattern(String),
}

/// The handle the async loop holds.
pub struct SinkConsumer {
    consumer: Arc<BaseConsumer<Context>>,
    events: mpsc::Receiver<ConsumerEvent>,
    closing: Arc<std::sync::atomic::AtomicBool>,
    paused: Arc<std::sync::atomic::AtomicBool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl std::fmt::Debug for SinkConsumer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SinkConsumer")
    }
}

/// The record of a consumed message; `topic` holds the last topic name seen, shared by the
/// records of that topic (consecutive messages are usually of one topic).
fn raw(m: &rdkafka::message::BorrowedMessage<'_>, topic: &mut Option<Topic>) -> RawRecord {
    let (timestamp, timestamp_type) = match m.timestamp() {
        rdkafka::Timestamp::NotAvailable => (None, TimestampType::NoTimestampType),
        rdkafka::Timestamp::CreateTime(t) => (Some(t), TimestampType::CreateTime),
        rdkafka::Timestamp::LogAppendTime(t) => (Some(t), TimestampType::LogAppendTime),
    };
    let headers = m
        .headers()
        .map(|hs| {
            hs.iter()
                .map(|h| RawHeader {
                    key: h.key.to_string(),
                    value: h.value.map(<[u8]>::to_vec),
                })
                .collect()
        })
        .unwrap_or_default();
    RawRecord {
        topic: match topic {
            Some(t) if **t == *m.topic() => Arc::clone(t),
            _ => Arc::clone(topic.insert(m.topic().into())),
        },
        partition: Some(m.partition()),
        offset: Some(m.offset()),
        timestamp: timestamp.filter(|t| *t >= 0),
        timestamp_type,
        key: m.key().map(<[u8]>::to_vec),
        value: m.payload().map(<[u8]>::to_vec),
        headers,
    }
}

impl SinkConsumer {
    /// Subscribes with Java-keyed `settings` and starts the polling thread. Batches hold at
    /// most `max_batch` records (Kafka's `max.poll.records`, default 500).
    pub fn start(
        settings: &Settings,
        subscription: Subscription,
        max_batch: usize,
    ) -> Result<Self, KafkaConfigError> {
        let (events_tx, events) = mpsc::channel(4);
        let closing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let paused = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let config = to_rdkafka(settings)?;
        let consumer: BaseConsumer<Context> = create_checked(&config, |c| {
            c.create_with_context(Context {
                events: events_tx.clone(),
                closing: Arc::clone(&closing),
                paused: Arc::clone(&paused),
            })
        })?;
        let subscribed = match &subscription {
            Subscription::Topics(topics) => {
                let names: Vec<&str> = topics.iter().map(String::as_str).collect();
                consumer.subscribe(&names)
            }
            Subscription::Pattern(p) => {
                let anchored = if p.starts_with('^') {
                    p.clone()
                } else {
                    format!("^{p}")
                };
                consumer.subscribe(&[anchored.as_str()])
            }
        };
        subscribed.map_err(|e| KafkaConfigError::Client(format!("Could not subscribe: {e}")))?;
        let consumer = Arc::new(consumer);
        let polled = Arc::clone(&consumer);
        let stop = Arc::clone(&closing);
        let thread = thread::Builder::new()
            .name("sink-consumer".to_string())
            .spawn(move || poll_loop(&polled, &events_tx, &stop, max_batch.max(1)))
            .map_err(|e| {
                KafkaConfigError::Client(format!("Could not start the consumer thread: {e}"))
            })?;
        Ok(SinkConsumer {
            consumer,
            events,
            closing,
            paused,
            thread: Some(thread),
        })
    }

    /// The next event; `None` once the consumer stopped.
    pub async fn next(&mut self) -> Option<ConsumerEvent> {
        self.events.recv().await
    }

    /// Pauses (or resumes) fetching from every assigned partition, and from partitions
    /// assigned later while paused, as Kafka's sink task does while its connector is paused.
    /// The consumer stays in its group. Batches already fetched still arrive.
    pub fn set_paused(&self, paused: bool) -> Result<(), ConnectError> {
        self.paused
            .store(paused, std::sync::atomic::Ordering::Relaxed);
        let assignment = self
            .consumer
            .assignment()
            .map_err(|e| to_connect("Could not read the assignment", &e))?;
        let changed = if paused {
            self.consumer.pause(&assignment)
        } else {
            self.consumer.resume(&assignment)
        };
        changed.map_err(|e| to_connect("Could not pause or resume the consumer", &e))
    }

    /// Commits `offsets` (the next offset to read, per partition) without waiting, as Kafka's
    /// sink loop does between flushes (`commitAsync`); a failure is logged and the next commit
    /// covers it.
    pub fn commit_async(&self, offsets: &SinkOffsets) -> Result<(), ConnectError> {
        if offsets.is_empty() {
            return Ok(());
        }
        self.consumer
            .commit(&offsets_list(offsets), CommitMode::Async)
            .map_err(|e| to_connect("Could not commit offsets", &e))
    }

    /// Commits `offsets` and waits for the broker (at shutdown). A retriable error means the
    /// commit may not have happened.
    pub async fn commit_sync(&self, offsets: &SinkOffsets) -> Result<(), ConnectError> {
        if offsets.is_empty() {
            return Ok(());
        }
        let consumer = Arc::clone(&self.consumer);
        let list = offsets_list(offsets);
        tokio::task::spawn_blocking(move || consumer.commit(&list, CommitMode::Sync))
            .await
            .map_err(|e| ConnectError::other(format!("the commit did not finish: {e}")))?
            .map_err(|e| to_connect("Could not commit offsets", &e))
    }

    /// Stops the polling thread and closes the consumer (leaving the group). Pending events
    /// are dropped.
    pub async fn shutdown(mut self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        // drain so the thread is never stuck on a full channel
        self.events.close();
        while self.events.recv().await.is_some() {}
        if let Some(t) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
    }
}

impl Drop for SinkConsumer {
    fn drop(&mut self) {
        // a consumer dropped without `shutdown` still stops its thread
        self.closing
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn poll_loop(
    consumer: &BaseConsumer<Context>,
    events: &mpsc::Sender<ConsumerEvent>,
    stop: &std::sync::atomic::AtomicBool,
    max_batch: usize,
) {
    let mut batch: Vec<RawRecord> = Vec::with_capacity(max_batch);
    let mut topic = None;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        // wait for the first record, then take what is already there
        let mut timeout = Duration::from_millis(100);
        while batch.len() < max_batch {
            match consumer.poll(timeout) {
                None => break,
                Some(Ok(m)) => batch.push(raw(&m, &mut topic)),
                Some(Err(e)) => {
                    let _ = events
                        .blocking_send(ConsumerEvent::Error(to_connect("Consumer error", &e)));
                    break;
                }
            }
            timeout = Duration::ZERO;
        }
        if !batch.is_empty() {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(max_batch));
            if events.blocking_send(ConsumerEvent::Records(full)).is_err() {
                break;
            }
        }
    }
    consumer.unsubscribe();
}
