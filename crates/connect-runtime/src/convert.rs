//! The converters of a connector's tasks, as Kafka's `Worker` builds and calls them.
//!
//! Each of `key.converter`, `value.converter` and `header.converter` comes from the connector
//! config when it names the class there (with the connector's `key.converter.*` sub-keys), and
//! otherwise from the worker config (with the worker's sub-keys); `header.converter` defaults
//! to `SimpleHeaderConverter` at the worker level. Sink records are converted key → value →
//! headers, source records headers → key → value, as Kafka does, so the first failing stage
//! reported is the one Kafka reports.

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::config::{originals_with_prefix, parse_value, ConfigType};
use connect_api::error::{ConfigError, ConfigIssue};
use connect_api::{
    ConnectError, Converter, HeaderConverter, Headers, Record, SinkMeta, SinkRecord, SourceRecord,
    Stage, TimestampType,
};
use connect_converters::registry;

use crate::raw::{RawHeader, RawRecord};

/// Worker and connector key: the key converter class.
pub const KEY_CONVERTER: &str = "key.converter";
/// Worker and connector key: the value converter class.
pub const VALUE_CONVERTER: &str = "value.converter";
/// Worker and connector key: the header converter class.
pub const HEADER_CONVERTER: &str = "header.converter";
/// The worker's default `header.converter`.
pub const DEFAULT_HEADER_CONVERTER: &str = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

/// A record failed in a converter stage (or, for `KAFKA_PRODUCE`, could not become a Kafka
/// record at all). [`is_tolerable`](StageError::is_tolerable) says whether `errors.tolerance`
/// may skip it and the dead letter queue receive it; otherwise the task fails or retries.
#[derive(Debug, thiserror::Error)]
#[error("Error in stage {stage} ({class}): {source}")]
pub struct StageError {
    /// `KEY_CONVERTER`, `VALUE_CONVERTER`, `HEADER_CONVERTER` or `KAFKA_PRODUCE`.
    pub stage: Stage,
    /// The converter's class (Kafka's `__connect.errors.class.name`).
    pub class: Arc<str>,
    /// The underlying error.
    #[source]
    pub source: Box<ConnectError>,
}

impl StageError {
    /// Whether `errors.tolerance=all` may skip the record: a data error.
    pub fn is_tolerable(&self) -> bool {
        self.source.is_data()
    }

    /// Whether the runtime should retry within `errors.retry.timeout`.
    pub fn is_retriable(&self) -> bool {
        self.source.is_retriable()
    }
}

/// The key, value and header converters of one connector's tasks.
pub struct RecordConverters {
    key: Box<dyn Converter>,
    key_class: Arc<str>,
    value: Box<dyn Converter>,
    value_class: Arc<str>,
    header: Box<dyn HeaderConverter>,
    header_class: Arc<str>,
}

impl std::fmt::Debug for RecordConverters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordConverters")
            .field("key", &self.key_class)
            .field("value", &self.value_class)
            .field("header", &self.header_class)
            .finish()
    }
}

/// Where a converter's class and sub-config come from.
struct Origin<'a> {
    class: String,
    config: &'a BTreeMap<String, String>,
}

/// Picks the connector's setting of `key` when it has one, else the worker's, else `default`;
/// a missing class with no default is an issue naming the key.
fn origin<'a>(
    key: &str,
    worker: &'a BTreeMap<String, String>,
    connector: &'a BTreeMap<String, String>,
    default: Option<&str>,
    issues: &mut Vec<ConfigIssue>,
) -> Option<Origin<'a>> {
    let (raw, config) = match (connector.get(key), worker.get(key)) {
        (Some(raw), _) => (raw.as_str(), connector),
        (None, Some(raw)) => (raw.as_str(), worker),
        (None, None) => match default {
            Some(d) => (d, worker),
            None => {
                issues.push(ConfigIssue::missing(key));
                return None;
            }
        },
    };
    match parse_value(key, raw, ConfigType::Class) {
        Ok(class) => Some(Origin {
            class: class.to_string(),
            config,
        }),
        Err(issue) => {
            issues.push(issue);
            None
        }
    }
}

/// Builds one converter, recording its problems as issues under the enclosing config's keys.
fn build<T>(
    key: &str,
    origin: Option<Origin<'_>>,
    issues: &mut Vec<ConfigIssue>,
    make: impl FnOnce(&str, &BTreeMap<String, String>) -> Result<T, ConnectError>,
) -> Option<(T, Arc<str>)> {
    let origin = origin?;
    let Some(class) = registry::resolve_class(&origin.class) else {
        issues.push(ConfigIssue::invalid_value(
            key,
            origin.class.clone(),
            format!("Class {} could not be found.", origin.class),
        ));
        return None;
    };
    let prefix = format!("{key}.");
    match make(class, &originals_with_prefix(origin.config, &prefix)) {
        Ok(built) => Some((built, Arc::from(class))),
        Err(ConnectError::Config(error)) => {
            issues.extend(
                error
                    .into_issues()
                    .into_iter()
                    .map(|i| i.under_prefix(&prefix, key)),
            );
            None
        }
        Err(other) => {
            issues.push(ConfigIssue::invalid_value(key, class, other.to_string()));
            None
        }
    }
}

