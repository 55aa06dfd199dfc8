//! `org.apache.kafka.connect.json.JsonConverter`, byte-compatible with Apache Kafka 3.9.
//!
//! - `parser.rs`: one JSON grammar (Jackson's leniencies optional), generic over what it builds.
//! - `node.rs`: [`JsonNode`], a tree that keeps number text exact.
//! - `writer.rs`: Jackson-identical output ([`write_json`], [`write_json_string`]).
//! - `b64.rs`: Jackson's base64 reading rules.
//! - `config.rs`: [`JsonConverterConfig`].
//! - `schema_out.rs` / `schema_in.rs`: `asJsonSchema` / `asConnectSchema`.
//! - `encode.rs` / `decode.rs`: `convertToJson` / `convertToConnect`.
//! - `envelope.rs`, `schemaless.rs`: the two reading paths; `cache.rs`: schema caches;
//!   `mapkeys.rs`: Java `HashMap.put` semantics for decoded maps.
//! - `converter.rs`: [`JsonConverter`] and the converter traits.

mod b64;
mod cache;
mod config;
mod converter;
mod decode;
mod encode;
mod envelope;
mod layout;
mod mapkeys;
mod node;
mod parser;
mod schema_in;
mod schema_out;
mod schemaless;
mod stacks;
mod typed;
mod writer;

#[cfg(test)]
mod tests;

pub use config::{
    ConverterType, DecimalFormat, JsonConverterConfig, CONVERTER_TYPE_CONFIG,
    DECIMAL_FORMAT_CONFIG, REPLACE_NULL_WITH_DEFAULT_CONFIG, SCHEMAS_CACHE_SIZE_CONFIG,
    SCHEMAS_ENABLE_CONFIG,
};
pub use converter::JsonConverter;
pub use node::{JsonNode, JsonParseError};
pub use writer::{to_json_bytes, write_json, write_json_string};
