//! Distributed mode's shared state (issue 6, in progress): the records of the config and
//! status topics in Kafka's formats (reference §4.2 and §4.4). Offsets use the same keys and
//! values as the offsets file ([`crate::offsets::OffsetCodec`], reference §4.3); the values
//! of all three topics are schemaless compact JSON, the internal converter's output.

pub mod assignor;
pub mod config_log;
pub mod config_records;
pub mod config_state;
mod fields;
pub mod herder;
mod leader;
pub mod offset_store;
pub mod request_signing;
pub mod requests;
pub mod runner;
pub mod status_log;
pub mod status_records;
pub mod work;

pub use config_records::ConfigRecord;
pub use status_records::{StatusKey, StatusRecord, StatusValue, TopicStatus, WorkerStatus};
