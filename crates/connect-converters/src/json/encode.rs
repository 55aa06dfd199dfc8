//! Connect → JSON bytes (Java `JsonConverter.convertToJson` followed by Jackson's writer),
//! written straight into the output buffer without building a tree.

use connect_api::data::logical::{self, Logical};
use connect_api::{ConnectError, Decimal, Result, Schema, Type, Value};

use super::config::{DecimalFormat, JsonConverterConfig};
use super::layout::layout_of;
use super::writer::{
    write_base64, write_base64_i64, write_f32, write_f64, write_i64, write_json_string,
};

/// Java's `ClassCastException` handler: `Invalid type for INT32: class java.lang.String`.
fn invalid_type(ty: Type, value: &Value) -> ConnectError {
    ConnectError::data(format!("Invalid type for {ty}: {}", value.java_class()))
}

/// The schema type Java's `ConnectSchema.schemaType(value.getClass())` infers for a value
/// written without a schema.
fn schemaless_type(value: &Value) -> Result<Type> {
    Ok(match value {
        Value::Boolean(_) => Type::Boolean,
        Value::Int8(_) => Type::Int8,
        Value::Int16(_) => Type::Int16,
        Value::Int32(_) => Type::Int32,
        Value::Int64(_) => Type::Int64,
        Value::Float32(_) => Type::Float32,
        Value::Float64(_) => Type::Float64,
        Value::String(_) => Type::String,
        Value::Bytes(_) => Type::Bytes,
        Value::Array(_) => Type::Array,
        Value::Map(_) => Type::Map,
        Value::Struct(_) => Type::Struct,
        Value::Null | Value::Decimal(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            return Err(ConnectError::data(format!(
                "Java class {} does not have corresponding schema type.",
                value.java_class()
            )))
        }
    })
}

/// Java `Decimal.scale(schema)` with its messages.
fn decimal_scale(schema: &Schema) -> Result<i32> {
    if schema.parameters().is_empty() {
        return Err(ConnectError::data(
            "Cannot invoke \"java.util.Map.get(Object)\" because the return value of \"org.apache.kafka.connect.data.Schema.parameters()\" is null",
        ));
    }
    let text = schema
        .parameter(logical::SCALE_FIELD)
        .ok_or_else(|| ConnectError::data("Invalid Decimal schema: scale parameter not found."))?;
    text.parse::<i32>().map_err(|_| {
        ConnectError::data_with(
            "Invalid scale parameter found in Decimal schema: ",
            ConnectError::data(format!("For input string: \"{text}\"")),
        )
    })
}

fn write_decimal(
    out: &mut Vec<u8>,
    schema: &Schema,
    d: &Decimal,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    match cfg.decimal_format {
        DecimalFormat::Numeric => {
            // BigDecimal.toString(), as Jackson writes a DecimalNode.
            out.extend_from_slice(d.to_string().as_bytes());
        }
        DecimalFormat::Base64 => {
            let scale = decimal_scale(schema)?;
            if d.scale() != scale {
                return Err(ConnectError::data(format!(
                    "Decimal value has mismatching scale for given Decimal schema. Schema has scale {scale}, value has scale {}.",
                    d.scale()
                )));
            }
            match num_traits::ToPrimitive::to_i64(d.unscaled()) {
                Some(small) => write_base64_i64(out, small),
                None => write_base64(out, &d.to_twos_complement()),
            }
        }
    }
    Ok(())
}

fn write_logical(
    out: &mut Vec<u8>,
    kind: Logical,
    schema: &Schema,
    value: &Value,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    match kind {
        Logical::Decimal => match value {
            Value::Decimal(d) => write_decimal(out, schema, d, cfg),
            other => Err(ConnectError::data(format!(
                "Invalid type for Decimal, expected BigDecimal but was {}",
                other.java_class()
            ))),
        },
        Logical::Date | Logical::Time | Logical::Timestamp => {
            if !value.is_java_date() {
                let name = match kind {
                    Logical::Date => "Date",
                    Logical::Time => "Time",
                    _ => "Timestamp",
                };
                return Err(ConnectError::data(format!(
                    "Invalid type for {name}, expected Date but was {}",
                    value.java_class()
                )));
            }
            let n = match kind {
                Logical::Date => i64::from(logical::date_to_days(value)?),
                Logical::Time => i64::from(logical::time_to_millis(value)?),
                _ => logical::timestamp_to_millis(value)?,
            };
            write_i64(out, n);
            Ok(())
        }
    }
}

/// Writes an object key the way `ObjectNode.set(mapKey.asText(), …)` does: the text of the
/// converted key (a string's content, a number's or boolean's text, `null`; empty for a container).
fn write_map_key(
    out: &mut Vec<u8>,
    key_schema: Option<&Schema>,
    key: &Value,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    if let Value::String(s) = key {
        if key_schema.is_none_or(|k| k.logical().is_none()) {
            write_json_string(s, out);
            return Ok(());
        }
    }
    let mut tmp = Vec::new();
    write_value(&mut tmp, key_schema, key, cfg)?;
    match tmp.first() {
        Some(b'"') => out.extend_from_slice(&tmp),
        Some(b'[' | b'{') => out.extend_from_slice(b"\"\""),
        _ => {
            out.push(b'"');
            out.extend_from_slice(&tmp);
            out.push(b'"');
        }
    }
    Ok(())
}

