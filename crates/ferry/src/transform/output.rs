//! Output records of `ferry transform`, one JSON object a line, in the input format of the
//! opposite direction (see `input.rs`), so the output of a source connector's chain can be
//! piped into a sink connector's:
//! - a **sink** record (after converters and chain) prints its key, value and header values as
//!   Connect data, JsonConverter envelopes `{"schema":…,"payload":…}` with decimals as numbers;
//! - a **source** record (after chain and converters) prints the Kafka bytes: inline when they
//!   are a JSON value other than a string (exactly those bytes), as a JSON string when they are
//!   other UTF-8 text without control characters (tab, CR and LF allowed), and as
//!   `key_base64`/`value_base64` otherwise.

use std::collections::BTreeMap;

use base64::Engine;
use connect_api::{Converter, Headers, SchemaAndValue, SinkRecord};
use connect_converters::JsonConverter;
use connect_runtime::raw::RawRecord;
use serde_json::value::RawValue;

/// Writes Connect data as JsonConverter envelopes.
pub struct DataWriter {
    json: JsonConverter,
}

impl DataWriter {
    /// An envelope writer (`schemas.enable=true`, `decimal.format=NUMERIC`).
    pub fn new() -> anyhow::Result<Self> {
        let config: BTreeMap<String, String> = [
            ("schemas.enable".to_string(), "true".to_string()),
            ("decimal.format".to_string(), "NUMERIC".to_string()),
        ]
        .into();
        Ok(DataWriter {
            json: JsonConverter::new(&config, false)?,
        })
    }

    fn data(&self, out: &mut String, data: &SchemaAndValue) -> anyhow::Result<()> {
        let bytes = self.json.from_connect_data(
            "",
            &mut Headers::new(),
            data.schema.as_ref(),
            &data.value,
        )?;
        match bytes {
            None => out.push_str("null"),
            Some(b) => out.push_str(std::str::from_utf8(&b)?),
        }
        Ok(())
    }
}

fn string(out: &mut String, s: &str) {
    // serde_json's string escaping of a &str cannot fail
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string()));
}

fn field(out: &mut String, name: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    string(out, name);
    out.push(':');
}

fn optional<T: std::fmt::Display>(out: &mut String, value: Option<T>) {
    match value {
        Some(v) => out.push_str(&v.to_string()),
        None => out.push_str("null"),
    }
}

/// Whether header keys repeat (then the array form is needed).
fn repeats<'a>(keys: impl Iterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    keys.into_iter().any(|k| !seen.insert(k))
}

/// A sink record after the chain, as one JSON line (without the newline).
pub fn sink_record(record: &SinkRecord, writer: &DataWriter) -> anyhow::Result<String> {
    let mut out = String::from("{");
    field(&mut out, "topic");
    string(&mut out, &record.topic);
    field(&mut out, "partition");
    optional(&mut out, record.kafka_partition);
    field(&mut out, "offset");
    out.push_str(&record.meta.kafka_offset.to_string());
    field(&mut out, "timestamp");
    optional(&mut out, record.timestamp);
    field(&mut out, "key");
    writer.data(&mut out, &record.key)?;
    field(&mut out, "value");
    writer.data(&mut out, &record.value)?;
    if !record.headers.is_empty() {
        field(&mut out, "headers");
        let array = repeats(record.headers.iter().map(|h| h.key.as_str()));
        out.push(if array { '[' } else { '{' });
        for (i, h) in record.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let data = SchemaAndValue::new(h.schema.clone(), h.value.clone());
            if array {
                out.push_str("{\"key\":");
                string(&mut out, &h.key);
                out.push_str(",\"value\":");
                writer.data(&mut out, &data)?;
                out.push('}');
            } else {
                string(&mut out, &h.key);
                out.push(':');
                writer.data(&mut out, &data)?;
            }
        }
        out.push(if array { ']' } else { '}' });
    }
    out.push('}');
    Ok(out)
}

/// How a byte string prints.
enum Bytes<'a> {
    Null,
    Inline(&'a str),
    Text(&'a str),
    Base64(String),
}

fn classify(bytes: Option<&[u8]>) -> Bytes<'_> {
    let Some(bytes) = bytes else {
        return Bytes::Null;
    };
    let text = std::str::from_utf8(bytes).ok().filter(|t| {
        !t.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    });
    let Some(text) = text else {
        return Bytes::Base64(base64::engine::general_purpose::STANDARD.encode(bytes));
    };
    match serde_json::from_str::<&RawValue>(text) {
        Ok(raw) if raw.get().len() == text.len() && !text.starts_with('"') => Bytes::Inline(text),
        _ => Bytes::Text(text),
    }
}

