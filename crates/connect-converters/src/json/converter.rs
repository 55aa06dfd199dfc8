//! The JsonConverter itself: configuration, the schema caches and the converter traits.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};

use connect_api::{
    ConnectError, Converter, HeaderConverter, Headers, Result, Schema, SchemaAndValue, Value,
};

use super::cache::{DecodeCache, EncodeCache};
use super::config::JsonConverterConfig;
use super::envelope::{self, Document, Typed};
use super::node::NodeBuilder;
use super::parser::{JsonParseError, Parser};
use super::{decode, encode, schema_in, schema_out, schemaless, JsonNode};

/// The largest output size used to pre-size the next output buffer (one huge record must not
/// make every later buffer huge).
const MAX_SIZE_HINT: usize = 64 * 1024;

const ENVELOPE_ERROR: &str = "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

fn serialization_error(e: JsonParseError) -> ConnectError {
    ConnectError::data_with(
        "Converting byte[] to Kafka Connect data failed due to serialization error: ",
        e,
    )
}

/// `org.apache.kafka.connect.json.JsonConverter`, configured.
///
/// Output is byte-identical to Kafka 3.9's. Input is read with Kafka's leniencies, except that
/// JSON values Kafka would silently coerce into different data (a string or an out-of-range
/// number under an integer schema, `1` under a boolean schema, …) are rejected with a data error
/// that names the expected type and the offending JSON (see `decode.rs`).
pub struct JsonConverter {
    config: JsonConverterConfig,
    encode_cache: EncodeCache,
    decode_cache: DecodeCache,
    /// The size of the last output, to reserve the next buffer in one go.
    size_hint: AtomicUsize,
}

