//! Client configs as Kafka Connect builds them for a task, and their translation from Java
//! client keys to librdkafka's.
//!
//! Precedence, lowest first (Kafka's `Worker.baseProducerConfigs` / `baseConsumerConfigs`):
//! Connect's task defaults, the worker's `bootstrap.servers` (the only unprefixed key task
//! clients inherit), the worker's `producer.*` / `consumer.*` / `admin.*`, then the
//! connector's `producer.override.*` / `consumer.override.*` / `admin.override.*` as the
//! worker's `connector.client.config.override.policy` allows.

use std::collections::BTreeMap;

use connect_api::config::originals_with_prefix;
use rdkafka::ClientConfig;

use crate::error::KafkaConfigError;

/// A config map (Java client keys).
pub type Settings = BTreeMap<String, String>;

/// Worker key: which connector overrides are allowed.
pub const OVERRIDE_POLICY: &str = "connector.client.config.override.policy";

/// Java client keys librdkafka has no use for (serializers, JVM-side tuning and plugins):
/// dropped silently.
const JAVA_ONLY: &[&str] = &[
    "key.serializer",
    "value.serializer",
    "key.deserializer",
    "value.deserializer",
    "max.block.ms",
    "interceptor.classes",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.sample.window.ms",
    "metrics.recording.level",
    "auto.include.jmx.reporter",
    "partitioner.class",
    "partitioner.ignore.keys",
    "partitioner.adaptive.partitioning.enable",
    "partitioner.availability.timeout.ms",
    "max.poll.records",
    "default.api.timeout.ms",
    "exclude.internal.topics",
    "internal.leave.group.on.close",
    "metadata.max.idle.ms",
    "security.providers",
    "sasl.login.class",
    "sasl.client.callback.handler.class",
    "sasl.login.callback.handler.class",
    "ssl.keystore.type",
    "ssl.provider",
    "ssl.trustmanager.algorithm",
    "ssl.keymanager.algorithm",
    "ssl.secure.random.implementation",
    "ssl.engine.factory.class",
    "ssl.protocol",
    "ssl.enabled.protocols",
];

/// Java keys that librdkafka spells differently.
const RENAMED: &[(&str, &str)] = &[
    ("send.buffer.bytes", "socket.send.buffer.bytes"),
    ("receive.buffer.bytes", "socket.receive.buffer.bytes"),
];

/// Keys whose values never appear in logs or errors.
pub fn is_secret(key: &str) -> bool {
    key.contains("password")
        || key == "sasl.jaas.config"
        || key.ends_with(".key")
        || key.contains("secret")
}

/// What the override policy lets a connector change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverridePolicy {
    /// `None`: no overrides.
    None,
    /// `Principal`: only `security.protocol`, `sasl.jaas.config` and `sasl.mechanism`.
    Principal,
    /// `All` (the default).
    All,
}

impl OverridePolicy {
    /// The worker's policy (`connector.client.config.override.policy`, class or alias).
    pub fn from_worker(worker: &Settings) -> Result<Self, KafkaConfigError> {
        let raw = worker
            .get(OVERRIDE_POLICY)
            .map(|s| s.trim())
            .unwrap_or("All");
        let simple = raw.rsplit('.').next().unwrap_or(raw);
        let simple = simple
            .strip_suffix("ConnectorClientConfigOverridePolicy")
            .unwrap_or(simple);
        match simple {
            "None" => Ok(OverridePolicy::None),
            "Principal" => Ok(OverridePolicy::Principal),
            "All" => Ok(OverridePolicy::All),
            _ => Err(KafkaConfigError::invalid(
                OVERRIDE_POLICY,
                raw,
                "must be one of None, Principal, All (or their policy classes)",
            )),
        }
    }

    fn allows(self, key: &str) -> bool {
        match self {
            OverridePolicy::None => false,
            OverridePolicy::Principal => {
                matches!(
                    key,
                    "security.protocol" | "sasl.jaas.config" | "sasl.mechanism"
                )
            }
            OverridePolicy::All => true,
        }
    }
}

/// Consumer settings that make librdkafka fetch as a Java consumer does.
///
/// librdkafka prefetches up to 64 MB and pauses a partition's fetching for a second
/// (`fetch.queue.backoff.ms`) once its queue is full; a Java consumer holds one fetch response
/// and fetches again as soon as it is consumed. So: a small queue (1 MB of payload, about 4 MB
/// of memory with small records), refilled promptly. At 10 ms of backoff a sink was capped at
/// about 55 MB/s (1 MB per 18 ms); at 1 ms the 1 MB queue keeps up with kcat. With the default
/// second a stream thread that drains its queue faster than that sat idle half of the time.
pub const PROMPT_FETCH: [(&str, &str); 2] = [
    ("queued.max.messages.kbytes", "1024"),
    ("fetch.queue.backoff.ms", "1"),
];

