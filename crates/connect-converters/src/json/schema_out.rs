//! Connect schema → JSON schema text (Java `JsonConverter.asJsonSchema`).
//!
//! Key order is Kafka's: `type`, then `items` / `keys`, `values` / `fields`, then `optional`
//! (always written), `name`, `version`, `doc`, `parameters`, `default`; in a struct field the
//! `field` name comes last. A default is written by the value encoder, so a Decimal default
//! follows `decimal.format`.

use connect_api::{Result, Schema, Type};

use super::config::JsonConverterConfig;
use super::encode::write_value;
use super::writer::{write_i64, write_json_string};

/// JsonConverter's name for a schema type.
pub(crate) fn type_name(ty: Type) -> &'static str {
    match ty {
        Type::Boolean => "boolean",
        Type::Int8 => "int8",
        Type::Int16 => "int16",
        Type::Int32 => "int32",
        Type::Int64 => "int64",
        Type::Float32 => "float",
        Type::Float64 => "double",
        Type::Bytes => "bytes",
        Type::String => "string",
        Type::Array => "array",
        Type::Map => "map",
        Type::Struct => "struct",
    }
}

/// Writes the JSON form of `schema` (`null` for none).
pub(crate) fn write_schema(
    out: &mut Vec<u8>,
    schema: Option<&Schema>,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    match schema {
        None => out.extend_from_slice(b"null"),
        Some(schema) => {
            write_schema_members(out, schema, cfg)?;
            out.push(b'}');
        }
    }
    Ok(())
}

/// Writes `{` and every member of the schema object, leaving it open for a struct field's name.
fn write_schema_members(
    out: &mut Vec<u8>,
    schema: &Schema,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    let ty = schema.schema_type();
    out.extend_from_slice(b"{\"type\":\"");
    out.extend_from_slice(type_name(ty).as_bytes());
    out.push(b'"');
    match ty {
        Type::Array => {
            out.extend_from_slice(b",\"items\":");
            write_schema(out, schema.value_schema(), cfg)?;
        }
        Type::Map => {
            out.extend_from_slice(b",\"keys\":");
            write_schema(out, schema.key_schema(), cfg)?;
            out.extend_from_slice(b",\"values\":");
            write_schema(out, schema.value_schema(), cfg)?;
        }
        Type::Struct => {
            out.extend_from_slice(b",\"fields\":[");
            for (i, field) in schema.fields().iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_schema_members(out, field.schema(), cfg)?;
                out.extend_from_slice(b",\"field\":");
                write_json_string(field.name(), out);
                out.push(b'}');
            }
            out.push(b']');
        }
        _ => {}
    }
    out.extend_from_slice(if schema.is_optional() {
        b",\"optional\":true"
    } else {
        b",\"optional\":false"
    });
    if let Some(name) = schema.name() {
        out.extend_from_slice(b",\"name\":");
        write_json_string(name, out);
    }
    if let Some(version) = schema.version() {
        out.extend_from_slice(b",\"version\":");
        write_i64(out, i64::from(version));
    }
    if let Some(doc) = schema.doc() {
        out.extend_from_slice(b",\"doc\":");
        write_json_string(doc, out);
    }
    let params = schema.parameters();
    if !params.is_empty() {
        out.extend_from_slice(b",\"parameters\":{");
        for (i, (k, v)) in params.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json_string(k, out);
            out.push(b':');
            write_json_string(v, out);
        }
        out.push(b'}');
    }
    if let Some(default) = schema.default_value().filter(|d| !d.is_null()) {
        out.extend_from_slice(b",\"default\":");
        write_value(out, Some(schema), default, cfg)?;
    }
    Ok(())
}
