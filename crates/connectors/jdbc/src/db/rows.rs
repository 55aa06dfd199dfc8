//! Reading result rows as Connect values: each column is read by the [`Conv`] its schema
//! mapping chose ([`crate::schema`]), with the driver's own decoder for its database type.

use bigdecimal::BigDecimal;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use connect_api::{Decimal, Value};

use crate::common::DbTimezone;
use crate::granularity::Granularity;
use sqlx::mysql::MySqlRow;
use sqlx::postgres::types::{Oid, PgMoney};
use sqlx::postgres::{PgRow, PgValueRef, Postgres};
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
    /// A timestamp as `timestamp.granularity` other than `connect_logical` wants it.
    Granular(Granularity),
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

/// An instant as the conversion wants it: a `Timestamp`, epoch nanoseconds for offsets, or
/// the form of `timestamp.granularity` (wall-clock forms in `tz`).
fn instant(t: DateTime<Utc>, conv: Conv, tz: DbTimezone) -> Value {
    match conv {
        Conv::EpochNanos => Value::Int64(epoch_nanos(t)),
        Conv::Granular(g) => g.value(t, tz),
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
        Conv::EpochNanos => Value::Int64(epoch_nanos(
            d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        )),
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

/// Reads a row's columns: a NULL stays null, every other cell goes through `cell` (given
/// the column index, the cell as fetched, and the conversion), whose error is reported with
/// the column's name and type.
fn read_row<'r, R>(
    row: &'r R,
    convs: &[(usize, Conv)],
    cell: impl Fn(usize, <R::Database as sqlx::Database>::ValueRef<'r>, Conv) -> Result<Value, String>,
) -> Result<Vec<Value>, ReadError>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
{
    let mut out = Vec::with_capacity(convs.len());
    for &(i, conv) in convs {
        let raw = row.try_get_raw(i).map_err(|e| read_error(row, i, e))?;
        if raw.is_null() {
            out.push(Value::Null);
            continue;
        }
        out.push(cell(i, raw, conv).map_err(|m| read_error(row, i, m))?);
    }
    Ok(out)
}

/// One cell with the driver's decoder for `T`.
fn get<'r, R, T>(row: &'r R, i: usize) -> Result<T, String>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get(i).map_err(|e| e.to_string())
}

/// Reads the columns of a Postgres row; zone-less timestamps are wall-clock time in `tz`.
/// Each cell is fetched once and decoded by its type's OID (the hot path of a source task:
/// no type-name matching, no second lookup).
pub fn pg_values(
    row: &PgRow,
    convs: &[(usize, Conv)],
    tz: DbTimezone,
) -> Result<Vec<Value>, ReadError> {
    read_row(row, convs, |_, raw, conv| pg_cell(raw, conv, tz))
}

/// Postgres type OIDs (`pg_type.oid`) of the types read with a decoder of their own.
mod oid {
    pub const BOOL: u32 = 16;
    pub const BYTEA: u32 = 17;
    pub const INT8: u32 = 20;
    pub const INT2: u32 = 21;
    pub const INT4: u32 = 23;
    pub const OID: u32 = 26;
    pub const FLOAT4: u32 = 700;
    pub const FLOAT8: u32 = 701;
    pub const MONEY: u32 = 790;
    pub const DATE: u32 = 1082;
    pub const TIME: u32 = 1083;
    pub const TIMESTAMP: u32 = 1114;
    pub const TIMESTAMPTZ: u32 = 1184;
    pub const NUMERIC: u32 = 1700;
    pub const UUID: u32 = 2950;
    pub const JSONB: u32 = 3802;
}

/// One non-null cell with sqlx's decoder for `T` (the column's type was matched by OID).
fn pg_decode<'r, T: sqlx::Decode<'r, Postgres>>(raw: PgValueRef<'r>) -> Result<T, String> {
    T::decode(raw).map_err(|e| e.to_string())
}

