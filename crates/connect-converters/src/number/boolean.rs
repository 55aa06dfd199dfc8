//! `org.apache.kafka.connect.converters.BooleanConverter`: one byte, `0x01` or `0x00`.

use std::collections::BTreeMap;

use connect_api::{ConnectError, Result, Schema, SchemaAndValue, Type, Value};

use super::{number_converter_traits, JavaCause};

/// `org.apache.kafka.connect.converters.BooleanConverter`.
///
/// Writes a [`Value::Boolean`] (schema absent or BOOLEAN) as one byte; reads `0x00`/`0x01`
/// back with an optional BOOLEAN schema, any other byte or length is a data error. Also a
/// header converter.
#[derive(Debug, Clone, Default)]
pub struct BooleanConverter {}

fn deserialize_error(message: String) -> ConnectError {
    ConnectError::data_with(
        "Failed to deserialize boolean: ",
        JavaCause {
            class: "org.apache.kafka.common.errors.SerializationException",
            message,
        },
    )
}

impl BooleanConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(BooleanConverter {})
    }

    fn serialize(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if let Some(schema) = schema {
            if schema.schema_type() != Type::Boolean {
                return Err(ConnectError::data(format!(
                    "Invalid schema type for BooleanConverter: {}",
                    schema.schema_type()
                )));
            }
        }
        match value {
            Value::Null => Ok(None),
            Value::Boolean(b) => Ok(Some(vec![u8::from(*b)])),
            other => Err(ConnectError::data(format!(
                "BooleanConverter is not compatible with objects of type {}",
                other.java_class()
            ))),
        }
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        let schema = Some(Schema::optional(Type::Boolean));
        let value = match bytes {
            None => Value::Null,
            Some([0]) => Value::Boolean(false),
            Some([1]) => Value::Boolean(true),
            Some([other]) => {
                return Err(deserialize_error(format!(
                    "Unexpected byte received by BooleanDeserializer: {}",
                    *other as i8
                )))
            }
            Some(_) => {
                return Err(deserialize_error(
                    "Size of data received by BooleanDeserializer is not 1".to_string(),
                ))
            }
        };
        Ok(SchemaAndValue::new(schema, value))
    }
}

number_converter_traits!(BooleanConverter);

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{Converter, Headers};
    use std::error::Error;

    fn write(schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        BooleanConverter::default().from_connect_data("t", &mut Headers::new(), schema, &value)
    }

    fn read(bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        BooleanConverter::default().to_connect_data("t", &Headers::new(), bytes)
    }

    #[test]
    fn writes_one_byte() {
        // converters-ecf7f2da5f, converters-ec10cfd1f9, converters-f8fa718cec
        let schema = Schema::required(Type::Boolean);
        assert_eq!(write(Some(&schema), false.into()).unwrap(), Some(vec![0]));
        assert_eq!(
            write(Some(&Schema::optional(Type::Boolean)), Value::Null).unwrap(),
            None
        );
        assert_eq!(write(None, true.into()).unwrap(), Some(vec![1]));
    }

    #[test]
    fn rejects_other_schemas_and_values() {
        // converters-33c799017f, converters-e40deb4e3f
        let e = write(Some(&Schema::required(Type::Int32)), Value::Int32(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid schema type for BooleanConverter: INT32"
        );
        let e = write(None, "true".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "BooleanConverter is not compatible with objects of type class java.lang.String"
        );
    }

    #[test]
    fn reads_one_byte() {
        // converters-4e8824a54c, converters-1d1f052aa6
        let sv = read(Some(&[1])).unwrap();
        assert_eq!(sv.schema, Some(Schema::optional(Type::Boolean)));
        assert_eq!(sv.value, Value::Boolean(true));
        assert_eq!(read(None).unwrap().value, Value::Null);
        // converters-e81a9b633e, converters-0ad42e5540
        let e = read(Some(&[0xFF])).unwrap_err();
        assert_eq!(e.to_string(), "Failed to deserialize boolean: ");
        assert_eq!(
            e.source().unwrap().to_string(),
            "org.apache.kafka.common.errors.SerializationException: Unexpected byte received by BooleanDeserializer: -1"
        );
        let e = read(Some(&[])).unwrap_err();
        assert!(e
            .source()
            .unwrap()
            .to_string()
            .ends_with("BooleanDeserializer is not 1"));
    }
}
