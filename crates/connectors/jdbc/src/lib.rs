//! Confluent's JDBC connectors (`io.confluent.connect.jdbc.JdbcSourceConnector` and
//! `JdbcSinkConnector`) for PostgreSQL, MySQL/MariaDB and SQLite, with the same config keys,
//! record schemas and source offsets, so that configs and offsets move over unchanged.
//!
//! The source copies tables (or a custom query) in `bulk`, `incrementing`, `timestamp` or
//! `timestamp+incrementing` mode; see [`source`]. The sink inserts, upserts or updates rows
//! (and deletes them on tombstones), creating and widening tables as allowed; see [`sink`].

pub mod calendar;
pub mod common;
pub mod db;
pub mod dialect;
pub mod granularity;
pub mod schema;
pub mod sink;
pub mod source;
pub mod url;

pub use sink::{JdbcSinkConnector, JdbcSinkTask};
pub use source::{JdbcSourceConnector, JdbcSourceTask};

/// The connectors' version, as `GET /connector-plugins` shows it (the Confluent release whose
/// behaviour they follow).
pub const VERSION: &str = "10.8.5";

/// Fully qualified class name of the source connector.
pub const SOURCE_CLASS: &str = "io.confluent.connect.jdbc.JdbcSourceConnector";
/// Fully qualified class name of the sink connector.
pub const SINK_CLASS: &str = "io.confluent.connect.jdbc.JdbcSinkConnector";
