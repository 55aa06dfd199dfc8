//! The logical types `Decimal`, `Date`, `Time` and `Timestamp`: names, schemas, conversions.

use num_bigint::BigInt;

use crate::data::value::MILLIS_PER_DAY;
use crate::data::{Decimal, Schema, SchemaBuilder, Type, Value};
use crate::error::{ConnectError, Result};

/// `org.apache.kafka.connect.data.Decimal`.
pub const DECIMAL_NAME: &str = "org.apache.kafka.connect.data.Decimal";
/// `org.apache.kafka.connect.data.Date`.
pub const DATE_NAME: &str = "org.apache.kafka.connect.data.Date";
/// `org.apache.kafka.connect.data.Time`.
pub const TIME_NAME: &str = "org.apache.kafka.connect.data.Time";
/// `org.apache.kafka.connect.data.Timestamp`.
pub const TIMESTAMP_NAME: &str = "org.apache.kafka.connect.data.Timestamp";
/// The Decimal schema parameter holding the scale.
pub const SCALE_FIELD: &str = "scale";

/// A logical type, recognised by schema name (as Kafka's converters do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logical {
    /// `Decimal` on BYTES.
    Decimal,
    /// `Date` on INT32.
    Date,
    /// `Time` on INT32.
    Time,
    /// `Timestamp` on INT64.
    Timestamp,
}

impl Logical {
    /// The logical type named by the schema, if any.
    pub fn of(schema: &Schema) -> Option<Logical> {
        Logical::from_name(schema.name()?)
    }

    /// The logical type of a schema name.
    pub fn from_name(name: &str) -> Option<Logical> {
        match name {
            DECIMAL_NAME => Some(Logical::Decimal),
            DATE_NAME => Some(Logical::Date),
            TIME_NAME => Some(Logical::Time),
            TIMESTAMP_NAME => Some(Logical::Timestamp),
            _ => None,
        }
    }
}

/// A builder for a Decimal schema of `scale` (Java `Decimal.builder(scale)`).
pub fn decimal_builder(scale: i32) -> SchemaBuilder {
    SchemaBuilder::new(Type::Bytes)
        .name(DECIMAL_NAME)
        .parameter(SCALE_FIELD, scale.to_string())
        .version(1)
}

/// A builder for the Date schema (Java `Date.builder()`).
pub fn date_builder() -> SchemaBuilder {
    SchemaBuilder::new(Type::Int32).name(DATE_NAME).version(1)
}

/// A builder for the Time schema (Java `Time.builder()`).
pub fn time_builder() -> SchemaBuilder {
    SchemaBuilder::new(Type::Int32).name(TIME_NAME).version(1)
}

/// A builder for the Timestamp schema (Java `Timestamp.builder()`).
pub fn timestamp_builder() -> SchemaBuilder {
    SchemaBuilder::new(Type::Int64)
        .name(TIMESTAMP_NAME)
        .version(1)
}

/// The scale of a Decimal schema. Java: `Invalid Decimal schema: scale parameter not found.`
/// when missing; a non-integer scale is Java's `NumberFormatException` (a data error here).
pub fn decimal_scale(schema: &Schema) -> Result<i32> {
    let text = schema
        .parameter(SCALE_FIELD)
        .ok_or_else(|| ConnectError::data("Invalid Decimal schema: scale parameter not found."))?;
    text.parse::<i32>()
        .map_err(|_| ConnectError::data(format!("For input string: \"{text}\"")))
}

/// Java `Decimal.fromLogical`: the unscaled bytes, checking the value's scale against the
/// schema's.
pub fn decimal_to_bytes(schema: &Schema, value: &Decimal) -> Result<Vec<u8>> {
    let scale = decimal_scale(schema)?;
    if value.scale() != scale {
        return Err(ConnectError::data(format!(
            "Decimal value has mismatching scale for given Decimal schema. Schema has scale {scale}, value has scale {}.",
            value.scale()
        )));
    }
    Ok(value.to_twos_complement())
}

