//! Reading result rows as Connect values: each column is read by the [`Conv`] its schema
//! mapping chose ([`crate::schema`]), with the driver's own decoder for its database type.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use connect_api::{Decimal, Value};
use sqlx::mysql::MySqlRow;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, TypeInfo, ValueRef};

/// How one column is read and what Connect value it becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conv {
    /// `BOOLEAN`.
    Boolean,
    /// `INT8`.
    Int8,
    /// `INT16`.
    Int16,
    /// `INT32`.
    Int32,
    /// `INT64`.
    Int64,
    /// `FLOAT32`.
    Float32,
    /// `FLOAT64`.
    Float64,
    /// A `Decimal` with this scale (the value is rescaled to it, as Java's
    /// `getBigDecimal(col).setScale(scale)`).
    Decimal(i32),
    /// `STRING`.
    String,
    /// `BYTES`.
    Bytes,
    /// `Date` (days since the epoch).
    Date,
    /// `Time` (milliseconds of the day).
    Time,
    /// `Timestamp` (epoch milliseconds).
    Timestamp,
    /// A date or timestamp as epoch nanoseconds in an `INT64`: how offset columns are read,
    /// since offsets keep the nanoseconds a `Timestamp` drops.
    EpochNanos,
}

/// A column that could not be read as its mapping says.
#[derive(Debug, thiserror::Error)]
#[error("column '{column}' ({db_type}): {message}")]
pub struct ReadError {
    /// The column.
    pub column: String,
    /// The database's type name.
    pub db_type: String,
    /// What went wrong.
    pub message: String,
}

fn read_error(row: &impl Row, i: usize, message: impl std::fmt::Display) -> ReadError {
    let col = &row.columns()[i];
    ReadError {
        column: sqlx::Column::name(col).to_string(),
        db_type: sqlx::Column::type_info(col).name().to_string(),
        message: message.to_string(),
    }
}

fn decimal_of(big: &BigDecimal, scale: i32) -> Decimal {
    let rescaled = big.with_scale(i64::from(scale));
    let (unscaled, _) = rescaled.as_bigint_and_exponent();
    Decimal::new(unscaled, scale)
}

fn date_value(d: NaiveDate) -> Value {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    Value::Date((d - epoch).num_days() as i32)
}

fn time_value(t: NaiveTime) -> Value {
    let ms = t.num_seconds_from_midnight() as i64 * 1000 + i64::from(t.nanosecond() / 1_000_000);
    Value::Time(ms as i32)
}

/// An instant as the conversion wants it: a `Timestamp`, or epoch nanoseconds for offsets.
fn instant(t: DateTime<Utc>, conv: Conv) -> Value {
    match conv {
        Conv::EpochNanos => Value::Int64(epoch_nanos(t)),
        Conv::Date => date_value(t.date_naive()),
        _ => Value::Timestamp(t.timestamp_millis()),
    }
}

/// Epoch nanoseconds, saturating outside the years 1677–2262.
pub fn epoch_nanos(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN
    } else {
        i64::MAX
    })
}

fn date_conv(d: NaiveDate, conv: Conv) -> Value {
    match conv {
        Conv::EpochNanos => instant(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(), conv),
        _ => date_value(d),
    }
}

/// Narrows an integer to the mapping's width; a value that does not fit is an error (Java's
/// `getByte`/`getShort`/`getInt` fail the same way).
fn int_value(v: i64, conv: Conv) -> Result<Value, String> {
    let out = match conv {
        Conv::Boolean => Value::Boolean(v != 0),
        Conv::Int8 => Value::Int8(i8::try_from(v).map_err(|_| format!("{v} does not fit INT8"))?),
        Conv::Int16 => {
            Value::Int16(i16::try_from(v).map_err(|_| format!("{v} does not fit INT16"))?)
        }
        Conv::Int32 => {
            Value::Int32(i32::try_from(v).map_err(|_| format!("{v} does not fit INT32"))?)
        }
        Conv::Int64 => Value::Int64(v),
        Conv::Float32 => Value::Float32(v as f32),
        Conv::Float64 => Value::Float64(v as f64),
        Conv::Decimal(scale) => Value::Decimal(decimal_of(&BigDecimal::from(v), scale)),
        Conv::String => Value::String(v.to_string()),
        _ => return Err(format!("an integer cannot be read as {conv:?}")),
    };
    Ok(out)
}

fn float_value(v: f64, conv: Conv) -> Result<Value, String> {
    Ok(match conv {
        Conv::Float32 => Value::Float32(v as f32),
        Conv::Float64 => Value::Float64(v),
        Conv::Decimal(scale) => {
            let big = BigDecimal::try_from(v).map_err(|e| e.to_string())?;
            Value::Decimal(decimal_of(&big, scale))
        }
        _ => {
            return Err(format!(
                "a floating point number cannot be read as {conv:?}"
            ))
        }
    })
}

