//! `org.apache.kafka.connect.converters.ByteArrayConverter`: bytes pass through unchanged.

use std::collections::BTreeMap;

use crate::codec::{codec_converter, Codec};
use connect_api::{ConnectError, Result, Schema, SchemaAndValue, Type, Value};

/// `org.apache.kafka.connect.converters.ByteArrayConverter`.
///
/// Writes a BYTES value (schema absent or BYTES) as is; any other schema type or value class is
/// a data error. Reads bytes as optional BYTES. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct ByteArrayConverter {}

impl ByteArrayConverter {
    /// Configures the converter (it takes no keys).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(ByteArrayConverter {})
    }

    fn serialize(schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if let Some(schema) = schema {
            if schema.schema_type() != Type::Bytes {
                return Err(ConnectError::data(format!(
                    "Invalid schema type for ByteArrayConverter: {}",
                    schema.schema_type()
                )));
            }
        }
        match value {
            Value::Null => Ok(None),
            Value::Bytes(bytes) => Ok(Some(bytes.clone())),
            other => Err(ConnectError::data(format!(
                "ByteArrayConverter is not compatible with objects of type {}",
                other.java_class()
            ))),
        }
    }

    fn deserialize(bytes: Option<&[u8]>) -> SchemaAndValue {
        let value = bytes.map_or(Value::Null, |b| Value::Bytes(b.to_vec()));
        SchemaAndValue::new(Some(Schema::optional(Type::Bytes)), value)
    }
}

impl Codec for ByteArrayConverter {
    fn encode(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        Self::serialize(schema, value)
    }

    fn decode(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        Ok(Self::deserialize(bytes))
    }
}

codec_converter!(ByteArrayConverter);

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::data::logical::{self, Logical};
    use connect_api::Decimal;
    use connect_api::{Converter, HeaderConverter, Headers};

    fn write(schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        ByteArrayConverter::default().from_connect_data("t", &mut Headers::new(), schema, &value)
    }

    #[test]
    fn passes_bytes_through() {
        // converters-80efa9c588, converters-563b1a4eeb
        let bytes = Schema::required(Type::Bytes);
        assert_eq!(
            write(Some(&bytes), Value::Bytes(vec![1, 2])).unwrap(),
            Some(vec![1, 2])
        );
        assert_eq!(
            write(Some(&bytes), Value::Bytes(vec![])).unwrap(),
            Some(vec![])
        );
        assert_eq!(write(None, Value::Null).unwrap(), None);
    }

    #[test]
    fn rejects_other_schemas_and_values() {
        // converters-ce00b47d03
        let e = write(Some(&Schema::required(Type::Int32)), Value::Int32(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid schema type for ByteArrayConverter: INT32"
        );
        // converters-f8b9383048
        let e = write(None, "a string".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "ByteArrayConverter is not compatible with objects of type class java.lang.String"
        );
        // converters-91c9a66a95
        let decimal = logical::schema_of(Logical::Decimal, false, 2);
        let e = write(
            Some(&decimal),
            Value::Decimal(Decimal::parse("1.50").unwrap()),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "ByteArrayConverter is not compatible with objects of type class java.math.BigDecimal"
        );
    }

    #[test]
    fn reads_optional_bytes() {
        // converters-83d8ecd8d1
        let c = ByteArrayConverter::default();
        let sv = c.to_connect_data("t", &Headers::new(), None).unwrap();
        assert_eq!(sv.schema, Some(Schema::optional(Type::Bytes)));
        assert_eq!(sv.value, Value::Null);
        let sv = c.to_connect_header("t", "h", Some(&[7])).unwrap();
        assert_eq!(sv.value, Value::Bytes(vec![7]));
    }
}
