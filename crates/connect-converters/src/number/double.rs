//! `org.apache.kafka.connect.converters.DoubleConverter`: a `java.lang.Double` as 8 big-endian bytes.

use std::collections::BTreeMap;

use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use super::{array, number_converter_traits, NumberKind};

const KIND: NumberKind = NumberKind {
    name: "double",
    java_class: "java.lang.Double",
    schema_type: Type::Float64,
    deserializer: "Deserializer",
    width: 8,
};

/// `org.apache.kafka.connect.converters.DoubleConverter`.
///
/// Writes a [`Value::Float64`] (any other value is a data error, whatever the schema) as 8
/// big-endian bytes, as Kafka's serializer does; reads them back with an optional FLOAT64
/// schema. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct DoubleConverter {}

impl DoubleConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(DoubleConverter {})
    }

    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        KIND.serialize(value, |v| match v {
            Value::Float64(x) => Some(x.to_be_bytes().to_vec()),
            _ => None,
        })
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        KIND.deserialize(bytes, |b| Value::Float64(f64::from_be_bytes(array(b))))
    }
}

number_converter_traits!(DoubleConverter);