impl RecordConverters {
    /// Builds the three converters from the worker config and the connector config, reporting
    /// every problem at once in one [`ConnectError::Config`] whose issues name the key as the
    /// user wrote it (`value.converter.schemas.enable`, `key.converter`). Kafka's worker fails
    /// the task in that case; the REST validate endpoint reports the same issues.
    pub fn from_configs(
        worker: &BTreeMap<String, String>,
        connector: &BTreeMap<String, String>,
    ) -> Result<Self, ConnectError> {
        let mut issues = Vec::new();
        let key_origin = origin(KEY_CONVERTER, worker, connector, None, &mut issues);
        let key = build(KEY_CONVERTER, key_origin, &mut issues, |c, cfg| {
            registry::converter(c, cfg, true)
        });
        let value_origin = origin(VALUE_CONVERTER, worker, connector, None, &mut issues);
        let value = build(VALUE_CONVERTER, value_origin, &mut issues, |c, cfg| {
            registry::converter(c, cfg, false)
        });
        let header_origin = origin(
            HEADER_CONVERTER,
            worker,
            connector,
            Some(DEFAULT_HEADER_CONVERTER),
            &mut issues,
        );
        let header = build(HEADER_CONVERTER, header_origin, &mut issues, |c, cfg| {
            registry::header_converter(c, cfg)
        });
        match (key, value, header) {
            (Some((key, key_class)), Some((value, value_class)), Some((header, header_class)))
                if issues.is_empty() =>
            {
                Ok(RecordConverters {
                    key,
                    key_class,
                    value,
                    value_class,
                    header,
                    header_class,
                })
            }
            _ => Err(ConfigError::from_issues(issues)
                .map(ConnectError::Config)
                .unwrap_or_else(|| ConnectError::other("converters could not be built"))),
        }
    }

    /// The classes of the key, value and header converters.
    pub fn classes(&self) -> (&str, &str, &str) {
        (&self.key_class, &self.value_class, &self.header_class)
    }

    /// A consumed Kafka record as the sink task's transformation chain receives it (Kafka's
    /// `WorkerSinkTask.convertAndTransformRecord` before the chain): key, then value, then
    /// each header through its converter. `raw.partition` and `raw.offset` default to 0 when
    /// absent (a consumed record always has them).
    pub fn to_sink_record(&self, raw: &RawRecord) -> Result<SinkRecord, StageError> {
        let empty = Headers::new();
        let key = self
            .key
            .to_connect_data(&raw.topic, &empty, raw.key.as_deref())
            .map_err(|source| self.error(Stage::KeyConverter, source))?;
        let value = self
            .value
            .to_connect_data(&raw.topic, &empty, raw.value.as_deref())
            .map_err(|source| self.error(Stage::ValueConverter, source))?;
        let mut headers = Headers::new();
        for h in &raw.headers {
            let converted = self
                .header
                .to_connect_header(&raw.topic, &h.key, h.value.as_deref())
                .map_err(|source| self.error(Stage::HeaderConverter, source))?;
            headers.add(h.key.clone(), converted.schema, converted.value);
        }
        let partition = raw.partition.unwrap_or(0);
        let offset = raw.offset.unwrap_or(0);
        let timestamp_type = match raw.timestamp {
            None => TimestampType::NoTimestampType,
            Some(_) if raw.timestamp_type == TimestampType::NoTimestampType => {
                TimestampType::CreateTime
            }
            Some(_) => raw.timestamp_type,
        };
        Ok(Record {
            topic: raw.topic.clone(),
            kafka_partition: Some(partition),
            key,
            value,
            timestamp: raw.timestamp,
            headers,
            meta: SinkMeta {
                kafka_offset: offset,
                timestamp_type,
                original_topic: raw.topic.clone(),
                original_kafka_partition: partition,
                original_kafka_offset: offset,
            },
        })
    }

    /// A transformed source record as the producer sends it (Kafka's
    /// `AbstractWorkerSourceTask.convertTransformedRecord`): headers, then key, then value.
    /// A negative timestamp cannot be produced: that is a `KAFKA_PRODUCE` error that fails the
    /// task, as Kafka's `InvalidRecordException` does. The topic, key, value and headers are
    /// taken out of `record` (so a batch is converted where it lies, without moving records).
    pub fn from_source_record(&self, record: &mut SourceRecord) -> Result<RawRecord, StageError> {
        let mut headers = Vec::with_capacity(record.headers.len());
        for h in record.headers.iter() {
            let bytes = self
                .header
                .from_connect_header(&record.topic, &h.key, h.schema.as_ref(), &h.value)
                .map_err(|source| self.error(Stage::HeaderConverter, source))?;
            headers.push(RawHeader {
                key: h.key.clone(),
                value: bytes,
            });
        }
        let key = self
            .key
            .from_connect_data_owned(
                &record.topic,
                &mut record.headers,
                record.key.schema.as_ref(),
                std::mem::take(&mut record.key.value),
            )
            .map_err(|source| self.error(Stage::KeyConverter, source))?;
        let value = self
            .value
            .from_connect_data_owned(
                &record.topic,
                &mut record.headers,
                record.value.schema.as_ref(),
                std::mem::take(&mut record.value.value),
            )
            .map_err(|source| self.error(Stage::ValueConverter, source))?;
        if let Some(ts) = record.timestamp.filter(|ts| *ts < 0) {
            return Err(StageError {
                stage: Stage::KafkaProduce,
                class: Arc::from("org.apache.kafka.clients.producer.KafkaProducer"),
                source: Box::new(ConnectError::other(format!(
                    "Invalid record timestamp {ts}: a source record's timestamp must be \
non-negative or null"
                ))),
            });
        }
        Ok(RawRecord {
            topic: std::mem::take(&mut record.topic),
            partition: record.kafka_partition,
            offset: None,
            timestamp: record.timestamp,
            timestamp_type: TimestampType::CreateTime,
            key,
            value,
            headers,
        })
    }

    fn error(&self, stage: Stage, source: ConnectError) -> StageError {
        let class = match stage {
            Stage::KeyConverter => &self.key_class,
            Stage::ValueConverter => &self.value_class,
            _ => &self.header_class,
        };
        StageError {
            stage,
            class: Arc::clone(class),
            source: Box::new(source),
        }
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
