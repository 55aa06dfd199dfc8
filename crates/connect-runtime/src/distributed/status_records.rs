//! The records of the status topic (`status.storage.topic`, reference §4.4), as Kafka's
//! `KafkaStatusBackingStore` writes and reads them, and its rule for which write wins.

use connect_api::{ConnectError, Result, Value};

use crate::offsets::OffsetCodec;
use crate::status::State;

/// Whose status a record holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusKey {
    /// `status-connector-<name>`.
    Connector(String),
    /// `status-task-<name>-<n>`.
    Task(String, u32),
    /// `status-topic-<topic>:connector-<name>`: a topic the connector used (KIP-558).
    Topic {
        /// The topic.
        topic: String,
        /// The connector.
        connector: String,
    },
}

/// The status of a connector or task as a worker reported it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerStatus {
    /// The state.
    pub state: State,
    /// The failure's stack trace, if it failed.
    pub trace: Option<String>,
    /// The reporting worker (`host:port`).
    pub worker_id: String,
    /// The group generation the worker was in when it wrote.
    pub generation: i32,
}

/// A topic a connector used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicStatus {
    /// The topic.
    pub topic: String,
    /// The connector.
    pub connector: String,
    /// The task that first used it.
    pub task: u32,
    /// When, epoch milliseconds.
    pub discover_timestamp: i64,
}

/// A status record's value (`None` in [`StatusRecord::value`]: a tombstone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusValue {
    /// A connector's or task's status.
    Worker(WorkerStatus),
    /// A topic's use.
    Topic(TopicStatus),
}

/// One record of the status topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    /// Whose status.
    pub key: StatusKey,
    /// The status; `None` deletes it.
    pub value: Option<StatusValue>,
}

const CONNECTOR: &str = "status-connector-";
const TASK: &str = "status-task-";
const TOPIC: &str = "status-topic-";
const TOPIC_CONNECTOR: &str = ":connector-";

fn state_from_name(name: &str) -> Option<State> {
    Some(match name {
        "UNASSIGNED" => State::Unassigned,
        "RUNNING" => State::Running,
        "PAUSED" => State::Paused,
        "FAILED" => State::Failed,
        "RESTARTING" => State::Restarting,
        "STOPPED" => State::Stopped,
        _ => return None,
    })
}

fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let Value::Map(entries) = value else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(k, Value::String(s) if s == name))
        .map(|(_, v)| v)
}

fn malformed(key: &str, what: &str) -> ConnectError {
    ConnectError::data(format!(
        "Status topic record '{key}' has no valid {what}; the record is skipped"
    ))
}

fn text(value: &Value, name: &str, key: &str) -> Result<String> {
    match field(value, name) {
        Some(Value::String(s)) => Ok(s.clone()),
        _ => Err(malformed(key, name)),
    }
}

fn int(value: &Value, name: &str, key: &str) -> Result<i64> {
    match field(value, name) {
        Some(Value::Int8(n)) => Ok(i64::from(*n)),
        Some(Value::Int16(n)) => Ok(i64::from(*n)),
        Some(Value::Int32(n)) => Ok(i64::from(*n)),
        Some(Value::Int64(n)) => Ok(*n),
        _ => Err(malformed(key, name)),
    }
}

fn entry(name: &str, value: Value) -> (Value, Value) {
    (Value::String(name.into()), value)
}

impl StatusKey {
    /// Parses a status topic key; `None` for a key of a kind this worker does not know.
    pub fn parse(key: &str) -> Option<StatusKey> {
        if let Some(name) = key.strip_prefix(CONNECTOR) {
            return Some(StatusKey::Connector(name.to_string()));
        }
        if let Some(rest) = key.strip_prefix(TASK) {
            let (connector, task) = rest.rsplit_once('-')?;
            return Some(StatusKey::Task(connector.to_string(), task.parse().ok()?));
        }
        if let Some(rest) = key.strip_prefix(TOPIC) {
            let (topic, connector) = rest.split_once(TOPIC_CONNECTOR)?;
            return Some(StatusKey::Topic {
                topic: topic.to_string(),
                connector: connector.to_string(),
            });
        }
        None
    }

