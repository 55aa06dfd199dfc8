//! `org.apache.kafka.connect.storage.SimpleHeaderConverter`, the default header converter:
//! values as the text of `Values.convertToString`, read back with `Values.parseString`.

use std::collections::BTreeMap;

use crate::codec::{codec_converter, Codec};
use connect_api::data::values;
use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use crate::string::charset::decode_utf8;

/// `org.apache.kafka.connect.storage.SimpleHeaderConverter`.
///
/// Writes `Values.convertToString(schema, value)` as UTF-8 (null stays null). Reads UTF-8 text
/// with `Values.parseString`, which infers the schema (`1` is INT8, `[1,2]` an array, `text` a
/// string); empty text is an empty string, the text `null` a null value, and text that fails to
/// parse is kept as BYTES. In Java this is only a header converter; as a key or value converter
/// it behaves the same.
#[derive(Debug, Clone, Default)]
pub struct SimpleHeaderConverter {}

impl SimpleHeaderConverter {
    /// Configures the converter (it takes no keys).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(SimpleHeaderConverter {})
    }

    fn serialize(schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if value.is_null() {
            return Ok(None);
        }
        match values::convert_to_string(schema, value)? {
            Value::String(text) => Ok(Some(text.into_bytes())),
            _ => Ok(None),
        }
    }

    fn deserialize(bytes: Option<&[u8]>) -> SchemaAndValue {
        let Some(bytes) = bytes else {
            return SchemaAndValue::null();
        };
        let text = decode_utf8(bytes);
        if text.is_empty() {
            return SchemaAndValue::new(Some(Schema::required(Type::String)), Value::String(text));
        }
        match values::parse_string(&text) {
            Ok(Some(parsed)) => parsed,
            // Java's null SchemaAndValue (the text `null`).
            Ok(None) => SchemaAndValue::null(),
            // Java logs and keeps the raw bytes.
            Err(_) => SchemaAndValue::new(
                Some(Schema::required(Type::Bytes)),
                Value::Bytes(bytes.to_vec()),
            ),
        }
    }
}

impl Codec for SimpleHeaderConverter {
    fn encode(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        Self::serialize(schema, value)
    }

    fn decode(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        Ok(Self::deserialize(bytes))
    }
}

