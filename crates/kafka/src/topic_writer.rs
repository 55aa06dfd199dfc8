//! Writes to a worker's internal topics (config, offset and status), as Kafka's
//! `KafkaBasedLog` producer does: every write acknowledged by all in-sync replicas, one
//! request in flight so writes land in the order they were made, and each write awaited.

use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::producer::{FutureProducer, FutureRecord};

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::to_connect;

/// Worker keys its own clients (internal topics, group membership) inherit: where the
/// brokers are and how to reach them securely.
pub fn worker_client_settings(worker: &Settings, client_id: &str) -> Settings {
    let mut out: Settings = worker
        .iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "security.protocol" | "client.dns.lookup" | "metadata.max.age.ms"
            ) || k.starts_with("sasl.")
                || k.starts_with("ssl.")
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let bootstrap = worker
        .get("bootstrap.servers")
        .map(String::as_str)
        .unwrap_or("localhost:9092");
    out.insert("bootstrap.servers".into(), bootstrap.replace(' ', ""));
    out.insert("client.id".into(), client_id.to_string());
    out
}

/// A writer of one topic.
pub struct TopicWriter {
    producer: FutureProducer,
    topic: String,
    timeout: Duration,
}

impl std::fmt::Debug for TopicWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TopicWriter")
            .field("topic", &self.topic)
            .finish()
    }
}

impl TopicWriter {
    /// A writer of `topic` with `settings` (from [`worker_client_settings`]); `timeout`
    /// bounds each write.
    pub fn new(settings: &Settings, topic: &str, timeout: Duration) -> Result<Self, ConnectError> {
        let mut settings = settings.clone();
        settings.insert("acks".into(), "all".into());
        settings.insert("max.in.flight.requests.per.connection".into(), "1".into());
        settings.insert("enable.idempotence".into(), "false".into());
        settings.insert("linger.ms".into(), "0".into());
        // Kafka's default partitioner, so keys land where a Java worker puts them
        settings.insert("partitioner".into(), "murmur2_random".into());
        let config = to_rdkafka(&settings).map_err(ConnectError::from)?;
        Ok(TopicWriter {
            producer: create_checked(&config, |c| c.create()).map_err(ConnectError::from)?,
            topic: topic.to_string(),
            timeout,
        })
    }

    /// The topic.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Writes `key` → `value` (`None`: a tombstone) and waits for the acknowledgement;
    /// returns the partition and offset. A retriable `Err` when the broker did not
    /// acknowledge in time (the caller decides whether to retry; the write may have landed).
    pub async fn write(
        &self,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(i32, i64), ConnectError> {
        let mut record: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(&self.topic).key(key);
        if let Some(value) = value {
            record = record.payload(value);
        }
        match self.producer.send(record, self.timeout).await {
            Ok(delivery) => Ok((delivery.partition, delivery.offset)),
            Err((e, _)) => Err(to_connect(
                &format!("Could not write to {}", self.topic),
                &e,
            )),
        }
    }
}
