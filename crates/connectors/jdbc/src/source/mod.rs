//! The source connector: tables (or a custom query) to Kafka records.

pub mod config;
pub mod connector;
pub mod mappings;
pub mod querier;
pub mod task;

pub use connector::JdbcSourceConnector;
pub use task::JdbcSourceTask;
