//! `org.apache.kafka.connect.converters.FloatConverter`: a `java.lang.Float` as 4 big-endian bytes.

use std::collections::BTreeMap;

use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use super::{array, number_converter_traits, NumberKind};

const KIND: NumberKind = NumberKind {
    name: "float",
    java_class: "java.lang.Float",
    schema_type: Type::Float32,
    deserializer: "Deserializer",
    width: 4,
};

/// `org.apache.kafka.connect.converters.FloatConverter`.
///
/// Writes a [`Value::Float32`] (any other value is a data error, whatever the schema) as 4
/// big-endian bytes, as Kafka's serializer does; reads them back with an optional FLOAT32
/// schema. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct FloatConverter {}

impl FloatConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(FloatConverter {})
    }

    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        KIND.serialize(value, |v| match v {
            Value::Float32(x) => Some(x.to_be_bytes().to_vec()),
            _ => None,
        })
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        KIND.deserialize(bytes, |b| Value::Float32(f32::from_be_bytes(array(b))))
    }
}

number_converter_traits!(FloatConverter);
