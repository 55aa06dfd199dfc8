//! `org.apache.kafka.connect.json.JsonConverter`.

mod node;

pub use node::{JsonNode, JsonParseError};