    /// The key as Kafka writes it.
    pub fn to_key(&self) -> String {
        match self {
            StatusKey::Connector(name) => format!("{CONNECTOR}{name}"),
            StatusKey::Task(name, task) => format!("{TASK}{name}-{task}"),
            StatusKey::Topic { topic, connector } => {
                format!("{TOPIC}{topic}{TOPIC_CONNECTOR}{connector}")
            }
        }
    }
}

impl StatusRecord {
    /// Reads one record of the status topic. `Ok(None)` for a key of a kind this worker does
    /// not know; an `Err` for a value that does not parse (the reader logs and skips it).
    pub fn decode(
        codec: &OffsetCodec,
        key: &str,
        value: Option<&[u8]>,
    ) -> Result<Option<StatusRecord>> {
        let Some(parsed_key) = StatusKey::parse(key) else {
            return Ok(None);
        };
        let Some(bytes) = value else {
            return Ok(Some(StatusRecord {
                key: parsed_key,
                value: None,
            }));
        };
        let v = codec.decode(bytes)?;
        let value = match &parsed_key {
            StatusKey::Topic { .. } => {
                let t = field(&v, "topic").ok_or_else(|| malformed(key, "topic"))?;
                StatusValue::Topic(TopicStatus {
                    topic: text(t, "name", key)?,
                    connector: text(t, "connector", key)?,
                    task: u32::try_from(int(t, "task", key)?)
                        .map_err(|_| malformed(key, "task"))?,
                    discover_timestamp: int(t, "discoverTimestamp", key)?,
                })
            }
            _ => StatusValue::Worker(WorkerStatus {
                state: state_from_name(&text(&v, "state", key)?)
                    .ok_or_else(|| malformed(key, "state"))?,
                trace: match field(&v, "trace") {
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => None,
                },
                worker_id: text(&v, "worker_id", key)?,
                generation: i32::try_from(int(&v, "generation", key)?)
                    .map_err(|_| malformed(key, "generation"))?,
            }),
        };
        Ok(Some(StatusRecord {
            key: parsed_key,
            value: Some(value),
        }))
    }

    /// The record's key and value bytes (`None`: a tombstone), fields in the order of Kafka's
    /// schemas, compact JSON.
    pub fn encode(&self, codec: &OffsetCodec) -> Result<(String, Option<Vec<u8>>)> {
        let value = match &self.value {
            None => None,
            Some(StatusValue::Worker(s)) => Some(Value::Map(vec![
                entry("state", Value::String(s.state.name().into())),
                entry("trace", s.trace.clone().map_or(Value::Null, Value::String)),
                entry("worker_id", Value::String(s.worker_id.clone())),
                entry("generation", Value::Int32(s.generation)),
            ])),
            Some(StatusValue::Topic(t)) => Some(Value::Map(vec![entry(
                "topic",
                Value::Map(vec![
                    entry("name", Value::String(t.topic.clone())),
                    entry("connector", Value::String(t.connector.clone())),
                    entry("task", Value::Int32(t.task as i32)),
                    entry("discoverTimestamp", Value::Int64(t.discover_timestamp)),
                ]),
            )])),
        };
        let bytes = match value {
            Some(v) => Some(codec.encode(&v)?),
            None => None,
        };
        Ok((self.key.to_key(), bytes))
    }
}

/// Kafka's `putSafe` rule: a status write replaces the stored one only when there is none,
/// when the same worker wrote it, or when the writer is in a later generation; a stale
/// worker's write never overwrites a newer owner's.
pub fn write_wins(stored: Option<&WorkerStatus>, incoming: &WorkerStatus) -> bool {
    match stored {
        None => true,
        Some(s) => s.worker_id == incoming.worker_id || incoming.generation > s.generation,
    }
}

#[cfg(test)]
#[path = "status_records_tests.rs"]
mod tests;
