//! Ferry's Connect runtime.
//!
//! So far: [`convert`], the converters of a connector as its tasks use them (sink: Kafka bytes
//! → Connect record; source: Connect record → Kafka bytes), built from the worker and
//! connector configs as Kafka's `Worker` builds them, with failures tagged by [`Stage`].
//!
//! [`Stage`]: connect_api::Stage

pub mod config;
pub mod config_providers;
pub mod convert;
pub mod distributed;
pub mod dlq;
pub mod errors;
pub mod herder_error;
pub mod offsets;
pub mod plugins;
pub mod properties;
pub mod raw;
pub mod redact;
pub mod sink_task;
pub mod source_task;
pub mod standalone;
pub mod status;
pub mod submitted;
pub mod target;
pub mod task_configs;
pub mod topics;
pub mod validation;

pub use convert::{RecordConverters, StageError};
pub use raw::RawRecord;
