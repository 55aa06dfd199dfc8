//! The distributed worker config (`connect-distributed.properties`): the common worker keys
//! plus the group, the three internal topics and the rebalance timings (reference §2.3).

use std::collections::BTreeMap;
use std::time::Duration;

use connect_api::config::{
    ConfigDef, ConfigKey, ConfigType, Importance, LambdaValidator, ParsedConfig, ParsedValue,
    ValidString,
};
use connect_api::plugin::ConfigMap;
use connect_api::{ConfigIssue, ConnectError, Result};

use super::worker::{common_def, WorkerConfig};

/// Distributed worker keys.
pub mod keys {
    /// `group.id`.
    pub const GROUP_ID: &str = "group.id";
    /// `config.storage.topic`.
    pub const CONFIG_STORAGE_TOPIC: &str = "config.storage.topic";
    /// `config.storage.replication.factor`.
    pub const CONFIG_STORAGE_REPLICATION_FACTOR: &str = "config.storage.replication.factor";
    /// `offset.storage.topic`.
    pub const OFFSET_STORAGE_TOPIC: &str = "offset.storage.topic";
    /// `offset.storage.partitions`.
    pub const OFFSET_STORAGE_PARTITIONS: &str = "offset.storage.partitions";
    /// `offset.storage.replication.factor`.
    pub const OFFSET_STORAGE_REPLICATION_FACTOR: &str = "offset.storage.replication.factor";
    /// `status.storage.topic`.
    pub const STATUS_STORAGE_TOPIC: &str = "status.storage.topic";
    /// `status.storage.partitions`.
    pub const STATUS_STORAGE_PARTITIONS: &str = "status.storage.partitions";
    /// `status.storage.replication.factor`.
    pub const STATUS_STORAGE_REPLICATION_FACTOR: &str = "status.storage.replication.factor";
    /// `connect.protocol`.
    pub const CONNECT_PROTOCOL: &str = "connect.protocol";
    /// `scheduled.rebalance.max.delay.ms`.
    pub const SCHEDULED_REBALANCE_MAX_DELAY_MS: &str = "scheduled.rebalance.max.delay.ms";
    /// `session.timeout.ms`.
    pub const SESSION_TIMEOUT_MS: &str = "session.timeout.ms";
    /// `heartbeat.interval.ms`.
    pub const HEARTBEAT_INTERVAL_MS: &str = "heartbeat.interval.ms";
    /// `rebalance.timeout.ms`.
    pub const REBALANCE_TIMEOUT_MS: &str = "rebalance.timeout.ms";
    /// `worker.sync.timeout.ms`.
    pub const WORKER_SYNC_TIMEOUT_MS: &str = "worker.sync.timeout.ms";
    /// `worker.unsync.backoff.ms`.
    pub const WORKER_UNSYNC_BACKOFF_MS: &str = "worker.unsync.backoff.ms";
    /// `request.timeout.ms`.
    pub const REQUEST_TIMEOUT_MS: &str = "request.timeout.ms";
    /// `retry.backoff.ms`.
    pub const RETRY_BACKOFF_MS: &str = "retry.backoff.ms";
    /// `exactly.once.source.support`.
    pub const EXACTLY_ONCE_SOURCE_SUPPORT: &str = "exactly.once.source.support";
    /// How long the leader's session key lives before it makes a new one.
    pub const INTER_WORKER_KEY_TTL_MS: &str = "inter.worker.key.ttl.ms";
    /// The MAC algorithm session keys are made for.
    pub const INTER_WORKER_KEY_GENERATION_ALGORITHM: &str = "inter.worker.key.generation.algorithm";
    /// The size of session keys in bits (the algorithm's default when unset).
    pub const INTER_WORKER_KEY_SIZE: &str = "inter.worker.key.size";
    /// The MAC algorithm this worker signs requests with.
    pub const INTER_WORKER_SIGNATURE_ALGORITHM: &str = "inter.worker.signature.algorithm";
    /// The MAC algorithms this worker accepts on requests.
    pub const INTER_WORKER_VERIFICATION_ALGORITHMS: &str = "inter.worker.verification.algorithms";
}

use keys::*;