/// The role a client plays for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientRole {
    /// A source task's producer.
    Producer,
    /// A sink task's consumer.
    Consumer,
    /// A task's admin client (topic creation).
    Admin,
    /// The dead letter queue producer of a sink task.
    DlqProducer,
}

impl ClientRole {
    fn worker_prefix(self) -> &'static str {
        match self {
            ClientRole::Producer | ClientRole::DlqProducer => "producer.",
            ClientRole::Consumer => "consumer.",
            ClientRole::Admin => "admin.",
        }
    }

    fn override_prefix(self) -> &'static str {
        match self {
            ClientRole::Producer | ClientRole::DlqProducer => "producer.override.",
            ClientRole::Consumer => "consumer.override.",
            ClientRole::Admin => "admin.override.",
        }
    }
}

/// The Java-keyed config of one task client of connector `connector` (task `task`).
pub fn task_client_settings(
    role: ClientRole,
    worker: &Settings,
    connector_config: &Settings,
    connector: &str,
    task: u32,
) -> Result<Settings, KafkaConfigError> {
    let mut out = Settings::new();
    let mut put = |k: &str, v: String| {
        out.insert(k.to_string(), v);
    };
    match role {
        ClientRole::Producer | ClientRole::DlqProducer => {
            put("acks", "all".into());
            put("max.in.flight.requests.per.connection", "1".into());
            put("enable.idempotence", "false".into());
            put("delivery.timeout.ms", i32::MAX.to_string());
            // Java's buffer.memory (32 MB) bounds what waits to be sent; librdkafka's default
            // is 1 GB. librdkafka counts payload bytes only: a small record also costs about
            // 200 B of bookkeeping, so the queue is bounded in records too (librdkafka's
            // default of 100,000 small records holds about 30 MB)
            put("queue.buffering.max.kbytes", "32768".into());
            put("queue.buffering.max.messages", "20000".into());
            // connect to the brokers as soon as metadata names them, as a Java producer does:
            // with librdkafka's sparse connections a partition leader's connection waits for
            // a timer, which delayed a task's first records by about 50 ms
            put("enable.sparse.connections", "false".into());
            // Java's default partitioner: murmur2 of the key bytes for keyed records (a
            // record lands on the partition a Java producer picks), sticky for null keys
            // (librdkafka's default hashes keys with CRC32)
            put("partitioner", "murmur2_random".into());
            let id = if role == ClientRole::Producer {
                format!("connector-producer-{connector}-{task}")
            } else {
                format!("connector-dlq-producer-{connector}-{task}")
            };
            put("client.id", id);
        }
        ClientRole::Consumer => {
            for (k, v) in PROMPT_FETCH {
                put(k, v.into());
            }
            put("group.id", format!("connect-{connector}"));
            put("enable.auto.commit", "false".into());
            put("auto.offset.reset", "earliest".into());
            put(
                "client.id",
                format!("connector-consumer-{connector}-{task}"),
            );
        }
        ClientRole::Admin => {
            put(
                "client.id",
                format!("connector-adminclient-{connector}-{task}"),
            );
        }
    }
    let bootstrap = worker
        .get("bootstrap.servers")
        .map(String::as_str)
        .unwrap_or("localhost:9092");
    put("bootstrap.servers", bootstrap.replace(' ', ""));
    out.extend(originals_with_prefix(worker, role.worker_prefix()));
    let policy = OverridePolicy::from_worker(worker)?;
    for (k, v) in originals_with_prefix(connector_config, role.override_prefix()) {
        if !policy.allows(&k) {
            let shown = if is_secret(&k) {
                "[hidden]"
            } else {
                v.as_str()
            };
            return Err(KafkaConfigError::invalid(
                &format!("{}{k}", role.override_prefix()),
                shown,
                "The override is not allowed by connector.client.config.override.policy",
            ));
        }
        out.insert(k, v);
    }
    Ok(out)
}

