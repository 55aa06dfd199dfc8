//! Dead letter queues: the topic that records which failed and were tolerated
//! (`errors.tolerance=all`) are written to, with the `__connect.errors.*` context headers.
//! Sinks write the record as consumed, as Kafka does. Sources (a Ferry extension: Kafka has
//! no dead letter queue for them) write the record as the connector produced it, before the
//! stage that failed: key and value in the JsonConverter's envelope form
//! (`{"schema":…,"payload":…}`), or as text when even that cannot represent them, and the
//! source partition and offset in two more headers, so the record can be found again.

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Converter, Headers, Result, SchemaAndValue, SourceRecord};
use connect_converters::json::JsonConverter;
use kafka::admin::{Admin, TopicSpec};
use kafka::config::{task_client_settings, ClientRole, Settings};
use kafka::producer::{Delivered, DeliveryListener, Producer};
use kafka::record::{RawHeader, RawRecord};

use crate::config::DlqConfig;

/// Header with the source partition of a dead-lettered source record (JSON).
pub const SOURCE_PARTITION_HEADER: &str = "__connect.errors.source.partition";
/// Header with the source offset of a dead-lettered source record (JSON).
pub const SOURCE_OFFSET_HEADER: &str = "__connect.errors.source.offset";

/// The dead letter queue of a task.
pub struct DeadLetterQueue {
    /// Its producer.
    pub producer: Arc<Producer>,
    /// `errors.deadletterqueue.topic.name`.
    pub topic: String,
    /// `errors.deadletterqueue.context.headers.enable`.
    pub context_headers: bool,
}

impl std::fmt::Debug for DeadLetterQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeadLetterQueue")
            .field("topic", &self.topic)
            .finish()
    }
}

/// Logs failed dead letter queue deliveries (the records are skipped either way).
struct DlqAcks;

impl DeliveryListener for DlqAcks {
    fn delivered(&self, _records: &[(u64, Delivered)]) {}

    fn failed(&self, _seq: u64, error: ConnectError) {
        tracing::error!("Could not write a record to the dead letter queue: {error}");
    }
}

impl DeadLetterQueue {
    /// Creates the topic if it does not exist (one partition, the configured replication
    /// factor) and the producer that writes to it, for task `task` of connector `connector`.
    /// Called when the task starts; an `Err` fails the task.
    pub async fn open(
        config: &DlqConfig,
        worker_base: &Settings,
        originals: &ConfigMap,
        connector: &str,
        task: u32,
    ) -> Result<Self> {
        let admin = Admin::new(&task_client_settings(
            ClientRole::Admin,
            worker_base,
            originals,
            connector,
            task,
        )?)?;
        let created = admin
            .create_topic(&TopicSpec {
                name: config.topic.clone(),
                partitions: 1,
                replication_factor: i32::from(config.replication_factor),
                configs: Default::default(),
            })
            .await?;
        if created {
            tracing::info!(
                "Created dead letter queue topic '{}' for connector {connector}",
                config.topic
            );
        }
        let settings = task_client_settings(
            ClientRole::DlqProducer,
            worker_base,
            originals,
            connector,
            task,
        )?;
        Ok(DeadLetterQueue {
            producer: Arc::new(Producer::new(&settings, Arc::new(DlqAcks))?),
            topic: config.topic.clone(),
            context_headers: config.context_headers,
        })
    }
}

/// Encodes source records for the dead letter queue.
pub struct SourceDeadLetters {
    key: JsonConverter,
    value: JsonConverter,
}

impl std::fmt::Debug for SourceDeadLetters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SourceDeadLetters")
    }
}

impl SourceDeadLetters {
    /// JsonConverters with schemas enabled (the envelope carries the schema, if any).
    pub fn new() -> Result<Self> {
        let config = BTreeMap::from([("schemas.enable".to_string(), "true".to_string())]);
        Ok(SourceDeadLetters {
            key: JsonConverter::new(&config, true)?,
            value: JsonConverter::new(&config, false)?,
        })
    }

