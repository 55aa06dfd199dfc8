//! A connector's offsets through the REST API (KIP-875), for standalone and distributed
//! workers alike: read them in any state; alter or reset them while the connector is
//! stopped. A source connector's offsets are in the worker's offset store; a sink
//! connector's are its consumer group's (`connect-<name>`).

use std::sync::Arc;
use std::time::Duration;

use connect_api::plugin::{ConfigMap, ConnectorKind};
use connect_api::Value;
use connect_transforms::routing::java_regex::JavaRegex;
use kafka::config::{task_client_settings, ClientRole};
use kafka::group_offsets::{delete_group, GroupOffset, GroupOffsets};

use super::{OffsetCodec, OffsetStore};
use crate::config::{SinkConfig, Topics, WorkerConfig};
use crate::herder_error::HerderError;
use crate::plugins::Plugins;

/// How long a sink's offset request waits for the broker.
const BROKER_TIMEOUT: Duration = Duration::from_secs(30);

const KAFKA_TOPIC: &str = "kafka_topic";
const KAFKA_PARTITION: &str = "kafka_partition";
const KAFKA_OFFSET: &str = "kafka_offset";

/// One partition and its offset (`None`: no offset, or reset it).
pub type OffsetEntry = (Value, Option<Value>);

fn string_map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::String((*k).to_string()), v.clone()))
            .collect(),
    )
}

fn field<'a>(map: &'a Value, name: &str) -> Option<&'a Value> {
    match map {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(k, Value::String(s) if s == name))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// Kafka's answer to an offsets change (`done`: `altered` or `reset`); `handled` when the
/// connector itself accepted the offsets.
fn outcome(handled: bool, done: &str) -> String {
    if handled {
        format!("The offsets for this connector have been {done} successfully")
    } else {
        format!(
            "The Connect framework-managed offsets for this connector have been {done} \
successfully. However, if this connector manages offsets externally, they will need to be \
manually {done} in the system that the connector uses."
        )
    }
}

fn internal(e: impl std::fmt::Display) -> HerderError {
    HerderError::Internal(e.to_string())
}

/// A sink offset entry as a group offset: Kafka's checks and messages.
fn sink_entry(
    partition: &Value,
    offset: Option<&Value>,
) -> Result<(String, i32, Option<i64>), HerderError> {
    let bad = |m: String| HerderError::BadRequest(m);
    if partition.is_null() {
        return Err(bad(
            "The partition for a sink connector offset cannot be null or missing".into(),
        ));
    }
    let (Some(topic), Some(number)) = (
        field(partition, KAFKA_TOPIC),
        field(partition, KAFKA_PARTITION),
    ) else {
        return Err(bad(format!(
            "The partition for a sink connector offset must contain the keys '{KAFKA_TOPIC}' and '{KAFKA_PARTITION}'"
        )));
    };
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let as_int = |v: &Value| match v {
        Value::Int8(n) => Some(i64::from(*n)),
        Value::Int16(n) => Some(i64::from(*n)),
        Value::Int32(n) => Some(i64::from(*n)),
        Value::Int64(n) => Some(*n),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    let topic = text(topic);
    let number = as_int(number)
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| bad(format!(
            "Failed to parse the following Kafka partition value in the provided offsets: '{}'. Partition values for sink connectors need to be integers.",
            text(number)
        )))?;
    let offset = match offset {
        None | Some(Value::Null) => None,
        Some(o) => {
            let Some(value) = field(o, KAFKA_OFFSET) else {
                return Err(bad(format!(
                    "The offset for a sink connector should either be null or contain the key '{KAFKA_OFFSET}'"
                )));
            };
            Some(as_int(value).ok_or_else(|| bad(format!(
                "Failed to parse the following Kafka offset value in the provided offsets: '{}'. Offset values for sink connectors need to be integers.",
                text(value)
            )))?)
        }
    };
    Ok((topic, number, offset))
}

/// One connector's offsets, with what reading and changing them needs.
pub struct ConnectorOffsets<'a> {
    /// The connector.
    pub name: &'a str,
    /// Its config, config provider references resolved (as its tasks see it).
    pub config: ConfigMap,
    /// `source` or `sink`.
    pub kind: &'static str,
    /// Whether it is stopped (target `STOPPED`, no tasks): offsets change only then.
    pub stopped: bool,
    /// The plugins (the connector may handle offset changes itself).
    pub plugins: &'a Plugins,
    /// The worker config (sink offsets are read with its client settings).
    pub worker: &'a WorkerConfig,
    /// Source offsets.
    pub offsets: &'a Arc<dyn OffsetStore>,
    /// How source partitions and offsets are keyed.
    pub codec: &'a OffsetCodec,
}

