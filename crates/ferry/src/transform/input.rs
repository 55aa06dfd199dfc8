//! Input records of `ferry transform`: one JSON object a line.
//!
//! ```text
//! {"topic":"orders","partition":0,"offset":7,"timestamp":1700000000000,
//!  "key":"k1","value":{"schema":{…},"payload":{…}},"headers":{"trace":"abc"}}
//! ```
//!
//! Every field is optional. How `key`, `value` and header values are read depends on the
//! direction:
//! - **sink** (Kafka bytes → converters → chain): they are the bytes on the topic. A JSON
//!   string stands for its text; any other JSON value for its exact JSON text (so a
//!   JsonConverter message is written inline); `null` for a null. `key_base64`/`value_base64`
//!   (and `value_base64` in an array-form header) give binary bytes.
//! - **source** (Connect data → chain → converters): they are Connect data, either a
//!   JsonConverter envelope `{"schema": S, "payload": P}` (`schema` may be null) or any other
//!   JSON value, read as schemaless data as `schemas.enable=false` reads it.
//!
//! `headers` is an object `{"name": value}` or, for repeated names, an array of
//! `{"key": "name", "value": value}`.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail, Context};
use base64::Engine;
use connect_api::{Converter, Headers, Record, SchemaAndValue, SourceMeta, SourceRecord};
use connect_converters::JsonConverter;
use connect_runtime::raw::{RawHeader, RawRecord};
use serde::Deserialize;
use serde_json::value::RawValue;

/// One input line as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    topic: Option<String>,
    partition: Option<i32>,
    offset: Option<i64>,
    timestamp: Option<i64>,
    #[serde(borrow)]
    key: Option<&'a RawValue>,
    key_base64: Option<String>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    value_base64: Option<String>,
    #[serde(borrow)]
    headers: Option<&'a RawValue>,
}

/// A header in the array form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HeaderEntry<'a> {
    key: String,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    value_base64: Option<String>,
}

/// Reads Connect data written as JsonConverter JSON (see the module docs).
pub struct DataReader {
    envelope: JsonConverter,
    schemaless: JsonConverter,
}

impl DataReader {
    /// Readers for envelopes and for schemaless JSON.
    pub fn new() -> anyhow::Result<Self> {
        let config = |enabled: &str| -> BTreeMap<String, String> {
            [("schemas.enable".to_string(), enabled.to_string())].into()
        };
        Ok(DataReader {
            envelope: JsonConverter::new(&config("true"), false)?,
            schemaless: JsonConverter::new(&config("false"), false)?,
        })
    }

    /// Connect data from one JSON value (`None`: a null).
    pub fn read(&self, raw: Option<&RawValue>) -> anyhow::Result<SchemaAndValue> {
        let Some(raw) = raw else {
            return Ok(SchemaAndValue::null());
        };
        let text = raw.get().as_bytes();
        let converter = if is_envelope(raw)? {
            &self.envelope
        } else {
            &self.schemaless
        };
        Ok(converter.to_connect_data("", &Headers::new(), Some(text))?)
    }
}

/// Whether a JSON value is an object with `payload` and at most `schema` besides.
fn is_envelope(raw: &RawValue) -> anyhow::Result<bool> {
    if !raw.get().starts_with('{') {
        return Ok(false);
    }
    let object: BTreeMap<String, &RawValue> = serde_json::from_str(raw.get())?;
    Ok(object.contains_key("payload") && object.keys().all(|k| k == "schema" || k == "payload"))
}

/// Bytes from a JSON value in the sink form (see the module docs).
fn bytes(
    raw: Option<&RawValue>,
    base64: Option<&str>,
    field: &str,
) -> anyhow::Result<Option<Vec<u8>>> {
    match (raw, base64) {
        (Some(_), Some(_)) => bail!("give \"{field}\" or \"{field}_base64\", not both"),
        (None, Some(b)) => Ok(Some(
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .with_context(|| format!("\"{field}_base64\" is not base64: {b:?}"))?,
        )),
        (None, None) => Ok(None),
        (Some(raw), None) if raw.get().starts_with('"') => {
            let text: String = serde_json::from_str(raw.get())?;
            Ok(Some(text.into_bytes()))
        }
        (Some(raw), None) => Ok(Some(raw.get().as_bytes().to_vec())),
    }
}