/// The username and password of a `sasl.jaas.config` for the PLAIN and SCRAM login modules.
fn jaas_credentials(jaas: &str) -> Option<(String, String)> {
    let value = |name: &str| -> Option<String> {
        let at = jaas.find(&format!("{name}="))? + name.len() + 1;
        let rest = &jaas[at..];
        let rest = rest.strip_prefix('"')?;
        let end = rest.find('"')?;
        Some(rest[..end].to_string())
    };
    Some((value("username")?, value("password")?))
}

/// The librdkafka config for Java-keyed `settings`: Java-only keys dropped, renamed keys
/// renamed, `sasl.jaas.config` (PLAIN/SCRAM) turned into `sasl.username`/`sasl.password`,
/// `partition.assignment.strategy` class names into librdkafka's names. Keys librdkafka does
/// not know are reported when the client is created ([`create_checked`]).
pub fn to_rdkafka(settings: &Settings) -> Result<ClientConfig, KafkaConfigError> {
    let mut config = ClientConfig::new();
    for (k, v) in settings {
        let key = k.as_str();
        if JAVA_ONLY.contains(&key) {
            continue;
        }
        if let Some((_, to)) = RENAMED.iter().find(|(from, _)| *from == key) {
            config.set(*to, v);
            continue;
        }
        match key {
            "sasl.jaas.config" => {
                let Some((user, password)) = jaas_credentials(v) else {
                    return Err(KafkaConfigError::invalid(
                        key,
                        "[hidden]",
                        "only the PLAIN and SCRAM login modules with username and password are \
supported",
                    ));
                };
                config.set("sasl.username", user);
                config.set("sasl.password", password);
            }
            "partition.assignment.strategy" => {
                let mut names = Vec::new();
                for class in v.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    let simple = class.rsplit('.').next().unwrap_or(class);
                    names.push(match simple {
                        "RangeAssignor" | "range" => "range",
                        "RoundRobinAssignor" | "roundrobin" => "roundrobin",
                        "CooperativeStickyAssignor" | "cooperative-sticky" => "cooperative-sticky",
                        _ => {
                            return Err(KafkaConfigError::invalid(
                                key,
                                v,
                                "supported assignors: RangeAssignor, RoundRobinAssignor, \
CooperativeStickyAssignor",
                            ))
                        }
                    });
                }
                config.set(key, names.join(","));
            }
            "ssl.truststore.location" => {
                let pem = settings
                    .get("ssl.truststore.type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("PEM"));
                if !pem {
                    return Err(KafkaConfigError::invalid(
                        key,
                        v,
                        "only PEM trust stores are supported (set ssl.truststore.type=PEM, or \
ssl.ca.location)",
                    ));
                }
                config.set("ssl.ca.location", v);
            }
            "ssl.truststore.type" | "ssl.truststore.password" => {}
            "buffer.memory" => {
                let bytes: u64 = v
                    .trim()
                    .parse()
                    .map_err(|_| KafkaConfigError::invalid(key, v, "must be a number of bytes"))?;
                config.set(
                    "queue.buffering.max.kbytes",
                    (bytes / 1024).max(1).to_string(),
                );
            }
            _ => {
                config.set(key, v);
            }
        }
    }
    Ok(config)
}