fn big_value(big: &BigDecimal, conv: Conv) -> Result<Value, String> {
    use bigdecimal::ToPrimitive;
    let int = || {
        big.to_i64()
            .filter(|_| big.is_integer())
            .ok_or_else(|| format!("{big} is not a whole number that fits INT64"))
    };
    Ok(match conv {
        Conv::Decimal(scale) => Value::Decimal(decimal_of(big, scale)),
        Conv::Int8 | Conv::Int16 | Conv::Int32 | Conv::Int64 => int_value(int()?, conv)?,
        Conv::Float64 => Value::Float64(big.to_f64().unwrap_or(f64::NAN)),
        Conv::Float32 => Value::Float32(big.to_f32().unwrap_or(f32::NAN)),
        Conv::String => Value::String(big.to_string()),
        _ => return Err(format!("a decimal cannot be read as {conv:?}")),
    })
}

/// Reads the columns of a Postgres row.
pub fn pg_values(row: &PgRow, convs: &[(usize, Conv)]) -> Result<Vec<Value>, ReadError> {
    let mut out = Vec::with_capacity(convs.len());
    for &(i, conv) in convs {
        let raw = row.try_get_raw(i).map_err(|e| read_error(row, i, e))?;
        if raw.is_null() {
            out.push(Value::Null);
            continue;
        }
        let ty = raw.type_info().name().to_string();
        let e = |m: &dyn std::fmt::Display| read_error(row, i, m);
        let v = match ty.as_str() {
            "BOOL" => Value::Boolean(row.try_get::<bool, _>(i).map_err(|x| e(&x))?),
            "INT2" => int_value(
                i64::from(row.try_get::<i16, _>(i).map_err(|x| e(&x))?),
                conv,
            )
            .map_err(|x| e(&x))?,
            "INT4" => int_value(
                i64::from(row.try_get::<i32, _>(i).map_err(|x| e(&x))?),
                conv,
            )
            .map_err(|x| e(&x))?,
            "INT8" => {
                int_value(row.try_get::<i64, _>(i).map_err(|x| e(&x))?, conv).map_err(|x| e(&x))?
            }
            "OID" => int_value(
                i64::from(
                    row.try_get::<sqlx::postgres::types::Oid, _>(i)
                        .map_err(|x| e(&x))?
                        .0,
                ),
                conv,
            )
            .map_err(|x| e(&x))?,
            "FLOAT4" => float_value(
                f64::from(row.try_get::<f32, _>(i).map_err(|x| e(&x))?),
                conv,
            )
            .map_err(|x| e(&x))?,
            "FLOAT8" => float_value(row.try_get::<f64, _>(i).map_err(|x| e(&x))?, conv)
                .map_err(|x| e(&x))?,
            "NUMERIC" => {
                let big = row.try_get::<BigDecimal, _>(i).map_err(|x| e(&x))?;
                big_value(&big, conv).map_err(|x| e(&x))?
            }
            "DATE" => date_conv(row.try_get::<NaiveDate, _>(i).map_err(|x| e(&x))?, conv),
            "TIME" => time_value(row.try_get::<NaiveTime, _>(i).map_err(|x| e(&x))?),
            "TIMESTAMP" => instant(
                row.try_get::<NaiveDateTime, _>(i)
                    .map_err(|x| e(&x))?
                    .and_utc(),
                conv,
            ),
            "TIMESTAMPTZ" => instant(row.try_get::<DateTime<Utc>, _>(i).map_err(|x| e(&x))?, conv),
            "BYTEA" => Value::Bytes(row.try_get::<Vec<u8>, _>(i).map_err(|x| e(&x))?),
            "UUID" => {
                let b = raw_pg_bytes(row, i).map_err(|x| e(&x))?;
                Value::String(format_uuid(b).ok_or_else(|| e(&"not 16 bytes"))?)
            }
            "JSON" => {
                Value::String(text_of(raw_pg_bytes(row, i).map_err(|x| e(&x))?).map_err(|x| e(&x))?)
            }
            "JSONB" => {
                // binary jsonb: a version byte (1), then the text
                let b = raw_pg_bytes(row, i).map_err(|x| e(&x))?;
                Value::String(text_of(b.get(1..).unwrap_or_default()).map_err(|x| e(&x))?)
            }
            _ if conv == Conv::String => {
                Value::String(row.try_get::<String, _>(i).map_err(|x| e(&x))?)
            }
            _ if conv == Conv::Bytes => {
                Value::Bytes(raw_pg_bytes(row, i).map_err(|x| e(&x))?.to_vec())
            }
            other => return Err(e(&format!("the type {other} cannot be read as {conv:?}"))),
        };
        out.push(v);
    }
    Ok(out)
}

