//! `org.apache.kafka.connect.json.JsonConverter`.

mod converter;
mod node;

pub use converter::JsonConverter;
pub use node::{JsonNode, JsonParseError};
