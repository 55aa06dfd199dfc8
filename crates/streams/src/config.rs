//! `StreamsConfig`: Kafka Streams' configuration keys, defaults and checks.
//!
//! Keys Streams does not know are kept for the Kafka clients, as Java passes them on: unprefixed
//! client keys go to every client; `producer.`, `consumer.`, `main.consumer.`,
//! `restore.consumer.` and `admin.` prefixes address one client.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Result, StreamsError};
use crate::serde::{DefaultSerdes, SerdeKind};

/// `processing.guarantee`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessingGuarantee {
    /// `at_least_once` (the default).
    AtLeastOnce,
    /// `exactly_once_v2`: one producer transaction per stream thread and commit interval.
    ExactlyOnceV2,
}

/// What to do with a record whose key or value cannot be deserialized
/// (`deserialization.exception.handler`), or that a processor fails on
/// (`processing.exception.handler`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// `LogAndFail…`: the stream thread stops with the error (Kafka's default).
    Fail,
    /// `LogAndContinue…`: log and skip the record.
    Continue,
}

/// `auto.offset.reset`: where a task starts reading a partition with no committed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetReset {
    /// `earliest` (Streams' default).
    Earliest,
    /// `latest`.
    Latest,
    /// `none`: fail.
    None,
}

impl OffsetReset {
    /// The config value.
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetReset::Earliest => "earliest",
            OffsetReset::Latest => "latest",
            OffsetReset::None => "none",
        }
    }
}

/// The default of `statestore.cache.max.bytes`: 10 MiB.
pub const DEFAULT_CACHE_MAX_BYTES: u64 = 10 * 1024 * 1024;

/// A parsed, checked Streams configuration.
#[derive(Debug, Clone)]
pub struct StreamsConfig {
    /// `application.id`: the consumer group, the transactional id prefix and the prefix of
    /// every internal topic.
    pub application_id: String,
    /// `bootstrap.servers`.
    pub bootstrap_servers: String,
    /// `default.key.serde` / `default.value.serde`.
    pub default_serdes: DefaultSerdes,
    /// `num.stream.threads` (default 1).
    pub num_stream_threads: usize,
    /// `state.dir` (default `<tmp>/kafka-streams`).
    pub state_dir: PathBuf,
    /// `commit.interval.ms` (default 30000, or 100 under exactly-once).
    pub commit_interval_ms: u64,
    /// `statestore.cache.max.bytes` (or the deprecated `cache.max.bytes.buffering`), split
    /// evenly across stream threads; 0 turns caching off.
    pub cache_max_bytes: u64,
    /// `processing.guarantee`.
    pub processing_guarantee: ProcessingGuarantee,
    /// `auto.offset.reset` (default `earliest`).
    pub auto_offset_reset: OffsetReset,
    /// `deserialization.exception.handler`.
    pub on_deserialization_error: OnError,
    /// `processing.exception.handler`.
    pub on_processing_error: OnError,
    /// `replication.factor` for internal topics (-1: the broker's default).
    pub replication_factor: i16,
    /// `poll.ms` (default 100).
    pub poll_ms: u64,
    /// `client.id` (default: `application.id`).
    pub client_id: String,
    /// Every key as given, for the clients.
    pub originals: BTreeMap<String, String>,
}

const KNOWN: &[&str] = &[
    "application.id",
    "bootstrap.servers",
    "default.key.serde",
    "default.value.serde",
    "num.stream.threads",
    "state.dir",
    "commit.interval.ms",
    "statestore.cache.max.bytes",
    "cache.max.bytes.buffering",
    "processing.guarantee",
    "deserialization.exception.handler",
    "default.deserialization.exception.handler",
    "processing.exception.handler",
    "replication.factor",
    "poll.ms",
    "client.id",
    "num.standby.replicas",
    "topology.optimization",
    "max.task.idle.ms",
    "state.cleanup.delay.ms",
    "buffered.records.per.partition",
    "repartition.purge.interval.ms",
    "windowstore.changelog.additional.retention.ms",
    "application.server",
    "task.timeout.ms",
    "acceptable.recovery.lag",
    "max.warmup.replicas",
    "probing.rebalance.interval.ms",
    "default.timestamp.extractor",
    "production.exception.handler",
    "log.summary.interval.ms",
    "upgrade.from",
    "group.protocol",
];

