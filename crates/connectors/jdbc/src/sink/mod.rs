//! The sink connector: Kafka records into tables.

pub mod bind;
pub mod config;
pub mod connector;
pub mod copy_text;
pub mod epoch;
pub mod fields;
pub mod sql;
pub mod task;
pub mod writer;

pub use connector::JdbcSinkConnector;
pub use task::JdbcSinkTask;
