//! Java's `org.apache.kafka.connect.data.Values`: parse text into Connect data, convert
//! between types, infer schemas, and write values as text.
//!
//! Behaviour is Kafka 3.9's (JVM in UTC), including its leniency: `parseString` picks the
//! narrowest type and falls back to a string when text does not parse, dates are parsed
//! leniently with `SimpleDateFormat` patterns and formatted by value, conversions parse strings
//! and truncate fractions. Where Kafka silently corrupts data Ferry differs, and says so:
//!
//! * integer conversions refuse values out of the target's range, NaN and ±Infinity (Kafka
//!   wraps, clamps or gives 0);
//! * FLOAT32/FLOAT64 conversions refuse a finite non-zero number that would become ±Infinity
//!   or 0;
//! * `parse_string` reads a decimal number as FLOAT32 only when FLOAT32 shows the same number
//!   back, else FLOAT64 under the same rule, else an exact Decimal (Kafka reads
//!   `0.30000000000000004` as FLOAT32 `0.3`);
//! * `convert_to_decimal` keeps a `long` exact where Java would round it through `double`.
//!
//! `java.util.Date` results are typed by what they hold: [`Value::Date`] at midnight,
//! [`Value::Time`] within the first day, otherwise [`Value::Timestamp`] (for example
//! `convert_to_date` of a timestamp text).

mod calendar;
mod convert;
mod datefmt;
mod infer;
mod number;
mod parser;
mod text;
mod tokenizer;

use crate::data::logical::{self, Logical};
use crate::data::{Schema, SchemaAndValue, SchemaBuilder, Type, Value};
use crate::error::Result;

pub(crate) use datefmt::java_date_to_string;

/// Java `Values.parseString(value)`; `Ok(None)` is Java's null `SchemaAndValue` (input `null`).
///
/// The result always has a schema. Text that is not a literal, number, date, array or map is
/// the whole text as a STRING; so is an array or map with a syntax error, or whose elements do
/// not fit a common schema with null elements among them. An `Err` only for pathological input
/// (arrays or maps nested hundreds of levels deep), where Java fails with a stack overflow.
pub fn parse_string(value: &str) -> Result<Option<SchemaAndValue>> {
    parser::parse_string(value)
}

/// Java `Values.inferSchema(value)`: `Ok(None)` when no schema fits; Java's failure, a
/// `SchemaBuilderException`-kind error `type cannot be null`, for an array or map whose
/// elements (or values) are all null.
pub fn infer_schema(value: &Value) -> Result<Option<Schema>> {
    infer::infer(value)
}

fn to(schema: Schema, from: Option<&Schema>, value: &Value) -> Result<Value> {
    convert::convert_to(&schema, from, value)
}

fn selector(builder: SchemaBuilder) -> Schema {
    // Building a schema from fixed, valid parts cannot fail; fall back to a bare one.
    let ty = builder.schema_type();
    builder.build().unwrap_or_else(|_| Schema::required(ty))
}

/// Java `Values.convertToBoolean`: `Value::Null` for null; `"true"`/`"false"` (as
/// `parse_string` reads them), else whether the value as a number (truncated) is non-zero.
pub fn convert_to_boolean(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Boolean), schema, value)
}

/// Java `Values.convertToByte`: `Value::Null` for null, else [`Value::Int8`]. Numbers and number
/// text are truncated toward zero; a `java.util.Date` converts through its logical `schema`.
/// Ferry refuses values out of range (Kafka wraps them).
pub fn convert_to_byte(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Int8), schema, value)
}

/// Java `Values.convertToShort`: as [`convert_to_byte`], giving [`Value::Int16`].
pub fn convert_to_short(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Int16), schema, value)
}

/// Java `Values.convertToInteger`: as [`convert_to_byte`], giving [`Value::Int32`].
pub fn convert_to_integer(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Int32), schema, value)
}

/// Java `Values.convertToLong`: as [`convert_to_byte`], giving [`Value::Int64`].
pub fn convert_to_long(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Int64), schema, value)
}

/// Java `Values.convertToFloat`: `Value::Null` for null, else [`Value::Float32`] (through
/// `double`, as Java does).
pub fn convert_to_float(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Float32), schema, value)
}

/// Java `Values.convertToDouble`: `Value::Null` for null, else [`Value::Float64`].
pub fn convert_to_double(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::Float64), schema, value)
}

/// Java `Values.convertToString`: `Value::Null` for null, else the text `parse_string` reads
/// back (see the module docs of the format).
pub fn convert_to_string(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(Schema::optional(Type::String), schema, value)
}

/// Java `Values.convertToList`: an array as is, or text parsed as one. Null is an error.
pub fn convert_to_list(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    let selector = selector(SchemaBuilder::array(Schema::required(Type::String)));
    to(selector, schema, value)
}

/// Java `Values.convertToMap`: a map as is, or text parsed as one. Null is an error.
pub fn convert_to_map(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    let selector = selector(SchemaBuilder::map(
        Schema::required(Type::String),
        Schema::required(Type::String),
    ));
    to(selector, schema, value)
}

/// Java `Values.convertToStruct`: only a struct converts (text is not parsed). Null is an error.
pub fn convert_to_struct(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(selector(SchemaBuilder::struct_builder()), schema, value)
}

/// Java `Values.convertToDate`: a `java.util.Date` as is (or the whole days of a Timestamp),
/// text parsed first, a number as days since the epoch. Null is an error.
pub fn convert_to_date(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(logical::schema_of(Logical::Date, false, 0), schema, value)
}

/// Java `Values.convertToTime`: a `java.util.Date` as is (or the time of day of a Timestamp),
/// text parsed first, a number as milliseconds of the day. Null is an error.
pub fn convert_to_time(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(logical::schema_of(Logical::Time, false, 0), schema, value)
}

/// Java `Values.convertToTimestamp`: a `java.util.Date` as is (Date and Time through their
/// logical `schema`), text parsed first, a number as epoch milliseconds. Null is an error.
pub fn convert_to_timestamp(schema: Option<&Schema>, value: &Value) -> Result<Value> {
    to(
        logical::schema_of(Logical::Timestamp, false, 0),
        schema,
        value,
    )
}

/// Java `Values.convertToDecimal(schema, value, scale)`: a [`Value::Decimal`] with the value's
/// own scale (`scale` only decodes BYTES). Numbers go through `double` (`0.1f32` is
/// `0.10000000149011612`); text is parsed as `BigDecimal`. Null is an error.
pub fn convert_to_decimal(schema: Option<&Schema>, value: &Value, scale: i32) -> Result<Value> {
    to(
        logical::schema_of(Logical::Decimal, false, scale),
        schema,
        value,
    )
}

#[cfg(test)]
mod tests;
