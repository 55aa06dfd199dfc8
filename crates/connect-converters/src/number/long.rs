//! `org.apache.kafka.connect.converters.LongConverter`. (Skeleton: being implemented.)

use std::collections::BTreeMap;

use connect_api::{
    ConnectError, Converter, HeaderConverter, Headers, Result, Schema, SchemaAndValue, Value,
};

fn todo_err() -> ConnectError {
    ConnectError::other("LongConverter: not implemented yet")
}

/// `org.apache.kafka.connect.converters.LongConverter`.
#[derive(Debug)]
pub struct LongConverter {
    _is_key: bool,
}

impl LongConverter {
    /// Configures the converter from its own keys.
    pub fn new(_config: &BTreeMap<String, String>, is_key: bool) -> Result<Self> {
        Ok(LongConverter { _is_key: is_key })
    }
}

impl Converter for LongConverter {
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

impl HeaderConverter for LongConverter {
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
