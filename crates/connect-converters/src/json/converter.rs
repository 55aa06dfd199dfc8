//! The JsonConverter itself. (Skeleton: being implemented.)

use std::collections::BTreeMap;

use connect_api::{
    ConnectError, Converter, HeaderConverter, Headers, Result, Schema, SchemaAndValue, Value,
};

use crate::json::JsonNode;

fn todo_err() -> ConnectError {
    ConnectError::other("JsonConverter: not implemented yet")
}

/// `org.apache.kafka.connect.json.JsonConverter`, configured.
#[derive(Debug)]
pub struct JsonConverter {
    _is_key: bool,
}

impl JsonConverter {
    /// Configures a converter from its own keys (`schemas.enable`, `decimal.format`,
    /// `replace.null.with.default`, `schemas.cache.size`, `converter.type`).
    pub fn new(_config: &BTreeMap<String, String>, is_key: bool) -> Result<Self> {
        Ok(JsonConverter { _is_key: is_key })
    }

    /// Java `asConnectSchema`: a Connect schema from its JSON form (`None` for JSON null).
    pub fn as_connect_schema(&self, _json: &JsonNode) -> Result<Option<Schema>> {
        Err(todo_err())
    }

    /// Java `asJsonSchema`: the JSON form of a schema (`JsonNode::Null` for none).
    pub fn as_json_schema(&self, _schema: Option<&Schema>) -> Result<JsonNode> {
        Err(todo_err())
    }
}

impl Converter for JsonConverter {
    fn from_connect_data(
        &self,
        _topic: &str,
        _headers: &mut Headers,
        _schema: Option<&Schema>,
        _value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        Err(todo_err())
    }

    fn to_connect_data(
        &self,
        _topic: &str,
        _headers: &Headers,
        _bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        Err(todo_err())
    }
}

impl HeaderConverter for JsonConverter {
    fn from_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        _schema: Option<&Schema>,
        _value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        Err(todo_err())
    }

    fn to_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        _bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        Err(todo_err())
    }
}