fn pg_cell(raw: PgValueRef<'_>, conv: Conv, tz: DbTimezone) -> Result<Value, String> {
    let type_oid = raw.type_info().oid().map(|o| o.0);
    Ok(match type_oid.unwrap_or_default() {
        oid::BOOL => Value::Boolean(pg_decode(raw)?),
        oid::INT2 => int_value(pg_decode::<i16>(raw)?.into(), conv)?,
        oid::INT4 => int_value(pg_decode::<i32>(raw)?.into(), conv)?,
        oid::INT8 => int_value(pg_decode(raw)?, conv)?,
        oid::OID => int_value(pg_decode::<Oid>(raw)?.0.into(), conv)?,
        oid::FLOAT4 => float_value(pg_decode::<f32>(raw)?.into(), conv)?,
        oid::FLOAT8 => float_value(pg_decode(raw)?, conv)?,
        // cents (pgjdbc reads money as a double of the amount)
        oid::MONEY => float_value(pg_decode::<PgMoney>(raw)?.0 as f64 / 100.0, conv)?,
        oid::NUMERIC => big_value(&pg_decode::<BigDecimal>(raw)?, conv)?,
        oid::DATE => date_conv(pg_decode(raw)?, conv),
        oid::TIME => time_value(pg_decode(raw)?),
        oid::TIMESTAMP => instant(tz.to_utc(pg_decode(raw)?), conv, tz),
        oid::TIMESTAMPTZ => instant(pg_decode(raw)?, conv, tz),
        oid::BYTEA => Value::Bytes(pg_decode(raw)?),
        oid::UUID => Value::String(format_uuid(raw_pg_bytes(&raw)?).ok_or("not 16 bytes")?),
        // binary jsonb: a version byte (1), then the text
        oid::JSONB => Value::String(text_of(raw_pg_bytes(&raw)?.get(1..).unwrap_or_default())?),
        // the binary form of text types (text, varchar, bpchar, name, json, xml) is the text
        _ if conv == Conv::String => Value::String(text_of(raw_pg_bytes(&raw)?)?),
        _ if conv == Conv::Bytes => Value::Bytes(raw_pg_bytes(&raw)?.to_vec()),
        _ => {
            return Err(format!(
                "the type {} cannot be read as {conv:?}",
                raw.type_info().name()
            ))
        }
    })
}

fn raw_pg_bytes<'r>(raw: &PgValueRef<'r>) -> Result<&'r [u8], String> {
    raw.as_bytes().map_err(|e| e.to_string())
}

fn text_of(bytes: &[u8]) -> Result<String, String> {
    std::str::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| "not UTF-8 text".to_string())
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

/// Reads the columns of a MySQL/MariaDB row; `DATETIME`s are wall-clock time in `tz`.
pub fn mysql_values(
    row: &MySqlRow,
    convs: &[(usize, Conv)],
    tz: DbTimezone,
) -> Result<Vec<Value>, ReadError> {
    read_row(row, convs, |i, raw, conv| {
        mysql_cell(row, i, raw.type_info().name(), conv, tz)
    })
}

fn mysql_cell(
    row: &MySqlRow,
    i: usize,
    ty: &str,
    conv: Conv,
    tz: DbTimezone,
) -> Result<Value, String> {
    Ok(match ty {
        "BOOLEAN" | "TINYINT" | "SMALLINT" | "MEDIUMINT" | "INT" | "BIGINT" => {
            int_value(get(row, i)?, conv)?
        }
        "YEAR" => int_value(get::<_, u16>(row, i)?.into(), conv)?,
        "TINYINT UNSIGNED" | "SMALLINT UNSIGNED" | "MEDIUMINT UNSIGNED" | "INT UNSIGNED"
        | "BIGINT UNSIGNED" => {
            let n: u64 = get(row, i)?;
            match i64::try_from(n) {
                Ok(n) => int_value(n, conv)?,
                Err(_) => big_value(&BigDecimal::from(n), conv)?,
            }
        }
        "FLOAT" => float_value(get::<_, f32>(row, i)?.into(), conv)?,
        "DOUBLE" => float_value(get(row, i)?, conv)?,
        "DECIMAL" => big_value(&get::<_, BigDecimal>(row, i)?, conv)?,
        "DATE" => date_conv(get(row, i)?, conv),
        "TIME" => time_value(get(row, i)?),
        "DATETIME" => instant(tz.to_utc(get(row, i)?), conv, tz),
        // TIMESTAMP columns arrive in the session time zone, which the pool sets to UTC
        "TIMESTAMP" => instant(get(row, i)?, conv, tz),
        "BIT" => {
            let b: Vec<u8> = get(row, i)?;
            match conv {
                Conv::Boolean => Value::Boolean(b.iter().any(|x| *x != 0)),
                Conv::Bytes => Value::Bytes(b),
                _ => int_value(
                    b.iter().fold(0i64, |acc, x| (acc << 8) | i64::from(*x)),
                    conv,
                )?,
            }
        }
        _ if conv == Conv::Bytes => Value::Bytes(get(row, i)?),
        _ if conv == Conv::String => {
            let bytes = row
                .try_get_unchecked::<Vec<u8>, _>(i)
                .map_err(|e| e.to_string())?;
            Value::String(text_of(&bytes)?)
        }
        other => return Err(format!("the type {other} cannot be read as {conv:?}")),
    })
}

