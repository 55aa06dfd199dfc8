//! `Values.convertTo…`: conversions between Connect types, as Kafka 3.9 does them.
//!
//! Strings are parsed (`"1e3"` → 1000, `"2023-01-15"` → a date), numbers are truncated toward
//! zero, and `java.util.Date` values convert through their logical schema. Where Kafka silently
//! corrupts the value, Ferry raises a data error naming the value and the target instead:
//! an integer out of the target's range (Kafka wraps or clamps it), NaN or ±Infinity to an
//! integer (Kafka gives 0 or a clamped value), and a finite non-zero number that becomes
//! ±Infinity or 0 as FLOAT32/FLOAT64.

use std::fmt;

use super::number::{
    big_decimal_value_of, double_value, parse_big_decimal, truncated_i64, NumberFormat,
};
use super::parser::parse_string;
use super::text::convert_to_string_text;
use crate::data::logical::{self, Logical};
use crate::data::value::MILLIS_PER_DAY;
use crate::data::{Decimal, Schema, Type, Value};
use crate::error::{ConnectError, Result};

/// The cause carried by a conversion error: the Java exception Kafka chains (informational).
#[derive(Debug)]
pub(crate) struct JavaCause {
    class: &'static str,
    message: String,
}

impl fmt::Display for JavaCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl std::error::Error for JavaCause {}

impl From<NumberFormat> for JavaCause {
    fn from(e: NumberFormat) -> Self {
        JavaCause {
            class: "java.lang.NumberFormatException",
            message: e.0,
        }
    }
}

/// `value.getClass()` as Kafka prints it in `Values` messages. Maps are the
/// `LinkedHashMap`s `parseString` (and ordered input) produce.
pub(crate) fn java_class(value: &Value) -> &'static str {
    match value {
        Value::Map(_) => "class java.util.LinkedHashMap",
        other => other.java_class(),
    }
}

fn unable(value: &Value, target: &dyn fmt::Display) -> ConnectError {
    ConnectError::data(format!(
        "Unable to convert {value} ({}) to {target}",
        java_class(value)
    ))
}

fn unable_with(value: &Value, target: &dyn fmt::Display, cause: Option<JavaCause>) -> ConnectError {
    let message = format!(
        "Unable to convert {value} ({}) to {target}",
        java_class(value)
    );
    match cause {
        Some(cause) => ConnectError::data_with(message, cause),
        None => ConnectError::data(message),
    }
}

/// Ferry's error where Kafka would silently change the value.
fn lossy(value: &Value, to: Type, reason: &str) -> ConnectError {
    ConnectError::data(format!(
        "Unable to convert {value} ({}) to {}: {reason}",
        java_class(value),
        to.java_name()
    ))
}

fn out_of_range(value: &Value, to: Type) -> ConnectError {
    lossy(
        value,
        to,
        &format!("the value is out of range for {}", to.java_name()),
    )
}

fn null_required() -> ConnectError {
    ConnectError::data("Unable to convert a null value to a schema that requires a value")
}