impl fmt::Debug for JsonConverter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonConverter")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl JsonConverter {
    /// Configures a converter from its own keys (`schemas.enable`, `decimal.format`,
    /// `replace.null.with.default`, `schemas.cache.size`, `converter.type`). Invalid values are
    /// `ConnectError::Config` naming the key and the value; unknown keys are ignored.
    pub fn new(config: &BTreeMap<String, String>, is_key: bool) -> Result<Self> {
        Ok(Self::with_config(JsonConverterConfig::parse(
            config, is_key,
        )?))
    }

    /// A converter with an already parsed configuration.
    pub fn with_config(config: JsonConverterConfig) -> Self {
        let capacity = config.cache_capacity();
        JsonConverter {
            config,
            encode_cache: EncodeCache::new(capacity),
            decode_cache: DecodeCache::new(capacity),
            size_hint: AtomicUsize::new(64),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &JsonConverterConfig {
        &self.config
    }

    /// Java `asConnectSchema`: a Connect schema from its JSON form (`None` for JSON null).
    pub fn as_connect_schema(&self, json: &JsonNode) -> Result<Option<Schema>> {
        schema_in::as_connect_schema(json, &self.config)
    }

    /// Java `asJsonSchema`: the JSON form of a schema (`JsonNode::Null` for none).
    pub fn as_json_schema(&self, schema: Option<&Schema>) -> Result<JsonNode> {
        let mut out = Vec::new();
        schema_out::write_schema(&mut out, schema, &self.config)?;
        // Our own output always parses; number text is kept as written.
        Parser::new(&out, false)
            .document(&mut NodeBuilder::new())
            .ok()
            .flatten()
            .ok_or_else(|| ConnectError::other("JsonConverter: unreadable schema JSON"))
    }

    /// The JSON text of `schema` (as [`as_json_schema`](Self::as_json_schema) but as bytes,
    /// exactly as they appear in an envelope), appended to `out`.
    pub fn write_json_schema(&self, schema: Option<&Schema>, out: &mut Vec<u8>) -> Result<()> {
        match schema {
            None => {
                out.extend_from_slice(b"null");
                Ok(())
            }
            Some(schema) => self.write_schema_cached(schema, out),
        }
    }

    fn write_schema_cached(&self, schema: &Schema, out: &mut Vec<u8>) -> Result<()> {
        if self.encode_cache.write(schema, out) {
            return Ok(());
        }
        let start = out.len();
        schema_out::write_schema(out, Some(schema), &self.config)?;
        self.encode_cache.put(schema, &out[start..]);
        Ok(())
    }

    fn read_schema(&self, text: &[u8]) -> Result<Option<Schema>> {
        if text == b"null" {
            return Ok(None);
        }
        if let Some(schema) = self.decode_cache.get(text) {
            return Ok(Some(schema));
        }
        let node = Parser::new(text, true)
            .document(&mut NodeBuilder::new())
            .map_err(serialization_error)?
            .unwrap_or(JsonNode::Null);
        let schema = schema_in::as_connect_schema(&node, &self.config)?;
        if let Some(schema) = &schema {
            self.decode_cache.put(text, schema);
        }
        Ok(schema)
    }

    /// Java `fromConnectData`.
    fn encode(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if schema.is_none() && value.is_null() {
            return Ok(None);
        }
        let mut out = Vec::with_capacity(self.size_hint.load(Ordering::Relaxed) + 16);
        if self.config.schemas_enable {
            out.extend_from_slice(b"{\"schema\":");
            self.write_json_schema(schema, &mut out)?;
            out.extend_from_slice(b",\"payload\":");
            encode::write_value(&mut out, schema, value, &self.config)?;
            out.push(b'}');
        } else {
            encode::write_value(&mut out, schema, value, &self.config)?;
        }
        self.size_hint
            .store(out.len().min(MAX_SIZE_HINT), Ordering::Relaxed);
        Ok(Some(out))
    }

    /// Java `toConnectData`.
    fn decode(&self, bytes: Option<&[u8]>) -> Result<SchemaAndValue> {
        let Some(bytes) = bytes else {
            return Ok(SchemaAndValue::null());
        };
        if !self.config.schemas_enable {
            return match schemaless::read(bytes) {
                schemaless::Read::Value(v) => Ok(SchemaAndValue::new(None, v)),
                schemaless::Read::Syntax(e) => Err(serialization_error(e)),
                schemaless::Read::Conversion(e) => Err(e),
            };
        }
        let known = self.decode_cache.last();
        let known_ref = known.as_ref().map(|(text, schema)| (&text[..], schema));
        let resolve = |text: &[u8]| self.read_schema(text);
        match envelope::read_typed(bytes, known_ref, &resolve, &self.config)
            .map_err(serialization_error)?
        {
            Typed::NotEnvelope => Err(ConnectError::data(ENVELOPE_ERROR)),
            Typed::Done { schema, value } => {
                let schema = schema?;
                Ok(SchemaAndValue::new(schema, value?))
            }
            Typed::Generic => self.decode_generic(bytes),
        }
    }

    /// The reference reading: the whole envelope as a tree, then the conversion.
    pub(crate) fn decode_generic(&self, bytes: &[u8]) -> Result<SchemaAndValue> {
        match envelope::read(bytes).map_err(serialization_error)? {
            Document::Other => Err(ConnectError::data(ENVELOPE_ERROR)),
            Document::Envelope { schema, payload } => {
                let schema = self.read_schema(schema)?;
                let value = decode::convert(schema.as_ref(), payload, &self.config)?;
                Ok(SchemaAndValue::new(schema, value))
            }
        }
    }
}

impl Converter for JsonConverter {
    fn from_connect_data(
        &self,
        _topic: &str,
        _headers: &mut Headers,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        self.encode(schema, value)
    }

    fn to_connect_data(
        &self,
        _topic: &str,
        _headers: &Headers,
        bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        self.decode(bytes)
    }
}

impl HeaderConverter for JsonConverter {
    fn from_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        self.encode(schema, value)
    }

    fn to_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        bytes: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        self.decode(bytes)
    }
}
