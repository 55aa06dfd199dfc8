//! Converter traits: Connect data ↔ bytes for record keys, values and headers.
//!
//! Converters are pure and synchronous: they sit on the per-record hot path. They are built
//! already configured (there is no half-configured converter), by a constructor that takes the
//! converter's own config keys (the worker strips `key.converter.` / `value.converter.`).

use crate::data::{Schema, SchemaAndValue, Value};
use crate::error::Result;
use crate::header::Headers;

/// Converts record keys or values (Java `org.apache.kafka.connect.storage.Converter`).
pub trait Converter: Send + Sync {
    /// Java `fromConnectData`: serializes a value for `topic`. Called by a source task's loop
    /// after the transformation chain, once per record. `Ok(None)` is a null (tombstone) payload.
    /// An `Err` is a data error of stage `VALUE_CONVERTER`/`KEY_CONVERTER`: the runtime applies
    /// `errors.tolerance` (skip and dead-letter, or fail the task).
    #[allow(clippy::wrong_self_convention)] // Java's name, kept for users porting plugins
    fn from_connect_data(
        &self,
        topic: &str,
        headers: &mut Headers,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>>;

    /// [`Converter::from_connect_data`] for a value the caller no longer needs, called instead
    /// of it by a source task's loop. A converter whose output can reuse the value's buffer
    /// (the StringConverter's UTF-8 string) overrides it to save a copy; the result and the
    /// errors must be those of `from_connect_data`.
    #[allow(clippy::wrong_self_convention)]
    fn from_connect_data_owned(
        &self,
        topic: &str,
        headers: &mut Headers,
        schema: Option<&Schema>,
        value: Value,
    ) -> Result<Option<Vec<u8>>> {
        self.from_connect_data(topic, headers, schema, &value)
    }

    /// Java `toConnectData`: deserializes a consumed key or value (`None` for a null payload).
    /// Called by a sink task's loop before the transformation chain, once per record. An `Err`
    /// is a data error handled by `errors.tolerance` as above.
    fn to_connect_data(
        &self,
        topic: &str,
        headers: &Headers,
        bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue>;
}

/// Converts header values (Java `org.apache.kafka.connect.storage.HeaderConverter`).
pub trait HeaderConverter: Send + Sync {
    /// Java `fromConnectHeader`: serializes one header value. Called once per header of each
    /// produced record. `Ok(None)` writes a header with a null value. An `Err` is a data error
    /// (stage `HEADER_CONVERTER`) handled by `errors.tolerance`.
    #[allow(clippy::wrong_self_convention)] // Java's name
    fn from_connect_header(
        &self,
        topic: &str,
        header_key: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>>;

    /// Java `toConnectHeader`: deserializes one header value of a consumed record. An `Err` is
    /// a data error handled by `errors.tolerance`.
    fn to_connect_header(
        &self,
        topic: &str,
        header_key: &str,
        bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue>;
}