codec_converter!(SimpleHeaderConverter);

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::data::logical::{self, Logical};
    use connect_api::HeaderConverter;
    use connect_api::{Decimal, SchemaBuilder, Struct};

    fn write(schema: Option<&Schema>, value: Value) -> Option<String> {
        SimpleHeaderConverter::default()
            .from_connect_header("t", "h", schema, &value)
            .unwrap()
            .map(|b| String::from_utf8(b).unwrap())
    }

    fn read(bytes: Option<&[u8]>) -> SchemaAndValue {
        SimpleHeaderConverter::default()
            .to_connect_header("t", "h", bytes)
            .unwrap()
    }

    #[test]
    fn writes_values_as_text() {
        // header_converters-fc8cd72629, -4bf0f5c5be, -0323c5db98, -21d46c0654, -cf4e99738b
        assert_eq!(write(None, "hello".into()).as_deref(), Some("hello"));
        assert_eq!(
            write(None, "with \"quotes\" and \\ backslash".into()).as_deref(),
            Some("with \"quotes\" and \\ backslash")
        );
        assert_eq!(write(None, Value::Float64(1e21)).as_deref(), Some("1.0E21"));
        assert_eq!(write(None, Value::Float64(1e-7)).as_deref(), Some("1.0E-7"));
        assert_eq!(
            write(None, Value::Float64(f64::NEG_INFINITY)).as_deref(),
            Some("-Infinity")
        );
        // header_converters-ae6f0e26a9, -dc5a4a0d6f
        assert_eq!(
            write(None, Value::Bytes(vec![1, 2])).as_deref(),
            Some("AQI=")
        );
        assert_eq!(
            write(None, Value::Bytes(vec![0xff])).as_deref(),
            Some("/w==")
        );
        // header_converters-336a7db3af
        let d = logical::schema_of(Logical::Decimal, false, 0);
        assert_eq!(
            write(Some(&d), Value::Decimal(Decimal::parse("-12").unwrap())).as_deref(),
            Some("-12")
        );
        // header_converters-30d466f7c9, -c8fdb76581, -2f71910504, -7a3ab8c542, -31e076379a
        assert_eq!(
            write(None, Value::Date(19000)).as_deref(),
            Some("2022-01-08")
        );
        assert_eq!(
            write(None, Value::Time(3723004)).as_deref(),
            Some("01:02:03.004Z")
        );
        assert_eq!(
            write(None, Value::Timestamp(1700000000123)).as_deref(),
            Some("2023-11-14T22:13:20.123Z")
        );
        assert_eq!(
            write(None, Value::Timestamp(0)).as_deref(),
            Some("00:00:00.000Z")
        );
        assert_eq!(
            write(None, Value::Timestamp(86400000)).as_deref(),
            Some("1970-01-02")
        );
        // header_converters-e83c3eaf7a, -7434befa1c
        let list = Value::Array(vec!["a".into(), "b c".into(), "d\"e".into()]);
        assert_eq!(write(None, list).as_deref(), Some(r#"["a","b c","d\"e"]"#));
        let map = Value::Map(vec![(Value::Int64(1), Value::Int64(2))]);
        assert_eq!(write(None, map).as_deref(), Some("{1:2}"));
        // header_converters-07386f39f5
        let schema = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .field("b", Schema::optional(Type::String))
            .build()
            .unwrap();
        let mut s = Struct::new(&schema).unwrap();
        s.put("a", 1i32).unwrap();
        assert_eq!(
            write(Some(&schema), Value::Struct(s)).as_deref(),
            Some(r#"{"a":1,"b":null}"#)
        );
        assert_eq!(write(None, Value::Null), None);
    }

    #[test]
    fn reads_text_with_parse_string() {
        // header_converters-ec98d3abf3, -1cea5f3a3f, -a11f643834, -146ee70d11
        assert_eq!(read(None), SchemaAndValue::null());
        assert_eq!(
            read(Some(b"")),
            SchemaAndValue::new(Some(Schema::required(Type::String)), "".into())
        );
        assert_eq!(read(Some(b"null")), SchemaAndValue::null());
        assert_eq!(read(Some(b"NULL")).value, Value::from("NULL"));
        // header_converters-e12bedcaae, -b86046be48, -6ba2d73936, -fc3da7a444
        assert_eq!(read(Some(b"true")).value, Value::Boolean(true));
        assert_eq!(read(Some(b"32768")).value, Value::Int32(32768));
        assert_eq!(
            read(Some(b"9223372036854775807")).value,
            Value::Int64(i64::MAX)
        );
        assert_eq!(read(Some(b"1E3")).value, Value::Int16(1000));
        // header_converters-e88c35be48, -98e886788b, -b7d8cc7e9e
        assert_eq!(read(Some(&[0xC3, 0x28])).value, Value::from("\u{FFFD}("));
        assert_eq!(read(Some(&[0])).value, Value::from("\u{0}"));
        assert_eq!(
            read(Some("\u{65e5}\u{672c}".as_bytes())).value,
            Value::from("\u{65e5}\u{672c}")
        );
        // header_converters-fb5041b994
        let sv = read(Some(b"{1:2}"));
        assert_eq!(sv.value, Value::Map(vec![(Value::Int8(1), Value::Int8(2))]));
    }

    #[test]
    fn unparseable_text_is_kept_as_bytes() {
        let deep = "[".repeat(1000);
        let sv = read(Some(deep.as_bytes()));
        assert_eq!(sv.schema, Some(Schema::required(Type::Bytes)));
        assert_eq!(sv.value, Value::Bytes(deep.into_bytes()));
    }
}
