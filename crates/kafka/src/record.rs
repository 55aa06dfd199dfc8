//! Records as Kafka holds them: bytes, before a sink's converters or after a source's.

use connect_api::{TimestampType, Topic};

/// One header of a [`RawRecord`]: a key and the value's bytes (`None` for a null value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawHeader {
    /// The header key.
    pub key: String,
    /// The value bytes.
    pub value: Option<Vec<u8>>,
}

/// A Kafka record in bytes: what a sink task's consumer returns and a source task's producer
/// sends. `offset` is set for consumed records only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRecord {
    /// The topic.
    pub topic: Topic,
    /// The partition, when known (consumed) or chosen (produced).
    pub partition: Option<i32>,
    /// The offset of a consumed record.
    pub offset: Option<i64>,
    /// Epoch milliseconds; `None` is Kafka's `NO_TIMESTAMP` (-1).
    pub timestamp: Option<i64>,
    /// How the timestamp was set (consumed records).
    pub timestamp_type: TimestampType,
    /// The key bytes, `None` for a null key.
    pub key: Option<Vec<u8>>,
    /// The value bytes, `None` for a null value (a tombstone).
    pub value: Option<Vec<u8>>,
    /// The headers, in order.
    pub headers: Vec<RawHeader>,
}
