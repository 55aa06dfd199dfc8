//! Record values as typed SQL parameters (Confluent's `bindField`): a NULL keeps its
//! column's type (Postgres checks parameter types even for NULL); zone-less time values are
//! written as wall-clock time in `db.timezone`; SQLite gets dates and times as epoch
//! milliseconds, as sqlite-jdbc writes them.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use connect_api::data::logical::Logical;
use connect_api::{ConnectError, Result, Schema, Type, Value};

use crate::calendar;
use crate::common::DbTimezone;
use crate::dialect::Dialect;

/// A parameter with its SQL type.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    /// A NULL of the kind given.
    Null(Kind),
    /// `BOOLEAN`.
    Bool(bool),
    /// A 16-bit integer (Connect INT8 and INT16).
    I16(i16),
    /// A 32-bit integer.
    I32(i32),
    /// A 64-bit integer.
    I64(i64),
    /// A 32-bit float.
    F32(f32),
    /// A 64-bit float.
    F64(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Bytes(Vec<u8>),
    /// A decimal.
    Decimal(BigDecimal),
    /// A date.
    Date(NaiveDate),
    /// A time of day.
    Time(NaiveTime),
    /// A zone-less timestamp.
    Timestamp(NaiveDateTime),
}

/// The SQL type of a NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Boolean.
    Bool,
    /// 16-bit integer.
    I16,
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// 32-bit float.
    F32,
    /// 64-bit float.
    F64,
    /// Text.
    Text,
    /// Bytes.
    Bytes,
    /// Decimal.
    Decimal,
    /// Date.
    Date,
    /// Time.
    Time,
    /// Timestamp.
    Timestamp,
}

/// How a schema's values are bound.
pub fn kind_of(dialect: Dialect, schema: &Schema) -> Result<Kind> {
    let k = match (schema.logical(), schema.schema_type()) {
        (Some(_), _) if dialect == Dialect::Sqlite => match schema.logical() {
            Some(Logical::Decimal) => Kind::Text,
            _ => Kind::I64,
        },
        (Some(Logical::Decimal), _) => Kind::Decimal,
        (Some(Logical::Date), _) => Kind::Date,
        (Some(Logical::Time), _) => Kind::Time,
        (Some(Logical::Timestamp), _) => Kind::Timestamp,
        (None, Type::Boolean) => Kind::Bool,
        (None, Type::Int8 | Type::Int16) => Kind::I16,
        (None, Type::Int32) => Kind::I32,
        (None, Type::Int64) => Kind::I64,
        (None, Type::Float32) => Kind::F32,
        (None, Type::Float64) => Kind::F64,
        (None, Type::String) => Kind::Text,
        (None, Type::Bytes) => Kind::Bytes,
        (None, other) => {
            return Err(ConnectError::data(format!(
                "Unsupported source data type: {}",
                other.java_name()
            )))
        }
    };
    Ok(k)
}

/// Zones for time values.
#[derive(Debug, Clone, Copy)]
pub struct Zones {
    /// `db.timezone`.
    pub db: DbTimezone,
    /// Dates in UTC (`date.timezone=UTC`) rather than `db.timezone`.
    pub date_utc: bool,
    /// `date.calendar.system=LEGACY`: dates before 1582-10-15 written as their Julian
    /// calendar fields, as Java's drivers write them.
    pub legacy_calendar: bool,
}

/// A value of `schema` as a parameter.
pub fn to_sql(dialect: Dialect, schema: &Schema, value: &Value, zones: Zones) -> Result<SqlValue> {
    let kind = kind_of(dialect, schema)?;
    let ms_instant = |ms: i64| {
        DateTime::from_timestamp_millis(ms)
            .ok_or_else(|| ConnectError::data(format!("{ms} ms is out of range for a timestamp")))
    };
    let bad = || {
        ConnectError::data(format!(
            "Unsupported value {value:?} for schema type {}",
            schema.schema_type().java_name()
        ))
    };
    let v = match (value, kind) {
        (Value::Null, k) => SqlValue::Null(k),
        (Value::Boolean(b), _) => SqlValue::Bool(*b),
        (Value::Int8(v), _) => SqlValue::I16(i16::from(*v)),
        (Value::Int16(v), _) => SqlValue::I16(*v),
        (Value::Int32(v), _) => SqlValue::I32(*v),
        (Value::Int64(v), _) => SqlValue::I64(*v),
        (Value::Float32(v), _) => SqlValue::F32(*v),
        (Value::Float64(v), _) => SqlValue::F64(*v),
        (Value::String(s), _) => match dialect {
            // Postgres cannot store NUL in text: Confluent strips it
            Dialect::Postgres if s.contains('\0') => SqlValue::Text(s.replace('\0', "")),
            _ => SqlValue::Text(s.clone()),
        },
        (Value::Bytes(b), _) => SqlValue::Bytes(b.clone()),
        (Value::Decimal(d), Kind::Text) => SqlValue::Text(d.to_string()),
        (Value::Decimal(d), _) => {
            SqlValue::Decimal(BigDecimal::new(d.unscaled().clone(), i64::from(d.scale())))
        }
        (Value::Date(days), Kind::I64) => SqlValue::I64(i64::from(*days) * 86_400_000),
        (Value::Date(days), _) => {
            let t = ms_instant(i64::from(*days) * 86_400_000)?;
            let local = if zones.date_utc {
                t.naive_utc()
            } else {
                zones.db.to_local(t)
            };
            SqlValue::Date(match zones.legacy_calendar {
                true => calendar::legacy_write(local.date()),
                false => local.date(),
            })
        }
        (Value::Time(ms), Kind::I64) => SqlValue::I64(i64::from(*ms)),
        (Value::Time(ms), _) => {
            SqlValue::Time(zones.db.to_local(ms_instant(i64::from(*ms))?).time())
        }
        (Value::Timestamp(ms), Kind::I64) => SqlValue::I64(*ms),
        (Value::Timestamp(ms), _) => {
            let local = zones.db.to_local(ms_instant(*ms)?);
            SqlValue::Timestamp(match zones.legacy_calendar {
                true => calendar::legacy_write_datetime(local),
                false => local,
            })
        }
        _ => return Err(bad()),
    };
    Ok(v)
}

