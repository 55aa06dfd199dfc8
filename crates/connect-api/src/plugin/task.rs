//! Tasks: where records are read (sources) or written (sinks).

use std::collections::BTreeMap;

use async_trait::async_trait;

use super::context::{SinkTaskContext, SourceTaskContext, TopicPartition};
use super::ConfigMap;
use crate::error::Result;
use crate::record::{SinkRecord, SourceRecord};

/// Offsets of a sink task by partition: the offset of the **next** record to consume (Java's
/// `OffsetAndMetadata.offset()`, one past the last record written).
pub type SinkOffsets = BTreeMap<TopicPartition, i64>;

/// Java `SourceTask`.
#[async_trait]
pub trait SourceTask: Send {
    /// Called once before the first `poll`, with the task's config (one of the connector's
    /// `task_configs`). An `Err` puts the task in state `FAILED`.
    async fn start(&mut self, config: &ConfigMap, context: SourceTaskContext) -> Result<()>;

    /// Called in a loop while the task runs: the next records, or none when there is nothing
    /// yet (then return within about a second, so the worker stays responsive). The future
    /// may be dropped when the task is stopped. A `Retriable` error makes the worker call
    /// `poll` again after a backoff; any other `Err` fails the task.
    async fn poll(&mut self) -> Result<Vec<SourceRecord>>;

    /// What the worker calls instead of [`SourceTask::poll`]: appends the next records to
    /// `out` (empty on entry; the worker reuses its buffer from batch to batch, so a task that
    /// overrides this allocates no batch per poll). Same contract and errors as `poll`; the
    /// default calls `poll`.
    async fn poll_into(&mut self, out: &mut Vec<SourceRecord>) -> Result<()> {
        out.append(&mut self.poll().await?);
        Ok(())
    }

    /// Called after the worker committed offsets of records this task produced (every
    /// `offset.flush.interval.ms` and at shutdown). An `Err` is logged.
    async fn commit(&mut self) -> Result<()> {
        Ok(())
    }

    /// Called once when the task stops, after the last `poll` (or while it is parked). An
    /// `Err` is logged; the task stops anyway.
    async fn stop(&mut self) -> Result<()>;
}

/// Java `SinkTask`.
#[async_trait]
pub trait SinkTask: Send {
    /// Called once before anything else, with the task's config. An `Err` puts the task in
    /// state `FAILED`.
    async fn start(&mut self, config: &ConfigMap, context: SinkTaskContext) -> Result<()>;

    /// Called when partitions are assigned to the task, before their records reach `put`.
    /// An `Err` fails the task.
    async fn open(&mut self, partitions: &[TopicPartition]) -> Result<()> {
        let _ = partitions;
        Ok(())
    }

    /// Called with every batch of converted and transformed records, in order per partition.
    /// A `Retriable` error makes the worker offer the same batch again (after the context's
    /// `timeout`); any other `Err` fails the task. Records must be written, or copied into a
    /// buffer the next `flush` writes (the batch is lent, so a retry needs no copy).
    async fn put(&mut self, records: &[SinkRecord]) -> Result<()>;

    /// Called before offsets are committed, with the offsets of all records `put` so far:
    /// write out anything buffered. An `Err` skips this commit (the records will be offered
    /// again after a restart); a retriable one is retried at the next commit.
    async fn flush(&mut self, offsets: &SinkOffsets) -> Result<()> {
        let _ = offsets;
        Ok(())
    }

    /// Java `preCommit`: the offsets that are safe to commit. The default flushes and returns
    /// `offsets`. An `Err` skips this commit.
    async fn pre_commit(&mut self, offsets: &SinkOffsets) -> Result<SinkOffsets> {
        self.flush(offsets).await?;
        Ok(offsets.clone())
    }

    /// Called when partitions are taken away from the task (rebalance or shutdown), after
    /// their offsets were committed. An `Err` is logged.
    async fn close(&mut self, partitions: &[TopicPartition]) -> Result<()> {
        let _ = partitions;
        Ok(())
    }

    /// Called once when the task stops. An `Err` is logged; the task stops anyway.
    async fn stop(&mut self) -> Result<()>;
}
