//! What the runtime gives a running task.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

use crate::data::Value;
use crate::error::{ConnectError, Result};
use crate::record::SinkRecord;

/// Reads committed source offsets (Java `OffsetStorageReader`).
pub trait OffsetStorageReader: Send + Sync {
    /// The last committed offset of a source partition (a map such as
    /// `{"filename": "/tmp/a"}`), or `None` if there is none. Called by a source task,
    /// usually in `start`, to resume where it stopped. An `Err` means the offsets could not be
    /// read; the task should fail.
    fn offset(&self, partition: &Value) -> Result<Option<Value>>;
}

/// The context of a source task.
#[derive(Clone)]
pub struct SourceTaskContext {
    /// The committed offsets.
    pub offsets: Arc<dyn OffsetStorageReader>,
}

impl fmt::Debug for SourceTaskContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SourceTaskContext")
    }
}

/// A Kafka topic partition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
}

impl TopicPartition {
    /// A topic partition.
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        TopicPartition {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// The context of a sink task (Java `SinkTaskContext`): requests the task makes of the loop.
#[derive(Debug, Clone, Default)]
pub struct SinkTaskContext {
    shared: Arc<SinkRequests>,
}

#[derive(Debug, Default)]
struct SinkRequests {
    commit: AtomicBool,
    timeout_ms: AtomicI64,
    /// Whether the runtime takes errant records (a dead letter queue or error log is set).
    reporting: bool,
    errant: Mutex<Vec<ErrantRecord>>,
}

/// A record a sink task could not write, as it reported it.
#[derive(Debug)]
pub struct ErrantRecord {
    /// The topic it was consumed from.
    pub topic: String,
    /// The partition it was consumed from.
    pub partition: i32,
    /// Its offset.
    pub offset: i64,
    /// Why it could not be written.
    pub error: ConnectError,
}

/// Java `ErrantRecordReporter`: how a sink task hands back records it cannot write.
#[derive(Debug, Clone)]
pub struct ErrantRecordReporter {
    shared: Arc<SinkRequests>,
}

impl ErrantRecordReporter {
    /// Java `report(record, error)`, called during `put`: when `put` returns, the runtime
    /// handles the record as failed in stage `TASK_PUT` (`errors.tolerance=all`: logged,
    /// written to the dead letter queue and skipped; `none`: the task fails). The record's
    /// offset is committed with the batch's.
    pub fn report(&self, record: &SinkRecord, error: ConnectError) {
        let mut errant = self.shared.errant.lock().unwrap_or_else(|e| e.into_inner());
        errant.push(ErrantRecord {
            topic: record.meta.original_topic.to_string(),
            partition: record.meta.original_kafka_partition,
            offset: record.meta.original_kafka_offset,
            error,
        });
    }
}

impl SinkTaskContext {
    /// A context with no request pending and no errant record reporter.
    pub fn new() -> Self {
        SinkTaskContext::default()
    }

    /// A context whose [`errant_record_reporter`](Self::errant_record_reporter) is there,
    /// as Kafka gives one when a dead letter queue or the error log is configured.
    pub fn with_errant_record_reporter() -> Self {
        SinkTaskContext {
            shared: Arc::new(SinkRequests {
                reporting: true,
                ..SinkRequests::default()
            }),
        }
    }

    /// Java `errantRecordReporter()`: `None` when the connector has neither a dead letter
    /// queue nor the error log (records the task cannot write must then fail it).
    pub fn errant_record_reporter(&self) -> Option<ErrantRecordReporter> {
        self.shared.reporting.then(|| ErrantRecordReporter {
            shared: Arc::clone(&self.shared),
        })
    }

    /// For the runtime: the records reported since the last call.
    pub fn take_errant_records(&self) -> Vec<ErrantRecord> {
        let mut errant = self.shared.errant.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *errant)
    }

    /// Java `requestCommit`: commit offsets (through `pre_commit`) as soon as possible.
    pub fn request_commit(&self) {
        self.shared.commit.store(true, Ordering::Relaxed);
    }

    /// Java `timeout(ms)`: after `put` fails with a retriable error, wait this long before
    /// the same records are offered again.
    pub fn timeout(&self, ms: i64) {
        self.shared.timeout_ms.store(ms, Ordering::Relaxed);
    }

    /// For the runtime: whether a commit was requested (clears the request).
    pub fn take_commit_request(&self) -> bool {
        self.shared.commit.swap(false, Ordering::Relaxed)
    }

    /// For the runtime: the retry timeout the task set, if any (milliseconds).
    pub fn retry_timeout_ms(&self) -> Option<i64> {
        let ms = self.shared.timeout_ms.load(Ordering::Relaxed);
        (ms > 0).then_some(ms)
    }
}
