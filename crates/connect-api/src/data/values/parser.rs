//! `Values.parseString`: text to Connect data, picking the narrowest type.
//!
//! Faithful to Kafka 3.9 (see NOTES item 7), including its fallbacks: anything that fails to
//! parse as an array or map at the top level is the whole text as a string; trailing text after
//! a number or date is ignored. One deliberate difference: a decimal number is only read as
//! FLOAT32 (or FLOAT64) when that type shows the same number back; otherwise the next wider type
//! is used, up to an exact Decimal (Kafka reads `0.30000000000000004` as FLOAT32 `0.3`).

use super::convert::{convert_to, date_as};
use super::datefmt::{self, DATE_LENGTH, TIMESTAMP_LENGTH, TIME_LENGTH};
use super::number::{
    double_value, f32_keeps, f64_keeps, float_value, is_blank, is_integral, is_java_digit,
    java_trim, parse_big_decimal, truncated_i64,
};
use super::tokenizer::Tokenizer;
use crate::data::logical::{self, Logical};
use crate::data::{Decimal, Schema, SchemaAndValue, SchemaBuilder, Type, Value};
use crate::error::{ConnectError, Result};

/// Deepest nesting of arrays, maps and quoted strings accepted. Java fails with a
/// `StackOverflowError` somewhere deeper (about a thousand levels); Ferry refuses earlier, so
/// that a hostile header cannot overflow a worker thread's stack (each level costs about
/// 1 KiB of stack in release builds, several KiB in debug builds).
const MAX_DEPTH: usize = 256;

/// A parsed value with its schema. Parsed values always have a schema; Java's `null`
/// SchemaAndValue is `None` where one is expected.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub schema: Schema,
    pub value: Value,
    /// For a FLOAT32 parsed from text: that text's exact number, so that widening the element
    /// to FLOAT64 in an array or map reads the text again instead of exposing float32 noise.
    exact: Option<Box<Decimal>>,
}

impl Parsed {
    fn new(schema: Schema, value: Value) -> Self {
        Parsed {
            schema,
            value,
            exact: None,
        }
    }

    fn string(text: &str) -> Self {
        Parsed::new(
            Schema::required(Type::String),
            Value::String(text.to_string()),
        )
    }
}

/// Why a parse step failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Java's `DataException` inside an array or map: the caller falls back to other readings.
    Data,
    /// Anything else (nesting too deep): `parseString` itself fails.
    Fatal(ConnectError),
}

type Step<T> = std::result::Result<T, Failure>;

/// `Values.parseString(text)`; `Ok(None)` is Java's null SchemaAndValue (text `null`).
pub(crate) fn parse_string(text: &str) -> Result<Option<SchemaAndValue>> {
    match parse_text(text, 0) {
        Ok(parsed) => Ok(parsed.map(|p| SchemaAndValue::new(Some(p.schema), p.value))),
        Err(Failure::Fatal(e)) => Err(e),
        // The top level never reports a data failure; be safe and read it as a string.
        Err(Failure::Data) => Ok(Some(SchemaAndValue::new(
            Some(Schema::required(Type::String)),
            Value::String(text.to_string()),
        ))),
    }
}

fn parse_text(text: &str, depth: usize) -> Step<Option<Parsed>> {
    if text.is_empty() {
        return Ok(Some(Parsed::string(text)));
    }
    let mut parser = ValueParser {
        tokens: Tokenizer::new(text),
        depth,
    };
    parser.parse(false)
}

struct ValueParser<'a> {
    tokens: Tokenizer<'a>,
    depth: usize,
}

fn temporal_schema(logical: Logical) -> Schema {
    logical::schema_of(logical, false, 0)
}

/// Java `parseAsTemporal`: a date, time or timestamp by the text's length, escaped colons
/// allowed.
#[inline(never)]
fn parse_as_temporal(token: &str) -> Option<Parsed> {
    let token = token.replace("\\:", ":");
    let length = token.encode_utf16().count();
    let (logical, millis) = match length {
        TIME_LENGTH => (Logical::Time, datefmt::parse_time(&token)?),
        TIMESTAMP_LENGTH => (Logical::Timestamp, datefmt::parse_timestamp(&token)?),
        DATE_LENGTH => (Logical::Date, datefmt::parse_date(&token)?),
        _ => return None,
    };
    Some(Parsed::new(
        temporal_schema(logical),
        date_as(logical, millis),
    ))
}

