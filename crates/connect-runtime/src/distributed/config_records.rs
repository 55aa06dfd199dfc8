//! The records of the config topic (`config.storage.topic`, reference §4.2), as Kafka's
//! `KafkaConfigBackingStore` writes and reads them: a string key naming the record's kind
//! and subject, and a schemaless JSON value (`None` is a tombstone).

use std::collections::BTreeMap;

use connect_api::{Result, Value};

use super::fields::{entry, malformed, Fields};
use crate::offsets::OffsetCodec;
use crate::target::TargetState;

/// One record of the config topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigRecord {
    /// `connector-<name>`: the connector's config; `None` (a tombstone) deletes it.
    Connector {
        /// The connector.
        name: String,
        /// Its config.
        config: Option<BTreeMap<String, String>>,
    },
    /// `task-<name>-<n>`: one task's config, applied when the connector's commit is read.
    Task {
        /// The connector.
        connector: String,
        /// The task number.
        task: u32,
        /// The task's config.
        config: BTreeMap<String, String>,
    },
    /// `commit-<name>`: the preceding task configs of the connector hold, `tasks` of them.
    Commit {
        /// The connector.
        connector: String,
        /// How many tasks.
        tasks: u32,
    },
    /// `target-state-<name>`: what the user asked the connector to be; `None` on delete.
    TargetState {
        /// The connector.
        connector: String,
        /// The state.
        state: Option<TargetState>,
    },
    /// `tasks-fencing-<name>`: the task count of an exactly-once source (KIP-618).
    TaskFencing {
        /// The connector.
        connector: String,
        /// How many tasks were fenced.
        task_count: u32,
    },
    /// `session-key`: the key requests between workers are signed with (KIP-507).
    SessionKey {
        /// The key, base64.
        key: String,
        /// The signature algorithm (`HmacSHA256`).
        algorithm: String,
        /// When the leader made it, epoch milliseconds.
        creation_timestamp: i64,
    },
    /// `restart-connector-<name>`: a restart request (KIP-745).
    Restart {
        /// The connector.
        connector: String,
        /// Restart its tasks too.
        include_tasks: bool,
        /// Only what failed.
        only_failed: bool,
    },
    /// `logger-cluster-<namespace>`: a cluster-wide log level (KIP-976).
    LoggerLevel {
        /// The logger namespace.
        namespace: String,
        /// The level (`DEBUG`, …).
        level: String,
    },
}

const CONNECTOR: &str = "connector-";
const TASK: &str = "task-";
const COMMIT: &str = "commit-";
const TARGET_STATE: &str = "target-state-";
const TASK_FENCING: &str = "tasks-fencing-";
const SESSION_KEY: &str = "session-key";
const RESTART: &str = "restart-connector-";
const LOGGER: &str = "logger-cluster-";

fn state_name(state: TargetState) -> &'static str {
    match state {
        TargetState::Started => "STARTED",
        TargetState::Paused => "PAUSED",
        TargetState::Stopped => "STOPPED",
    }
}

fn state_from_name(name: &str) -> Option<TargetState> {
    match name {
        "STARTED" => Some(TargetState::Started),
        "PAUSED" => Some(TargetState::Paused),
        "STOPPED" => Some(TargetState::Stopped),
        _ => None,
    }
}

fn count(f: &Fields<'_>, name: &str) -> Result<u32> {
    u32::try_from(f.int(name)?).map_err(|_| f.malformed(name))
}

fn properties(f: &Fields<'_>) -> Result<BTreeMap<String, String>> {
    let Some(Value::Map(entries)) = f.get("properties") else {
        return Err(f.malformed("properties"));
    };
    let mut config = BTreeMap::new();
    for (k, v) in entries {
        let Value::String(k) = k else {
            return Err(f.malformed("properties"));
        };
        // Java's map schema allows null values; a config has none to apply
        match v {
            Value::String(v) => {
                config.insert(k.clone(), v.clone());
            }
            Value::Null => {}
            _ => return Err(f.malformed("properties")),
        }
    }
    Ok(config)
}

fn properties_value(config: &BTreeMap<String, String>) -> Value {
    Value::Map(vec![(
        Value::String("properties".into()),
        Value::Map(
            config
                .iter()
                .map(|(k, v)| (Value::String(k.clone()), Value::String(v.clone())))
                .collect(),
        ),
    )])
}

