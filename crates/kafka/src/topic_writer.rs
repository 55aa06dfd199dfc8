//! Writes to a worker's internal topics (config, offset and status), as Kafka's
//! `KafkaBasedLog` producer does: every write acknowledged by all in-sync replicas, one
//! request in flight so writes land in the order they were made, and each write awaited.

use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::client::ClientContext;
use rdkafka::message::DeliveryResult;
use rdkafka::producer::{BaseRecord, ProducerContext, ThreadedProducer};
use rdkafka::Message;
use tokio::sync::oneshot;

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

/// Delivers each write's outcome to the writer that waits for it.
struct Replies;

/// A write's outcome: partition and offset, or why it failed.
type Reply = Result<(i32, i64), rdkafka::error::KafkaError>;

impl ClientContext for Replies {}

impl ProducerContext for Replies {
    type DeliveryOpaque = Box<oneshot::Sender<Reply>>;

    fn delivery(&self, result: &DeliveryResult<'_>, reply: Self::DeliveryOpaque) {
        let outcome = match result {
            Ok(m) => Ok((m.partition(), m.offset())),
            Err((e, _)) => Err(e.clone()),
        };
        // the writer may have given up waiting
        let _ = reply.send(outcome);
    }
}

/// A writer of one topic.
pub struct TopicWriter {
    producer: ThreadedProducer<Replies>,
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
        settings.insert(
            "message.timeout.ms".into(),
            timeout.as_millis().max(1).to_string(),
        );
        // Kafka's default partitioner, so keys land where a Java worker puts them
        settings.insert("partitioner".into(), "murmur2_random".into());
        let config = to_rdkafka(&settings).map_err(ConnectError::from)?;
        let producer = create_checked(&config, |c| c.create_with_context(Replies))
            .map_err(ConnectError::from)?;
        Ok(TopicWriter {
            producer,
            topic: topic.to_string(),
            timeout,
        })
    }

    /// The topic.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Queues one write; the receiver gets its outcome.
    fn queue(
        &self,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<oneshot::Receiver<Reply>, ConnectError> {
        let (tx, rx) = oneshot::channel();
        let mut record: BaseRecord<'_, [u8], [u8], _> =
            BaseRecord::with_opaque_to(&self.topic, Box::new(tx)).key(key);
        if let Some(value) = value {
            record = record.payload(value);
        }
        self.producer
            .send(record)
            .map_err(|(e, _)| to_connect(&format!("Could not write to {}", self.topic), &e))?;
        Ok(rx)
    }

    fn outcome(
        &self,
        reply: Result<Reply, oneshot::error::RecvError>,
    ) -> Result<(i32, i64), ConnectError> {
        match reply {
            Ok(Ok(at)) => Ok(at),
            Ok(Err(e)) => Err(to_connect(
                &format!("Could not write to {}", self.topic),
                &e,
            )),
            Err(_) => Err(ConnectError::retriable(format!(
                "the write to {} was dropped without an answer",
                self.topic
            ))),
        }
    }

    /// Writes `key` → `value` (`None`: a tombstone) and waits for the acknowledgement;
    /// returns the partition and offset. A retriable `Err` when the broker did not
    /// acknowledge in time (the caller decides whether to retry; the write may have landed).
    pub async fn write(
        &self,
        key: &[u8],
        value: Option<&[u8]>,
    ) -> Result<(i32, i64), ConnectError> {
        let rx = self.queue(key, value)?;
        let reply = rx.await;
        self.outcome(reply)
    }

    /// Writes every entry, in order, and waits for all acknowledgements, blocking the
    /// thread: for callers on a blocking thread (never call it from async code). An `Err`
    /// names the first write that failed; the ones before it landed.
    pub fn write_all_blocking(
        &self,
        entries: &[(Vec<u8>, Option<Vec<u8>>)],
    ) -> Result<(), ConnectError> {
        let mut replies = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            replies.push(self.queue(k, v.as_deref())?);
        }
        for rx in replies {
            self.outcome(rx.blocking_recv())?;
        }
        Ok(())
    }

    /// How long a write may take.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }
}