/// Writes source offsets on a blocking thread (a store may wait for a broker).
async fn put_all(
    store: &Arc<dyn OffsetStore>,
    writes: Vec<(Vec<u8>, Option<Vec<u8>>)>,
) -> connect_api::Result<()> {
    let store = Arc::clone(store);
    tokio::task::spawn_blocking(move || store.put_all(writes))
        .await
        .map_err(|e| connect_api::ConnectError::other(e.to_string()))?
}

impl ConnectorOffsets<'_> {
    fn group_offsets(&self) -> Result<GroupOffsets, HerderError> {
        let settings = task_client_settings(
            ClientRole::Consumer,
            &self.worker.client_base(),
            &self.config,
            self.name,
            0,
        )
        .map_err(internal)?;
        GroupOffsets::new(&settings, BROKER_TIMEOUT).map_err(internal)
    }

    /// `GET /connectors/{name}/offsets`: every partition with its offset.
    pub async fn get(&self) -> Result<Vec<(Value, Value)>, HerderError> {
        let name = self.name;
        if self.kind == "sink" {
            return self.sink_offsets().await;
        }
        let mut out = Vec::new();
        let mut entries = self.offsets.entries();
        entries.sort();
        for (key, value) in entries {
            let Ok(Value::Array(parts)) = self.codec.decode(&key) else {
                continue;
            };
            match parts.as_slice() {
                [Value::String(connector), partition] if connector == name => {
                    let offset = self.codec.decode(&value).map_err(internal)?;
                    out.push((partition.clone(), offset));
                }
                _ => {}
            }
        }
        Ok(out)
    }

    async fn sink_offsets(&self) -> Result<Vec<(Value, Value)>, HerderError> {
        let name = self.name;
        let topics = SinkConfig::parse(&self.config)
            .map_err(HerderError::from)?
            .topics;
        let group = self.group_offsets()?;
        let committed = tokio::task::spawn_blocking(move || {
            let regex = match &topics {
                Topics::Regex(r) => Some(JavaRegex::compile(r).map_err(ConnectErrorText)?),
                Topics::List(_) => None,
            };
            group
                .committed(|t| match (&topics, &regex) {
                    (Topics::List(list), _) => list.iter().any(|x| x == t),
                    (_, Some(r)) => r.matches(t),
                    _ => false,
                })
                .map_err(|e| ConnectErrorText(e.to_string()))
        })
        .await
        .map_err(internal)?
        .map_err(|e| {
            HerderError::Internal(format!(
                "Failed to retrieve consumer group offsets for sink connector {name}: {}",
                e.0
            ))
        })?;
        Ok(committed
            .into_iter()
            .map(|o| {
                (
                    string_map(&[
                        (KAFKA_TOPIC, Value::String(o.topic)),
                        (KAFKA_PARTITION, Value::Int32(o.partition)),
                    ]),
                    string_map(&[(KAFKA_OFFSET, Value::Int64(o.offset))]),
                )
            })
            .collect())
    }

    /// Kafka's 400 unless the connector is stopped (target `STOPPED`, no tasks).
    fn require_stopped(&self) -> Result<(), HerderError> {
        if !self.stopped {
            return Err(HerderError::BadRequest(format!(
                "Connectors must be in the STOPPED state before their offsets can be modified. \
This can be done for the specified connector by issuing a 'PUT' request to the \
'/connectors/{}/stop' endpoint",
                self.name
            )));
        }
        Ok(())
    }

    /// The connector's own verdict on new offsets (`true`: it handled them).
    fn connector_alters(&self, offsets: &[OffsetEntry]) -> Result<bool, HerderError> {
        let class = self
            .config
            .get("connector.class")
            .cloned()
            .unwrap_or_default();
        let plugin = self.plugins.resolve(&class).map_err(HerderError::from)?;
        let connector: ConnectorKind = (plugin.factory)();
        connector
            .connector()
            .alter_offsets(&self.config, offsets)
            .map_err(|e| HerderError::BadRequest(e.to_string()))
    }

    /// `PATCH /connectors/{name}/offsets`; the message to answer with.
    pub async fn alter(&self, offsets: Vec<OffsetEntry>) -> Result<String, HerderError> {
        let name = self.name;
        if offsets.is_empty() {
            return Err(HerderError::BadRequest(
                "Partitions / offsets need to be provided for an alter offsets request".into(),
            ));
        }
        self.require_stopped()?;
        let handled = if self.kind == "sink" {
            let mut parsed = Vec::with_capacity(offsets.len());
            for (partition, offset) in &offsets {
                parsed.push(sink_entry(partition, offset.as_ref())?);
            }
            let handled = self.connector_alters(&offsets)?;
            let group = self.group_offsets()?;
            tokio::task::spawn_blocking(move || {
                let mut commits = Vec::with_capacity(parsed.len());
                for (topic, partition, offset) in parsed {
                    // a reset partition starts over from its earliest record, where a group
                    // without an offset for it starts (auto.offset.reset=earliest)
                    let offset = match offset {
                        Some(o) => o,
                        None => group.earliest(&topic, partition)?,
                    };
                    commits.push(GroupOffset {
                        topic,
                        partition,
                        offset,
                    });
                }
                group.commit(&commits)
            })
            .await
            .map_err(internal)?
            .map_err(|e| {
                HerderError::Internal(format!(
                    "Failed to alter consumer group offsets for sink connector {name}: {e}"
                ))
            })?;
            handled
        } else {
            let mut writes = Vec::with_capacity(offsets.len());
            for (partition, offset) in &offsets {
                let key = self
                    .codec
                    .key(name, partition)
                    .map_err(|e| HerderError::BadRequest(e.to_string()))?;
                let value = match offset {
                    Some(o) => self
                        .codec
                        .value(o)
                        .map_err(|e| HerderError::BadRequest(e.to_string()))?,
                    None => None,
                };
                writes.push((key, value));
            }
            let handled = self.connector_alters(&offsets)?;
            put_all(self.offsets, writes).await.map_err(|e| {
                HerderError::Internal(format!(
                    "Failed to modify offsets for source connector {name}: {e}"
                ))
            })?;
            handled
        };
        tracing::info!("offsets of connector {name} altered");
        Ok(outcome(handled, "altered"))
    }

    /// `DELETE /connectors/{name}/offsets`; the message to answer with.
    pub async fn reset(&self) -> Result<String, HerderError> {
        let name = self.name;
        self.require_stopped()?;
        let current = self.get().await?;
        let resets: Vec<OffsetEntry> = current.into_iter().map(|(p, _)| (p, None)).collect();
        let handled = self.connector_alters(&resets)?;
        if self.kind == "sink" {
            let settings = task_client_settings(
                ClientRole::Admin,
                &self.worker.client_base(),
                &self.config,
                name,
                0,
            )
            .map_err(internal)?;
            // the group the tasks use (consumer.override.group.id may have renamed it)
            let group = task_client_settings(
                ClientRole::Consumer,
                &self.worker.client_base(),
                &self.config,
                name,
                0,
            )
            .map_err(internal)?
            .get("group.id")
            .cloned()
            .unwrap_or_else(|| format!("connect-{name}"));
            delete_group(&settings, &group).await.map_err(|e| {
                HerderError::Internal(format!(
                    "Failed to reset consumer group offsets for sink connector {name}: {e}"
                ))
            })?;
        } else {
            let mut writes = Vec::with_capacity(resets.len());
            for (partition, _) in &resets {
                writes.push((self.codec.key(name, partition).map_err(internal)?, None));
            }
            put_all(self.offsets, writes).await.map_err(|e| {
                HerderError::Internal(format!(
                    "Failed to reset offsets for source connector {name}: {e}"
                ))
            })?;
        }
        tracing::info!("offsets of connector {name} reset");
        Ok(outcome(handled, "reset"))
    }
}