/// Java `parseAsNumber`: `None` for Java's `NumberFormatException`.
#[inline(never)]
fn parse_as_number(token: &str) -> Option<Parsed> {
    let decimal = parse_big_decimal(token).ok()?;
    if let Some(exact) = parse_as_exact_integer(&decimal) {
        return Some(exact);
    }
    if decimal.scale() != 0 {
        let f = float_value(&decimal);
        if f32_keeps(&decimal, f) {
            return Some(Parsed {
                schema: Schema::required(Type::Float32),
                value: Value::Float32(f),
                exact: Some(Box::new(decimal)),
            });
        }
        let d = double_value(&decimal);
        if f64_keeps(&decimal, d) {
            return Some(Parsed::new(
                Schema::required(Type::Float64),
                Value::Float64(d),
            ));
        }
    }
    let schema = logical::schema_of(Logical::Decimal, false, decimal.scale());
    Some(Parsed::new(schema, Value::Decimal(decimal)))
}

/// Java `parseAsExactDecimal`: an integral value within `long` range as the narrowest integer
/// type.
fn parse_as_exact_integer(decimal: &Decimal) -> Option<Parsed> {
    if !is_integral(decimal) {
        return None;
    }
    // `None` out of `long` range (Java checks that from precision 19 on: the same).
    let integral = truncated_i64(decimal)?;
    let parsed = if let Ok(v) = i8::try_from(integral) {
        Parsed::new(Schema::required(Type::Int8), Value::Int8(v))
    } else if let Ok(v) = i16::try_from(integral) {
        Parsed::new(Schema::required(Type::Int16), Value::Int16(v))
    } else if let Ok(v) = i32::try_from(integral) {
        Parsed::new(Schema::required(Type::Int32), Value::Int32(v))
    } else {
        Parsed::new(Schema::required(Type::Int64), Value::Int64(integral))
    };
    Some(parsed)
}

/// Java `commonSchemaFor`: the schema both values fit, widening numbers by type only.
fn common_schema_for(previous: &Schema, latest: &Schema) -> Option<Schema> {
    let (p, n) = (previous.schema_type(), latest.schema_type());
    if p != n {
        use Type::*;
        let rank = |t: Type| match t {
            Int8 => Some(0),
            Int16 => Some(1),
            Int32 => Some(2),
            Int64 => Some(3),
            Float32 => Some(4),
            Float64 => Some(5),
            _ => None,
        };
        return match (rank(p), rank(n)) {
            (Some(a), Some(b)) if b > a => Some(latest.clone()),
            (Some(_), Some(_)) => Some(previous.clone()),
            _ => None,
        };
    }
    if previous.is_optional() != latest.is_optional() {
        return Some(if previous.is_optional() {
            previous.clone()
        } else {
            latest.clone()
        });
    }
    if previous != latest {
        return None;
    }
    Some(previous.clone())
}

/// Java `SchemaMerger`: the common schema of the non-null elements, if they have one.
#[derive(Default)]
struct SchemaMerger {
    common: Option<Schema>,
    incompatible: bool,
}

impl SchemaMerger {
    fn merge(&mut self, latest: Option<&Parsed>) {
        let Some(latest) = latest else { return };
        if self.incompatible {
            return;
        }
        self.common = match &self.common {
            None => Some(latest.schema.clone()),
            Some(common) => common_schema_for(common, &latest.schema),
        };
        if self.common.is_none() {
            self.incompatible = true;
        }
    }

    fn schema(&self) -> Option<&Schema> {
        self.common.as_ref()
    }
}

/// Converts one parsed element to the common schema (Java `convertTo(schema, null, value)`);
/// a failure makes the whole array or map fail.
#[inline(never)]
fn align(schema: &Schema, value: &Value, exact: Option<&Decimal>) -> Step<Value> {
    if let (Some(exact), Type::Float64, None) = (exact, schema.schema_type(), schema.name()) {
        return Ok(Value::Float64(double_value(exact)));
    }
    convert_to(schema, None, value).map_err(|_| Failure::Data)
}

/// Puts an entry the way a `LinkedHashMap` does: a repeated key keeps its place, takes the
/// new value.
fn put(entries: &mut Vec<(Value, Value)>, key: Value, value: Value) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => entries.push((key, value)),
    }
}

fn build(builder: SchemaBuilder) -> Step<Schema> {
    builder.build().map_err(Failure::Fatal)
}

