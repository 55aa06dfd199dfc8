//! Schema JSON, the way the cases use it: input schemas go through Ferry's
//! `JsonConverter::as_connect_schema`, output schemas through `as_json_schema`, both of a
//! JsonConverter with the default configuration.

use std::collections::BTreeMap;

use connect_api::Schema;
use connect_converters::json::JsonNode;
use connect_converters::JsonConverter;

use crate::out::Out;
use crate::outcome::{Failure, Stage};

/// Shared state of a run: the default-config JsonConverter used for schema JSON.
pub struct Ctx {
    json: Result<JsonConverter, String>,
}

impl Ctx {
    /// A context with a default-config JsonConverter.
    pub fn new() -> Ctx {
        let json = JsonConverter::new(&BTreeMap::new(), false).map_err(|e| e.to_string());
        Ctx { json }
    }

    fn converter(&self, stage: Stage) -> Result<&JsonConverter, Failure> {
        self.json.as_ref().map_err(|e| {
            Failure::invalid(format!(
                "the default JsonConverter cannot be built ({e}), needed at stage {stage}"
            ))
        })
    }

    /// An input schema (`None` for JSON null). Errors are Ferry errors at stage `parse`.
    pub fn parse_schema(&self, node: &JsonNode) -> Result<Option<Schema>, Failure> {
        if matches!(node, JsonNode::Null) {
            return Ok(None);
        }
        parse_schema_with(self.converter(Stage::Parse)?, node)
    }

    /// The JSON form of an output schema. Errors are Ferry errors at stage `render`.
    pub fn schema_out(&self, schema: Option<&Schema>) -> Result<Out, Failure> {
        schema_out_with(self.converter(Stage::Render)?, schema)
    }
}

impl Default for Ctx {
    fn default() -> Self {
        Ctx::new()
    }
}

/// `as_connect_schema` with a given converter; errors at stage `parse`.
pub fn parse_schema_with(conv: &JsonConverter, node: &JsonNode) -> Result<Option<Schema>, Failure> {
    conv.as_connect_schema(node)
        .map_err(|e| Failure::ferry(Stage::Parse, &e))
}

/// `as_json_schema` with a given converter; errors at stage `render`.
pub fn schema_out_with(conv: &JsonConverter, schema: Option<&Schema>) -> Result<Out, Failure> {
    let node = conv
        .as_json_schema(schema)
        .map_err(|e| Failure::ferry(Stage::Render, &e))?;
    Ok(Out::from_node(&node))
}
