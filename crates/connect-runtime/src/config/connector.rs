//! Connector configs: the keys every connector has (Kafka's `ConnectorConfig`), and those of
//! sinks (`SinkConnectorConfig`) and sources (`SourceConnectorConfig`, KIP-158
//! `TopicCreationConfig`).

use std::collections::BTreeMap;
use std::time::Duration;

use connect_api::config::{originals_with_prefix, ParsedConfig};
use connect_api::error::{ConfigError, ConfigIssue};
use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Result};
use connect_transforms::routing::java_regex::JavaRegex;

/// Connector keys.
pub mod keys {
    /// `name`.
    pub const NAME: &str = "name";
    /// `connector.class`.
    pub const CONNECTOR_CLASS: &str = "connector.class";
    /// `tasks.max`.
    pub const TASKS_MAX: &str = "tasks.max";
    /// `tasks.max.enforce`.
    pub const TASKS_MAX_ENFORCE: &str = "tasks.max.enforce";
    /// `errors.retry.timeout`.
    pub const ERRORS_RETRY_TIMEOUT: &str = "errors.retry.timeout";
    /// `errors.retry.delay.max.ms`.
    pub const ERRORS_RETRY_DELAY_MAX_MS: &str = "errors.retry.delay.max.ms";
    /// `errors.tolerance`.
    pub const ERRORS_TOLERANCE: &str = "errors.tolerance";
    /// `errors.log.enable`.
    pub const ERRORS_LOG_ENABLE: &str = "errors.log.enable";
    /// `errors.log.include.messages`.
    pub const ERRORS_LOG_INCLUDE_MESSAGES: &str = "errors.log.include.messages";
    /// `topics` (sinks).
    pub const TOPICS: &str = "topics";
    /// `topics.regex` (sinks).
    pub const TOPICS_REGEX: &str = "topics.regex";
    /// `errors.deadletterqueue.topic.name` (sinks; for sources a Ferry extension).
    pub const DLQ_TOPIC: &str = "errors.deadletterqueue.topic.name";
    /// `errors.deadletterqueue.topic.replication.factor` (sinks).
    pub const DLQ_REPLICATION_FACTOR: &str = "errors.deadletterqueue.topic.replication.factor";
    /// `errors.deadletterqueue.context.headers.enable` (sinks).
    pub const DLQ_CONTEXT_HEADERS: &str = "errors.deadletterqueue.context.headers.enable";
    /// `topic.creation.groups` (sources).
    pub const TOPIC_CREATION_GROUPS: &str = "topic.creation.groups";
}

use keys::*;

pub use super::defs::{common_def, sink_def, source_def};

/// `errors.tolerance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tolerance {
    /// `none`: the first failed record fails the task.
    None,
    /// `all`: failed records are skipped (logged, dead-lettered).
    All,
}

/// The error handling keys (`errors.*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorsConfig {
    /// `errors.retry.timeout`: how long retriable failures are retried (`None`: forever).
    pub retry_timeout: Option<Duration>,
    /// `errors.retry.delay.max.ms`.
    pub retry_delay_max: Duration,
    /// `errors.tolerance`.
    pub tolerance: Tolerance,
    /// `errors.log.enable`.
    pub log_enable: bool,
    /// `errors.log.include.messages`.
    pub log_include_messages: bool,
}

/// The parsed common keys.
#[derive(Debug, Clone)]
pub struct ConnectorConfig {
    /// `name`.
    pub name: String,
    /// `connector.class`, as given.
    pub class: String,
    /// `tasks.max`.
    pub tasks_max: usize,
    /// `tasks.max.enforce`.
    pub tasks_max_enforce: bool,
    /// `errors.*`.
    pub errors: ErrorsConfig,
    /// The whole config as given.
    pub originals: ConfigMap,
}

impl ConnectorConfig {
    fn from_parsed(p: &ParsedConfig, originals: &ConfigMap) -> Result<Self> {
        let retry = p.get_long(ERRORS_RETRY_TIMEOUT)?;
        Ok(ConnectorConfig {
            name: p.get_string(NAME)?.to_string(),
            class: p.get_string(CONNECTOR_CLASS)?.to_string(),
            tasks_max: p.get_int(TASKS_MAX)?.max(1) as usize,
            tasks_max_enforce: p.get_bool(TASKS_MAX_ENFORCE)?,
            errors: ErrorsConfig {
                retry_timeout: (retry >= 0).then(|| Duration::from_millis(retry as u64)),
                retry_delay_max: Duration::from_millis(
                    p.get_long(ERRORS_RETRY_DELAY_MAX_MS)?.max(0) as u64,
                ),
                tolerance: if p.get_string(ERRORS_TOLERANCE)? == "all" {
                    Tolerance::All
                } else {
                    Tolerance::None
                },
                log_enable: p.get_bool(ERRORS_LOG_ENABLE)?,
                log_include_messages: p.get_bool(ERRORS_LOG_INCLUDE_MESSAGES)?,
            },
            originals: originals.clone(),
        })
    }