impl StreamsConfig {
    /// Parses and checks `props`. Errors name the key and the value.
    pub fn new(props: &BTreeMap<String, String>) -> Result<StreamsConfig> {
        let get = |k: &str| props.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        let application_id = get("application.id")
            .ok_or_else(|| {
                StreamsError::config(
                    "application.id",
                    "null",
                    "Missing required configuration \"application.id\" which has no default value.",
                )
            })?
            .to_string();
        if !application_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(StreamsError::config(
                "application.id",
                &application_id,
                "it prefixes internal topic names, so it may hold only ASCII letters, digits, '.', '_' and '-'",
            ));
        }
        let bootstrap_servers = get("bootstrap.servers")
            .ok_or_else(|| {
                StreamsError::config("bootstrap.servers", "null", "Missing required configuration \"bootstrap.servers\" which has no default value.")
            })?
            .to_string();
        let serde = |key: &str| -> Result<Option<SerdeKind>> {
            match get(key) {
                None => Ok(None),
                Some(class) => SerdeKind::from_class(class).map(Some).ok_or_else(|| {
                    StreamsError::config(
                        key,
                        class,
                        "Class not found: use one of Kafka's Serdes (org.apache.kafka.common.serialization.Serdes$StringSerde, $LongSerde, $IntegerSerde, $ShortSerde, $DoubleSerde, $FloatSerde, $ByteArraySerde) or JsonSerde, or pass a serde in code",
                    )
                }),
            }
        };
        let default_serdes = DefaultSerdes {
            key: serde("default.key.serde")?,
            value: serde("default.value.serde")?,
        };
        let processing_guarantee = match get("processing.guarantee").unwrap_or("at_least_once") {
            "at_least_once" => ProcessingGuarantee::AtLeastOnce,
            "exactly_once_v2" => ProcessingGuarantee::ExactlyOnceV2,
            v @ ("exactly_once" | "exactly_once_beta") => {
                return Err(StreamsError::config(
                    "processing.guarantee",
                    v,
                    "was removed in Kafka 4.0; use exactly_once_v2",
                ))
            }
            v => {
                return Err(StreamsError::config(
                    "processing.guarantee",
                    v,
                    "String must be one of: at_least_once, exactly_once_v2",
                ))
            }
        };
        let num_stream_threads = int(props, "num.stream.threads", 1, 1, 1024)? as usize;
        let default_commit = match processing_guarantee {
            ProcessingGuarantee::AtLeastOnce => 30_000,
            ProcessingGuarantee::ExactlyOnceV2 => 100,
        };
        let commit_interval_ms =
            int(props, "commit.interval.ms", default_commit, 0, i64::MAX)? as u64;
        let cache_max_bytes = if props.contains_key("statestore.cache.max.bytes") {
            int(props, "statestore.cache.max.bytes", 0, 0, i64::MAX)? as u64
        } else if props.contains_key("cache.max.bytes.buffering") {
            int(props, "cache.max.bytes.buffering", 0, 0, i64::MAX)? as u64
        } else {
            DEFAULT_CACHE_MAX_BYTES
        };
        let auto_offset_reset = match get("auto.offset.reset").unwrap_or("earliest") {
            "earliest" => OffsetReset::Earliest,
            "latest" => OffsetReset::Latest,
            "none" => OffsetReset::None,
            v => {
                return Err(StreamsError::config(
                    "auto.offset.reset",
                    v,
                    "Invalid value: must be earliest, latest or none",
                ))
            }
        };
        let handler = |keys: &[&str], fail: &str, cont: &str| -> Result<OnError> {
            for key in keys {
                if let Some(v) = get(key) {
                    let simple = v.rsplit('.').next().unwrap_or(v);
                    return if simple == fail {
                        Ok(OnError::Fail)
                    } else if simple == cont {
                        Ok(OnError::Continue)
                    } else {
                        Err(StreamsError::config(
                            key,
                            v,
                            format!("Class not found: Ferry provides {fail} and {cont}"),
                        ))
                    };
                }
            }
            Ok(OnError::Fail)
        };
        let on_deserialization_error = handler(
            &[
                "deserialization.exception.handler",
                "default.deserialization.exception.handler",
            ],
            "LogAndFailExceptionHandler",
            "LogAndContinueExceptionHandler",
        )?;
        let on_processing_error = handler(
            &["processing.exception.handler"],
            "LogAndFailProcessingExceptionHandler",
            "LogAndContinueProcessingExceptionHandler",
        )?;
        let replication_factor = int(props, "replication.factor", -1, -1, i16::MAX as i64)? as i16;
        if replication_factor == 0 {
            return Err(StreamsError::config(
                "replication.factor",
                "0",
                "must be -1 (the broker's default) or at least 1",
            ));
        }
        let poll_ms = int(props, "poll.ms", 100, 0, i64::MAX)? as u64;
        let state_dir = get("state.dir")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("kafka-streams"));
        let client_id = get("client.id").unwrap_or(&application_id).to_string();
        for (key, value) in props {
            if key.starts_with("streams.")
                || (!KNOWN.contains(&key.as_str()) && key.contains("serde"))
            {
                return Err(StreamsError::config(
                    key,
                    value,
                    "Unknown Streams configuration",
                ));
            }
        }
        Ok(StreamsConfig {
            application_id,
            bootstrap_servers,
            default_serdes,
            num_stream_threads,
            state_dir,
            commit_interval_ms,
            cache_max_bytes,
            processing_guarantee,
            auto_offset_reset,
            on_deserialization_error,
            on_processing_error,
            replication_factor,
            poll_ms,
            client_id,
            originals: props.clone(),
        })
    }

    /// Builds a config from `key=value` pairs (tests and examples).
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<StreamsConfig> {
        let map = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        StreamsConfig::new(&map)
    }

    /// Client settings for one client: unprefixed client keys, then `prefixes` in order (later
    /// wins). Streams' own keys are left out.
    pub fn client_settings(&self, prefixes: &[&str]) -> BTreeMap<String, String> {
        const PREFIXES: &[&str] = &[
            "producer.",
            "consumer.",
            "main.consumer.",
            "restore.consumer.",
            "global.consumer.",
            "admin.",
        ];
        let mut out = BTreeMap::new();
        for (k, v) in &self.originals {
            if KNOWN.contains(&k.as_str()) || PREFIXES.iter().any(|p| k.starts_with(p)) {
                continue;
            }
            out.insert(k.clone(), v.clone());
        }
        out.insert("bootstrap.servers".into(), self.bootstrap_servers.clone());
        for prefix in prefixes {
            for (k, v) in &self.originals {
                if let Some(rest) = k.strip_prefix(prefix) {
                    out.insert(rest.to_string(), v.clone());
                }
            }
        }
        out
    }

    /// Whether processing is exactly-once.
    pub fn exactly_once(&self) -> bool {
        self.processing_guarantee == ProcessingGuarantee::ExactlyOnceV2
    }
}

