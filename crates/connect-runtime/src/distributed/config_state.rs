//! The cluster's configuration as read from the config topic (Kafka's `ClusterConfigState`
//! as `KafkaConfigBackingStore` builds it): connector configs, target states and the task
//! configs of each connector's last complete commit. Records are applied in topic order;
//! each says what changed, so the worker knows what to restart.

use std::collections::{BTreeMap, BTreeSet};

use super::config_records::ConfigRecord;
use crate::target::TargetState;

/// A connector's or task's config.
pub type Config = BTreeMap<String, String>;

/// What one applied record changed, for the worker to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    /// A connector was created or its config replaced.
    ConnectorConfig(String),
    /// A connector was deleted (with its tasks and target state).
    ConnectorRemoved(String),
    /// A connector's task configs were committed (its tasks restart with them).
    TaskConfigs(String),
    /// A connector's target state changed.
    TargetState(String),
    /// A restart was requested (KIP-745).
    Restart {
        /// The connector.
        connector: String,
        /// Its tasks too.
        include_tasks: bool,
        /// Only what failed.
        only_failed: bool,
    },
    /// A new session key (KIP-507).
    SessionKey,
    /// A cluster-wide log level (KIP-976).
    LoggerLevel {
        /// The logger namespace.
        namespace: String,
        /// The level.
        level: String,
    },
}

/// The session key requests between workers are signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey {
    /// The key, base64.
    pub key: String,
    /// The algorithm.
    pub algorithm: String,
    /// When it was made, epoch milliseconds.
    pub creation_timestamp: i64,
}

/// The configuration of the cluster at one offset of the config topic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigState {
    /// The next offset to read (the "config offset" workers compare when they rebalance).
    pub offset: i64,
    connectors: BTreeMap<String, Config>,
    target_states: BTreeMap<String, TargetState>,
    /// The committed task configs of each connector, task 0 first.
    tasks: BTreeMap<String, Vec<Config>>,
    /// Task configs read but not yet committed.
    staged: BTreeMap<String, BTreeMap<u32, Config>>,
    /// Connectors whose last commit named task configs that were not all read: their tasks
    /// are not run until a complete commit (Kafka's "inconsistent" connectors).
    inconsistent: BTreeSet<String>,
    fenced_task_counts: BTreeMap<String, u32>,
    session_key: Option<SessionKey>,
}

impl ConfigState {
    /// Applies the record read at `offset`; returns what changed (`None` for task configs
    /// that wait for their commit, and for records about unknown connectors that change
    /// nothing).
    pub fn apply(&mut self, record: ConfigRecord, offset: i64) -> Option<ConfigChange> {
        self.offset = offset + 1;
        match record {
            ConfigRecord::Connector { name, config: None } => {
                self.connectors.remove(&name);
                self.target_states.remove(&name);
                self.tasks.remove(&name);
                self.staged.remove(&name);
                self.inconsistent.remove(&name);
                self.fenced_task_counts.remove(&name);
                Some(ConfigChange::ConnectorRemoved(name))
            }
            ConfigRecord::Connector {
                name,
                config: Some(config),
            } => {
                // connectors written before target states existed start
                self.target_states
                    .entry(name.clone())
                    .or_insert(TargetState::Started);
                self.connectors.insert(name.clone(), config);
                Some(ConfigChange::ConnectorConfig(name))
            }
            ConfigRecord::Task {
                connector,
                task,
                config,
            } => {
                self.staged
                    .entry(connector)
                    .or_default()
                    .insert(task, config);
                None
            }
            ConfigRecord::Commit { connector, tasks } => {
                let staged = self.staged.remove(&connector).unwrap_or_default();
                let complete =
                    staged.len() == tasks as usize && staged.keys().copied().eq(0..tasks);
                if complete {
                    self.tasks
                        .insert(connector.clone(), staged.into_values().collect());
                    self.inconsistent.remove(&connector);
                } else {
                    tracing::warn!(
                        "the config topic commits {tasks} task(s) of connector {connector} but \
                         holds configs for tasks {:?}; its tasks wait for a complete commit",
                        staged.keys().collect::<Vec<_>>()
                    );
                    self.inconsistent.insert(connector.clone());
                }
                Some(ConfigChange::TaskConfigs(connector))
            }
            ConfigRecord::TargetState { connector, state } => {
                match state {
                    Some(state) => self.target_states.insert(connector.clone(), state),
                    None => self.target_states.remove(&connector),
                };
                Some(ConfigChange::TargetState(connector))
            }
            ConfigRecord::TaskFencing {
                connector,
                task_count,
            } => {
                self.fenced_task_counts.insert(connector, task_count);
                None
            }
            ConfigRecord::SessionKey {
                key,
                algorithm,
                creation_timestamp,
            } => {
                self.session_key = Some(SessionKey {
                    key,
                    algorithm,
                    creation_timestamp,
                });
                Some(ConfigChange::SessionKey)
            }
            ConfigRecord::Restart {
                connector,
                include_tasks,
                only_failed,
            } => Some(ConfigChange::Restart {
                connector,
                include_tasks,
                only_failed,
            }),
            ConfigRecord::LoggerLevel { namespace, level } => {
                Some(ConfigChange::LoggerLevel { namespace, level })
            }
        }
    }

    /// The connectors, by name.
    pub fn connectors(&self) -> impl Iterator<Item = &str> {
        self.connectors.keys().map(String::as_str)
    }

    /// Whether `connector` exists.
    pub fn contains(&self, connector: &str) -> bool {
        self.connectors.contains_key(connector)
    }

    /// A connector's config.
    pub fn connector_config(&self, connector: &str) -> Option<&Config> {
        self.connectors.get(connector)
    }

    /// A connector's target state (`Started` for a connector without one).
    pub fn target_state(&self, connector: &str) -> Option<TargetState> {
        self.connectors.contains_key(connector).then(|| {
            self.target_states
                .get(connector)
                .copied()
                .unwrap_or_default()
        })
    }

    /// The committed task configs of a connector (empty while inconsistent or before the
    /// first commit).
    pub fn task_configs(&self, connector: &str) -> &[Config] {
        if self.inconsistent.contains(connector) {
            return &[];
        }
        self.tasks.get(connector).map(Vec::as_slice).unwrap_or(&[])
    }

    /// How many tasks a connector runs (what the assignor hands out).
    pub fn task_count(&self, connector: &str) -> u32 {
        self.task_configs(connector).len() as u32
    }

    /// Whether the last commit of `connector` was incomplete.
    pub fn is_inconsistent(&self, connector: &str) -> bool {
        self.inconsistent.contains(connector)
    }

    /// The task count fenced for an exactly-once source connector.
    pub fn fenced_task_count(&self, connector: &str) -> Option<u32> {
        self.fenced_task_counts.get(connector).copied()
    }

    /// The latest session key.
    pub fn session_key(&self) -> Option<&SessionKey> {
        self.session_key.as_ref()
    }
}

#[cfg(test)]
#[path = "config_state_tests.rs"]
mod tests;
