//! `org.apache.kafka.connect.transforms.TimestampRouter`: routes a record to a topic built from
//! its topic and its timestamp (`topic.format` with `${topic}` and `${timestamp}`, the
//! timestamp written with the `SimpleDateFormat` pattern `timestamp.format` in UTC).
//!
//! As Kafka 3.9: an invalid `timestamp.format` fails when a record is routed (Kafka compiles it
//! lazily), as does a record without a timestamp; `${timestamp}` is replaced after `${topic}`,
//! so a topic name containing `${timestamp}` gets it replaced too.

use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{ConnectError, Record, Result, Transformation, Transformed};

use super::simple_date_format::SimpleDateFormat;

/// `topic.format`: the new topic, with `${topic}` and `${timestamp}` placeholders.
pub const TOPIC_FORMAT_CONFIG: &str = "topic.format";
/// `timestamp.format`: the `SimpleDateFormat` pattern of `${timestamp}`.
pub const TIMESTAMP_FORMAT_CONFIG: &str = "timestamp.format";

const TOPIC: &str = "${topic}";
const TIMESTAMP: &str = "${timestamp}";

/// Kafka's `TimestampRouter`.
#[derive(Debug)]
pub struct TimestampRouter {
    topic_format: String,
    /// The compiled pattern, or Java's `IllegalArgumentException` message.
    timestamp_format: std::result::Result<SimpleDateFormat, String>,
}

impl TimestampRouter {
    /// Kafka's `TimestampRouter.CONFIG_DEF`.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(TOPIC_FORMAT_CONFIG, ConfigType::String)
                    .default_value("${topic}-${timestamp}")
                    .importance(Importance::High)
                    .documentation(
                        "Template for the new topic name, in which <code>${topic}</code> stands for \
                         the original topic and <code>${timestamp}</code> for the formatted \
                         record timestamp.",
                    ),
            )
            .define(
                ConfigKey::new(TIMESTAMP_FORMAT_CONFIG, ConfigType::String)
                    .default_value("yyyyMMdd")
                    .importance(Importance::High)
                    .documentation(
                        "<code>java.text.SimpleDateFormat</code> pattern that renders the \
                         timestamp.",
                    ),
            )
    }

    /// A configured `TimestampRouter`.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(TimestampRouter {
            topic_format: parsed.get_string(TOPIC_FORMAT_CONFIG)?.to_string(),
            timestamp_format: SimpleDateFormat::new(parsed.get_string(TIMESTAMP_FORMAT_CONFIG)?),
        })
    }
}

/// Java's `ConnectRecord.toString()` of the record's common part (the metadata of a source or
/// sink record is not visible to a transformation).
fn record_text<M>(record: &Record<M>) -> String {
    let schema = |s: &Option<connect_api::Schema>| match s {
        Some(s) => s.to_string(),
        None => "null".to_string(),
    };
    let partition = record
        .kafka_partition
        .map_or_else(|| "null".to_string(), |p| p.to_string());
    let timestamp = record
        .timestamp
        .map_or_else(|| "null".to_string(), |t| t.to_string());
    let headers: Vec<String> = record
        .headers
        .iter()
        .map(|h| {
            format!(
                "ConnectHeader(key={}, value={}, schema={})",
                h.key,
                h.value,
                schema(&h.schema)
            )
        })
        .collect();
    format!(
        "ConnectRecord{{topic='{}', kafkaPartition={partition}, key={}, keySchema={}, value={}, \
         valueSchema={}, timestamp={timestamp}, headers=ConnectHeaders(headers={})}}",
        record.topic,
        record.key.value,
        schema(&record.key.schema),
        record.value.value,
        schema(&record.value.schema),
        if headers.is_empty() {
            String::new()
        } else {
            format!("[{}]", headers.join(", "))
        }
    )
}

impl<M: Send + Sync> Transformation<M> for TimestampRouter {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let Some(timestamp) = record.timestamp else {
            return Err(ConnectError::data(format!(
                "Timestamp missing on record: {}",
                record_text(record)
            )));
        };
        let format = self
            .timestamp_format
            .as_ref()
            .map_err(|e| ConnectError::data(e.clone()))?;
        let topic = self.topic_format.replace(TOPIC, &record.topic);
        record.topic = if topic.contains(TIMESTAMP) {
            topic.replace(TIMESTAMP, &format.format(timestamp)).into()
        } else {
            topic.into()
        };
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{SchemaAndValue, SourceMeta, SourceRecord, Value};

    fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn record(topic: &str, timestamp: Option<i64>) -> SourceRecord {
        Record {
            topic: topic.into(),
            kafka_partition: Some(0),
            key: SchemaAndValue::null(),
            value: SchemaAndValue::new(None, Value::String("v".into())),
            timestamp,
            headers: Default::default(),
            meta: SourceMeta::default(),
        }
    }

    fn route(pairs: &[(&str, &str)], topic: &str, timestamp: Option<i64>) -> Result<String> {
        let router = TimestampRouter::new(&config(pairs))?;
        let out = Transformation::<SourceMeta>::apply_owned(&router, record(topic, timestamp))?;
        Ok(out.map(|r| r.topic).unwrap_or_default().to_string())
    }

    #[test]
    fn routes_with_defaults() {
        assert_eq!(
            route(&[], "orders", Some(1_700_000_000_000)).unwrap(),
            "orders-20231114"
        );
        assert_eq!(route(&[], "orders", Some(0)).unwrap(), "orders-19700101");
        assert_eq!(route(&[], "orders", Some(-1)).unwrap(), "orders-19691231");
        assert_eq!(
            route(&[], "orders", Some(253_402_300_799_999)).unwrap(),
            "orders-99991231"
        );
    }

    #[test]
    fn routes_with_formats() {
        let ts = Some(1_700_000_000_000);
        let both = [
            (TOPIC_FORMAT_CONFIG, "${topic}_${timestamp}"),
            (TIMESTAMP_FORMAT_CONFIG, "yyyy-MM-dd"),
        ];
        assert_eq!(route(&both, "orders", ts).unwrap(), "orders_2023-11-14");
        assert_eq!(
            route(&[(TOPIC_FORMAT_CONFIG, "static")], "orders", ts).unwrap(),
            "static"
        );
        assert_eq!(
            route(&[(TOPIC_FORMAT_CONFIG, "${topic}${topic}")], "orders", ts).unwrap(),
            "ordersorders"
        );
        assert_eq!(
            route(&[(TIMESTAMP_FORMAT_CONFIG, "EEE")], "orders", ts).unwrap(),
            "orders-Tue"
        );
        assert_eq!(
            route(&[(TOPIC_FORMAT_CONFIG, "$topic")], "orders", ts).unwrap(),
            "$topic"
        );
        assert_eq!(
            route(
                &[(TOPIC_FORMAT_CONFIG, "${TOPIC}-${timestamp}")],
                "orders",
                ts
            )
            .unwrap(),
            "${TOPIC}-20231114"
        );
        assert_eq!(
            route(&[(TOPIC_FORMAT_CONFIG, "")], "orders", ts).unwrap(),
            ""
        );
        // ${timestamp} inside the topic name is replaced as well.
        assert_eq!(
            route(&[], "a${timestamp}", ts).unwrap(),
            "a20231114-20231114"
        );
    }

    #[test]
    fn errors_when_routing() {
        // A bad pattern is accepted by the configuration and fails on the first record.
        let router = TimestampRouter::new(&config(&[(TIMESTAMP_FORMAT_CONFIG, "invalid Q")]));
        assert!(router.is_ok());
        let e = route(&[(TIMESTAMP_FORMAT_CONFIG, "invalid Q")], "orders", Some(0)).unwrap_err();
        assert!(e.is_data());
        assert_eq!(e.to_string(), "Illegal pattern character 'i'");
        let e = route(&[], "orders", None).unwrap_err();
        assert!(e.is_data());
        assert_eq!(
            e.to_string(),
            "Timestamp missing on record: ConnectRecord{topic='orders', kafkaPartition=0, \
             key=null, keySchema=null, value=v, valueSchema=null, timestamp=null, \
             headers=ConnectHeaders(headers=)}"
        );
    }

    #[test]
    fn config_def_declares_keys() {
        let def = TimestampRouter::config_def();
        assert!(def.definition_errors().is_empty());
        assert!(def.contains(TOPIC_FORMAT_CONFIG));
        assert!(def.contains(TIMESTAMP_FORMAT_CONFIG));
    }
}