fn int(
    props: &BTreeMap<String, String>,
    key: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64> {
    let Some(raw) = props.get(key).map(|v| v.trim()) else {
        return Ok(default);
    };
    let v: i64 = raw
        .parse()
        .map_err(|_| StreamsError::config(key, raw, "Not a number of type INT/LONG"))?;
    if v < min || v > max {
        return Err(StreamsError::config(
            key,
            raw,
            format!("Value must be at least {min}"),
        ));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("application.id", "wc"),
            ("bootstrap.servers", "127.0.0.1:9092"),
        ]
    }

    #[test]
    fn defaults_follow_kafka() {
        let c = StreamsConfig::from_pairs(base()).unwrap();
        assert_eq!(c.commit_interval_ms, 30_000);
        assert_eq!(c.cache_max_bytes, DEFAULT_CACHE_MAX_BYTES);
        assert_eq!(c.num_stream_threads, 1);
        assert_eq!(c.auto_offset_reset, OffsetReset::Earliest);
        assert_eq!(c.on_deserialization_error, OnError::Fail);
        let mut eos = base();
        eos.push(("processing.guarantee", "exactly_once_v2"));
        assert_eq!(
            StreamsConfig::from_pairs(eos).unwrap().commit_interval_ms,
            100
        );
        let mut old = base();
        old.push(("cache.max.bytes.buffering", "0"));
        assert_eq!(StreamsConfig::from_pairs(old).unwrap().cache_max_bytes, 0);
    }

    #[test]
    fn bad_values_name_key_and_value() {
        let mut c = base();
        c.push(("processing.guarantee", "exactly_once"));
        let e = StreamsConfig::from_pairs(c).unwrap_err().to_string();
        assert!(
            e.contains("processing.guarantee") && e.contains("exactly_once_v2"),
            "{e}"
        );
        let mut c = base();
        c.push(("num.stream.threads", "zero"));
        let e = StreamsConfig::from_pairs(c).unwrap_err().to_string();
        assert!(
            e.contains("num.stream.threads") && e.contains("zero"),
            "{e}"
        );
        let mut c = base();
        c.push(("default.value.serde", "com.acme.Mine"));
        let e = StreamsConfig::from_pairs(c).unwrap_err().to_string();
        assert!(
            e.contains("default.value.serde") && e.contains("com.acme.Mine"),
            "{e}"
        );
        let e = StreamsConfig::from_pairs([("bootstrap.servers", "x")])
            .unwrap_err()
            .to_string();
        assert!(e.contains("application.id"), "{e}");
    }

    #[test]
    fn client_settings_apply_prefixes() {
        let mut c = base();
        c.extend([
            ("linger.ms", "5"),
            ("producer.linger.ms", "7"),
            ("consumer.fetch.min.bytes", "9"),
            ("num.stream.threads", "2"),
        ]);
        let c = StreamsConfig::from_pairs(c).unwrap();
        let p = c.client_settings(&["producer."]);
        assert_eq!(p["linger.ms"], "7");
        assert!(!p.contains_key("fetch.min.bytes") && !p.contains_key("num.stream.threads"));
        assert_eq!(
            c.client_settings(&["consumer.", "main.consumer."])["fetch.min.bytes"],
            "9"
        );
    }
}
