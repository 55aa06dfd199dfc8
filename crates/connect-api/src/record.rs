//! Records: one generic [`Record`] for source and sink records, told apart by their metadata.

use std::sync::Arc;

use crate::data::{SchemaAndValue, Value};
use crate::header::Headers;

/// A topic name as records hold it: shared, so the records of one topic (a source task's, or
/// a consumed partition's) hold one copy of the name instead of one each.
pub type Topic = Arc<str>;

/// A Connect record: topic, partition, key, value, timestamp and headers, plus metadata `M`
/// that only the runtime reads ([`SourceMeta`] or [`SinkMeta`]). Transformations are generic
/// over `M`, so one transformation serves both kinds and cannot touch offsets.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<M> {
    /// Topic the record goes to (source) or came from (sink).
    pub topic: Topic,
    /// Kafka partition, if chosen.
    pub kafka_partition: Option<i32>,
    /// Key schema and key.
    pub key: SchemaAndValue,
    /// Value schema and value.
    pub value: SchemaAndValue,
    /// Timestamp in epoch milliseconds.
    pub timestamp: Option<i64>,
    /// Headers.
    pub headers: Headers,
    /// Kind-specific metadata.
    pub meta: M,
}

/// Metadata of a source record: where in the source system it came from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceMeta {
    /// The source partition (a map, e.g. `{"filename": "/tmp/a"}`), or null. Shared: the
    /// records of one partition can hold the same map (the runtime then encodes its offset
    /// key once).
    pub source_partition: Arc<Value>,
    /// The source offset (a map, e.g. `{"position": 42}`), or null.
    pub source_offset: Value,
}

/// How a consumed record's timestamp was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimestampType {
    /// No timestamp.
    #[default]
    NoTimestampType,
    /// Set by the producer.
    CreateTime,
    /// Set by the broker.
    LogAppendTime,
}

/// Metadata of a sink record: where in Kafka it was read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SinkMeta {
    /// Offset in the Kafka partition.
    pub kafka_offset: i64,
    /// How the timestamp was set.
    pub timestamp_type: TimestampType,
    /// Topic as consumed, before transformations.
    pub original_topic: Topic,
    /// Partition as consumed, before transformations.
    pub original_kafka_partition: i32,
    /// Offset as consumed.
    pub original_kafka_offset: i64,
}

/// A record produced by a source task.
pub type SourceRecord = Record<SourceMeta>;
/// A record delivered to a sink task.
pub type SinkRecord = Record<SinkMeta>;

impl<M> Record<M> {
    /// A copy with a new topic, partition, key, value and timestamp (Java `newRecord`), keeping
    /// the headers and metadata.
    #[allow(clippy::too_many_arguments)]
    pub fn new_record(
        self,
        topic: impl Into<Topic>,
        kafka_partition: Option<i32>,
        key: SchemaAndValue,
        value: SchemaAndValue,
        timestamp: Option<i64>,
    ) -> Self {
        Record {
            topic: topic.into(),
            kafka_partition,
            key,
            value,
            timestamp,
            headers: self.headers,
            meta: self.meta,
        }
    }
}
