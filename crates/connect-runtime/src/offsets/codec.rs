//! Offset keys and values as Kafka writes them: key `["<connector>",{partition}]`, value
//! `{offset}`, both compact JSON from a schemaless JsonConverter, byte-identical to Jackson
//! (lookups are byte-exact, reference §4.3).

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::plugin::OffsetStorageReader;
use connect_api::{ConnectError, Converter, Headers, Result, Value};
use connect_converters::JsonConverter;

use super::store::OffsetStore;

/// Encodes and decodes offset keys and values.
pub struct OffsetCodec {
    json: JsonConverter,
}

impl std::fmt::Debug for OffsetCodec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OffsetCodec")
    }
}

impl OffsetCodec {
    /// A codec (JsonConverter with `schemas.enable=false`, as Kafka's internal converter).
    pub fn new() -> Result<Self> {
        let config: BTreeMap<String, String> =
            [("schemas.enable".to_string(), "false".to_string())].into();
        Ok(OffsetCodec {
            json: JsonConverter::new(&config, true)?,
        })
    }

    /// A value as compact JSON, exactly as Kafka's internal converter writes it.
    pub fn encode(&self, value: &Value) -> Result<Vec<u8>> {
        Ok(self
            .json
            .from_connect_data("", &mut Headers::new(), None, value)?
            .unwrap_or_else(|| b"null".to_vec()))
    }

    /// The key of `partition` of connector `connector`.
    pub fn key(&self, connector: &str, partition: &Value) -> Result<Vec<u8>> {
        check_map("partition", partition)?;
        self.encode(&Value::Array(vec![
            Value::String(connector.to_string()),
            partition.clone(),
        ]))
    }

    /// An offset value's bytes (`None` for a null offset, which deletes the entry).
    pub fn value(&self, offset: &Value) -> Result<Option<Vec<u8>>> {
        if offset.is_null() {
            return Ok(None);
        }
        check_map("offset", offset)?;
        self.encode(offset).map(Some)
    }

    /// Decodes stored bytes (a key or a value).
    pub fn decode(&self, bytes: &[u8]) -> Result<Value> {
        Ok(self
            .json
            .to_connect_data("", &Headers::new(), Some(bytes))?
            .value)
    }
}

/// Partitions and offsets are maps with string keys and primitive values (Kafka's
/// `OffsetUtils.validateFormat`).
fn check_map(what: &str, value: &Value) -> Result<()> {
    let Value::Map(entries) = value else {
        return Err(ConnectError::data(format!(
            "Offsets and partitions must be maps; the source {what} is a {}",
            value.java_class()
        )));
    };
    for (k, v) in entries {
        if !matches!(k, Value::String(_)) {
            return Err(ConnectError::data(format!(
                "Keys in the source {what} must be strings, found {}",
                k.java_class()
            )));
        }
        if matches!(v, Value::Map(_) | Value::Array(_) | Value::Struct(_)) {
            return Err(ConnectError::data(format!(
                "Values in the source {what} must be primitive; {k} holds a {}",
                v.java_class()
            )));
        }
    }
    Ok(())
}

/// A task's view of the committed offsets of its connector.
pub struct ConnectorOffsets {
    connector: String,
    codec: Arc<OffsetCodec>,
    store: Arc<dyn OffsetStore>,
}

impl ConnectorOffsets {
    /// The offsets of `connector` in `store`.
    pub fn new(connector: &str, codec: Arc<OffsetCodec>, store: Arc<dyn OffsetStore>) -> Self {
        ConnectorOffsets {
            connector: connector.to_string(),
            codec,
            store,
        }
    }
}

impl OffsetStorageReader for ConnectorOffsets {
    fn offset(&self, partition: &Value) -> Result<Option<Value>> {
        let key = self.codec.key(&self.connector, partition)?;
        match self.store.get(&key) {
            Some(bytes) => {
                let value = self.codec.decode(&bytes).map_err(|e| {
                    ConnectError::other(format!(
                        "The stored offset of {partition} for connector {} is not valid JSON: {e}",
                        self.connector
                    ))
                })?;
                Ok((!value.is_null()).then_some(value))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::offsets::MemoryOffsetStore;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (Value::String(k.to_string()), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn keys_and_values_are_kafkas_bytes() {
        let c = OffsetCodec::new().unwrap();
        let key = c
            .key(
                "local-file-source",
                &map(&[("filename", Value::String("test.txt".into()))]),
            )
            .unwrap();
        assert_eq!(key, br#"["local-file-source",{"filename":"test.txt"}]"#);
        let value = c.value(&map(&[("position", Value::Int64(1234))])).unwrap();
        assert_eq!(value.as_deref(), Some(&br#"{"position":1234}"#[..]));
        assert_eq!(c.value(&Value::Null).unwrap(), None);
        assert_eq!(
            c.decode(br#"{"position":1234}"#).unwrap(),
            map(&[("position", Value::Int64(1234))])
        );
    }

    #[test]
    fn nested_or_non_map_offsets_are_data_errors() {
        let c = OffsetCodec::new().unwrap();
        assert!(c.key("c", &Value::Int32(1)).unwrap_err().is_data());
        assert!(c
            .value(&map(&[("x", Value::Array(vec![]))]))
            .unwrap_err()
            .is_data());
    }

    #[test]
    fn reader_finds_offsets_by_exact_key() {
        let codec = Arc::new(OffsetCodec::new().unwrap());
        let store = Arc::new(MemoryOffsetStore::default());
        let p = map(&[("filename", Value::String("a".into()))]);
        store
            .put_all(vec![(
                codec.key("c", &p).unwrap(),
                codec.value(&map(&[("position", Value::Int64(5))])).unwrap(),
            )])
            .unwrap();
        let reader = ConnectorOffsets::new("c", codec.clone(), store.clone());
        assert_eq!(
            reader.offset(&p).unwrap(),
            Some(map(&[("position", Value::Int64(5))]))
        );
        let other = ConnectorOffsets::new("d", codec, store);
        assert_eq!(other.offset(&p).unwrap(), None);
    }
}
