//! `org.apache.kafka.connect.converters.LongConverter`: a `java.lang.Long` as 8 big-endian bytes.

use std::collections::BTreeMap;

use connect_api::{Result, Schema, SchemaAndValue, Type, Value};

use super::{array, number_converter_traits, NumberKind};

const KIND: NumberKind = NumberKind {
    name: "long",
    java_class: "java.lang.Long",
    schema_type: Type::Int64,
    deserializer: "LongDeserializer",
    width: 8,
};

/// `org.apache.kafka.connect.converters.LongConverter`.
///
/// Writes a [`Value::Int64`] (any other value is a data error, whatever the schema) as 8
/// big-endian bytes, as Kafka's serializer does; reads them back with an optional INT64
/// schema. Also a header converter.
#[derive(Debug, Clone, Default)]
pub struct LongConverter {}

impl LongConverter {
    /// Configures the converter (it takes no keys of its own).
    pub fn new(_config: &BTreeMap<String, String>, _is_key: bool) -> Result<Self> {
        Ok(LongConverter {})
    }

    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        KIND.serialize(value, |v| match v {
            Value::Int64(x) => Some(x.to_be_bytes().to_vec()),
            _ => None,
        })
    }

    fn deserialize(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        KIND.deserialize(bytes, |b| Value::Int64(i64::from_be_bytes(array(b))))
    }
}

number_converter_traits!(LongConverter);
