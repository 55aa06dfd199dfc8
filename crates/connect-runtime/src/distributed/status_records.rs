//! The records of the status topic (`status.storage.topic`, reference §4.4), as Kafka's
//! `KafkaStatusBackingStore` writes and reads them, and its rule for which write wins.

use connect_api::{Result, Value};

use super::fields::{entry, Fields};
use crate::offsets::OffsetCodec;
use crate::status::State;

/// Whose status a record holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
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
        let f = Fields {
            topic: "Status",
            key,
            value: &v,
        };
        let value = match &parsed_key {
            StatusKey::Topic { .. } => {
                let t = f.nested(f.get("topic").ok_or_else(|| f.malformed("topic"))?);
                StatusValue::Topic(TopicStatus {
                    topic: t.text("name")?,
                    connector: t.text("connector")?,
                    task: u32::try_from(t.int("task")?).map_err(|_| t.malformed("task"))?,
                    discover_timestamp: t.int("discoverTimestamp")?,
                })
            }
            _ => StatusValue::Worker(WorkerStatus {
                state: state_from_name(&f.text("state")?).ok_or_else(|| f.malformed("state"))?,
                trace: match f.get("trace") {
                    Some(Value::String(s)) => Some(s.clone()),
                    _ => None,
                },
                worker_id: f.text("worker_id")?,
                generation: i32::try_from(f.int("generation")?)
                    .map_err(|_| f.malformed("generation"))?,
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
        let bytes = value.map(|v| codec.encode(&v)).transpose()?;
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