/// `connect.protocol`: the sub-protocols a worker offers, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectProtocol {
    /// `eager`: everything is revoked on every rebalance.
    Eager,
    /// `compatible`: incremental cooperative rebalancing (KIP-415).
    Compatible,
    /// `sessioned`: `compatible` plus signed inter-worker requests (KIP-507).
    Sessioned,
}

impl ConnectProtocol {
    /// The sub-protocol names offered in JoinGroup, in order of preference.
    pub fn offered(self) -> &'static [&'static str] {
        match self {
            ConnectProtocol::Eager => &["default"],
            ConnectProtocol::Compatible => &["compatible", "default"],
            ConnectProtocol::Sessioned => &["sessioned", "compatible", "default"],
        }
    }
}

/// One internal topic: its name and how it is created when missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InternalTopic {
    /// The topic name.
    pub name: String,
    /// Partitions (-1: the broker's default; the config topic always has 1).
    pub partitions: i32,
    /// Replication factor (-1: the broker's default).
    pub replication_factor: i16,
    /// Further topic configs (`<prefix>.<config>` keys), with `cleanup.policy=compact`.
    pub configs: BTreeMap<String, String>,
}

/// A parsed distributed worker config.
#[derive(Debug, Clone)]
pub struct DistributedConfig {
    /// The keys standalone and distributed workers share.
    pub worker: WorkerConfig,
    /// `group.id`.
    pub group_id: String,
    /// `config.storage.*`.
    pub config_topic: InternalTopic,
    /// `offset.storage.*`.
    pub offset_topic: InternalTopic,
    /// `status.storage.*`.
    pub status_topic: InternalTopic,
    /// `connect.protocol`.
    pub protocol: ConnectProtocol,
    /// `scheduled.rebalance.max.delay.ms`: how long a departed worker's work waits for it.
    pub scheduled_rebalance_max_delay: Duration,
    /// `session.timeout.ms`.
    pub session_timeout: Duration,
    /// `heartbeat.interval.ms`.
    pub heartbeat_interval: Duration,
    /// `rebalance.timeout.ms`.
    pub rebalance_timeout: Duration,
    /// `worker.sync.timeout.ms`.
    pub worker_sync_timeout: Duration,
    /// `worker.unsync.backoff.ms`.
    pub worker_unsync_backoff: Duration,
    /// `request.timeout.ms`.
    pub request_timeout: Duration,
    /// `retry.backoff.ms`.
    pub retry_backoff: Duration,
    /// Signed requests between workers (KIP-507), for `connect.protocol=sessioned`.
    pub inter_worker: InterWorker,
}

/// The `inter.worker.*` keys: session keys and the request signatures made with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterWorker {
    /// `inter.worker.key.ttl.ms`.
    pub key_ttl: Duration,
    /// `inter.worker.key.generation.algorithm`.
    pub key_algorithm: String,
    /// `inter.worker.key.size`, bits.
    pub key_size: Option<u32>,
    /// `inter.worker.signature.algorithm`.
    pub signature_algorithm: String,
    /// `inter.worker.verification.algorithms`.
    pub verification_algorithms: Vec<String>,
}

fn replication_factor(key: &'static str) -> ConfigKey {
    ConfigKey::new(key, ConfigType::Short)
        .default_value(ParsedValue::Short(3))
        .validator(LambdaValidator::new(
            move |name: &str, value: Option<&ParsedValue>| match value {
                Some(ParsedValue::Short(v)) if *v == -1 || *v >= 1 => Ok(()),
                Some(v) => Err(ConfigIssue::invalid_value(
                    name,
                    v.to_string(),
                    "Replication factor must be positive, or -1 to use the broker's default",
                )),
                None => Ok(()),
            },
            "Positive number, or -1 to use the broker's default",
        ))
        .importance(Importance::Low)
}

fn partitions(key: &'static str, default: i32) -> ConfigKey {
    ConfigKey::new(key, ConfigType::Int)
        .default_value(default)
        .validator(LambdaValidator::new(
            move |name: &str, value: Option<&ParsedValue>| match value {
                Some(ParsedValue::Int(v)) if *v == -1 || *v >= 1 => Ok(()),
                Some(v) => Err(ConfigIssue::invalid_value(
                    name,
                    v.to_string(),
                    "Number of partitions must be positive, or -1 to use the broker's default",
                )),
                None => Ok(()),
            },
            "Positive number, or -1 to use the broker's default",
        ))
        .importance(Importance::Low)
}

