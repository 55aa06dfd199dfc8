//! Converters whose key/value form and header form are the same bytes (every converter here
//! but the JsonConverter's envelope handling) implement [`Codec`] once; [`codec_converter!`]
//! derives both `Converter` and `HeaderConverter` from it.

use connect_api::{Result, Schema, SchemaAndValue, Value};

/// One encoding of Connect data, independent of topic, headers and header key.
pub(crate) trait Codec {
    /// Encodes a value (Java `fromConnectData` / `fromConnectHeader`).
    fn encode(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>>;
    /// [`Codec::encode`] of a value the caller gives up (may reuse its buffer).
    fn encode_owned(&self, schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        self.encode(schema, &value)
    }
    /// Decodes bytes (Java `toConnectData` / `toConnectHeader`).
    fn decode(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue>;
}

/// Implements `Converter` and `HeaderConverter` for a type that implements [`Codec`].
macro_rules! codec_converter {
    ($ty:ty) => {
        impl connect_api::Converter for $ty {
            fn from_connect_data(
                &self,
                _topic: &str,
                _headers: &mut connect_api::Headers,
                schema: Option<&connect_api::Schema>,
                value: &connect_api::Value,
            ) -> connect_api::Result<Option<Vec<u8>>> {
                $crate::codec::Codec::encode(self, schema, value)
            }

            fn from_connect_data_owned(
                &self,
                _topic: &str,
                _headers: &mut connect_api::Headers,
                schema: Option<&connect_api::Schema>,
                value: connect_api::Value,
            ) -> connect_api::Result<Option<Vec<u8>>> {
                $crate::codec::Codec::encode_owned(self, schema, value)
            }

            fn to_connect_data(
                &self,
                _topic: &str,
                _headers: &connect_api::Headers,
                bytes: Option<&[u8]>,
            ) -> connect_api::Result<connect_api::SchemaAndValue> {
                $crate::codec::Codec::decode(self, bytes)
            }
        }

        impl connect_api::HeaderConverter for $ty {
            fn from_connect_header(
                &self,
                _topic: &str,
                _header_key: &str,
                schema: Option<&connect_api::Schema>,
                value: &connect_api::Value,
            ) -> connect_api::Result<Option<Vec<u8>>> {
                $crate::codec::Codec::encode(self, schema, value)
            }

            fn to_connect_header(
                &self,
                _topic: &str,
                _header_key: &str,
                bytes: Option<&[u8]>,
            ) -> connect_api::Result<connect_api::SchemaAndValue> {
                $crate::codec::Codec::decode(self, bytes)
            }
        }
    };
}
pub(crate) use codec_converter;