/// An error's text, carried out of a blocking thread.
struct ConnectErrorText(String);

impl From<String> for ConnectErrorText {
    fn from(s: String) -> Self {
        ConnectErrorText(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn map(entries: &[(&str, Value)]) -> Value {
        string_map(entries)
    }

    #[test]
    fn sink_entries_are_checked_as_kafka_checks_them() {
        let p = map(&[
            (KAFKA_TOPIC, Value::String("t".into())),
            (KAFKA_PARTITION, Value::String("3".into())),
        ]);
        let o = map(&[(KAFKA_OFFSET, Value::Int64(42))]);
        assert_eq!(sink_entry(&p, Some(&o)).unwrap(), ("t".into(), 3, Some(42)));
        assert_eq!(sink_entry(&p, None).unwrap(), ("t".into(), 3, None));
        let cases = [
            (Value::Null, Some(o.clone()), "cannot be null or missing"),
            (
                map(&[(KAFKA_TOPIC, Value::String("t".into()))]),
                Some(o.clone()),
                "must contain the keys 'kafka_topic' and 'kafka_partition'",
            ),
            (
                map(&[
                    (KAFKA_TOPIC, Value::String("t".into())),
                    (KAFKA_PARTITION, Value::String("x".into())),
                ]),
                Some(o.clone()),
                "Kafka partition value in the provided offsets: 'x'",
            ),
            (
                p.clone(),
                Some(map(&[("offset", Value::Int64(1))])),
                "either be null or contain the key 'kafka_offset'",
            ),
            (
                p.clone(),
                Some(map(&[(KAFKA_OFFSET, Value::String("soon".into()))])),
                "Kafka offset value in the provided offsets: 'soon'",
            ),
        ];
        for (partition, offset, says) in cases {
            let e = sink_entry(&partition, offset.as_ref()).unwrap_err();
            assert_eq!(e.http_status(), 400);
            assert!(e.to_string().contains(says), "{e}");
        }
    }
}
