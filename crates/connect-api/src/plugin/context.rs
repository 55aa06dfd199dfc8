//! What the runtime gives a running task.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;

use crate::data::Value;
use crate::error::Result;

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
}

impl SinkTaskContext {
    /// A context with no request pending.
    pub fn new() -> Self {
        SinkTaskContext::default()
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
