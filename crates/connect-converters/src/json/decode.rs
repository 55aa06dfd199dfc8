//! JSON → Connect (Java `JsonConverter.convertToConnect`), including the logical types.
//!
//! Kafka reads primitives with Jackson's lenient accessors, so a JSON value of the wrong kind is
//! silently coerced (`"abc"` → 0, `300` → 44 for int8, `1` → false, `5` → null for a string).
//! Ferry follows Kafka everywhere except where that coercion changes or loses the data: there it
//! raises a data error naming the expected type and the offending JSON value (see
//! [`mismatch`] and [`out_of_range`]). Everything else, including Kafka's error messages, is
//! Kafka's.

use connect_api::data::logical::{self, Logical};
use connect_api::{ConnectError, Decimal, Result, Schema, Struct, Type, Value};
use num_bigint::BigInt;

use super::b64;
use super::config::JsonConverterConfig;
use super::mapkeys::MapBuilder;
use super::JsonNode;

/// The longest JSON text quoted in an error message.
const QUOTE_LIMIT: usize = 100;

/// Renders a JSON value for an error message, shortened if long.
pub(crate) fn quote(node: &JsonNode) -> String {
    let mut text = node.to_string();
    if text.len() > QUOTE_LIMIT {
        let mut cut = QUOTE_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// Marks Ferry's own conversion errors: JSON that Kafka would silently coerce into other data.
#[derive(Debug, thiserror::Error)]
#[error("Kafka would coerce this value silently; Ferry refuses")]
pub(crate) struct RefusedCoercion;

/// Whether an error is one of Ferry's refused coercions.
pub(crate) fn is_refused_coercion(e: &ConnectError) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.is::<RefusedCoercion>())
}

fn refused(message: String) -> ConnectError {
    ConnectError::data_with(message, RefusedCoercion)
}

/// Ferry's error for a JSON value of the wrong kind, where Kafka would silently coerce it.
pub(crate) fn mismatch(target: &str, expected: &str, node: &JsonNode) -> ConnectError {
    refused(format!(
        "Cannot convert JSON {} {} to {target}: expected {expected}",
        node.node_type(),
        quote(node)
    ))
}

/// Ferry's error for a JSON number that does not fit, where Kafka would wrap or truncate it.
pub(crate) fn out_of_range(target: &str, node: &JsonNode) -> ConnectError {
    refused(format!(
        "Cannot convert JSON number {} to {target}: out of range",
        quote(node)
    ))
}

/// Ferry's error for a JSON number with a fraction, where Kafka would truncate it.
fn not_integral(target: &str, node: &JsonNode) -> ConnectError {
    refused(format!(
        "Cannot convert JSON number {} to {target}: it has a fractional part",
        quote(node)
    ))
}

/// What a decimal number text is, as an integer.
enum Integral {
    Exact(i64),
    Fraction,
    TooLarge,
}

/// Classifies number text (`-12.50e3`) without big arithmetic (exponents can be huge).
fn integral_value(text: &str) -> Integral {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exp_text) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], &body[i + 1..]),
        None => (body, ""),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let digits: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let first = digits.iter().position(|d| *d != b'0');
    let Some(first) = first else {
        return Integral::Exact(0);
    };
    let last = digits.iter().rposition(|d| *d != b'0').unwrap_or(first);
    let sig = &digits[first..=last];
    let trailing_zeros = (digits.len() - 1 - last) as i64;
    let exp_digits = exp_text.trim_start_matches(['+', '-']);
    let exp_negative = exp_text.starts_with('-');
    let exponent: i64 = if exp_digits.trim_start_matches('0').len() > 12 {
        if exp_negative {
            return Integral::Fraction;
        }
        return Integral::TooLarge;
    } else {
        let magnitude = exp_digits.parse::<i64>().unwrap_or(0);
        if exp_negative {
            -magnitude
        } else {
            magnitude
        }
    };
    // value = sig × 10^k
    let k = exponent - frac_part.len() as i64 + trailing_zeros;
    if k < 0 {
        return Integral::Fraction;
    }
    if sig.len() as i64 + k > 19 {
        return Integral::TooLarge;
    }
    let mut v: i128 = 0;
    for d in sig {
        v = v * 10 + i128::from(d - b'0');
    }
    for _ in 0..k {
        v *= 10;
    }
    if negative {
        v = -v;
    }
    match i64::try_from(v) {
        Ok(v) => Integral::Exact(v),
        Err(_) => Integral::TooLarge,
    }
}

