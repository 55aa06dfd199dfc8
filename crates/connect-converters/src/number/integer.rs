//! `org.apache.kafka.connect.converters.IntegerConverter`: a `java.lang.Integer` as 4 big-endian bytes.

use std::collections::BTreeMap;

use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use super::{array, number_converter_traits, NumberKind};

const KIND: NumberKind = NumberKind {
    name: "integer",
    java_class: "java.lang.Integer",
    schema_type: Type::Int32,
    deserializer: "IntegerDeserializer",
    width: 4,
};

/// `org.apache.kafka.connect.converters.IntegerConverter`.
///
/// Writes a [`Value::Int32`] (any other value is a data error, whatever the schema) as 4
/// big-endian bytes, as Kafka's serializer does; reads them back with an optional INT32
/// schema. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct IntegerConverter {}

impl IntegerConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(IntegerConverter {})
    }

    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        KIND.serialize(value, |v| match v {
            Value::Int32(x) => Some(x.to_be_bytes().to_vec()),
            _ => None,
        })
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        KIND.deserialize(bytes, |b| Value::Int32(i32::from_be_bytes(array(b))))
    }
}

number_converter_traits!(IntegerConverter);
