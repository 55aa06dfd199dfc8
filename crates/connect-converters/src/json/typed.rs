//! Schema-guided reading of a payload straight from the bytes, for the common shapes: a struct
//! given as an object, an array as an array, a string-keyed map as an object. Everything else
//! is read as a [`JsonNode`] and handed to [`decode::convert`], which stays the single
//! definition of Kafka's conversion rules.
//!
//! The result must be exactly what `convert` gives on the parsed tree, so:
//! - conversion errors do not stop the parse (a syntax error later in the document wins, as
//!   Jackson parses everything first); each is kept with the member it belongs to;
//! - a repeated key replaces the earlier member, its value and its error (Jackson keeps the
//!   last value); members are reported in first-position order;
//! - the first error in Java's conversion order wins: struct fields in schema order (a missing
//!   field is converted as null at its place), arrays and maps in member order.

use connect_api::data::logical::Logical;
use connect_api::{ConnectError, Result, Schema, Struct, Type, Value};

use super::config::JsonConverterConfig;
use super::decode;
use super::node::NodeBuilder;
use super::parser::{JsonParseError, Parser, Skip};
use super::JsonNode;

/// Maps with more entries than this get a hash index for the repeated-key check.
const INDEX_THRESHOLD: usize = 32;

/// A conversion result, kept until the whole document has parsed.
pub(crate) type Pending = Result<Value>;

/// Reads the value at the current position (nesting level `depth`) under `schema`.
pub(crate) fn read(
    p: &mut Parser<'_>,
    schema: &Schema,
    cfg: &JsonConverterConfig,
    depth: usize,
) -> std::result::Result<Pending, JsonParseError> {
    let logical = schema.logical();
    if let Some(done) = read_scalar(p, schema, logical, cfg)? {
        return Ok(done);
    }
    if logical.is_none() {
        match (schema.schema_type(), p.peek()) {
            (Type::Struct, Some(b'{')) => return read_struct(p, schema, cfg, depth),
            (Type::Array, Some(b'[')) => {
                if let Some(item) = schema.value_schema() {
                    return read_array(p, item, cfg, depth);
                }
            }
            (Type::Map, Some(b'{')) => {
                let string_keys = schema
                    .key_schema()
                    .is_none_or(|k| k.schema_type() == Type::String);
                if string_keys {
                    return read_map(p, schema.value_schema(), cfg, depth);
                }
            }
            _ => {}
        }
    }
    let node = match p.peek() {
        Some(b'{' | b'[') => p.value(&mut NodeBuilder::new(), depth)?,
        _ => p.value(&mut NodeBuilder::scalar(), depth)?,
    };
    Ok(decode::convert(Some(schema), node, cfg))
}

/// The common scalar cases without building a node: a string under a string schema, an
/// integer under an integer or Timestamp schema, base64 text under a Decimal schema. `None`
/// (nothing consumed) for anything else.
fn read_scalar(
    p: &mut Parser<'_>,
    schema: &Schema,
    logical: Option<Logical>,
    cfg: &JsonConverterConfig,
) -> std::result::Result<Option<Pending>, JsonParseError> {
    let first = p.peek();
    let ty = schema.schema_type();
    Ok(Some(match (logical, ty, first) {
        (None, Type::String, Some(b'"')) => Ok(Value::String(p.string()?.into_owned())),
        (Some(Logical::Decimal), _, Some(b'"')) => {
            let text = p.string()?;
            decode::decimal_from_text(schema, &text).map(Value::Decimal)
        }
        (None, Type::Int8 | Type::Int16 | Type::Int32 | Type::Int64, Some(b'-' | b'0'..=b'9'))
        | (Some(Logical::Timestamp), _, Some(b'-' | b'0'..=b'9')) => {
            let node = p.value(&mut NodeBuilder::scalar(), 1)?;
            match (logical, ty, node) {
                (Some(_), _, JsonNode::Int(v)) => Ok(Value::Timestamp(v)),
                (None, Type::Int64, JsonNode::Int(v)) => Ok(Value::Int64(v)),
                (None, Type::Int32, JsonNode::Int(v)) if i32::try_from(v).is_ok() => {
                    Ok(Value::Int32(v as i32))
                }
                (_, _, node) => decode::convert(Some(schema), node, cfg),
            }
        }
        _ => return Ok(None),
    }))
}

/// Which fields a struct payload has set (a bit set without allocation for up to 128 fields).
enum Seen {
    Small(u128),
    Large(Vec<bool>),
}

impl Seen {
    fn new(n: usize) -> Self {
        if n <= 128 {
            Seen::Small(0)
        } else {
            Seen::Large(vec![false; n])
        }
    }

    fn set(&mut self, i: usize) {
        match self {
            Seen::Small(bits) => *bits |= 1u128 << i,
            Seen::Large(v) => v[i] = true,
        }
    }

