//! Which producer configs the native producer serves, and their values. A config it does not
//! serve (TLS or SASL, compression, idempotence, `acks=0`, a partitioner class of one's own,
//! librdkafka's own keys) leaves the producer to librdkafka.

use std::time::Duration;

use super::partitioner::Strategy;
use crate::config::Settings;
use crate::error::KafkaConfigError;

/// Keys that change nothing here (JVM-side, socket tuning, or Kafka Connect's fixed values
/// whose effect this producer always has).
const IGNORED: &[&str] = &[
    "key.serializer",
    "value.serializer",
    "max.block.ms",
    "interceptor.classes",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.sample.window.ms",
    "metrics.recording.level",
    "auto.include.jmx.reporter",
    "partitioner.adaptive.partitioning.enable",
    "partitioner.availability.timeout.ms",
    "metadata.max.idle.ms",
    "send.buffer.bytes",
    "receive.buffer.bytes",
    "connections.max.idle.ms",
    "reconnect.backoff.ms",
    "reconnect.backoff.max.ms",
    "socket.connection.setup.timeout.ms",
    "socket.connection.setup.timeout.max.ms",
    "client.dns.lookup",
    // one request in flight per broker, whatever the value (Connect's default is 1)
    "max.in.flight.requests.per.connection",
    // librdkafka settings Ferry adds for its librdkafka producer
    "enable.sparse.connections",
];

/// The native producer's settings.
#[derive(Debug, Clone)]
pub struct NativeSettings {
    /// `bootstrap.servers`.
    pub bootstrap: Vec<String>,
    /// `client.id`.
    pub client_id: String,
    /// `acks`: -1 (all) or 1.
    pub acks: i16,
    /// `batch.size`.
    pub batch_size: usize,
    /// `linger.ms`.
    pub linger: Duration,
    /// `max.request.size`.
    pub max_request_size: usize,
    /// `request.timeout.ms`.
    pub request_timeout: Duration,
    /// `retry.backoff.ms`.
    pub retry_backoff: Duration,
    /// `retry.backoff.max.ms`.
    pub retry_backoff_max: Duration,
    /// `retries`.
    pub retries: u32,
    /// `delivery.timeout.ms`.
    pub delivery_timeout: Duration,
    /// `buffer.memory` (or librdkafka's `queue.buffering.max.kbytes`): what open and waiting
    /// batches may allocate.
    pub buffer_memory: usize,
    /// Records waiting at most (librdkafka's `queue.buffering.max.messages`, which Ferry sets
    /// to bound memory; unbounded otherwise).
    pub max_records: usize,
    /// `metadata.max.age.ms`.
    pub metadata_max_age: Duration,
    /// `partitioner.class` and `partitioner.ignore.keys`.
    pub partitioner: Strategy,
}

fn number<T: std::str::FromStr>(
    settings: &Settings,
    key: &str,
    default: T,
) -> Result<T, KafkaConfigError> {
    match settings.get(key) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| KafkaConfigError::invalid(key, v, "must be a non-negative number")),
    }
}

fn millis(settings: &Settings, key: &str, default: u64) -> Result<Duration, KafkaConfigError> {
    number(settings, key, default).map(Duration::from_millis)
}