/// Java `Decimal.toLogical`: the decimal from unscaled bytes and the schema's scale.
pub fn decimal_from_bytes(schema: &Schema, bytes: &[u8]) -> Result<Decimal> {
    let scale = decimal_scale(schema)?;
    if bytes.is_empty() {
        return Err(ConnectError::data("Zero length BigInteger"));
    }
    Ok(Decimal::new(BigInt::from_signed_bytes_be(bytes), scale))
}

/// Java `Date.fromLogical`: days since epoch of a `java.util.Date` value; it must be midnight UTC.
pub fn date_to_days(value: &Value) -> Result<i32> {
    if let Value::Date(d) = value {
        return Ok(*d);
    }
    let ms = value.as_epoch_millis().ok_or_else(|| {
        ConnectError::data(format!(
            "Invalid Java object for Date: {}",
            value.java_class()
        ))
    })?;
    if ms.rem_euclid(MILLIS_PER_DAY) != 0 {
        return Err(ConnectError::data(
            "Kafka Connect Date type should not have any time fields set to non-zero values.",
        ));
    }
    Ok((ms / MILLIS_PER_DAY) as i32)
}

/// Java `Time.fromLogical`: milliseconds of the day of a `java.util.Date`; it must lie in
/// `0..=86_400_000` (Java's check is `> MILLIS_PER_DAY`, so 24:00:00.000 passes).
pub fn time_to_millis(value: &Value) -> Result<i32> {
    if let Value::Time(t) = value {
        return Ok(*t);
    }
    let ms = value.as_epoch_millis().ok_or_else(|| {
        ConnectError::data(format!(
            "Invalid Java object for Time: {}",
            value.java_class()
        ))
    })?;
    if !(0..=MILLIS_PER_DAY).contains(&ms) {
        return Err(ConnectError::data(
            "Kafka Connect Time type should not have any date fields set to non-zero values.",
        ));
    }
    Ok(ms as i32)
}

/// Java `Time.toLogical`: a Time value from milliseconds of the day.
pub fn time_from_millis(ms: i32) -> Result<Value> {
    if !(0..=MILLIS_PER_DAY as i32).contains(&ms) {
        return Err(ConnectError::data(
            "Time values must use number of milliseconds greater than 0 and less than 86400000",
        ));
    }
    Ok(Value::Time(ms))
}

/// Java `Timestamp.fromLogical`: epoch milliseconds of a `java.util.Date`.
pub fn timestamp_to_millis(value: &Value) -> Result<i64> {
    value.as_epoch_millis().ok_or_else(|| {
        ConnectError::data(format!(
            "Invalid Java object for Timestamp: {}",
            value.java_class()
        ))
    })
}

/// Shared schemas of the logical types, for callers that need one without building it.
pub fn schema_of(logical: Logical, optional: bool, scale: i32) -> Schema {
    let b = match logical {
        Logical::Decimal => decimal_builder(scale),
        Logical::Date => date_builder(),
        Logical::Time => time_builder(),
        Logical::Timestamp => timestamp_builder(),
    };
    let b = if optional { b.optional() } else { b };
    // Building a logical schema with a fixed name and no default cannot fail.
    b.build().unwrap_or_else(|_| Schema::required(Type::Bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_and_time_checks() {
        assert_eq!(date_to_days(&Value::Timestamp(86_400_000)).unwrap(), 1);
        assert_eq!(date_to_days(&Value::Timestamp(-86_400_000)).unwrap(), -1);
        assert!(date_to_days(&Value::Timestamp(1000)).is_err());
        assert_eq!(
            time_to_millis(&Value::Timestamp(86_400_000)).unwrap(),
            86_400_000
        );
        assert!(time_to_millis(&Value::Timestamp(86_400_001)).is_err());
        assert!(time_to_millis(&Value::Timestamp(-1)).is_err());
    }

    #[test]
    fn decimal_scale_checked() {
        let s = decimal_builder(2).build().unwrap();
        let e = decimal_to_bytes(&s, &Decimal::parse("1.5").unwrap()).unwrap_err();
        assert_eq!(e.to_string(), "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1.");
        assert_eq!(
            decimal_to_bytes(&s, &Decimal::parse("1.56").unwrap()).unwrap(),
            vec![0x00, 0x9c]
        );
    }
}
