//! The worker config (`worker.properties`).

use std::path::PathBuf;
use std::time::Duration;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, ParsedConfig};
use connect_api::plugin::ConfigMap;
use connect_api::Result;

/// Worker keys Ferry reads.
pub mod keys {
    /// `bootstrap.servers`.
    pub const BOOTSTRAP_SERVERS: &str = "bootstrap.servers";
    /// `offset.flush.interval.ms`.
    pub const OFFSET_FLUSH_INTERVAL_MS: &str = "offset.flush.interval.ms";
    /// `offset.flush.timeout.ms`.
    pub const OFFSET_FLUSH_TIMEOUT_MS: &str = "offset.flush.timeout.ms";
    /// `task.shutdown.graceful.timeout.ms`.
    pub const TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS: &str = "task.shutdown.graceful.timeout.ms";
    /// `listeners`.
    pub const LISTENERS: &str = "listeners";
    /// `rest.advertised.host.name`.
    pub const REST_ADVERTISED_HOST_NAME: &str = "rest.advertised.host.name";
    /// `rest.advertised.port`.
    pub const REST_ADVERTISED_PORT: &str = "rest.advertised.port";
    /// `offset.storage.file.filename` (standalone).
    pub const OFFSET_STORAGE_FILE_FILENAME: &str = "offset.storage.file.filename";
    /// `plugin.path` (accepted; Ferry's plugins are built in).
    pub const PLUGIN_PATH: &str = "plugin.path";
    /// `topic.creation.enable`.
    pub const TOPIC_CREATION_ENABLE: &str = "topic.creation.enable";
    /// `topic.tracking.enable`.
    pub const TOPIC_TRACKING_ENABLE: &str = "topic.tracking.enable";
    /// `topic.tracking.allow.reset`.
    pub const TOPIC_TRACKING_ALLOW_RESET: &str = "topic.tracking.allow.reset";
    /// `key.converter`.
    pub const KEY_CONVERTER: &str = "key.converter";
    /// `value.converter`.
    pub const VALUE_CONVERTER: &str = "value.converter";
    /// `header.converter`.
    pub const HEADER_CONVERTER: &str = "header.converter";
}

use keys::*;

/// The worker keys shared by standalone and distributed workers.
pub(crate) fn common_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new(BOOTSTRAP_SERVERS, ConfigType::List)
                .default_value(vec!["localhost:9092".to_string()])
                .importance(Importance::High)
                .documentation("The brokers to connect to first (host:port, comma-separated); the rest of the cluster is found from them."),
        )
        .define(
            ConfigKey::new(KEY_CONVERTER, ConfigType::Class)
                .importance(Importance::High)
                .documentation("How record keys are turned into bytes and back, for connectors that do not name their own."),
        )
        .define(
            ConfigKey::new(VALUE_CONVERTER, ConfigType::Class)
                .importance(Importance::High)
                .documentation("How record values are turned into bytes and back, for connectors that do not name their own."),
        )
        .define(
            ConfigKey::new(HEADER_CONVERTER, ConfigType::Class)
                .default_value(crate::convert::DEFAULT_HEADER_CONVERTER)
                .importance(Importance::Low),
        )
        .define(
            ConfigKey::new(OFFSET_FLUSH_INTERVAL_MS, ConfigType::Long)
                .default_value(60_000i64)
                .importance(Importance::Low)
                .documentation("How often, in milliseconds, tasks commit the offsets of what was delivered."),
        )
        .define(
            ConfigKey::new(OFFSET_FLUSH_TIMEOUT_MS, ConfigType::Long)
                .default_value(5_000i64)
                .importance(Importance::Low),
        )
        .define(
            ConfigKey::new(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS, ConfigType::Long)
                .default_value(5_000i64)
                .importance(Importance::Low),
        )
        .define(
            ConfigKey::new(LISTENERS, ConfigType::List)
                .default_value(vec!["http://:8083".to_string()])
                .importance(Importance::Low),
        )
        .define(ConfigKey::new(REST_ADVERTISED_HOST_NAME, ConfigType::String).default_null())
        .define(ConfigKey::new(REST_ADVERTISED_PORT, ConfigType::Int).default_null())
        .define(ConfigKey::new(PLUGIN_PATH, ConfigType::List).default_null())
        .define(ConfigKey::new(TOPIC_CREATION_ENABLE, ConfigType::Boolean).default_value(true))
        .define(ConfigKey::new(TOPIC_TRACKING_ENABLE, ConfigType::Boolean).default_value(true))
        .define(
            ConfigKey::new(TOPIC_TRACKING_ALLOW_RESET, ConfigType::Boolean).default_value(true),
        )
}