/// An integer within `min..=max` from a JSON number; Ferry's errors instead of Kafka's wrapping,
/// truncation and "anything else is 0".
fn integer(node: &JsonNode, target: &str, min: i64, max: i64) -> Result<i64> {
    let v = match node {
        JsonNode::Int(v) => *v,
        JsonNode::BigInt(_) => return Err(out_of_range(target, node)),
        JsonNode::Float(text) => match integral_value(text) {
            Integral::Exact(v) => v,
            Integral::Fraction => return Err(not_integral(target, node)),
            Integral::TooLarge => return Err(out_of_range(target, node)),
        },
        _ => return Err(mismatch(target, "a JSON number", node)),
    };
    if v < min || v > max {
        return Err(out_of_range(target, node));
    }
    Ok(v)
}

/// Java `doubleValue()` of a number node (exact decimal rounded once, as `BigDecimal` does;
/// `-0.0` keeps its sign). A finite number too large for a double is refused (Kafka reads it as
/// Infinity).
fn double(node: &JsonNode, target: &str) -> Result<f64> {
    let v = match node {
        JsonNode::Int(v) => *v as f64,
        JsonNode::BigInt(t) | JsonNode::Float(t) => t.parse::<f64>().unwrap_or(f64::NAN),
        _ => return Err(mismatch(target, "a JSON number", node)),
    };
    if v.is_infinite() {
        return Err(out_of_range(target, node));
    }
    Ok(v)
}

/// Java `floatValue()` of a number node; overflow refused as for [`double`].
fn float(node: &JsonNode, target: &str) -> Result<f32> {
    let v = match node {
        JsonNode::Int(v) => *v as f32,
        JsonNode::BigInt(t) | JsonNode::Float(t) => t.parse::<f32>().unwrap_or(f32::NAN),
        _ => return Err(mismatch(target, "a JSON number", node)),
    };
    if v.is_infinite() {
        return Err(out_of_range(target, node));
    }
    Ok(v)
}

/// The value of a number node that Kafka reads schemaless: integers as INT64, others as FLOAT64.
pub(crate) fn schemaless_number(node: &JsonNode) -> Result<Value> {
    match node {
        JsonNode::Int(v) => Ok(Value::Int64(*v)),
        JsonNode::BigInt(_) => Err(out_of_range("INT64", node)),
        _ => Ok(Value::Float64(double(node, "FLOAT64")?)),
    }
}

fn bytes(node: JsonNode, target: &str) -> Result<Vec<u8>> {
    match node {
        JsonNode::String(s) => {
            b64::decode(&s).map_err(|e| ConnectError::data_with("Invalid bytes field", e))
        }
        other => Err(mismatch(target, "a base64 JSON string", &other)),
    }
}

/// Java `Decimal.toLogical(schema, bytes)` as JsonConverter calls it: every failure (no
/// parameters, no or bad scale, empty bytes, bad base64) becomes `Invalid bytes for Decimal field`.
pub(crate) fn decimal_from_text(schema: &Schema, text: &str) -> Result<Decimal> {
    let wrap =
        |cause: ConnectError| ConnectError::data_with("Invalid bytes for Decimal field", cause);
    let raw = b64::decode(text)
        .map_err(|e| ConnectError::data_with("Invalid bytes for Decimal field", e))?;
    // Java evaluates `new BigInteger(bytes)` before `scale(schema)`.
    if raw.is_empty() {
        return Err(wrap(ConnectError::data("Zero length BigInteger")));
    }
    if schema.parameters().is_empty() {
        return Err(wrap(ConnectError::other(
            "Cannot invoke \"java.util.Map.get(Object)\" because the return value of \"org.apache.kafka.connect.data.Schema.parameters()\" is null",
        )));
    }
    let scale = logical::decimal_scale(schema).map_err(wrap)?;
    Ok(Decimal::new(BigInt::from_signed_bytes_be(&raw), scale))
}