/// A key naming a MAC algorithm (Java's name), `HmacSHA256` by default.
fn mac_key(key: &'static str) -> ConfigKey {
    ConfigKey::new(key, ConfigType::String)
        .default_value("HmacSHA256")
        .validator(ValidString::one_of([
            "HmacSHA256",
            "HmacSHA384",
            "HmacSHA512",
        ]))
        .importance(Importance::Low)
}

fn required_string(key: &'static str, doc: &'static str) -> ConfigKey {
    ConfigKey::new(key, ConfigType::String)
        .importance(Importance::High)
        .documentation(doc)
}

fn millis_key(key: &'static str, default: i64) -> ConfigKey {
    ConfigKey::new(key, ConfigType::Long)
        .default_value(default)
        .importance(Importance::Low)
}

fn int_millis_key(key: &'static str, default: i32) -> ConfigKey {
    ConfigKey::new(key, ConfigType::Int)
        .default_value(default)
        .importance(Importance::Low)
}

impl DistributedConfig {
    /// The distributed worker's `ConfigDef`.
    pub fn def() -> ConfigDef {
        common_def()
            .define(required_string(
                GROUP_ID,
                "The group the workers of one cluster join; must not be a consumer group's.",
            ))
            .define(required_string(
                CONFIG_STORAGE_TOPIC,
                "The topic connector and task configs are kept in (one partition, compacted).",
            ))
            .define(replication_factor(CONFIG_STORAGE_REPLICATION_FACTOR))
            .define(required_string(
                OFFSET_STORAGE_TOPIC,
                "The topic source connectors' offsets are kept in (compacted).",
            ))
            .define(partitions(OFFSET_STORAGE_PARTITIONS, 25))
            .define(replication_factor(OFFSET_STORAGE_REPLICATION_FACTOR))
            .define(required_string(
                STATUS_STORAGE_TOPIC,
                "The topic connector and task statuses are kept in (compacted).",
            ))
            .define(partitions(STATUS_STORAGE_PARTITIONS, 5))
            .define(replication_factor(STATUS_STORAGE_REPLICATION_FACTOR))
            .define(
                ConfigKey::new(CONNECT_PROTOCOL, ConfigType::String)
                    .default_value("sessioned")
                    .validator(ValidString::one_of(["eager", "compatible", "sessioned"]))
                    .importance(Importance::Low),
            )
            .define(
                int_millis_key(SCHEDULED_REBALANCE_MAX_DELAY_MS, 300_000).documentation(
                    "How long the work of a worker that left waits for it to come back before \
                     it is given to the others; 0 hands it out at once.",
                ),
            )
            .define(int_millis_key(SESSION_TIMEOUT_MS, 10_000))
            .define(int_millis_key(HEARTBEAT_INTERVAL_MS, 3_000))
            .define(int_millis_key(REBALANCE_TIMEOUT_MS, 60_000))
            .define(int_millis_key(WORKER_SYNC_TIMEOUT_MS, 3_000))
            .define(int_millis_key(WORKER_UNSYNC_BACKOFF_MS, 300_000))
            .define(int_millis_key(REQUEST_TIMEOUT_MS, 40_000))
            .define(millis_key(RETRY_BACKOFF_MS, 100))
            .define(
                ConfigKey::new(INTER_WORKER_KEY_TTL_MS, ConfigType::Int)
                    .default_value(3_600_000)
                    .validator(LambdaValidator::new(
                        |name: &str, value: Option<&ParsedValue>| match value {
                            Some(ParsedValue::Int(v)) if *v < 0 => Err(ConfigIssue::invalid_value(
                                name,
                                v.to_string(),
                                "must be at least 0",
                            )),
                            _ => Ok(()),
                        },
                        "[0,...]",
                    ))
                    .importance(Importance::Low),
            )
            .define(mac_key(INTER_WORKER_KEY_GENERATION_ALGORITHM))
            .define(
                ConfigKey::new(INTER_WORKER_KEY_SIZE, ConfigType::Int)
                    .default_null()
                    .importance(Importance::Low),
            )
            .define(mac_key(INTER_WORKER_SIGNATURE_ALGORITHM))
            .define(
                ConfigKey::new(INTER_WORKER_VERIFICATION_ALGORITHMS, ConfigType::List)
                    .default_value(vec!["HmacSHA256".to_string()])
                    .importance(Importance::Low),
            )
            .define(
                ConfigKey::new(EXACTLY_ONCE_SOURCE_SUPPORT, ConfigType::String)
                    .default_value("disabled")
                    .validator(ValidString::one_of(["disabled", "preparing", "enabled"]))
                    .importance(Importance::Low),
            )
    }

