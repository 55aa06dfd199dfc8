//! Ferry's Connect API: the data model (schemas, values, structs, logical types), records and
//! headers, converter traits, `ConfigDef`, and the errors that tell the runtime what to do.
//!
//! This crate is what plugins (converters, transforms, connectors) build against. It has no
//! Kafka client, no HTTP server and no async runtime.

pub mod config;
pub mod convert;
pub mod data;
pub mod error;
pub mod header;
pub mod plugin;
pub mod record;
pub mod stage;
pub mod transform;

pub use config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, ParsedConfig, ParsedValue, Password,
    Width,
};
pub use convert::{Converter, HeaderConverter};
pub use data::{Decimal, Field, Schema, SchemaAndValue, SchemaBuilder, Struct, Type, Value};
pub use error::{ConfigError, ConfigIssue, ConnectError, Result};
pub use header::{Header, Headers};
pub use record::{Record, SinkMeta, SinkRecord, SourceMeta, SourceRecord, TimestampType, Topic};
pub use stage::Stage;
pub use transform::{Predicate, Transformation, Transformed};