/// Binds parameters (taken by value) to a sqlx query of any of the three databases;
/// decimals are bound as `$dec_ty` made by `$dec` (SQLite has no decimal type: text).
#[macro_export]
#[doc(hidden)]
macro_rules! bind_all {
    ($query:expr, $values:expr, $dec_ty:ty, $dec:expr) => {{
        use $crate::sink::bind::{Kind, SqlValue};
        let mut q = $query;
        for v in $values {
            q = match v {
                SqlValue::Null(k) => match k {
                    Kind::Bool => q.bind(None::<bool>),
                    Kind::I16 => q.bind(None::<i16>),
                    Kind::I32 => q.bind(None::<i32>),
                    Kind::I64 => q.bind(None::<i64>),
                    Kind::F32 => q.bind(None::<f32>),
                    Kind::F64 => q.bind(None::<f64>),
                    Kind::Text => q.bind(None::<String>),
                    Kind::Bytes => q.bind(None::<Vec<u8>>),
                    Kind::Decimal => q.bind(None::<$dec_ty>),
                    Kind::Date => q.bind(None::<chrono::NaiveDate>),
                    Kind::Time => q.bind(None::<chrono::NaiveTime>),
                    Kind::Timestamp => q.bind(None::<chrono::NaiveDateTime>),
                },
                SqlValue::Bool(x) => q.bind(x),
                SqlValue::I16(x) => q.bind(x),
                SqlValue::I32(x) => q.bind(x),
                SqlValue::I64(x) => q.bind(x),
                SqlValue::F32(x) => q.bind(x),
                SqlValue::F64(x) => q.bind(x),
                SqlValue::Text(x) => q.bind(x),
                SqlValue::Bytes(x) => q.bind(x),
                SqlValue::Decimal(x) => q.bind($dec(x)),
                SqlValue::Date(x) => q.bind(x),
                SqlValue::Time(x) => q.bind(x),
                SqlValue::Timestamp(x) => q.bind(x),
            };
        }
        q
    }};
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use connect_api::data::logical;

    fn utc() -> Zones {
        Zones {
            db: DbTimezone::default(),
            date_utc: false,
            legacy_calendar: true,
        }
    }

    #[test]
    fn values_keep_their_types() {
        let ts = logical::timestamp_builder().build().unwrap();
        assert_eq!(
            to_sql(Dialect::Postgres, &ts, &Value::Timestamp(1_500), utc()).unwrap(),
            SqlValue::Timestamp(DateTime::from_timestamp_millis(1_500).unwrap().naive_utc())
        );
        assert_eq!(
            to_sql(Dialect::Sqlite, &ts, &Value::Timestamp(1_500), utc()).unwrap(),
            SqlValue::I64(1_500)
        );
        assert_eq!(
            to_sql(
                Dialect::Postgres,
                &Schema::optional(Type::String),
                &Value::Null,
                utc()
            )
            .unwrap(),
            SqlValue::Null(Kind::Text)
        );
        assert_eq!(
            to_sql(
                Dialect::Postgres,
                &Schema::required(Type::String),
                &Value::String("a\0b".into()),
                utc()
            )
            .unwrap(),
            SqlValue::Text("ab".into())
        );
        let west = Zones {
            db: crate::common::parse_timezone("k", "-05:00").unwrap(),
            date_utc: false,
            legacy_calendar: true,
        };
        let date = logical::date_builder().build().unwrap();
        // Confluent's default date.timezone=DB_TIMEZONE moves a date west of UTC a day back
        assert_eq!(
            to_sql(Dialect::MySql, &date, &Value::Date(1), west).unwrap(),
            SqlValue::Date(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
        );
        let e = to_sql(
            Dialect::MySql,
            &connect_api::SchemaBuilder::array(Schema::required(Type::Int32))
                .build()
                .unwrap(),
            &Value::Array(vec![]),
            utc(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("Unsupported source data type: ARRAY"),
            "{e}"
        );
    }
}