/// Headers in either form, each value handed to `value` with its name.
fn headers<T>(
    raw: Option<&RawValue>,
    mut value: impl FnMut(&str, Option<&RawValue>, Option<&str>) -> anyhow::Result<T>,
) -> anyhow::Result<Vec<(String, T)>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    let text = raw.get();
    let mut out = Vec::new();
    if text.starts_with('{') {
        let map: ordered::Ordered<'_> = serde_json::from_str(text)
            .context("\"headers\" must be an object or an array of {\"key\",\"value\"}")?;
        for (k, v) in map.0 {
            let converted = value(&k, v, None).with_context(|| format!("header {k:?}"))?;
            out.push((k, converted));
        }
    } else if text.starts_with('[') {
        let entries: Vec<HeaderEntry<'_>> = serde_json::from_str(text)
            .context("\"headers\" must be an object or an array of {\"key\",\"value\"}")?;
        for e in entries {
            let converted = value(&e.key, e.value, e.value_base64.as_deref())
                .with_context(|| format!("header {:?}", e.key))?;
            out.push((e.key, converted));
        }
    } else if text != "null" {
        bail!("\"headers\" must be an object or an array of {{\"key\",\"value\"}}, not {text}");
    }
    Ok(out)
}

/// An object read with its entries in input order (serde_json's map sorts without
/// `preserve_order`, and headers keep their order).
mod ordered {
    use std::fmt;

    use serde::de::{Deserializer, MapAccess, Visitor};
    use serde::Deserialize;
    use serde_json::value::RawValue;

    /// Entries of a JSON object, in order; a `null` value is `None`.
    pub struct Ordered<'a>(pub Vec<(String, Option<&'a RawValue>)>);

    impl<'de: 'a, 'a> Deserialize<'de> for Ordered<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some((k, v)) = map.next_entry::<String, Option<&'de RawValue>>()? {
                        out.push((k, v));
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
}

/// Fills in the topic: the record's own, else the default the command was given.
fn topic(line: Option<String>, default: Option<&str>) -> anyhow::Result<String> {
    line.or_else(|| default.map(str::to_string)).ok_or_else(|| {
        anyhow!("the record has no \"topic\" and no default topic is known (use --topic)")
    })
}

fn parse_line(text: &str) -> anyhow::Result<Line<'_>> {
    serde_json::from_str(text).context("not a record object")
}

/// A sink-direction input line as the consumer would return it.
pub fn raw_record(text: &str, default_topic: Option<&str>) -> anyhow::Result<RawRecord> {
    let line = parse_line(text)?;
    let headers = headers(line.headers, |_, v, b64| bytes(v, b64, "value"))?;
    Ok(RawRecord {
        topic: topic(line.topic, default_topic)?.into(),
        partition: Some(line.partition.unwrap_or(0)),
        offset: Some(line.offset.unwrap_or(0)),
        timestamp: match line.timestamp {
            Some(-1) | None => None,
            Some(t) if t < 0 => bail!(
                "\"timestamp\" is {t}: a Kafka record's timestamp is non-negative, or -1 for none"
            ),
            Some(t) => Some(t),
        },
        timestamp_type: Default::default(),
        key: bytes(line.key, line.key_base64.as_deref(), "key")?,
        value: bytes(line.value, line.value_base64.as_deref(), "value")?,
        headers: headers
            .into_iter()
            .map(|(key, value)| RawHeader { key, value })
            .collect(),
    })
}