    /// Parses only the common keys (before the connector's type is known).
    pub fn parse(originals: &ConfigMap) -> Result<Self> {
        let parsed = common_def().parse(originals)?;
        Self::from_parsed(&parsed, originals)
    }
}

/// What a sink consumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topics {
    /// `topics`.
    List(Vec<String>),
    /// `topics.regex`.
    Regex(String),
}

/// A parsed sink connector config.
#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// The common keys.
    pub common: ConnectorConfig,
    /// `topics` or `topics.regex`.
    pub topics: Topics,
    /// The dead letter queue (`errors.deadletterqueue.*`), when a topic is named.
    pub dlq: Option<DlqConfig>,
}

/// `errors.deadletterqueue.*`: where records that failed and were tolerated go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DlqConfig {
    /// `errors.deadletterqueue.topic.name`.
    pub topic: String,
    /// `errors.deadletterqueue.topic.replication.factor`.
    pub replication_factor: i16,
    /// `errors.deadletterqueue.context.headers.enable`.
    pub context_headers: bool,
}

impl DlqConfig {
    /// The dead letter queue config of a parsed connector config (its DLQ keys defined by
    /// [`dlq_keys`]); `None` when no topic is named.
    fn from_parsed(p: &ParsedConfig) -> Result<Option<Self>> {
        let topic = p.get_string(DLQ_TOPIC)?.trim().to_string();
        if topic.is_empty() {
            return Ok(None);
        }
        Ok(Some(DlqConfig {
            topic,
            replication_factor: p.get_short(DLQ_REPLICATION_FACTOR)?,
            context_headers: p.get_bool(DLQ_CONTEXT_HEADERS)?,
        }))
    }
}

/// The `errors.deadletterqueue.*` keys, as Kafka defines them for sinks.
impl SinkConfig {
    /// Parses a sink connector config, every problem at once, with Kafka's messages (the
    /// `topics`/`topics.regex` rules are checked even when other keys are invalid).
    pub fn parse(originals: &ConfigMap) -> Result<Self> {
        let parsed = sink_def().parse(originals);
        let raw = |k: &str| {
            originals
                .get(k)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let list: Vec<String> = raw(TOPICS)
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        let regex = raw(TOPICS_REGEX);
        let dlq = raw(DLQ_TOPIC);
        let mut issues = match &parsed {
            Ok(_) => Vec::new(),
            Err(ConnectError::Config(e)) => e.issues().cloned().collect(),
            Err(_) => Vec::new(),
        };
        let topics = match (list.is_empty(), regex.is_empty()) {
            (false, false) => {
                issues.push(ConfigIssue::invalid_key(
                    TOPICS,
                    "topics and topics.regex are mutually exclusive options, but both are set.",
                ));
                Topics::List(list.clone())
            }
            (true, true) => {
                issues.push(ConfigIssue::invalid_key(
                    TOPICS,
                    "Must configure one of topics or topics.regex",
                ));
                Topics::List(Vec::new())
            }
            (false, true) => Topics::List(list.clone()),
            (true, false) => {
                if let Err(e) = JavaRegex::compile(&regex) {
                    issues.push(ConfigIssue::invalid_value(TOPICS_REGEX, regex.clone(), e));
                }
                Topics::Regex(regex)
            }
        };
        if let (false, Topics::List(list)) = (dlq.is_empty(), &topics) {
            if list.contains(&dlq) {
                issues.push(ConfigIssue::invalid_value(
                    DLQ_TOPIC,
                    dlq.clone(),
                    format!(
                        "The DLQ topic '{dlq}' may not be included in the list of topics \
('{TOPICS}={}') consumed by the connector",
                        list.join(",")
                    ),
                ));
            }
        }
        if let Some(e) = ConfigError::from_issues(issues) {
            return Err(ConnectError::Config(e));
        }
        let p = parsed?;
        Ok(SinkConfig {
            common: ConnectorConfig::from_parsed(&p, originals)?,
            topics,
            dlq: DlqConfig::from_parsed(&p)?,
        })
    }
}

/// One `topic.creation` group.
#[derive(Debug, Clone)]
pub struct TopicCreationGroup {
    /// The alias (`default` for the implicit group).
    pub name: String,
    include: Vec<JavaRegex>,
    exclude: Vec<JavaRegex>,
    /// Partitions (-1: broker default).
    pub partitions: i32,
    /// Replication factor (-1: broker default).
    pub replication_factor: i32,
    /// Other topic configs of the group.
    pub configs: BTreeMap<String, String>,
}

impl TopicCreationGroup {
    /// Whether `topic` belongs to the group (exclude wins over include; `default` takes all).
    pub fn matches(&self, topic: &str) -> bool {
        if self.exclude.iter().any(|r| r.matches(topic)) {
            return false;
        }
        self.name == "default" || self.include.iter().any(|r| r.matches(topic))
    }
}

/// A parsed source connector config.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// The common keys.
    pub common: ConnectorConfig,
    /// KIP-158 groups in matching order, `default` last; empty when topic creation is off
    /// for this connector (no `topic.creation.default.*`).
    pub topic_creation: Vec<TopicCreationGroup>,
    /// The dead letter queue (`errors.deadletterqueue.*`, a Ferry extension for sources).
    pub dlq: Option<DlqConfig>,
}