impl NativeSettings {
    /// The settings when the native producer serves `settings`, `None` when librdkafka must;
    /// an `Err` names a key whose value is not valid.
    pub fn from_settings(settings: &Settings) -> Result<Option<NativeSettings>, KafkaConfigError> {
        for (key, value) in settings {
            let served = IGNORED.contains(&key.as_str())
                || match key.as_str() {
                    "bootstrap.servers"
                    | "client.id"
                    | "batch.size"
                    | "linger.ms"
                    | "max.request.size"
                    | "request.timeout.ms"
                    | "retry.backoff.ms"
                    | "retry.backoff.max.ms"
                    | "retries"
                    | "delivery.timeout.ms"
                    | "buffer.memory"
                    | "metadata.max.age.ms"
                    | "partitioner.class"
                    | "partitioner.ignore.keys"
                    | "queue.buffering.max.kbytes"
                    | "queue.buffering.max.messages" => true,
                    "acks" => matches!(value.trim(), "all" | "-1" | "1"),
                    "enable.idempotence" => value.trim().eq_ignore_ascii_case("false"),
                    "compression.type" => value.trim().eq_ignore_ascii_case("none"),
                    "security.protocol" => value.trim().eq_ignore_ascii_case("PLAINTEXT"),
                    // the partitioner Ferry sets for librdkafka: Java's, as here
                    "partitioner" => value.trim() == "murmur2_random",
                    _ => false,
                };
            if !served {
                return Ok(None);
            }
        }
        let ignore_keys = match settings.get("partitioner.ignore.keys").map(|v| v.trim()) {
            None => false,
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            Some(v) => {
                return Err(KafkaConfigError::invalid(
                    "partitioner.ignore.keys",
                    v,
                    "must be true or false",
                ))
            }
        };
        let Some(partitioner) = Strategy::from_class(
            settings.get("partitioner.class").map(String::as_str),
            ignore_keys,
        ) else {
            return Ok(None);
        };
        let bootstrap: Vec<String> = settings
            .get("bootstrap.servers")
            .map(|s| {
                s.split(',')
                    .map(|a| a.trim().trim_start_matches("PLAINTEXT://").to_string())
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if bootstrap.is_empty() {
            return Err(KafkaConfigError::invalid(
                "bootstrap.servers",
                settings.get("bootstrap.servers").map_or("", String::as_str),
                "must name at least one broker (host:port)",
            ));
        }
        let buffer_memory = match settings.get("buffer.memory") {
            Some(_) => number(settings, "buffer.memory", 0usize)?,
            None => number(settings, "queue.buffering.max.kbytes", 32 * 1024usize)? * 1024,
        };
        let acks = match settings.get("acks").map(|v| v.trim()) {
            Some("1") => 1,
            _ => -1,
        };
        Ok(Some(NativeSettings {
            bootstrap,
            client_id: settings
                .get("client.id")
                .cloned()
                .unwrap_or_else(|| "ferry-producer".to_string()),
            acks,
            batch_size: number(settings, "batch.size", 16_384usize)?,
            linger: millis(settings, "linger.ms", 5)?,
            max_request_size: number(settings, "max.request.size", 1_048_576usize)?,
            request_timeout: millis(settings, "request.timeout.ms", 30_000)?,
            retry_backoff: millis(settings, "retry.backoff.ms", 100)?,
            retry_backoff_max: millis(settings, "retry.backoff.max.ms", 1_000)?,
            retries: number(settings, "retries", i32::MAX as u32)?,
            delivery_timeout: millis(settings, "delivery.timeout.ms", 120_000)?,
            buffer_memory: buffer_memory.max(1),
            max_records: number(settings, "queue.buffering.max.messages", usize::MAX)?.max(1),
            metadata_max_age: millis(settings, "metadata.max.age.ms", 300_000)?,
            partitioner,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{task_client_settings, ClientRole};

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn connects_task_producer_defaults_are_served() {
        let worker = settings(&[("bootstrap.servers", "a:9092, b:9092")]);
        let s = task_client_settings(ClientRole::Producer, &worker, &Settings::new(), "c", 0)
            .expect("settings");
        let n = NativeSettings::from_settings(&s)
            .expect("valid")
            .expect("served natively");
        assert_eq!(n.bootstrap, ["a:9092", "b:9092"]);
        assert_eq!(n.acks, -1);
        assert_eq!(n.client_id, "connector-producer-c-0");
        assert_eq!(n.buffer_memory, 32 * 1024 * 1024);
        assert_eq!(n.max_records, 20_000);
        assert_eq!(n.partitioner, Strategy::BuiltIn { ignore_keys: false });
    }

    #[test]
    fn what_it_does_not_serve_goes_to_librdkafka() {
        for (k, v) in [
            ("security.protocol", "SASL_SSL"),
            ("compression.type", "lz4"),
            ("acks", "0"),
            ("enable.idempotence", "true"),
            ("partitioner.class", "com.example.MyPartitioner"),
            ("sticky.partitioning.linger.ms", "0"),
        ] {
            let s = settings(&[("bootstrap.servers", "a:1"), (k, v)]);
            assert!(
                NativeSettings::from_settings(&s).expect("valid").is_none(),
                "{k}={v}"
            );
        }
    }

    #[test]
    fn a_bad_value_names_its_key() {
        let s = settings(&[("bootstrap.servers", "a:1"), ("batch.size", "big")]);
        let e = NativeSettings::from_settings(&s).expect_err("invalid");
        let text = e.to_string();
        assert!(
            text.contains("batch.size") && text.contains("big"),
            "{text}"
        );
        let s = settings(&[("bootstrap.servers", " , ")]);
        let e = NativeSettings::from_settings(&s).expect_err("invalid");
        assert!(e.to_string().contains("bootstrap.servers"), "{e}");
    }
}
