//! Worker and connector configs: Kafka's `WorkerConfig`/`StandaloneConfig` and
//! `ConnectorConfig`/`SinkConnectorConfig`/`SourceConnectorConfig`, parsed once into typed
//! structs through `ConfigDef`s.

pub mod connector;
pub mod defs;
pub mod distributed;
pub mod worker;

pub use connector::{
    ConnectorConfig, DlqConfig, ErrorsConfig, SinkConfig, SourceConfig, Tolerance, Topics,
};
pub use defs::{common_def, sink_def, source_def};
pub use distributed::DistributedConfig;
pub use worker::WorkerConfig;
