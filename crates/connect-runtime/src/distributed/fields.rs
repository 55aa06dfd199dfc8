//! Fields of the internal topics' values (schemaless JSON read as `Value::Map`), with errors
//! that name the topic, the record's key and the field.

use connect_api::{ConnectError, Value};

/// A record's value, read field by field.
pub(crate) struct Fields<'a> {
    /// `Config` or `Status`: which topic the record is from.
    pub(crate) topic: &'static str,
    /// The record's key.
    pub(crate) key: &'a str,
    /// The value.
    pub(crate) value: &'a Value,
}

impl<'a> Fields<'a> {
    /// The field `name`, if the value is a map holding it.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Value> {
        let Value::Map(entries) = self.value else {
            return None;
        };
        entries
            .iter()
            .find(|(k, _)| matches!(k, Value::String(s) if s == name))
            .map(|(_, v)| v)
    }

    /// The same record's nested value `value`.
    pub(crate) fn nested(&self, value: &'a Value) -> Fields<'a> {
        Fields {
            topic: self.topic,
            key: self.key,
            value,
        }
    }

    /// The error for a missing or invalid `what`: the reader logs it and skips the record.
    pub(crate) fn malformed(&self, what: &str) -> ConnectError {
        malformed(self.topic, self.key, what)
    }

    pub(crate) fn text(&self, name: &str) -> Result<String, ConnectError> {
        match self.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(self.malformed(name)),
        }
    }

    pub(crate) fn int(&self, name: &str) -> Result<i64, ConnectError> {
        match self.get(name) {
            Some(Value::Int8(n)) => Ok(i64::from(*n)),
            Some(Value::Int16(n)) => Ok(i64::from(*n)),
            Some(Value::Int32(n)) => Ok(i64::from(*n)),
            Some(Value::Int64(n)) => Ok(*n),
            _ => Err(self.malformed(name)),
        }
    }

    pub(crate) fn flag(&self, name: &str) -> Result<bool, ConnectError> {
        match self.get(name) {
            Some(Value::Boolean(b)) => Ok(*b),
            _ => Err(self.malformed(name)),
        }
    }
}

/// The error for a record of topic `topic` (`Config`, `Status`) whose `what` is missing or
/// invalid.
pub(crate) fn malformed(topic: &str, key: &str, what: &str) -> ConnectError {
    ConnectError::data(format!(
        "{topic} topic record '{key}' has no valid {what}; the record is skipped"
    ))
}

/// One field of a value being written.
pub(crate) fn entry(name: &str, value: Value) -> (Value, Value) {
    (Value::String(name.into()), value)
}