    /// Parses a distributed worker config, reporting every invalid or missing key at once.
    pub fn parse(originals: &ConfigMap) -> Result<Self> {
        let parsed = Self::def().parse(originals)?;
        if parsed.get_string(EXACTLY_ONCE_SOURCE_SUPPORT)? == "enabled" {
            return Err(ConnectError::config(
                EXACTLY_ONCE_SOURCE_SUPPORT,
                "enabled",
                "exactly-once source support needs transactions, which Ferry's distributed \
                 workers do not offer yet; use disabled or preparing",
            ));
        }
        let ms = |key: &str| -> Result<Duration> {
            Ok(Duration::from_millis(parsed.get_int(key)?.max(0) as u64))
        };
        let heartbeat_interval = ms(HEARTBEAT_INTERVAL_MS)?;
        let session_timeout = ms(SESSION_TIMEOUT_MS)?;
        if heartbeat_interval >= session_timeout {
            return Err(ConnectError::config(
                HEARTBEAT_INTERVAL_MS,
                parsed.get_int(HEARTBEAT_INTERVAL_MS)?.to_string(),
                format!(
                    "must be lower than {SESSION_TIMEOUT_MS} ({})",
                    parsed.get_int(SESSION_TIMEOUT_MS)?
                ),
            ));
        }
        let inter_worker = inter_worker(&parsed)?;
        Ok(DistributedConfig {
            worker: WorkerConfig::from_parsed(&parsed, originals)?,
            group_id: parsed.get_string(GROUP_ID)?.to_string(),
            config_topic: internal_topic(&parsed, originals, "config.storage", None)?,
            offset_topic: internal_topic(
                &parsed,
                originals,
                "offset.storage",
                Some(OFFSET_STORAGE_PARTITIONS),
            )?,
            status_topic: internal_topic(
                &parsed,
                originals,
                "status.storage",
                Some(STATUS_STORAGE_PARTITIONS),
            )?,
            protocol: match parsed.get_string(CONNECT_PROTOCOL)? {
                "eager" => ConnectProtocol::Eager,
                "compatible" => ConnectProtocol::Compatible,
                _ => ConnectProtocol::Sessioned,
            },
            scheduled_rebalance_max_delay: ms(SCHEDULED_REBALANCE_MAX_DELAY_MS)?,
            session_timeout,
            heartbeat_interval,
            rebalance_timeout: ms(REBALANCE_TIMEOUT_MS)?,
            worker_sync_timeout: ms(WORKER_SYNC_TIMEOUT_MS)?,
            worker_unsync_backoff: ms(WORKER_UNSYNC_BACKOFF_MS)?,
            request_timeout: ms(REQUEST_TIMEOUT_MS)?,
            retry_backoff: Duration::from_millis(parsed.get_long(RETRY_BACKOFF_MS)?.max(0) as u64),
            inter_worker,
        })
    }
}

