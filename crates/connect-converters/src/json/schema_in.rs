//! JSON schema → Connect schema (Java `JsonConverter.asConnectSchema`), with Kafka's laxness:
//! `optional` counts only when it is the boolean `true`; `name` and `doc` only when strings;
//! `version` only when an integer (wrapped to 32 bits, so 4294967296 is version 0); non-object
//! `parameters` are ignored (but a non-string parameter value is an error); the default is
//! read with the payload rules against the schema built so far; and a struct schema with a
//! (non-null) struct default cannot be built at all (`Invalid default value`, caused by
//! `Struct schemas do not match.`, because Java validates it against the builder itself).

use connect_api::error::DataErrorKind;
use connect_api::{ConnectError, Result, Schema, SchemaBuilder, Type};
use num_bigint::BigInt;
use num_traits::ToPrimitive;

use super::config::JsonConverterConfig;
use super::decode::{convert, is_refused_coercion};
use super::JsonNode;

/// Java `asConnectSchema`: `None` for JSON null.
pub(crate) fn as_connect_schema(
    node: &JsonNode,
    cfg: &JsonConverterConfig,
) -> Result<Option<Schema>> {
    match node {
        JsonNode::Null => Ok(None),
        _ => parse(node, cfg).map(Some),
    }
}

fn child(node: &JsonNode, cfg: &JsonConverterConfig) -> Result<Option<Schema>> {
    as_connect_schema(node, cfg)
}

/// `JsonNode.intValue()` of an integral node: the low 32 bits.
fn int_value(node: &JsonNode) -> Option<i32> {
    match node {
        JsonNode::Int(v) => Some(*v as i32),
        JsonNode::BigInt(t) => {
            let big: BigInt = t.parse().ok()?;
            let low = big.clone() & BigInt::from(u32::MAX);
            let low = low.to_u32()?;
            Some(low as i32)
        }
        _ => None,
    }
}

fn parse(node: &JsonNode, cfg: &JsonConverterConfig) -> Result<Schema> {
    let type_name = match node.get("type") {
        Some(JsonNode::String(t)) => t.as_str(),
        _ => return Err(ConnectError::data("Schema must contain 'type' field")),
    };
    let mut builder = match type_name {
        "boolean" => SchemaBuilder::new(Type::Boolean),
        "int8" => SchemaBuilder::new(Type::Int8),
        "int16" => SchemaBuilder::new(Type::Int16),
        "int32" => SchemaBuilder::new(Type::Int32),
        "int64" => SchemaBuilder::new(Type::Int64),
        "float" => SchemaBuilder::new(Type::Float32),
        "double" => SchemaBuilder::new(Type::Float64),
        "bytes" => SchemaBuilder::new(Type::Bytes),
        "string" => SchemaBuilder::new(Type::String),
        "array" => {
            let items = match node.get("items") {
                None | Some(JsonNode::Null) => {
                    return Err(ConnectError::data(
                        "Array schema did not specify the element type",
                    ))
                }
                Some(items) => items,
            };
            let item_schema = child(items, cfg)?
                .ok_or_else(|| ConnectError::schema_builder("valueSchema cannot be null."))?;
            SchemaBuilder::array(item_schema)
        }
        "map" => {
            let keys = node
                .get("keys")
                .ok_or_else(|| ConnectError::data("Map schema did not specify the key type"))?;
            let values = node
                .get("values")
                .ok_or_else(|| ConnectError::data("Map schema did not specify the value type"))?;
            let key_schema = child(keys, cfg)?;
            let value_schema = child(values, cfg)?;
            let key_schema = key_schema
                .ok_or_else(|| ConnectError::schema_builder("keySchema cannot be null."))?;
            let value_schema = value_schema
                .ok_or_else(|| ConnectError::schema_builder("valueSchema cannot be null."))?;
            SchemaBuilder::map(key_schema, value_schema)
        }
        "struct" => {
            let Some(JsonNode::Array(fields)) = node.get("fields") else {
                return Err(ConnectError::data(
                    "Struct schema's \"fields\" argument is not an array.",
                ));
            };
            let mut builder = SchemaBuilder::struct_builder();
            for field in fields {
                let Some(JsonNode::String(name)) = field.get("field") else {
                    return Err(ConnectError::data(
                        "Struct schema's field name not specified properly",
                    ));
                };
                let field_schema = parse(field, cfg)?;
                let before = builder.fields().len();
                builder = builder.field(name.as_str(), field_schema);
                if builder.fields().len() == before {
                    // Java throws at once; our builder has recorded the error.
                    return builder.build();
                }
            }
            builder
        }
        other => {
            return Err(ConnectError::data(format!("Unknown schema type: {other}")));
        }
    };
    if let Some(JsonNode::Bool(true)) = node.get("optional") {
        builder = builder.optional();
    }
    if let Some(JsonNode::String(name)) = node.get("name") {
        builder = builder.name(name.as_str());
    }
    if let Some(version) = node.get("version").and_then(int_value) {
        builder = builder.version(version);
    }
    if let Some(JsonNode::String(doc)) = node.get("doc") {
        builder = builder.doc(doc.as_str());
    }
    if let Some(JsonNode::Object(params)) = node.get("parameters") {
        for (k, v) in params {
            let JsonNode::String(v) = v else {
                return Err(ConnectError::data(
                    "Schema parameters must have string values.",
                ));
            };
            builder = builder.parameter(k.as_str(), v.as_str());
        }
    }
    let Some(default_node) = node.get("default") else {
        return builder.build();
    };
    // Java converts the default against the builder itself, before it has a default.
    let probe = builder.build()?;
    let default = convert(Some(&probe), default_node.clone(), cfg).map_err(|e| {
        // Where Kafka would coerce the default into other data, Ferry refuses it as an invalid
        // default (which is also what Kafka reports when the coercion gives null).
        if is_refused_coercion(&e) {
            ConnectError::Data {
                message: "Invalid default value".to_string(),
                kind: DataErrorKind::SchemaBuilder,
                source: Some(Box::new(e)),
            }
        } else {
            e
        }
    })?;
    if default.is_null() {
        // An optional schema with `"default": null` has no default.
        return Ok(probe);
    }
    if probe.schema_type() == Type::Struct {
        return Err(ConnectError::Data {
            message: "Invalid default value".to_string(),
            kind: DataErrorKind::SchemaBuilder,
            source: Some(Box::new(ConnectError::data("Struct schemas do not match."))),
        });
    }
    probe.to_builder().default_value(default).build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_wraps_like_int_value() {
        assert_eq!(int_value(&JsonNode::Int(4_294_967_296)), Some(0));
        assert_eq!(int_value(&JsonNode::Int(-1)), Some(-1));
        assert_eq!(
            int_value(&JsonNode::BigInt("18446744073709551621".into())),
            Some(5)
        );
        assert_eq!(
            int_value(&JsonNode::BigInt("-18446744073709551621".into())),
            Some(-5)
        );
        assert_eq!(int_value(&JsonNode::Float("1.5".into())), None);
    }
}