/// Java `convertTo(toSchema, fromSchema, value)`.
pub(crate) fn convert_to(to: &Schema, from: Option<&Schema>, value: &Value) -> Result<Value> {
    if value.is_null() {
        if to.is_optional() {
            return Ok(Value::Null);
        }
        return Err(null_required());
    }
    match to.schema_type() {
        Type::Bytes => {
            if to.logical() == Some(Logical::Decimal) {
                to_decimal(to, value).map(Value::Decimal)
            } else {
                to_bytes(to, value)
            }
        }
        Type::String => Ok(Value::String(convert_to_string_text(value))),
        Type::Boolean => to_boolean(from, value),
        Type::Int8 => match value {
            Value::Int8(_) => Ok(value.clone()),
            _ => narrow(value, from, Type::Int8, |v| {
                i8::try_from(v).ok().map(Value::Int8)
            }),
        },
        Type::Int16 => match value {
            Value::Int16(_) => Ok(value.clone()),
            _ => narrow(value, from, Type::Int16, |v| {
                i16::try_from(v).ok().map(Value::Int16)
            }),
        },
        Type::Int32 => match to.logical() {
            Some(Logical::Date) => to_date(from, value),
            Some(Logical::Time) => to_time(from, value),
            _ => match value {
                Value::Int32(_) => Ok(value.clone()),
                _ => narrow(value, from, Type::Int32, |v| {
                    i32::try_from(v).ok().map(Value::Int32)
                }),
            },
        },
        Type::Int64 => match to.logical() {
            Some(Logical::Timestamp) => to_timestamp(from, value),
            _ => match value {
                Value::Int64(_) => Ok(value.clone()),
                _ => as_long(value, from, Type::Int64).map(Value::Int64),
            },
        },
        Type::Float32 => match value {
            Value::Float32(_) => Ok(value.clone()),
            _ => {
                let d = as_double(value, from, Type::Float32)?;
                let f = d as f32;
                check_float(value, Type::Float32, d, f64::from(f))?;
                Ok(Value::Float32(f))
            }
        },
        Type::Float64 => match value {
            Value::Float64(_) => Ok(value.clone()),
            _ => as_double(value, from, Type::Float64).map(Value::Float64),
        },
        Type::Array => to_container(to, value, |v| matches!(v, Value::Array(_))),
        Type::Map => to_container(to, value, |v| matches!(v, Value::Map(_))),
        Type::Struct => match value {
            Value::Struct(_) => Ok(value.clone()),
            _ => Err(unable(value, to)),
        },
    }
}

/// An integer conversion: Java's `(byte) asLong(…)` and friends, refusing values out of range.
fn narrow(
    value: &Value,
    from: Option<&Schema>,
    to: Type,
    fit: impl Fn(i64) -> Option<Value>,
) -> Result<Value> {
    let long = as_long(value, from, to)?;
    fit(long).ok_or_else(|| out_of_range(value, to))
}

/// Refuses a finite non-zero number that the conversion turned into ±Infinity or zero.
fn check_float(value: &Value, to: Type, before: f64, after: f64) -> Result<()> {
    if before.is_finite() && after.is_infinite() {
        return Err(out_of_range(value, to));
    }
    if before != 0.0 && after == 0.0 {
        return Err(lossy(
            value,
            to,
            "the value is too small and would become 0",
        ));
    }
    Ok(())
}

fn decimal_long(decimal: &Decimal, value: &Value, to: Type) -> Result<i64> {
    truncated_i64(decimal).ok_or_else(|| out_of_range(value, to))
}

/// Java `asLong(value, fromSchema, error)`: a number, a number's text, or a `java.util.Date`
/// through its logical `fromSchema`. Fractions are truncated toward zero.
fn as_long(value: &Value, from: Option<&Schema>, to: Type) -> Result<i64> {
    let mut cause = None;
    match value {
        Value::Int8(v) => return Ok(i64::from(*v)),
        Value::Int16(v) => return Ok(i64::from(*v)),
        Value::Int32(v) => return Ok(i64::from(*v)),
        Value::Int64(v) => return Ok(*v),
        Value::Float32(v) => return float_long(f64::from(*v), value, to),
        Value::Float64(v) => return float_long(*v, value, to),
        Value::Decimal(d) => return decimal_long(d, value, to),
        Value::String(s) => match parse_big_decimal(s) {
            Ok(d) => return decimal_long(&d, value, to),
            Err(e) => cause = Some(JavaCause::from(e)),
        },
        _ => {}
    }
    if let Some(schema) = from {
        if value.is_java_date() {
            match schema.logical() {
                Some(Logical::Date) => return logical::date_to_days(value).map(i64::from),
                Some(Logical::Time) => return logical::time_to_millis(value).map(i64::from),
                Some(Logical::Timestamp) => return logical::timestamp_to_millis(value),
                _ => {}
            }
        }
        return Err(unable_with(value, schema, cause));
    }
    Err(unable_with(value, &"a number", cause))
}