    fn get(&self, i: usize) -> bool {
        match self {
            Seen::Small(bits) => bits & (1u128 << i) != 0,
            Seen::Large(v) => v[i],
        }
    }
}

fn read_struct(
    p: &mut Parser<'_>,
    schema: &Schema,
    cfg: &JsonConverterConfig,
    depth: usize,
) -> std::result::Result<Pending, JsonParseError> {
    let fields = schema.fields();
    let mut values: Vec<Value> = std::iter::repeat_with(|| Value::Null)
        .take(fields.len())
        .collect();
    let mut seen = Seen::new(fields.len());
    let mut errors: Vec<(usize, ConnectError)> = Vec::new();
    if !p.begin_container(depth, b'}')? {
        let mut hint = 0;
        loop {
            let key = p.member_name()?;
            p.skip_ws();
            let index = match fields.get(hint) {
                Some(f) if f.name() == key => Some(hint),
                _ => fields.iter().position(|f| f.name() == key),
            };
            match index {
                Some(i) => {
                    let result = read(p, fields[i].schema(), cfg, depth + 1)?;
                    if seen.get(i) {
                        errors.retain(|(j, _)| *j != i);
                    }
                    seen.set(i);
                    match result {
                        Ok(v) => values[i] = v,
                        Err(e) => errors.push((i, e)),
                    }
                    hint = i + 1;
                }
                None => p.value(&mut Skip, depth + 1)?,
            }
            if p.member_end(b'}')? {
                break;
            }
        }
    }
    for (i, field) in fields.iter().enumerate() {
        if let Some(pos) = errors.iter().position(|(j, _)| *j == i) {
            return Ok(Err(errors.swap_remove(pos).1));
        }
        if !seen.get(i) {
            match decode::convert(Some(field.schema()), JsonNode::Null, cfg) {
                Ok(v) => values[i] = v,
                Err(e) => return Ok(Err(e)),
            }
        }
    }
    Ok(Ok(Value::Struct(Struct::from_values_unchecked(
        schema, values,
    ))))
}

fn read_array(
    p: &mut Parser<'_>,
    item: &Schema,
    cfg: &JsonConverterConfig,
    depth: usize,
) -> std::result::Result<Pending, JsonParseError> {
    let mut out = Vec::new();
    let mut error = None;
    if !p.begin_container(depth, b']')? {
        loop {
            p.skip_ws();
            match read(p, item, cfg, depth + 1)? {
                Ok(v) => out.push(v),
                Err(e) => {
                    if error.is_none() {
                        error = Some(e);
                    }
                }
            }
            if p.member_end(b']')? {
                break;
            }
        }
    }
    Ok(match error {
        Some(e) => Err(e),
        None => Ok(Value::Array(out)),
    })
}

fn read_map(
    p: &mut Parser<'_>,
    value_schema: Option<&Schema>,
    cfg: &JsonConverterConfig,
    depth: usize,
) -> std::result::Result<Pending, JsonParseError> {
    let mut entries: Vec<(Value, Value)> = Vec::new();
    let mut errors: Vec<(usize, ConnectError)> = Vec::new();
    let mut index: Option<std::collections::HashMap<String, usize>> = None;
    if !p.begin_container(depth, b'}')? {
        loop {
            let key = p.member_name()?;
            p.skip_ws();
            let result = match value_schema {
                Some(s) => read(p, s, cfg, depth + 1)?,
                None => decode::convert_schemaless(p.value(&mut NodeBuilder::new(), depth + 1)?),
            };
            let existing = match &index {
                Some(ix) => ix.get(key.as_ref()).copied(),
                None => entries
                    .iter()
                    .position(|(k, _)| matches!(k, Value::String(s) if *s == *key)),
            };
            let slot = match existing {
                Some(i) => {
                    errors.retain(|(j, _)| *j != i);
                    i
                }
                None => {
                    let i = entries.len();
                    if let Some(ix) = &mut index {
                        ix.insert(key.to_string(), i);
                    }
                    entries.push((Value::String(key.into_owned()), Value::Null));
                    if index.is_none() && entries.len() > INDEX_THRESHOLD {
                        index = Some(
                            entries
                                .iter()
                                .enumerate()
                                .filter_map(|(i, (k, _))| match k {
                                    Value::String(s) => Some((s.clone(), i)),
                                    _ => None,
                                })
                                .collect(),
                        );
                    }
                    i
                }
            };
            match result {
                Ok(v) => entries[slot].1 = v,
                Err(e) => errors.push((slot, e)),
            }
            if p.member_end(b'}')? {
                break;
            }
        }
    }
    if let Some((pos, _)) = errors.iter().enumerate().min_by_key(|(_, (slot, _))| *slot) {
        return Ok(Err(errors.swap_remove(pos).1));
    }
    Ok(Ok(Value::Map(entries)))
}
