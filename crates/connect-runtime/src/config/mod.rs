//! Worker and connector configs: Kafka's `WorkerConfig`/`StandaloneConfig` and
//! `ConnectorConfig`/`SinkConnectorConfig`/`SourceConnectorConfig`, parsed once into typed
//! structs through `ConfigDef`s.

pub mod connector;
pub mod worker;

pub use connector::{
    ConnectorConfig, DlqConfig, ErrorsConfig, SinkConfig, SourceConfig, Tolerance, Topics,
};
pub use worker::WorkerConfig;