/// The `inter.worker.*` keys, checked as Kafka's `DistributedConfig` checks them: every
/// verification algorithm must be one this worker has, and the signature algorithm must be
/// among them.
fn inter_worker(parsed: &ParsedConfig) -> Result<InterWorker> {
    let verification_algorithms = parsed
        .get_list(INTER_WORKER_VERIFICATION_ALGORITHMS)?
        .to_vec();
    let listed = verification_algorithms.join(",");
    if verification_algorithms.is_empty() {
        return Err(ConnectError::config(
            INTER_WORKER_VERIFICATION_ALGORITHMS,
            listed,
            "at least one signature verification algorithm must be provided",
        ));
    }
    if let Some(unknown) = verification_algorithms
        .iter()
        .find(|a| !crate::distributed::request_signing::is_supported(a))
    {
        return Err(ConnectError::config(
            INTER_WORKER_VERIFICATION_ALGORITHMS,
            listed.clone(),
            format!(
                "{unknown} is not a MAC algorithm Ferry has (HmacSHA256, HmacSHA384, HmacSHA512)"
            ),
        ));
    }
    let signature_algorithm = parsed
        .get_string(INTER_WORKER_SIGNATURE_ALGORITHM)?
        .to_string();
    if !verification_algorithms.contains(&signature_algorithm) {
        return Err(ConnectError::config(
            INTER_WORKER_SIGNATURE_ALGORITHM,
            signature_algorithm,
            format!("must be one of the {INTER_WORKER_VERIFICATION_ALGORITHMS} ({listed})"),
        ));
    }
    let key_size = if parsed.is_null(INTER_WORKER_KEY_SIZE)? {
        None
    } else {
        let bits = parsed.get_int(INTER_WORKER_KEY_SIZE)?;
        if bits < 8 {
            return Err(ConnectError::config(
                INTER_WORKER_KEY_SIZE,
                bits.to_string(),
                "a session key needs at least 8 bits",
            ));
        }
        Some(bits as u32)
    };
    Ok(InterWorker {
        key_ttl: Duration::from_millis(parsed.get_int(INTER_WORKER_KEY_TTL_MS)?.max(0) as u64),
        key_algorithm: parsed
            .get_string(INTER_WORKER_KEY_GENERATION_ALGORITHM)?
            .to_string(),
        key_size,
        signature_algorithm,
        verification_algorithms,
    })
}