fn float_long(v: f64, value: &Value, to: Type) -> Result<i64> {
    if !v.is_finite() {
        return Err(lossy(value, to, "not a finite number"));
    }
    let t = v.trunc();
    // Exactly the doubles whose integer part fits in an i64.
    if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&t) {
        return Err(out_of_range(value, to));
    }
    Ok(t as i64)
}

/// Java `asDouble(value, schema, error)`.
fn as_double(value: &Value, from: Option<&Schema>, to: Type) -> Result<f64> {
    match value {
        Value::Int8(v) => Ok(f64::from(*v)),
        Value::Int16(v) => Ok(f64::from(*v)),
        Value::Int32(v) => Ok(f64::from(*v)),
        Value::Int64(v) => Ok(*v as f64),
        Value::Float32(v) => Ok(f64::from(*v)),
        Value::Float64(v) => Ok(*v),
        Value::Decimal(d) => decimal_double(d, value, to),
        Value::String(s) => match parse_big_decimal(s) {
            Ok(d) => decimal_double(&d, value, to),
            // Java retries as a long, which fails the same way and reports it.
            Err(_) => as_long(value, from, to).map(|v| v as f64),
        },
        _ => as_long(value, from, to).map(|v| v as f64),
    }
}

fn decimal_double(d: &Decimal, value: &Value, to: Type) -> Result<f64> {
    let result = double_value(d);
    let before = if d.is_zero() { 0.0 } else { 1.0 };
    check_float(value, to, before, result)?;
    Ok(result)
}

fn to_boolean(from: Option<&Schema>, value: &Value) -> Result<Value> {
    match value {
        Value::Boolean(_) => return Ok(value.clone()),
        Value::String(s) => {
            if let Some(parsed) = parse_string(s)? {
                if let Value::Boolean(b) = parsed.value {
                    return Ok(Value::Boolean(b));
                }
            }
        }
        _ => {}
    }
    Ok(Value::Boolean(as_long(value, from, Type::Boolean)? != 0))
}

/// A string is parsed first (`parseString`); Java's null result reads as a null value.
fn parsed_if_string(value: &Value) -> Result<Value> {
    match value {
        Value::String(s) => Ok(parse_string(s)?.map_or(Value::Null, |p| p.value)),
        other => Ok(other.clone()),
    }
}

/// The value of a `java.util.Date` returned as the `logical` type asked for: the typed
/// variant when it fits, otherwise a `Timestamp` holding the instant.
pub(crate) fn date_as(logical: Logical, millis: i64) -> Value {
    match logical {
        Logical::Date if millis.rem_euclid(MILLIS_PER_DAY) == 0 => {
            match i32::try_from(millis.div_euclid(MILLIS_PER_DAY)) {
                Ok(days) => Value::Date(days),
                Err(_) => Value::Timestamp(millis),
            }
        }
        Logical::Time if (0..=MILLIS_PER_DAY).contains(&millis) => Value::Time(millis as i32),
        _ => Value::Timestamp(millis),
    }
}

fn to_date(from: Option<&Schema>, value: &Value) -> Result<Value> {
    let value = parsed_if_string(value)?;
    if value.is_null() {
        return Err(null_required());
    }
    if let Some(millis) = value.as_epoch_millis() {
        match from.map(Schema::logical) {
            None => return Ok(date_as(Logical::Date, millis)),
            Some(Some(Logical::Date)) => return Ok(date_as(Logical::Date, millis)),
            Some(Some(Logical::Timestamp)) => {
                // Whole days of the timestamp, truncated toward zero.
                let days = millis / MILLIS_PER_DAY;
                let days = i32::try_from(days).map_err(|_| out_of_range(&value, Type::Int32))?;
                return Ok(Value::Date(days));
            }
            Some(_) => {}
        }
    }
    let numeric = as_long(&value, from, Type::Int32)?;
    let days = i32::try_from(numeric).map_err(|_| out_of_range(&value, Type::Int32))?;
    Ok(Value::Date(days))
}