fn decimal_from_number(node: &JsonNode) -> Result<Decimal> {
    match node {
        JsonNode::Int(v) => Ok(Decimal::from_i64(*v, 0)),
        JsonNode::BigInt(t) | JsonNode::Float(t) => {
            // Jackson keeps a number whose double overflows as a DoubleNode (±Infinity), and
            // BigDecimal.valueOf(Infinity) fails like this.
            if matches!(node, JsonNode::Float(_)) && t.parse::<f64>().is_ok_and(f64::is_infinite) {
                return Err(ConnectError::data(
                    "Character I is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.",
                ));
            }
            Decimal::parse(t).map_err(|e| ConnectError::data_with(e.to_string(), e))
        }
        _ => Err(ConnectError::data("not a number")),
    }
}

fn convert_logical(kind: Logical, schema: &Schema, node: JsonNode) -> Result<Value> {
    match kind {
        Logical::Decimal => match node {
            JsonNode::Int(_) | JsonNode::BigInt(_) | JsonNode::Float(_) => {
                Ok(Value::Decimal(decimal_from_number(&node)?))
            }
            JsonNode::String(s) => Ok(Value::Decimal(decimal_from_text(schema, &s)?)),
            other => Err(ConnectError::data(format!(
                "Invalid type for Decimal, underlying representation should be numeric or bytes but was {}",
                other.node_type()
            ))),
        },
        Logical::Date | Logical::Time => {
            let v = match node {
                JsonNode::Int(v) => i32::try_from(v).ok(),
                _ => None,
            };
            let name = if kind == Logical::Date { "Date" } else { "Time" };
            let Some(v) = v else {
                return Err(ConnectError::data(format!(
                    "Invalid type for {name}, underlying representation should be integer but was {}",
                    node.node_type()
                )));
            };
            if kind == Logical::Date {
                Ok(Value::Date(v))
            } else {
                logical::time_from_millis(v)
            }
        }
        Logical::Timestamp => match node {
            JsonNode::Int(v) => Ok(Value::Timestamp(v)),
            JsonNode::BigInt(_) => Err(out_of_range("Timestamp (int64)", &node)),
            other => Err(ConnectError::data(format!(
                "Invalid type for Timestamp, underlying representation should be integral but was {}",
                other.node_type()
            ))),
        },
    }
}

/// Java `convertToConnect(schema, json)`; `node` is consumed so strings move into the value.
/// A missing node is passed as [`JsonNode::Null`] (Kafka treats both alike).
pub(crate) fn convert(
    schema: Option<&Schema>,
    node: JsonNode,
    cfg: &JsonConverterConfig,
) -> Result<Value> {
    let Some(schema) = schema else {
        return convert_schemaless(node);
    };
    if matches!(node, JsonNode::Null) {
        if cfg.replace_null_with_default {
            if let Some(d) = schema.default_value() {
                return Ok(d.clone());
            }
        }
        if schema.is_optional() {
            return Ok(Value::Null);
        }
        return Err(ConnectError::data(format!(
            "Invalid null value for required {} field",
            schema.schema_type()
        )));
    }
    if let Some(kind) = schema.logical() {
        return convert_logical(kind, schema, node);
    }
    let ty = schema.schema_type();
    let name = ty.java_name();
    Ok(match ty {
        Type::Boolean => match node {
            JsonNode::Bool(b) => Value::Boolean(b),
            other => return Err(mismatch(name, "a JSON boolean", &other)),
        },
        Type::Int8 => Value::Int8(integer(&node, name, i8::MIN.into(), i8::MAX.into())? as i8),
        Type::Int16 => Value::Int16(integer(&node, name, i16::MIN.into(), i16::MAX.into())? as i16),
        Type::Int32 => Value::Int32(integer(&node, name, i32::MIN.into(), i32::MAX.into())? as i32),
        Type::Int64 => Value::Int64(integer(&node, name, i64::MIN, i64::MAX)?),
        Type::Float32 => Value::Float32(float(&node, name)?),
        Type::Float64 => Value::Float64(double(&node, name)?),
        Type::String => match node {
            JsonNode::String(s) => Value::String(s),
            other => return Err(mismatch(name, "a JSON string", &other)),
        },
        Type::Bytes => Value::Bytes(bytes(node, name)?),
        Type::Array => match node {
            JsonNode::Array(items) => {
                let item_schema = schema.value_schema();
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(convert(item_schema, item, cfg)?);
                }
                Value::Array(out)
            }
            other => return Err(mismatch(name, "a JSON array", &other)),
        },
        Type::Map => convert_map(schema, node, cfg)?,
        Type::Struct => {
            let JsonNode::Object(mut entries) = node else {
                return Err(ConnectError::data(format!(
                    "Structs should be encoded as JSON objects, but found {}",
                    node.node_type()
                )));
            };
            let fields = schema.fields();
            let mut values = Vec::with_capacity(fields.len());
            for (i, field) in fields.iter().enumerate() {
                // Payloads usually list the fields in schema order: try that slot first.
                let slot = match entries.get(i) {
                    Some((k, _)) if k == field.name() => Some(i),
                    _ => entries.iter().position(|(k, _)| k == field.name()),
                };
                let field_node = match slot {
                    Some(j) => std::mem::replace(&mut entries[j].1, JsonNode::Null),
                    None => JsonNode::Null,
                };
                values.push(convert(Some(field.schema()), field_node, cfg)?);
            }
            Value::Struct(Struct::from_values_unchecked(schema, values))
        }
    })
}