fn raw_pg_bytes(row: &PgRow, i: usize) -> Result<&[u8], String> {
    let raw = row.try_get_raw(i).map_err(|e| e.to_string())?;
    raw.as_bytes().map_err(|e| e.to_string())
}

fn text_of(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| "not UTF-8 text".to_string())
}

fn format_uuid(b: &[u8]) -> Option<String> {
    if b.len() != 16 {
        return None;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Reads the columns of a MySQL/MariaDB row.
pub fn mysql_values(row: &MySqlRow, convs: &[(usize, Conv)]) -> Result<Vec<Value>, ReadError> {
    let mut out = Vec::with_capacity(convs.len());
    for &(i, conv) in convs {
        let raw = row.try_get_raw(i).map_err(|e| read_error(row, i, e))?;
        if raw.is_null() {
            out.push(Value::Null);
            continue;
        }
        let ty = raw.type_info().name().to_string();
        let e = |m: &dyn std::fmt::Display| read_error(row, i, m);
        let v = match ty.as_str() {
            "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" | "YEAR" => {
                let n = if ty == "YEAR" {
                    i64::from(row.try_get::<u16, _>(i).map_err(|x| e(&x))?)
                } else {
                    row.try_get::<i64, _>(i).map_err(|x| e(&x))?
                };
                int_value(n, conv).map_err(|x| e(&x))?
            }
            "TINYINT UNSIGNED" | "SMALLINT UNSIGNED" | "MEDIUMINT UNSIGNED" | "INT UNSIGNED" => {
                let n = row.try_get::<u64, _>(i).map_err(|x| e(&x))?;
                int_value(n as i64, conv).map_err(|x| e(&x))?
            }
            "BIGINT UNSIGNED" => {
                let n = row.try_get::<u64, _>(i).map_err(|x| e(&x))?;
                match conv {
                    Conv::Decimal(_) | Conv::String | Conv::Float64 => {
                        big_value(&BigDecimal::from(n), conv).map_err(|x| e(&x))?
                    }
                    _ => int_value(
                        i64::try_from(n).map_err(|_| e(&format!("{n} does not fit INT64")))?,
                        conv,
                    )
                    .map_err(|x| e(&x))?,
                }
            }
            "FLOAT" => float_value(
                f64::from(row.try_get::<f32, _>(i).map_err(|x| e(&x))?),
                conv,
            )
            .map_err(|x| e(&x))?,
            "DOUBLE" => float_value(row.try_get::<f64, _>(i).map_err(|x| e(&x))?, conv)
                .map_err(|x| e(&x))?,
            "DECIMAL" => {
                let big = row.try_get::<BigDecimal, _>(i).map_err(|x| e(&x))?;
                big_value(&big, conv).map_err(|x| e(&x))?
            }
            "DATE" => date_conv(row.try_get::<NaiveDate, _>(i).map_err(|x| e(&x))?, conv),
            "TIME" => time_value(row.try_get::<NaiveTime, _>(i).map_err(|x| e(&x))?),
            "DATETIME" => instant(
                row.try_get::<NaiveDateTime, _>(i)
                    .map_err(|x| e(&x))?
                    .and_utc(),
                conv,
            ),
            // TIMESTAMP columns arrive in the session time zone, which the pool sets to UTC
            "TIMESTAMP" => instant(row.try_get::<DateTime<Utc>, _>(i).map_err(|x| e(&x))?, conv),
            "BIT" => {
                let b = row.try_get::<Vec<u8>, _>(i).map_err(|x| e(&x))?;
                match conv {
                    Conv::Boolean => Value::Boolean(b.iter().any(|x| *x != 0)),
                    Conv::Bytes => Value::Bytes(b),
                    _ => {
                        let n = b.iter().fold(0i64, |acc, x| (acc << 8) | i64::from(*x));
                        int_value(n, conv).map_err(|x| e(&x))?
                    }
                }
            }
            _ if conv == Conv::Bytes => {
                Value::Bytes(row.try_get::<Vec<u8>, _>(i).map_err(|x| e(&x))?)
            }
            _ if conv == Conv::String => {
                let bytes = row.try_get_unchecked::<Vec<u8>, _>(i).map_err(|x| e(&x))?;
                Value::String(text_of(&bytes).map_err(|x| e(&x))?)
            }
            other => return Err(e(&format!("the type {other} cannot be read as {conv:?}"))),
        };
        out.push(v);
    }
    Ok(out)
}

/// Reads the columns of a SQLite row. SQLite stores each value with its own storage class;
/// the mapping (from the declared column type) says what Connect type it becomes.
pub fn sqlite_values(row: &SqliteRow, convs: &[(usize, Conv)]) -> Result<Vec<Value>, ReadError> {
    let mut out = Vec::with_capacity(convs.len());
    for &(i, conv) in convs {
        let raw = row.try_get_raw(i).map_err(|e| read_error(row, i, e))?;
        if raw.is_null() {
            out.push(Value::Null);
            continue;
        }
        let e = |m: &dyn std::fmt::Display| read_error(row, i, m);
        let storage = raw.type_info().name().to_string();
        let v = match conv {
            Conv::Boolean | Conv::Int8 | Conv::Int16 | Conv::Int32 | Conv::Int64 => {
                let n = row.try_get_unchecked::<i64, _>(i).map_err(|x| e(&x))?;
                int_value(n, conv).map_err(|x| e(&x))?
            }
            Conv::Float32 | Conv::Float64 => {
                let f = row.try_get_unchecked::<f64, _>(i).map_err(|x| e(&x))?;
                float_value(f, conv).map_err(|x| e(&x))?
            }
            Conv::Decimal(_) => {
                let text = row.try_get_unchecked::<String, _>(i).map_err(|x| e(&x))?;
                let big: BigDecimal = text
                    .trim()
                    .parse()
                    .map_err(|_| e(&format!("'{text}' is not a number")))?;
                big_value(&big, conv).map_err(|x| e(&x))?
            }
            Conv::String => {
                Value::String(row.try_get_unchecked::<String, _>(i).map_err(|x| e(&x))?)
            }
            Conv::Bytes => Value::Bytes(row.try_get_unchecked::<Vec<u8>, _>(i).map_err(|x| e(&x))?),
            Conv::Date | Conv::Time | Conv::Timestamp | Conv::EpochNanos => {
                sqlite_temporal(row, i, &storage, conv).map_err(|x| e(&x))?
            }
        };
        out.push(v);
    }
    Ok(out)
}

/// SQLite keeps dates and times as text (`YYYY-MM-DD[ HH:MM:SS[.SSS]]`, as sqlite-jdbc
/// writes them) or as numbers (epoch milliseconds, sqlite-jdbc's default for `setTimestamp`).
fn sqlite_temporal(row: &SqliteRow, i: usize, storage: &str, conv: Conv) -> Result<Value, String> {
    if storage == "INTEGER" || storage == "REAL" {
        let ms = row
            .try_get_unchecked::<i64, _>(i)
            .map_err(|e| e.to_string())?;
        let t = DateTime::<Utc>::from_timestamp_millis(ms)
            .ok_or_else(|| format!("{ms} is out of range"))?;
        return Ok(match conv {
            Conv::Time => time_value(t.time()),
            _ => instant(t, conv),
        });
    }
    let text = row
        .try_get_unchecked::<String, _>(i)
        .map_err(|e| e.to_string())?;
    let text = text.trim();
    let parsed_ts = || {
        [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d",
        ]
        .iter()
        .find_map(|f| {
            NaiveDateTime::parse_from_str(text, f).ok().or_else(|| {
                NaiveDate::parse_from_str(text, f)
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
        })
        .ok_or_else(|| format!("'{text}' is not a date/time"))
    };
    Ok(match conv {
        Conv::Date => date_value(parsed_ts()?.date()),
        Conv::Time => {
            let t = NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
                .or_else(|_| parsed_ts().map(|t| t.time()))?;
            time_value(t)
        }
        _ => instant(parsed_ts()?.and_utc(), conv),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn decimals_take_the_mapping_scale() {
        let big: BigDecimal = "12.5".parse().unwrap();
        assert_eq!(
            big_value(&big, Conv::Decimal(2)).unwrap(),
            Value::Decimal(Decimal::from_i64(1250, 2))
        );
        assert_eq!(
            big_value(&"42".parse().unwrap(), Conv::Int32).unwrap(),
            Value::Int32(42)
        );
        assert!(big_value(&big, Conv::Int64).is_err());
    }

    #[test]
    fn integers_narrow_or_fail() {
        assert_eq!(int_value(7, Conv::Int8).unwrap(), Value::Int8(7));
        assert!(int_value(300, Conv::Int8).is_err());
        assert_eq!(int_value(1, Conv::Boolean).unwrap(), Value::Boolean(true));
    }

    #[test]
    fn temporal_values() {
        assert_eq!(
            date_value(NaiveDate::from_ymd_opt(1970, 1, 2).unwrap()),
            Value::Date(1)
        );
        assert_eq!(
            time_value(NaiveTime::from_hms_milli_opt(0, 0, 1, 5).unwrap()),
            Value::Time(1005)
        );
        assert_eq!(
            format_uuid(&[0x12; 16]).unwrap(),
            "12121212-1212-1212-1212-121212121212"
        );
    }
}