fn int_key(
    sub: &BTreeMap<String, String>,
    prefix: &str,
    key: &str,
    fallback: Option<i32>,
    issues: &mut Vec<ConfigIssue>,
) -> Option<i32> {
    match sub.get(key) {
        None => {
            if fallback.is_none() {
                issues.push(ConfigIssue::missing(format!("{prefix}{key}")));
            }
            fallback
        }
        Some(raw) => match raw.trim().parse::<i32>() {
            Ok(v) if v == -1 || v >= 1 => Some(v),
            _ => {
                issues.push(ConfigIssue::invalid_value(
                    format!("{prefix}{key}"),
                    raw.clone(),
                    "Number of partitions and replication factor must be -1 (broker default) or \
at least 1",
                ));
                None
            }
        },
    }
}

fn regexes(
    sub: &BTreeMap<String, String>,
    prefix: &str,
    key: &str,
    issues: &mut Vec<ConfigIssue>,
) -> Vec<JavaRegex> {
    let Some(raw) = sub.get(key) else {
        return Vec::new();
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|pattern| match JavaRegex::compile(pattern) {
            Ok(r) => Some(r),
            Err(e) => {
                issues.push(ConfigIssue::invalid_value(
                    format!("{prefix}{key}"),
                    raw.clone(),
                    e,
                ));
                None
            }
        })
        .collect()
}

impl SourceConfig {
    /// Parses a source connector config; `topic_creation_enable` is the worker's
    /// `topic.creation.enable`.
    pub fn parse(originals: &ConfigMap, topic_creation_enable: bool) -> Result<Self> {
        let p = source_def().parse(originals)?;
        let common = ConnectorConfig::from_parsed(&p, originals)?;
        let mut issues = Vec::new();
        let default_prefix = "topic.creation.default.";
        let default_sub = originals_with_prefix(originals, default_prefix);
        let enabled = topic_creation_enable
            && (default_sub.contains_key("replication.factor")
                || default_sub.contains_key("partitions"));
        let mut topic_creation = Vec::new();
        if enabled {
            let partitions = int_key(
                &default_sub,
                default_prefix,
                "partitions",
                None,
                &mut issues,
            );
            let replication = int_key(
                &default_sub,
                default_prefix,
                "replication.factor",
                None,
                &mut issues,
            );
            let groups: Vec<String> = p.get_list(TOPIC_CREATION_GROUPS)?.to_vec();
            for g in groups.iter().filter(|g| g.as_str() != "default") {
                let prefix = format!("topic.creation.{g}.");
                let sub = originals_with_prefix(originals, &prefix);
                let group = TopicCreationGroup {
                    name: g.clone(),
                    include: regexes(&sub, &prefix, "include", &mut issues),
                    exclude: regexes(&sub, &prefix, "exclude", &mut issues),
                    partitions: int_key(
                        &sub,
                        &prefix,
                        "partitions",
                        partitions.or(Some(-1)),
                        &mut issues,
                    )
                    .unwrap_or(-1),
                    replication_factor: int_key(
                        &sub,
                        &prefix,
                        "replication.factor",
                        replication.or(Some(-1)),
                        &mut issues,
                    )
                    .unwrap_or(-1),
                    configs: topic_configs(&sub),
                };
                topic_creation.push(group);
            }
            topic_creation.push(TopicCreationGroup {
                name: "default".to_string(),
                include: Vec::new(),
                exclude: regexes(&default_sub, default_prefix, "exclude", &mut issues),
                partitions: partitions.unwrap_or(-1),
                replication_factor: replication.unwrap_or(-1),
                configs: topic_configs(&default_sub),
            });
        }
        if let Some(e) = ConfigError::from_issues(issues) {
            return Err(ConnectError::Config(e));
        }
        Ok(SourceConfig {
            common,
            topic_creation,
            dlq: DlqConfig::from_parsed(&p)?,
        })
    }

    /// The group a new topic is created with, if topic creation is on.
    pub fn creation_group(&self, topic: &str) -> Option<&TopicCreationGroup> {
        self.topic_creation.iter().find(|g| g.matches(topic))
    }
}

/// A group's topic configs: its keys besides the creation rules.
fn topic_configs(sub: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    sub.iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "include" | "exclude" | "partitions" | "replication.factor"
            )
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
#[path = "connector_tests.rs"]
mod tests;