/// Java `convertToJson(schema, value)`, written as JSON text onto `out`.
pub(crate) fn write_value(
    out: &mut Vec<u8>,
    schema: Option<&Schema>,
    value: &Value,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    write_with(out, schema, schema.and_then(Schema::logical), value, cfg)
}

/// [`write_value`] with the schema's logical type already known.
fn write_with(
    out: &mut Vec<u8>,
    schema: Option<&Schema>,
    logical: Option<Logical>,
    value: &Value,
    cfg: &JsonConverterConfig,
) -> Result<()> {
    if value.is_null() {
        let Some(schema) = schema else {
            out.extend_from_slice(b"null");
            return Ok(());
        };
        if cfg.replace_null_with_default {
            if let Some(d) = schema.default_value().filter(|d| !d.is_null()) {
                return write_value(out, Some(schema), d, cfg);
            }
        }
        if schema.is_optional() {
            out.extend_from_slice(b"null");
            return Ok(());
        }
        return Err(ConnectError::data(
            "Conversion error: null value for field that is required and has no default value",
        ));
    }
    if let (Some(schema), Some(kind)) = (schema, logical) {
        return write_logical(out, kind, schema, value, cfg);
    }
    let ty = match schema {
        Some(s) => s.schema_type(),
        None => schemaless_type(value)?,
    };
    match (ty, value) {
        (Type::Int8, Value::Int8(v)) => write_i64(out, i64::from(*v)),
        (Type::Int16, Value::Int16(v)) => write_i64(out, i64::from(*v)),
        (Type::Int32, Value::Int32(v)) => write_i64(out, i64::from(*v)),
        (Type::Int64, Value::Int64(v)) => write_i64(out, *v),
        (Type::Float32, Value::Float32(v)) => write_f32(out, *v),
        (Type::Float64, Value::Float64(v)) => write_f64(out, *v),
        (Type::Boolean, Value::Boolean(true)) => out.extend_from_slice(b"true"),
        (Type::Boolean, Value::Boolean(false)) => out.extend_from_slice(b"false"),
        (Type::String, Value::String(s)) => write_json_string(s, out),
        (Type::Bytes, Value::Bytes(b)) => write_base64(out, b),
        (Type::Bytes, other) => {
            return Err(ConnectError::data(format!(
                "Invalid type for bytes type: {}",
                other.java_class()
            )))
        }
        (Type::Array, Value::Array(items)) => {
            let item_schema = schema.and_then(|s| s.value_schema());
            let item_logical = item_schema.and_then(Schema::logical);
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_with(out, item_schema, item_logical, item, cfg)?;
            }
            out.push(b']');
        }
        (Type::Map, Value::Map(entries)) => write_map(out, schema, entries, cfg)?,
        (Type::Struct, Value::Struct(s)) => {
            let schema = match schema {
                Some(schema) if s.schema() == schema => schema,
                _ => return Err(ConnectError::data("Mismatching schema.")),
            };
            let layout = layout_of(schema);
            out.push(b'{');
            for (i, (field, v)) in schema.fields().iter().zip(s.values()).enumerate() {
                out.extend_from_slice(layout.prefix(i));
                write_with(out, Some(field.schema()), layout.logical(i), v, cfg)?;
            }
            out.push(b'}');
        }
        (ty, other) => return Err(invalid_type(ty, other)),
    }
    Ok(())
}

fn write_map(
    out: &mut Vec<u8>,
    schema: Option<&Schema>,
    entries: &[(Value, Value)],
    cfg: &JsonConverterConfig,
) -> Result<()> {
    let key_schema = schema.and_then(|s| s.key_schema());
    let value_schema = schema.and_then(|s| s.value_schema());
    let key_logical = key_schema.and_then(Schema::logical);
    let value_logical = value_schema.and_then(Schema::logical);
    let object_mode = match key_schema {
        Some(k) => k.schema_type() == Type::String,
        None => entries.iter().all(|(k, _)| matches!(k, Value::String(_))),
    };
    if object_mode {
        out.push(b'{');
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_map_key(out, key_schema, k, cfg)?;
            out.push(b':');
            write_with(out, value_schema, value_logical, v, cfg)?;
        }
        out.push(b'}');
    } else {
        out.push(b'[');
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.push(b'[');
            write_with(out, key_schema, key_logical, k, cfg)?;
            out.push(b',');
            write_with(out, value_schema, value_logical, v, cfg)?;
            out.push(b']');
        }
        out.push(b']');
    }
    Ok(())
}
