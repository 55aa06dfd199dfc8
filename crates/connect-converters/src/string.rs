//! `org.apache.kafka.connect.storage.StringConverter`: a value's Java `toString()` in a
//! configurable charset; reads any bytes as an optional string.

pub(crate) mod charset;

use std::collections::BTreeMap;

use crate::codec::{codec_converter, Codec};
use connect_api::{ConnectError, Result, Schema, SchemaAndValue, Type, Value};

use charset::Charset;

/// The charset key (`key.converter.encoding` / `value.converter.encoding` in a worker).
const ENCODING_CONFIG: &str = "converter.encoding";
/// The default charset.
const ENCODING_DEFAULT: &str = "UTF-8";

/// `org.apache.kafka.connect.storage.StringConverter`.
///
/// Writes `value.toString()` (the [`Value`] `Display`, so a struct is `Struct{a=1}` and a
/// timestamp `Thu Jan 01 00:00:00 UTC 1970`); characters the charset cannot encode become `?`.
/// Reads bytes as an optional string; bytes that do not decode become U+FFFD. Also a header
/// converter, with the same behaviour.
#[derive(Debug, Clone)]
pub struct StringConverter {
    serializer: Charset,
    deserializer: Charset,
}

/// Resolves a charset name for `key`; Java fails with `Unsupported encoding <name>`.
fn charset(key: &str, name: &str) -> Result<Charset> {
    Charset::for_name(name)
        .ok_or_else(|| ConnectError::config(key, name, format!("Unsupported encoding {name}")))
}

impl StringConverter {
    /// Configures the converter from its own keys: `converter.encoding` (default `UTF-8`; Java
    /// names and aliases such as `utf8`, `ISO-8859-1`/`latin1`, `US-ASCII`, `windows-1252`,
    /// `UTF-16`, `UTF-16BE`, `UTF-16LE`, `UTF-32`). As in Kafka, `key.serializer.encoding` /
    /// `value.serializer.encoding` (and the `deserializer` forms) override it for one
    /// direction. An unknown charset is a configuration error naming the key and value.
    pub fn new(config: &BTreeMap<String, String>, is_key: bool) -> Result<Self> {
        let encoding = config
            .get(ENCODING_CONFIG)
            .map_or(ENCODING_DEFAULT, String::as_str);
        let side = if is_key { "key" } else { "value" };
        let pick = |role: &str| -> Result<Charset> {
            let override_key = format!("{side}.{role}.encoding");
            match config.get(&override_key) {
                Some(name) => charset(&override_key, name),
                None => charset(ENCODING_CONFIG, encoding),
            }
        };
        Ok(StringConverter {
            serializer: pick("serializer")?,
            deserializer: pick("deserializer")?,
        })
    }

    fn serialize(&self, value: &Value) -> Option<Vec<u8>> {
        match value {
            Value::Null => None,
            Value::String(s) => Some(self.serializer.encode(s)),
            other => Some(self.serializer.encode(&other.to_string())),
        }
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> SchemaAndValue {
        let value = bytes.map_or(Value::Null, |b| Value::String(self.deserializer.decode(b)));
        SchemaAndValue::new(Some(Schema::optional(Type::String)), value)
    }
}

impl Codec for StringConverter {
    fn encode(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        Ok(self.serialize(value))
    }

    fn encode_owned(&self, schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        match value {
            Value::String(s) if self.serializer == Charset::Utf8 => Ok(Some(s.into_bytes())),
            other => self.encode(schema, &other),
        }
    }

    fn decode(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        Ok(self.deserialize(bytes))
    }
}

codec_converter!(StringConverter);

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{Converter, HeaderConverter, Headers};
    use connect_api::{SchemaBuilder, Struct};

    fn conv(pairs: &[(&str, &str)]) -> Result<StringConverter> {
        let config = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        StringConverter::new(&config, false)
    }

    fn write(c: &StringConverter, v: Value) -> Option<Vec<u8>> {
        c.from_connect_data("t", &mut Headers::new(), None, &v)
            .unwrap()
    }

    fn read(c: &StringConverter, b: Option<&[u8]>) -> SchemaAndValue {
        c.to_connect_data("t", &Headers::new(), b).unwrap()
    }

    #[test]
    fn writes_java_to_string() {
        let c = conv(&[]).unwrap();
        // converters-3227921675, converters-97936ee9c0, converters-2c4796f495
        assert_eq!(
            write(&c, "h\u{e9}\u{1F600}".into()),
            Some("h\u{e9}\u{1F600}".as_bytes().to_vec())
        );
        assert_eq!(write(&c, Value::Float32(0.1)), Some(b"0.1".to_vec()));
        assert_eq!(
            write(
                &c,
                Value::Array(vec![Value::Int64(1), "a".into(), Value::Null])
            ),
            Some(b"[1, a, null]".to_vec())
        );
        // converters-97be54345c
        assert_eq!(
            write(&c, Value::Timestamp(0)),
            Some(b"Thu Jan 01 00:00:00 UTC 1970".to_vec())
        );
        assert_eq!(write(&c, Value::Null), None);
        let schema = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .build()
            .unwrap();
        let mut s = Struct::new(&schema).unwrap();
        s.put("a", 1i32).unwrap();
        assert_eq!(write(&c, Value::Struct(s)), Some(b"Struct{a=1}".to_vec()));
    }

    #[test]
    fn reads_optional_strings() {
        let c = conv(&[]).unwrap();
        let sv = read(&c, Some(b"hello"));
        assert_eq!(sv.schema, Some(Schema::optional(Type::String)));
        assert_eq!(sv.value, Value::from("hello"));
        // converters-68cd0df581
        assert_eq!(
            read(&c, Some(&[0xC3, 0x28])).value,
            Value::from("\u{FFFD}(")
        );
        // converters-95cf7d76b8
        let sv = read(&c, None);
        assert_eq!(sv.schema, Some(Schema::optional(Type::String)));
        assert_eq!(sv.value, Value::Null);
    }

    #[test]
    fn encodings() {
        // converters-2c5277b5cf
        let c = conv(&[("converter.encoding", "ISO-8859-1")]).unwrap();
        assert_eq!(
            write(&c, "h\u{e9}\u{20ac}".into()),
            Some(vec![0x68, 0xE9, 0x3F])
        );
        // converters-dbb9110c47
        let c = conv(&[("converter.encoding", "UTF-16")]).unwrap();
        assert_eq!(
            read(&c, Some(&[0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC])).value,
            Value::from("\u{68c3}\u{a9e2}\u{82ac}")
        );
        let c = conv(&[
            ("converter.encoding", "UTF-16"),
            ("value.serializer.encoding", "utf8"),
        ])
        .unwrap();
        assert_eq!(write(&c, "h".into()), Some(b"h".to_vec()));
    }

    #[test]
    fn unknown_encoding_is_a_config_error() {
        // converters-1392eb806d, converters-bd080bb20a
        let e = conv(&[("converter.encoding", "bogus-enc")]).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value bogus-enc for configuration converter.encoding: Unsupported encoding bogus-enc"
        );
    }

    #[test]
    fn header_methods_match_converter_methods() {
        let c = conv(&[]).unwrap();
        // header_converters-2e8ce8eebc, header_converters-c7d4c154f1
        assert_eq!(
            c.from_connect_header("t", "h", None, &Value::Int8(5))
                .unwrap(),
            Some(b"5".to_vec())
        );
        let sv = c.to_connect_header("t", "h", Some(b"5")).unwrap();
        assert_eq!(sv.value, Value::from("5"));
    }
}