impl ConfigRecord {
    /// Reads one record of the config topic. `Ok(None)` for a key of a kind this worker does
    /// not know (Kafka logs and skips those too); an `Err` for a known kind whose value does
    /// not parse, which the reader logs and skips.
    pub fn decode(
        codec: &OffsetCodec,
        key: &str,
        value: Option<&[u8]>,
    ) -> Result<Option<ConfigRecord>> {
        let parsed = value.map(|bytes| codec.decode(bytes)).transpose()?;
        let fields = parsed.as_ref().map(|value| Fields {
            topic: "Config",
            key,
            value,
        });
        let need = |what: &str| {
            fields
                .as_ref()
                .ok_or_else(|| malformed("Config", key, what))
        };
        if key == SESSION_KEY {
            let f = need("session key")?;
            return Ok(Some(ConfigRecord::SessionKey {
                key: f.text("key")?,
                algorithm: f.text("algorithm")?,
                creation_timestamp: f.int("creation-timestamp")?,
            }));
        }
        if let Some(name) = key.strip_prefix(CONNECTOR) {
            let config = match &fields {
                Some(f) => Some(properties(f)?),
                None => None,
            };
            return Ok(Some(ConfigRecord::Connector {
                name: name.to_string(),
                config,
            }));
        }
        if let Some(rest) = key.strip_prefix(TASK) {
            // the connector's name may hold dashes: the task number follows the last one
            let (connector, task) = rest
                .rsplit_once('-')
                .and_then(|(c, t)| Some((c, t.parse::<u32>().ok()?)))
                .ok_or_else(|| malformed("Config", key, "task id"))?;
            return Ok(Some(ConfigRecord::Task {
                connector: connector.to_string(),
                task,
                config: properties(need("task config")?)?,
            }));
        }
        if let Some(connector) = key.strip_prefix(COMMIT) {
            return Ok(Some(ConfigRecord::Commit {
                connector: connector.to_string(),
                tasks: count(need("task count")?, "tasks")?,
            }));
        }
        if let Some(connector) = key.strip_prefix(TARGET_STATE) {
            let state = match &fields {
                None => None,
                Some(f) => {
                    // state.v2 (STARTED, PAUSED or STOPPED) wins; state is what old workers read
                    let name = match f.get("state.v2") {
                        Some(Value::String(s)) => s.clone(),
                        _ => f.text("state")?,
                    };
                    Some(state_from_name(&name).ok_or_else(|| f.malformed("state"))?)
                }
            };
            return Ok(Some(ConfigRecord::TargetState {
                connector: connector.to_string(),
                state,
            }));
        }
        if let Some(connector) = key.strip_prefix(TASK_FENCING) {
            return Ok(Some(ConfigRecord::TaskFencing {
                connector: connector.to_string(),
                task_count: count(need("task count")?, "task-count")?,
            }));
        }
        if let Some(connector) = key.strip_prefix(RESTART) {
            let f = need("restart request")?;
            return Ok(Some(ConfigRecord::Restart {
                connector: connector.to_string(),
                include_tasks: f.flag("include-tasks")?,
                only_failed: f.flag("only-failed")?,
            }));
        }
        if let Some(namespace) = key.strip_prefix(LOGGER) {
            return Ok(Some(ConfigRecord::LoggerLevel {
                namespace: namespace.to_string(),
                level: need("level")?.text("level")?,
            }));
        }
        Ok(None)
    }

    /// The record's key and value bytes (`None`: a tombstone), as Kafka writes them: fields
    /// in the order of Kafka's schemas, compact JSON.
    pub fn encode(&self, codec: &OffsetCodec) -> Result<(String, Option<Vec<u8>>)> {
        let (key, value) = match self {
            ConfigRecord::Connector { name, config } => (
                format!("{CONNECTOR}{name}"),
                config.as_ref().map(properties_value),
            ),
            ConfigRecord::Task {
                connector,
                task,
                config,
            } => (
                format!("{TASK}{connector}-{task}"),
                Some(properties_value(config)),
            ),
            ConfigRecord::Commit { connector, tasks } => (
                format!("{COMMIT}{connector}"),
                Some(Value::Map(vec![entry(
                    "tasks",
                    Value::Int32(*tasks as i32),
                )])),
            ),
            ConfigRecord::TargetState { connector, state } => (
                format!("{TARGET_STATE}{connector}"),
                state.map(|s| {
                    // workers that know no STOPPED read `state`: they see it as PAUSED
                    let legacy = if s == TargetState::Stopped {
                        TargetState::Paused
                    } else {
                        s
                    };
                    Value::Map(vec![
                        entry("state", Value::String(state_name(legacy).into())),
                        entry("state.v2", Value::String(state_name(s).into())),
                    ])
                }),
            ),
            ConfigRecord::TaskFencing {
                connector,
                task_count,
            } => (
                format!("{TASK_FENCING}{connector}"),
                Some(Value::Map(vec![entry(
                    "task-count",
                    Value::Int32(*task_count as i32),
                )])),
            ),
            ConfigRecord::SessionKey {
                key,
                algorithm,
                creation_timestamp,
            } => (
                SESSION_KEY.to_string(),
                Some(Value::Map(vec![
                    entry("key", Value::String(key.clone())),
                    entry("algorithm", Value::String(algorithm.clone())),
                    entry("creation-timestamp", Value::Int64(*creation_timestamp)),
                ])),
            ),
            ConfigRecord::Restart {
                connector,
                include_tasks,
                only_failed,
            } => (
                format!("{RESTART}{connector}"),
                Some(Value::Map(vec![
                    entry("include-tasks", Value::Boolean(*include_tasks)),
                    entry("only-failed", Value::Boolean(*only_failed)),
                ])),
            ),
            ConfigRecord::LoggerLevel { namespace, level } => (
                format!("{LOGGER}{namespace}"),
                Some(Value::Map(vec![entry(
                    "level",
                    Value::String(level.clone()),
                )])),
            ),
        };
        let bytes = value.map(|v| codec.encode(&v)).transpose()?;
        Ok((key, bytes))
    }
}

#[cfg(test)]
#[path = "config_records_tests.rs"]
mod tests;