/// A parsed standalone worker config.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// All keys as given (client settings, converter sub-keys, …).
    pub originals: ConfigMap,
    /// `bootstrap.servers`, comma-joined.
    pub bootstrap_servers: String,
    /// `offset.flush.interval.ms`.
    pub offset_flush_interval: Duration,
    /// `offset.flush.timeout.ms`.
    pub offset_flush_timeout: Duration,
    /// `task.shutdown.graceful.timeout.ms`.
    pub task_shutdown_timeout: Duration,
    /// `listeners`.
    pub listeners: Vec<String>,
    /// `rest.advertised.host.name`.
    pub advertised_host: Option<String>,
    /// `rest.advertised.port`.
    pub advertised_port: Option<u16>,
    /// `offset.storage.file.filename` (standalone; `None` keeps offsets in memory).
    pub offset_file: Option<PathBuf>,
    /// `topic.creation.enable`.
    pub topic_creation_enable: bool,
    /// `topic.tracking.enable`: connectors' active topics are recorded.
    pub topic_tracking_enable: bool,
    /// `topic.tracking.allow.reset`: users may reset a connector's active topics.
    pub topic_tracking_allow_reset: bool,
}

fn millis(parsed: &ParsedConfig, key: &str) -> Result<Duration> {
    Ok(Duration::from_millis(parsed.get_long(key)?.max(0) as u64))
}

impl WorkerConfig {
    /// The standalone worker's `ConfigDef` (`offset.storage.file.filename` is required).
    pub fn standalone_def() -> ConfigDef {
        common_def().define(
            ConfigKey::new(OFFSET_STORAGE_FILE_FILENAME, ConfigType::String)
                .importance(Importance::High)
                .documentation("The file source offsets are kept in (Kafka's own format)."),
        )
    }

    /// Parses a standalone worker config, reporting every invalid or missing key at once.
    pub fn standalone(originals: &ConfigMap) -> Result<Self> {
        let parsed = Self::standalone_def().parse(originals)?;
        Self::from_parsed(&parsed, originals)
    }

    pub(crate) fn from_parsed(parsed: &ParsedConfig, originals: &ConfigMap) -> Result<Self> {
        let port = match parsed.get_raw(REST_ADVERTISED_PORT)? {
            Some(_) => Some(parsed.get_int(REST_ADVERTISED_PORT)?),
            None => None,
        };
        let port = match port {
            None => None,
            Some(p) => Some(u16::try_from(p).map_err(|_| {
                connect_api::ConnectError::config(
                    REST_ADVERTISED_PORT,
                    p.to_string(),
                    "must be a port number (0-65535)",
                )
            })?),
        };
        let host = match parsed.get_raw(REST_ADVERTISED_HOST_NAME)? {
            Some(_) => Some(parsed.get_string(REST_ADVERTISED_HOST_NAME)?.to_string()),
            None => None,
        };
        Ok(WorkerConfig {
            originals: originals.clone(),
            bootstrap_servers: parsed.get_list(BOOTSTRAP_SERVERS)?.join(","),
            offset_flush_interval: millis(parsed, OFFSET_FLUSH_INTERVAL_MS)?,
            offset_flush_timeout: millis(parsed, OFFSET_FLUSH_TIMEOUT_MS)?,
            task_shutdown_timeout: millis(parsed, TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS)?,
            listeners: parsed.get_list(LISTENERS)?.to_vec(),
            advertised_host: host,
            advertised_port: port,
            // only standalone workers define it
            offset_file: match parsed.contains(OFFSET_STORAGE_FILE_FILENAME)
                && !parsed.is_null(OFFSET_STORAGE_FILE_FILENAME)?
            {
                true => Some(PathBuf::from(
                    parsed.get_string(OFFSET_STORAGE_FILE_FILENAME)?,
                )),
                false => None,
            },
            topic_creation_enable: parsed.get_bool(TOPIC_CREATION_ENABLE)?,
            topic_tracking_enable: parsed.get_bool(TOPIC_TRACKING_ENABLE)?,
            topic_tracking_allow_reset: parsed.get_bool(TOPIC_TRACKING_ALLOW_RESET)?,
        })
    }

    /// The settings task clients inherit (with `bootstrap.servers` as the worker resolved it).
    pub fn client_base(&self) -> ConfigMap {
        let mut m = self.originals.clone();
        m.insert(
            BOOTSTRAP_SERVERS.to_string(),
            self.bootstrap_servers.clone(),
        );
        m
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use testkit::config_map as map;

    #[test]
    fn the_sample_standalone_file_parses() {
        let c = WorkerConfig::standalone(&map(&[
            ("bootstrap.servers", "localhost:9092"),
            (
                "key.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
            (
                "value.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
            ("key.converter.schemas.enable", "true"),
            ("offset.storage.file.filename", "/tmp/connect.offsets"),
            ("offset.flush.interval.ms", "10000"),
        ]))
        .unwrap();
        assert_eq!(c.offset_flush_interval, Duration::from_secs(10));
        assert_eq!(c.offset_file, Some(PathBuf::from("/tmp/connect.offsets")));
        assert_eq!(c.listeners, ["http://:8083"]);
        assert_eq!(c.task_shutdown_timeout, Duration::from_secs(5));
    }

    #[test]
    fn every_problem_is_reported() {
        let err = WorkerConfig::standalone(&map(&[("offset.flush.interval.ms", "soon")]))
            .unwrap_err()
            .to_string();
        for needle in [
            "key.converter",
            "value.converter",
            "offset.storage.file.filename",
            "soon",
        ] {
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }
}