/// Writes a non-binary byte string's JSON form; `false` (nothing written) for binary bytes.
fn bytes_json(out: &mut String, bytes: &Bytes<'_>) -> bool {
    match bytes {
        Bytes::Null => out.push_str("null"),
        Bytes::Inline(text) => out.push_str(text),
        Bytes::Text(text) => string(out, text),
        Bytes::Base64(_) => return false,
    }
    true
}

/// Writes `name` (or `name_base64`) with the bytes' form.
fn bytes_field(out: &mut String, name: &str, bytes: Option<&[u8]>) {
    let bytes = classify(bytes);
    if let Bytes::Base64(b64) = &bytes {
        field(out, &format!("{name}_base64"));
        string(out, b64);
    } else {
        field(out, name);
        bytes_json(out, &bytes);
    }
}

/// A source record after the chain and converters, as one JSON line (without the newline).
pub fn raw_record(record: &RawRecord) -> String {
    let mut out = String::from("{");
    field(&mut out, "topic");
    string(&mut out, &record.topic);
    field(&mut out, "partition");
    optional(&mut out, record.partition);
    field(&mut out, "timestamp");
    optional(&mut out, record.timestamp);
    bytes_field(&mut out, "key", record.key.as_deref());
    bytes_field(&mut out, "value", record.value.as_deref());
    if !record.headers.is_empty() {
        field(&mut out, "headers");
        let binary = record
            .headers
            .iter()
            .any(|h| matches!(classify(h.value.as_deref()), Bytes::Base64(_)));
        let array = binary || repeats(record.headers.iter().map(|h| h.key.as_str()));
        out.push(if array { '[' } else { '{' });
        for (i, h) in record.headers.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            if array {
                out.push_str("{\"key\":");
                string(&mut out, &h.key);
                bytes_field(&mut out, "value", h.value.as_deref());
                out.push('}');
            } else {
                string(&mut out, &h.key);
                out.push(':');
                // not binary: the array form is used when any header is
                bytes_json(&mut out, &classify(h.value.as_deref()));
            }
        }
        out.push(if array { ']' } else { '}' });
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use connect_api::{Record, Schema, SinkMeta, Type, Value};
    use connect_runtime::raw::RawHeader;

    use super::*;

    #[test]
    fn raw_bytes_print_inline_text_or_base64() {
        let rec = RawRecord {
            topic: "t".into(),
            key: Some(b"plain text".to_vec()),
            value: Some(br#"{"a":1.10}"#.to_vec()),
            headers: vec![
                RawHeader {
                    key: "q".into(),
                    value: Some(br#""quoted""#.to_vec()),
                },
                RawHeader {
                    key: "n".into(),
                    value: None,
                },
            ],
            ..RawRecord::default()
        };
        assert_eq!(
            raw_record(&rec),
            r#"{"topic":"t","partition":null,"timestamp":null,"key":"plain text","value":{"a":1.10},"headers":{"q":"\"quoted\"","n":null}}"#
        );
        let bin = RawRecord {
            topic: "t".into(),
            value: Some(vec![0, 0, 0, 42]),
            headers: vec![RawHeader {
                key: "b".into(),
                value: Some(vec![0xff]),
            }],
            ..RawRecord::default()
        };
        assert_eq!(
            raw_record(&bin),
            r#"{"topic":"t","partition":null,"timestamp":null,"key":null,"value_base64":"AAAAKg==","headers":[{"key":"b","value_base64":"/w=="}]}"#
        );
        // JSON text with surrounding space is not inlined (it would not read back the same)
        assert!(matches!(classify(Some(b" 1")), Bytes::Text(" 1")));
    }

    #[test]
    fn sink_record_prints_envelopes() {
        let mut headers = Headers::new();
        headers.add("h", Some(Schema::required(Type::Int32)), Value::Int32(1));
        headers.add("h", None, Value::String("x".into()));
        let rec: SinkRecord = Record {
            topic: "t".into(),
            kafka_partition: Some(2),
            key: SchemaAndValue::null(),
            value: SchemaAndValue::new(Some(Schema::required(Type::String)), "v".into()),
            timestamp: Some(9),
            headers,
            meta: SinkMeta {
                kafka_offset: 4,
                ..SinkMeta::default()
            },
        };
        let w = DataWriter::new().unwrap();
        assert_eq!(
            sink_record(&rec, &w).unwrap(),
            r#"{"topic":"t","partition":2,"offset":4,"timestamp":9,"key":null,"value":{"schema":{"type":"string","optional":false},"payload":"v"},"headers":[{"key":"h","value":{"schema":{"type":"int32","optional":false},"payload":1}},{"key":"h","value":{"schema":null,"payload":"x"}}]}"#
        );
    }
}
