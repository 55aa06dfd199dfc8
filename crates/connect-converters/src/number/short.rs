//! `org.apache.kafka.connect.converters.ShortConverter`: a `java.lang.Short` as 2 big-endian bytes.

use std::collections::BTreeMap;

use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use super::{array, number_converter_traits, NumberKind};

const KIND: NumberKind = NumberKind {
    name: "short",
    java_class: "java.lang.Short",
    schema_type: Type::Int16,
    deserializer: "ShortDeserializer",
    width: 2,
};

/// `org.apache.kafka.connect.converters.ShortConverter`.
///
/// Writes a [`Value::Int16`] (any other value is a data error, whatever the schema) as 2
/// big-endian bytes, as Kafka's serializer does; reads them back with an optional INT16
/// schema. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct ShortConverter {}

impl ShortConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(ShortConverter {})
    }

    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        KIND.serialize(value, |v| match v {
            Value::Int16(x) => Some(x.to_be_bytes().to_vec()),
            _ => None,
        })
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        KIND.deserialize(bytes, |b| Value::Int16(i16::from_be_bytes(array(b))))
    }
}

number_converter_traits!(ShortConverter);