fn convert_map(schema: &Schema, node: JsonNode, cfg: &JsonConverterConfig) -> Result<Value> {
    let value_schema = schema.value_schema();
    let string_keys = schema
        .key_schema()
        .is_none_or(|k| k.schema_type() == Type::String);
    if string_keys {
        let JsonNode::Object(entries) = node else {
            return Err(ConnectError::data(format!(
                "Maps with string fields should be encoded as JSON objects, but found {}",
                node.node_type()
            )));
        };
        let mut out = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            out.push((Value::String(k), convert(value_schema, v, cfg)?));
        }
        return Ok(Value::Map(out));
    }
    let JsonNode::Array(pairs) = node else {
        return Err(ConnectError::data(format!(
            "Maps with non-string fields should be encoded as JSON array of tuples, but found {}",
            node.node_type()
        )));
    };
    let key_schema = schema.key_schema();
    let mut out = MapBuilder::with_capacity(pairs.len());
    for pair in pairs {
        let JsonNode::Array(kv) = pair else {
            return Err(ConnectError::data(format!(
                "Found invalid map entry instead of array tuple: {}",
                pair.node_type()
            )));
        };
        if kv.len() != 2 {
            return Err(ConnectError::data(format!(
                "Found invalid map entry, expected length 2 but found :{}",
                kv.len()
            )));
        }
        let mut kv = kv.into_iter();
        let k = convert(key_schema, kv.next().unwrap_or(JsonNode::Null), cfg)?;
        let v = convert(value_schema, kv.next().unwrap_or(JsonNode::Null), cfg)?;
        out.put(k, v);
    }
    Ok(Value::Map(out.into_entries()))
}

/// Schemaless conversion (Java `convertToConnect(null, json)`).
pub(crate) fn convert_schemaless(node: JsonNode) -> Result<Value> {
    Ok(match node {
        JsonNode::Null => Value::Null,
        JsonNode::Bool(b) => Value::Boolean(b),
        JsonNode::Int(_) | JsonNode::BigInt(_) | JsonNode::Float(_) => schemaless_number(&node)?,
        JsonNode::String(s) => Value::String(s),
        JsonNode::Array(items) => Value::Array(
            items
                .into_iter()
                .map(convert_schemaless)
                .collect::<Result<_>>()?,
        ),
        JsonNode::Object(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| Ok((Value::String(k), convert_schemaless(v)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integral_classification() {
        let exact = |t: &str| match integral_value(t) {
            Integral::Exact(v) => Some(v),
            _ => None,
        };
        assert_eq!(exact("1.0"), Some(1));
        assert_eq!(exact("1e2"), Some(100));
        assert_eq!(exact("-12.50e1"), Some(-125));
        assert_eq!(exact("0.000e99999999999999"), Some(0));
        assert_eq!(exact("9.223372036854775807E18"), Some(i64::MAX));
        assert_eq!(exact("-9.223372036854775808E18"), Some(i64::MIN));
        assert!(matches!(integral_value("1.9"), Integral::Fraction));
        assert!(matches!(integral_value("1e-1"), Integral::Fraction));
        assert!(matches!(
            integral_value("1e-99999999999999"),
            Integral::Fraction
        ));
        assert!(matches!(integral_value("9.3E18"), Integral::TooLarge));
        assert!(matches!(
            integral_value("1e99999999999999"),
            Integral::TooLarge
        ));
    }
}