/// The internal topic of `prefix` (`config.storage`, …): `partitions_key` is `None` for the
/// config topic, which always has one partition.
fn internal_topic(
    parsed: &ParsedConfig,
    originals: &ConfigMap,
    prefix: &str,
    partitions_key: Option<&str>,
) -> Result<InternalTopic> {
    let dotted = format!("{prefix}.");
    let mut configs: BTreeMap<String, String> = originals
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(&dotted)?;
            (!matches!(rest, "topic" | "partitions" | "replication.factor"))
                .then(|| (rest.to_string(), v.clone()))
        })
        .collect();
    configs.insert("cleanup.policy".into(), "compact".into());
    Ok(InternalTopic {
        name: parsed.get_string(&format!("{prefix}.topic"))?.to_string(),
        partitions: match partitions_key {
            Some(key) => parsed.get_int(key)?,
            None => 1,
        },
        replication_factor: parsed.get_short(&format!("{prefix}.replication.factor"))?,
        configs,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    use testkit::config_map as map;

    fn sample() -> Vec<(&'static str, &'static str)> {
        vec![
            ("bootstrap.servers", "localhost:9092"),
            ("group.id", "connect-cluster"),
            (
                "key.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
            (
                "value.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
            ("offset.storage.topic", "connect-offsets"),
            ("offset.storage.replication.factor", "1"),
            ("config.storage.topic", "connect-configs"),
            ("config.storage.replication.factor", "1"),
            ("status.storage.topic", "connect-status"),
            ("status.storage.replication.factor", "1"),
            ("offset.flush.interval.ms", "10000"),
        ]
    }

    #[test]
    fn the_sample_distributed_file_parses_with_kafkas_defaults() {
        let c = DistributedConfig::parse(&map(&sample())).unwrap();
        assert_eq!(c.group_id, "connect-cluster");
        assert_eq!(c.config_topic.name, "connect-configs");
        assert_eq!(c.config_topic.partitions, 1);
        assert_eq!(c.offset_topic.partitions, 25);
        assert_eq!(c.status_topic.partitions, 5);
        assert_eq!(c.offset_topic.replication_factor, 1);
        assert_eq!(c.config_topic.configs["cleanup.policy"], "compact");
        assert_eq!(c.protocol, ConnectProtocol::Sessioned);
        assert_eq!(c.protocol.offered(), ["sessioned", "compatible", "default"]);
        assert_eq!(c.scheduled_rebalance_max_delay, Duration::from_secs(300));
        assert_eq!(c.session_timeout, Duration::from_secs(10));
        assert_eq!(c.heartbeat_interval, Duration::from_secs(3));
        assert_eq!(c.rebalance_timeout, Duration::from_secs(60));
        assert_eq!(c.worker.offset_flush_interval, Duration::from_secs(10));
    }

    #[test]
    fn prefixed_topic_settings_become_topic_configs_but_compaction_stays() {
        let mut keys = sample();
        keys.push(("status.storage.min.insync.replicas", "2"));
        keys.push(("status.storage.cleanup.policy", "delete"));
        keys.push(("offset.storage.partitions", "-1"));
        keys.push(("status.storage.replication.factor", "-1"));
        let c = DistributedConfig::parse(&map(&keys)).unwrap();
        assert_eq!(c.status_topic.configs["min.insync.replicas"], "2");
        assert_eq!(c.status_topic.configs["cleanup.policy"], "compact");
        assert!(!c.status_topic.configs.contains_key("topic"));
        assert_eq!(c.offset_topic.partitions, -1);
        assert_eq!(c.status_topic.replication_factor, -1);
    }

    #[test]
    fn every_problem_is_named_with_its_value() {
        let err = DistributedConfig::parse(&map(&[
            ("config.storage.replication.factor", "0"),
            ("offset.storage.partitions", "0"),
            ("connect.protocol", "lazy"),
        ]))
        .unwrap_err()
        .to_string();
        for needle in [
            "group.id",
            "config.storage.topic",
            "offset.storage.topic",
            "status.storage.topic",
            "key.converter",
            "config.storage.replication.factor",
            "offset.storage.partitions",
            "lazy",
        ] {
            assert!(err.contains(needle), "{needle}: {err}");
        }
    }

    #[test]
    fn unusable_timings_and_exactly_once_are_refused_by_name() {
        let mut keys = sample();
        keys.push(("heartbeat.interval.ms", "10000"));
        let err = DistributedConfig::parse(&map(&keys))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("heartbeat.interval.ms") && err.contains("10000"),
            "{err}"
        );
        let mut keys = sample();
        keys.push(("exactly.once.source.support", "enabled"));
        let err = DistributedConfig::parse(&map(&keys))
            .unwrap_err()
            .to_string();
        assert!(err.contains("exactly.once.source.support"), "{err}");
    }

    #[test]
    fn inter_worker_keys_default_as_kafkas_and_bad_ones_are_named() {
        let c = DistributedConfig::parse(&map(&sample())).unwrap();
        assert_eq!(c.inter_worker.key_ttl, Duration::from_secs(3600));
        assert_eq!(c.inter_worker.signature_algorithm, "HmacSHA256");
        assert_eq!(c.inter_worker.verification_algorithms, vec!["HmacSHA256"]);
        assert_eq!(c.inter_worker.key_size, None);
        for (key, value, named) in [
            (
                "inter.worker.signature.algorithm",
                "HmacSHA512",
                "inter.worker.signature.algorithm",
            ),
            (
                "inter.worker.verification.algorithms",
                "HmacSHA256,HmacMD5",
                "HmacMD5",
            ),
            ("inter.worker.key.ttl.ms", "-1", "inter.worker.key.ttl.ms"),
            ("inter.worker.key.size", "4", "inter.worker.key.size"),
        ] {
            let mut keys = sample();
            keys.push((key, value));
            let err = DistributedConfig::parse(&map(&keys))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(named) && err.contains(value),
                "{key}={value}: {err}"
            );
        }
        let mut keys = sample();
        keys.push((
            "inter.worker.verification.algorithms",
            "HmacSHA256,HmacSHA512",
        ));
        keys.push(("inter.worker.signature.algorithm", "HmacSHA512"));
        keys.push(("inter.worker.key.size", "512"));
        let c = DistributedConfig::parse(&map(&keys)).unwrap();
        assert_eq!(c.inter_worker.signature_algorithm, "HmacSHA512");
        assert_eq!(c.inter_worker.key_size, Some(512));
    }
}