/// The array once its closing `]` is read: aligned to the common element schema if there is
/// one, as is (with no element schema) otherwise.
#[inline(never)]
fn finish_array(merger: SchemaMerger, items: Vec<Option<Parsed>>) -> Step<Parsed> {
    let Some(element) = merger.schema().cloned() else {
        // Every element is null, or they have no common schema.
        let schema = build(SchemaBuilder::container(Type::Array, None, None))?;
        let values = items
            .into_iter()
            .map(|p| p.map_or(Value::Null, |p| p.value))
            .collect();
        return Ok(Parsed::new(schema, Value::Array(values)));
    };
    let mut values = Vec::with_capacity(items.len());
    for item in &items {
        values.push(match item {
            Some(p) => align(&element, &p.value, p.exact.as_deref())?,
            None => align(&element, &Value::Null, None)?,
        });
    }
    let schema = build(SchemaBuilder::array(element))?;
    Ok(Parsed::new(schema, Value::Array(values)))
}

/// The map once its closing `}` is read: keys (and values) aligned to their common schemas.
#[inline(never)]
fn finish_map(
    keys: &SchemaMerger,
    values: &SchemaMerger,
    entries: Vec<(Value, Value)>,
    exacts: &[Option<Box<Decimal>>],
) -> Step<Parsed> {
    match (keys.schema().cloned(), values.schema().cloned()) {
        (Some(key_schema), Some(value_schema)) => {
            let mut aligned = Vec::with_capacity(entries.len());
            for ((k, v), exact) in entries.iter().zip(exacts) {
                let k = align(&key_schema, k, None)?;
                let v = align(&value_schema, v, exact.as_deref())?;
                put(&mut aligned, k, v);
            }
            let schema = build(SchemaBuilder::map(key_schema, value_schema))?;
            Ok(Parsed::new(schema, Value::Map(aligned)))
        }
        (Some(key_schema), None) => {
            let mut aligned = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                put(&mut aligned, align(&key_schema, &k, None)?, v);
            }
            let schema = build(SchemaBuilder::container(Type::Map, Some(key_schema), None))?;
            Ok(Parsed::new(schema, Value::Map(aligned)))
        }
        _ => {
            let schema = build(SchemaBuilder::container(Type::Map, None, None))?;
            Ok(Parsed::new(schema, Value::Map(entries)))
        }
    }
}