/// Reads the columns of a SQLite row. SQLite stores each value with its own storage class;
/// the mapping (from the declared column type) says what Connect type it becomes; text
/// timestamps are wall-clock time in `tz`.
pub fn sqlite_values(
    row: &SqliteRow,
    convs: &[(usize, Conv)],
    tz: DbTimezone,
) -> Result<Vec<Value>, ReadError> {
    read_row(row, convs, |i, raw, conv| {
        sqlite_cell(row, i, raw.type_info().name(), conv, tz)
    })
}

fn sqlite_cell(
    row: &SqliteRow,
    i: usize,
    storage: &str,
    conv: Conv,
    tz: DbTimezone,
) -> Result<Value, String> {
    // SQLite converts between storage classes on request, so values are read unchecked
    let any = |i| -> Result<String, String> {
        row.try_get_unchecked::<String, _>(i)
            .map_err(|e| e.to_string())
    };
    Ok(match conv {
        Conv::Boolean | Conv::Int8 | Conv::Int16 | Conv::Int32 | Conv::Int64 => {
            int_value(row.try_get_unchecked(i).map_err(|e| e.to_string())?, conv)?
        }
        Conv::Float32 | Conv::Float64 => {
            float_value(row.try_get_unchecked(i).map_err(|e| e.to_string())?, conv)?
        }
        Conv::Decimal(_) => {
            let text = any(i)?;
            let big: BigDecimal = text
                .trim()
                .parse()
                .map_err(|_| format!("'{text}' is not a number"))?;
            big_value(&big, conv)?
        }
        Conv::String => Value::String(any(i)?),
        Conv::Bytes => Value::Bytes(row.try_get_unchecked(i).map_err(|e| e.to_string())?),
        Conv::Date | Conv::Time | Conv::Timestamp | Conv::EpochNanos | Conv::Granular(_) => {
            if storage == "INTEGER" || storage == "REAL" {
                // epoch milliseconds, as sqlite-jdbc writes dates by default
                let ms: i64 = row.try_get_unchecked(i).map_err(|e| e.to_string())?;
                let t = DateTime::<Utc>::from_timestamp_millis(ms)
                    .ok_or_else(|| format!("{ms} is out of range"))?;
                match conv {
                    Conv::Time => time_value(t.time()),
                    _ => instant(t, conv, tz),
                }
            } else {
                sqlite_text_temporal(any(i)?.trim(), conv, tz)?
            }
        }
    })
}

/// A date or time SQLite keeps as text (`YYYY-MM-DD[ HH:MM:SS[.SSS]]`, as sqlite-jdbc and
/// `CURRENT_TIMESTAMP` write them).
fn sqlite_text_temporal(text: &str, conv: Conv, tz: DbTimezone) -> Result<Value, String> {
    let parsed = || {
        [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
        .ok_or_else(|| format!("'{text}' is not a date/time"))
    };
    Ok(match conv {
        Conv::Date => date_value(parsed()?.date()),
        Conv::Time => time_value(
            NaiveTime::parse_from_str(text, "%H:%M:%S%.f")
                .or_else(|_| parsed().map(|t| t.time()))?,
        ),
        _ => instant(tz.to_utc(parsed()?), conv, tz),
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
    fn sqlite_text_times_follow_the_zone() {
        let tz = crate::common::parse_timezone("db.timezone", "+02:00").unwrap();
        assert_eq!(
            sqlite_text_temporal("1970-01-01 02:00:01.500", Conv::Timestamp, tz).unwrap(),
            Value::Timestamp(1500)
        );
        assert_eq!(
            sqlite_text_temporal("1970-01-02", Conv::Date, tz).unwrap(),
            Value::Date(1)
        );
        assert_eq!(
            sqlite_text_temporal("00:00:02", Conv::Time, tz).unwrap(),
            Value::Time(2000)
        );
        assert!(sqlite_text_temporal("yesterday", Conv::Timestamp, tz).is_err());
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