    fn encode(converter: &JsonConverter, topic: &str, data: &SchemaAndValue) -> Option<Vec<u8>> {
        if data.value.is_null() && data.schema.is_none() {
            return None;
        }
        let mut headers = Headers::new();
        match converter.from_connect_data(topic, &mut headers, data.schema.as_ref(), &data.value) {
            Ok(bytes) => bytes,
            // the value does not fit its schema (often why its converter failed): its text
            Err(_) => Some(format!("{:?}", data.value).into_bytes()),
        }
    }

    /// `record` in Kafka form for the dead letter queue: addressed to the topic it was for
    /// (the queue replaces it; the context headers name it), with its key, value, timestamp,
    /// and the source partition and offset as headers.
    pub fn raw(&self, record: &SourceRecord) -> RawRecord {
        let json = |v: &connect_api::Value| {
            let data = SchemaAndValue::new(None, v.clone());
            Self::encode(&self.value, &record.topic, &data)
        };
        let headers = vec![
            RawHeader {
                key: SOURCE_PARTITION_HEADER.to_string(),
                value: json(&record.meta.source_partition),
            },
            RawHeader {
                key: SOURCE_OFFSET_HEADER.to_string(),
                value: json(&record.meta.source_offset),
            },
        ];
        RawRecord {
            topic: record.topic.clone(),
            partition: record.kafka_partition,
            offset: None,
            timestamp: record.timestamp.filter(|t| *t >= 0),
            timestamp_type: Default::default(),
            key: Self::encode(&self.key, &record.topic, &record.key),
            value: Self::encode(&self.value, &record.topic, &record.value),
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use connect_api::{Record, Schema, SourceMeta, Type, Value};

    use super::*;

    fn record(value: SchemaAndValue) -> SourceRecord {
        Record {
            topic: "orders".into(),
            kafka_partition: Some(2),
            key: SchemaAndValue::new(None, Value::String("k1".into())),
            value,
            timestamp: Some(42),
            headers: Headers::new(),
            meta: SourceMeta {
                source_partition: Arc::new(Value::Map(vec![(
                    Value::String("filename".into()),
                    Value::String("/tmp/in.txt".into()),
                )])),
                source_offset: Value::Map(vec![(
                    Value::String("position".into()),
                    Value::Int64(1234),
                )]),
            },
        }
    }

    fn text(b: &Option<Vec<u8>>) -> String {
        String::from_utf8(b.clone().unwrap()).unwrap()
    }

    #[test]
    fn a_source_record_is_written_in_the_json_envelope_with_its_source_position() {
        let dl = SourceDeadLetters::new().unwrap();
        let raw = dl.raw(&record(SchemaAndValue::new(
            Some(Schema::required(Type::String)),
            Value::String("hello".into()),
        )));
        assert_eq!(raw.topic, "orders".into());
        assert_eq!(raw.partition, Some(2));
        assert_eq!(raw.timestamp, Some(42));
        assert_eq!(text(&raw.key), r#"{"schema":null,"payload":"k1"}"#);
        assert_eq!(
            text(&raw.value),
            r#"{"schema":{"type":"string","optional":false},"payload":"hello"}"#
        );
        assert_eq!(raw.headers[0].key, SOURCE_PARTITION_HEADER);
        assert_eq!(
            text(&raw.headers[0].value),
            r#"{"schema":null,"payload":{"filename":"/tmp/in.txt"}}"#
        );
        assert_eq!(raw.headers[1].key, SOURCE_OFFSET_HEADER);
        assert_eq!(
            text(&raw.headers[1].value),
            r#"{"schema":null,"payload":{"position":1234}}"#
        );
    }

    #[test]
    fn a_value_that_does_not_fit_its_schema_is_written_as_text() {
        let dl = SourceDeadLetters::new().unwrap();
        let raw = dl.raw(&record(SchemaAndValue::new(
            Some(Schema::required(Type::Int32)),
            Value::String("not a number".into()),
        )));
        assert_eq!(text(&raw.value), r#"String("not a number")"#);
        let null = dl.raw(&record(SchemaAndValue::null()));
        assert_eq!(null.value, None);
    }
}