fn to_time(from: Option<&Schema>, value: &Value) -> Result<Value> {
    let value = parsed_if_string(value)?;
    if value.is_null() {
        return Err(null_required());
    }
    if let Some(millis) = value.as_epoch_millis() {
        match from.map(Schema::logical) {
            None => return Ok(date_as(Logical::Time, millis)),
            Some(Some(Logical::Time)) => return Ok(date_as(Logical::Time, millis)),
            Some(Some(Logical::Timestamp)) => {
                // The time-of-day part of the timestamp.
                return Ok(Value::Time(millis.rem_euclid(MILLIS_PER_DAY) as i32));
            }
            Some(_) => {}
        }
    }
    // Java casts to int before checking the range; Ferry checks the whole value.
    let numeric = as_long(&value, from, Type::Int32)?;
    if !(0..=MILLIS_PER_DAY).contains(&numeric) {
        return Err(ConnectError::data(
            "Time values must use number of milliseconds greater than 0 and less than 86400000",
        ));
    }
    Ok(Value::Time(numeric as i32))
}

fn to_timestamp(from: Option<&Schema>, value: &Value) -> Result<Value> {
    let value = parsed_if_string(value)?;
    if value.is_null() {
        return Err(null_required());
    }
    if let Some(millis) = value.as_epoch_millis() {
        match from.map(Schema::logical) {
            None => return Ok(Value::Timestamp(millis)),
            Some(Some(Logical::Date)) => {
                let days = logical::date_to_days(&value)?;
                return Ok(Value::Timestamp(i64::from(days) * MILLIS_PER_DAY));
            }
            Some(Some(Logical::Time)) => {
                return Ok(Value::Timestamp(i64::from(logical::time_to_millis(
                    &value,
                )?)));
            }
            Some(Some(Logical::Timestamp)) => return Ok(Value::Timestamp(millis)),
            Some(_) => {}
        }
    }
    as_long(&value, from, Type::Int64).map(Value::Timestamp)
}

fn to_container(to: &Schema, value: &Value, accepts: impl Fn(&Value) -> bool) -> Result<Value> {
    let value = parsed_if_string(value)?;
    if value.is_null() {
        return Err(null_required());
    }
    if accepts(&value) {
        return Ok(value);
    }
    Err(unable(&value, to))
}

/// Java `convertToDecimal(toSchema, value)`. The result keeps its own scale.
fn to_decimal(to: &Schema, value: &Value) -> Result<Decimal> {
    let via_double = |v: f64| {
        big_decimal_value_of(v).map_err(|e| {
            let message = e.0.clone();
            ConnectError::data_with(message, JavaCause::from(e))
        })
    };
    match value {
        Value::Bytes(bytes) => logical::decimal_from_bytes(to, bytes),
        Value::Decimal(d) => Ok(d.clone()),
        // Java goes through `double`; a long that a double cannot hold exactly is kept exact.
        Value::Int64(v) if (*v as f64) as i128 != i128::from(*v) => Ok(Decimal::from_i64(*v, 0)),
        Value::Int8(_) | Value::Int16(_) | Value::Int32(_) | Value::Int64(_) => {
            let v = match value {
                Value::Int8(v) => f64::from(*v),
                Value::Int16(v) => f64::from(*v),
                Value::Int32(v) => f64::from(*v),
                Value::Int64(v) => *v as f64,
                _ => 0.0,
            };
            via_double(v)
        }
        Value::Float32(v) => via_double(f64::from(*v)),
        Value::Float64(v) => via_double(*v),
        // Java throws the raw NumberFormatException here.
        Value::String(s) => parse_big_decimal(s).map_err(|e| {
            let message = e.0.clone();
            ConnectError::data_with(message, JavaCause::from(e))
        }),
        _ => Err(unable(value, to)),
    }
}

/// Java `convertToBytes(toSchema, value)` (a non-Decimal BYTES schema).
fn to_bytes(to: &Schema, value: &Value) -> Result<Value> {
    match value {
        Value::Bytes(_) => Ok(value.clone()),
        Value::Decimal(d) => logical::decimal_to_bytes(to, d).map(Value::Bytes),
        _ => Err(unable(value, to)),
    }
}