impl ValueParser<'_> {
    fn enter(&self) -> Step<usize> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            return Err(Failure::Fatal(ConnectError::data(format!(
                "Unable to parse a value nested more than {MAX_DEPTH} levels deep"
            ))));
        }
        Ok(depth)
    }

    /// Java `canParseSingleTokenLiteral`: `null`, `true` or `false` alone (or embedded).
    fn can_parse_single_token_literal(&mut self, embedded: bool, literal: &str) -> bool {
        let start = self.tokens.mark();
        if self.tokens.can_consume(literal) && (embedded || !self.tokens.has_next()) {
            return true;
        }
        self.tokens.rewind_to(start);
        false
    }

    fn parse(&mut self, embedded: bool) -> Step<Option<Parsed>> {
        if !self.tokens.has_next() {
            return Ok(None);
        }
        if embedded && self.tokens.can_consume("\"") {
            return self.parse_quoted_string().map(Some);
        }
        if self.can_parse_single_token_literal(embedded, "null") {
            return Ok(None);
        }
        for (literal, value) in [("true", true), ("false", false)] {
            if self.can_parse_single_token_literal(embedded, literal) {
                return Ok(Some(Parsed::new(
                    Schema::required(Type::Boolean),
                    Value::Boolean(value),
                )));
            }
        }

        let start = self.tokens.mark();
        let container = if self.tokens.can_consume("[") {
            Some(self.parse_array())
        } else if self.tokens.can_consume("{") {
            Some(self.parse_map())
        } else {
            None
        };
        match container {
            Some(Ok(parsed)) => return Ok(Some(parsed)),
            Some(Err(Failure::Data)) => self.tokens.rewind_to(start),
            Some(Err(fatal)) => return Err(fatal),
            None => {}
        }

        let token = self.tokens.next();
        if is_blank(token) {
            return Ok(Some(Parsed::string(token)));
        }
        let token = java_trim(token);
        let first = token.chars().next().unwrap_or(' ');
        let first_is_digit = is_java_digit(first);
        if first_is_digit {
            if let Some(temporal) = self.parse_multiple_tokens_as_temporal(token) {
                return Ok(Some(temporal));
            }
        }
        if first_is_digit || first == '+' || first == '-' {
            if let Some(number) = parse_as_number(token) {
                return Ok(Some(number));
            }
        }
        if embedded {
            return Err(Failure::Data);
        }
        Ok(Some(Parsed::string(self.tokens.original())))
    }

    /// A time or timestamp is split into five tokens by its unescaped colons: try those first,
    /// then the first token alone.
    #[inline(never)]
    fn parse_multiple_tokens_as_temporal(&mut self, first_token: &str) -> Option<Parsed> {
        let position = self.tokens.mark();
        if let Some(rest) = self.tokens.next_n(4) {
            let joined = format!("{first_token}{rest}");
            if let Some(temporal) = parse_as_temporal(&joined) {
                return Some(temporal);
            }
        }
        self.tokens.rewind_to(position);
        parse_as_temporal(first_token)
    }

    /// After an opening quote inside an array or map: the text up to the closing quote, as is
    /// (escapes are kept). A quoted date, time or timestamp is read as one.
    fn parse_quoted_string(&mut self) -> Step<Parsed> {
        let depth = self.enter()?;
        let mut content = String::new();
        while self.tokens.has_next() {
            if self.tokens.can_consume("\"") {
                break;
            }
            content.push_str(self.tokens.next());
        }
        let parsed = match parse_text(&content, depth) {
            Ok(parsed) => parsed,
            Err(Failure::Fatal(e)) => return Err(Failure::Fatal(e)),
            Err(Failure::Data) => None,
        };
        if let Some(parsed) = parsed {
            if matches!(
                parsed.schema.logical(),
                Some(Logical::Date | Logical::Time | Logical::Timestamp)
            ) {
                return Ok(parsed);
            }
        }
        Ok(Parsed::string(&content))
    }

    fn parse_array(&mut self) -> Step<Parsed> {
        let depth = self.enter()?;
        let saved = std::mem::replace(&mut self.depth, depth);
        let result = self.parse_array_items();
        self.depth = saved;
        result
    }

    fn parse_array_items(&mut self) -> Step<Parsed> {
        let mut items: Vec<Option<Parsed>> = Vec::new();
        let mut merger = SchemaMerger::default();
        while self.tokens.has_next() {
            if self.tokens.can_consume("]") {
                return finish_array(merger, items);
            }
            if self.tokens.can_consume(",") {
                // An empty element.
                return Err(Failure::Data);
            }
            let element = self.parse(true)?;
            merger.merge(element.as_ref());
            items.push(element);
            let position = self.tokens.mark();
            if self.tokens.can_consume("]") {
                self.tokens.rewind_to(position);
            } else if !self.tokens.can_consume(",") {
                // Elements missing the ',' delimiter.
                return Err(Failure::Data);
            }
        }
        // Missing an element after ',' or the closing ']'.
        Err(Failure::Data)
    }

    fn parse_map(&mut self) -> Step<Parsed> {
        let depth = self.enter()?;
        let saved = std::mem::replace(&mut self.depth, depth);
        let result = self.parse_map_entries();
        self.depth = saved;
        result
    }

    fn parse_map_entries(&mut self) -> Step<Parsed> {
        let mut entries: Vec<(Value, Value)> = Vec::new();
        let mut exacts: Vec<Option<Box<Decimal>>> = Vec::new();
        let mut keys = SchemaMerger::default();
        let mut values = SchemaMerger::default();
        while self.tokens.has_next() {
            if self.tokens.can_consume("}") {
                return finish_map(&keys, &values, entries, &exacts);
            }
            if self.tokens.can_consume(",") {
                return Err(Failure::Data);
            }
            let Some(key) = self.parse(true)? else {
                // A null key.
                return Err(Failure::Data);
            };
            if !self.tokens.can_consume(":") {
                return Err(Failure::Data);
            }
            let value = self.parse(true)?;
            let (entry_value, exact) = match &value {
                Some(p) => (p.value.clone(), p.exact.clone()),
                None => (Value::Null, None),
            };
            match entries.iter().position(|(k, _)| *k == key.value) {
                Some(i) => {
                    entries[i].1 = entry_value;
                    exacts[i] = exact;
                }
                None => {
                    entries.push((key.value.clone(), entry_value));
                    exacts.push(exact);
                }
            }
            self.tokens.can_consume(",");
            keys.merge(Some(&key));
            values.merge(value.as_ref());
        }
        Err(Failure::Data)
    }
}