/// Creates a client from `config`, dropping (with a warning) the keys librdkafka does not
/// know instead of failing: Java configs carry many keys with no librdkafka equivalent.
pub fn create_checked<T, F>(config: &ClientConfig, mut create: F) -> Result<T, KafkaConfigError>
where
    F: FnMut(&ClientConfig) -> rdkafka::error::KafkaResult<T>,
{
    let mut config = config.clone();
    // each round removes one unknown key; a config has at most this many keys
    for _ in 0..=config.config_map().len() {
        match create(&config) {
            Ok(client) => return Ok(client),
            Err(rdkafka::error::KafkaError::ClientConfig(_, message, key, value)) => {
                if message.contains("No such configuration property") {
                    tracing::warn!(
                        "ignoring client config '{key}': librdkafka has no such property"
                    );
                    config.remove(&key);
                    continue;
                }
                let shown = if is_secret(&key) {
                    "[hidden]".to_string()
                } else {
                    value
                };
                return Err(KafkaConfigError::invalid(&key, &shown, &message));
            }
            Err(e) => return Err(KafkaConfigError::Client(e.to_string())),
        }
    }
    Err(KafkaConfigError::Client(
        "could not create the client".to_string(),
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Settings {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn producer_defaults_worker_settings_and_overrides() {
        let worker = map(&[
            ("bootstrap.servers", "a:9092, b:9092"),
            ("producer.linger.ms", "7"),
            ("producer.acks", "1"),
            ("security.protocol", "SSL"),
        ]);
        let conn = map(&[("producer.override.linger.ms", "9")]);
        let s = task_client_settings(ClientRole::Producer, &worker, &conn, "c", 2).unwrap();
        assert_eq!(s["bootstrap.servers"], "a:9092,b:9092");
        assert_eq!(s["acks"], "1");
        assert_eq!(s["linger.ms"], "9");
        assert_eq!(s["max.in.flight.requests.per.connection"], "1");
        assert_eq!(s["delivery.timeout.ms"], "2147483647");
        assert_eq!(s["client.id"], "connector-producer-c-2");
        assert_eq!(s["queue.buffering.max.messages"], "20000");
        assert_eq!(s["partitioner"], "murmur2_random");
        // top-level security settings are not inherited by task clients
        assert!(!s.contains_key("security.protocol"));
    }

    #[test]
    fn consumer_defaults() {
        let s = task_client_settings(
            ClientRole::Consumer,
            &map(&[]),
            &map(&[("consumer.override.auto.offset.reset", "latest")]),
            "sink",
            0,
        )
        .unwrap();
        assert_eq!(s["group.id"], "connect-sink");
        assert_eq!(s["enable.auto.commit"], "false");
        assert_eq!(s["auto.offset.reset"], "latest");
        assert_eq!(s["bootstrap.servers"], "localhost:9092");
    }

    #[test]
    fn override_policy_is_enforced() {
        let worker = map(&[(OVERRIDE_POLICY, "None")]);
        let conn = map(&[("producer.override.sasl.password", "s3cret")]);
        let err = task_client_settings(ClientRole::Producer, &worker, &conn, "c", 0)
            .unwrap_err()
            .to_string();
        assert!(err.contains("producer.override.sasl.password"), "{err}");
        assert!(!err.contains("s3cret"), "{err}");
        let worker = map(&[(
            OVERRIDE_POLICY,
            "org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy",
        )]);
        let ok = map(&[("producer.override.security.protocol", "SASL_SSL")]);
        assert!(task_client_settings(ClientRole::Producer, &worker, &ok, "c", 0).is_ok());
        let bad = map(&[("producer.override.linger.ms", "1")]);
        assert!(task_client_settings(ClientRole::Producer, &worker, &bad, "c", 0).is_err());
        let err = OverridePolicy::from_worker(&map(&[(OVERRIDE_POLICY, "Some")])).unwrap_err();
        assert!(err.to_string().contains("Some"));
    }

    #[test]
    fn java_keys_are_translated() {
        let s = map(&[
            ("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"),
            ("send.buffer.bytes", "1024"),
            (
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p w\";",
            ),
            (
                "partition.assignment.strategy",
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
            ),
            ("linger.ms", "5"),
        ]);
        let c = to_rdkafka(&s).unwrap();
        assert_eq!(c.get("key.serializer"), None);
        assert_eq!(c.get("socket.send.buffer.bytes"), Some("1024"));
        assert_eq!(c.get("sasl.username"), Some("u"));
        assert_eq!(c.get("sasl.password"), Some("p w"));
        assert_eq!(
            c.get("partition.assignment.strategy"),
            Some("cooperative-sticky")
        );
        assert_eq!(c.get("linger.ms"), Some("5"));
        let err = to_rdkafka(&map(&[("ssl.truststore.location", "/x.jks")]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("ssl.truststore.location") && err.contains("PEM"),
            "{err}"
        );
        let err = to_rdkafka(&map(&[(
            "sasl.jaas.config",
            "x.OAuthLoginModule required;",
        )]))
        .unwrap_err()
        .to_string();
        assert!(err.contains("[hidden]"), "{err}");
    }

    #[test]
    fn unknown_keys_are_dropped_and_bad_values_reported() {
        use rdkafka::producer::BaseProducer;
        let c = to_rdkafka(&map(&[
            ("bootstrap.servers", "127.0.0.1:1"),
            ("some.java.only.key", "1"),
        ]))
        .unwrap();
        let p: Result<BaseProducer, _> = create_checked(&c, |c| c.create());
        assert!(p.is_ok());
        let c = to_rdkafka(&map(&[("bootstrap.servers", "x"), ("linger.ms", "soon")])).unwrap();
        let err = create_checked(&c, |c| c.create::<BaseProducer>())
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("linger.ms") && err.contains("soon"), "{err}");
    }
}