/// A source-direction input line as the source task would return it from `poll`.
pub fn source_record(
    text: &str,
    default_topic: Option<&str>,
    reader: &DataReader,
) -> anyhow::Result<SourceRecord> {
    let line = parse_line(text)?;
    if line.key_base64.is_some() || line.value_base64.is_some() || line.offset.is_some() {
        bail!(
            "\"key_base64\", \"value_base64\" and \"offset\" describe Kafka records: they are \
read in the sink direction only"
        );
    }
    let mut record_headers = Headers::new();
    for (k, data) in headers(line.headers, |_, v, b64| {
        if b64.is_some() {
            bail!("\"value_base64\" is read in the sink direction only");
        }
        reader.read(v)
    })? {
        record_headers.add(k, data.schema, data.value);
    }
    Ok(Record {
        topic: topic(line.topic, default_topic)?.into(),
        kafka_partition: line.partition,
        key: reader.read(line.key).context("key")?,
        value: reader.read(line.value).context("value")?,
        timestamp: line.timestamp,
        headers: record_headers,
        meta: SourceMeta::default(),
    })
}

#[cfg(test)]
mod tests {
    use connect_api::{Type, Value};

    use super::*;

    #[test]
    fn sink_values_are_bytes() {
        let r = raw_record(
            r#"{"topic":"t","key":"k1","value":{"a": 1.10},"headers":{"h":"x","n":7,"z":null}}"#,
            None,
        )
        .unwrap();
        assert_eq!(r.key.as_deref(), Some(&b"k1"[..]));
        assert_eq!(r.value.as_deref(), Some(&br#"{"a": 1.10}"#[..]));
        let names: Vec<_> = r.headers.iter().map(|h| h.key.as_str()).collect();
        assert_eq!(names, ["h", "n", "z"]);
        assert_eq!(r.headers[1].value.as_deref(), Some(&b"7"[..]));
        assert_eq!(r.headers[2].value, None);

        let r = raw_record(
            r#"{"value_base64":"AAAAKg==","headers":[{"key":"a","value":"1"},{"key":"a","value_base64":"AQ=="}]}"#,
            Some("dflt"),
        )
        .unwrap();
        assert_eq!(r.topic, "dflt".into());
        assert_eq!(r.value.as_deref(), Some(&[0, 0, 0, 42][..]));
        assert_eq!(r.headers[1].value.as_deref(), Some(&[1][..]));
    }

    #[test]
    fn bad_sink_lines_say_what_is_wrong() {
        let err = |line: &str| format!("{:#}", raw_record(line, Some("t")).unwrap_err());
        assert!(err(r#"{"valeu":1}"#).contains("valeu"));
        assert!(err(r#"{"value":"a","value_base64":"AA=="}"#).contains("not both"));
        assert!(err(r#"{"key_base64":"%%"}"#).contains("not base64"));
        assert!(err(r#"{"headers":5}"#).contains("headers"));
        assert!(err("not json").contains("not a record"));
        assert!(err(r#"{"timestamp":-5}"#).contains("-5"));
        assert_eq!(
            raw_record(r#"{"timestamp":-1}"#, Some("t"))
                .unwrap()
                .timestamp,
            None
        );
        let no_topic = raw_record("{}", None).unwrap_err().to_string();
        assert!(no_topic.contains("--topic"), "{no_topic}");
    }

    #[test]
    fn source_values_are_data() {
        let reader = DataReader::new().unwrap();
        let r = source_record(
            r#"{"topic":"t","key":"k","value":{"schema":{"type":"int32"},"payload":5},"headers":{"h":{"schema":null,"payload":true}}}"#,
            None,
            &reader,
        )
        .unwrap();
        assert_eq!(r.key.value, Value::String("k".into()));
        assert!(r.key.schema.is_none());
        assert_eq!(
            r.value.schema.as_ref().map(|s| s.schema_type()),
            Some(Type::Int32)
        );
        assert_eq!(r.value.value, Value::Int32(5));
        assert_eq!(
            r.headers.iter().next().map(|h| &h.value),
            Some(&Value::Boolean(true))
        );
        // an object that is not an envelope is schemaless data
        let r = source_record(
            r#"{"topic":"t","value":{"payload":1,"x":2}}"#,
            None,
            &reader,
        )
        .unwrap();
        assert!(r.value.schema.is_none());
        let err = source_record(r#"{"topic":"t","value_base64":"AA=="}"#, None, &reader)
            .unwrap_err()
            .to_string();
        assert!(err.contains("sink direction"), "{err}");
    }
}
