//! `timestamp.fields.list` and `timestamp.precision.mode`: record value fields holding epoch
//! microseconds or nanoseconds (an `INT64`, or the number as text) are written as timestamps
//! with their full precision, and auto-created as timestamp columns.

use chrono::DateTime;
use connect_api::{ConnectError, Result, Value};

use crate::dialect::Dialect;
use crate::sink::bind::{Kind, SqlValue, Zones};

/// What the numbers of `timestamp.fields.list` count since the epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EpochUnit {
    /// `microseconds` (the default).
    #[default]
    Micros,
    /// `nanoseconds`.
    Nanos,
}

impl EpochUnit {
    /// The values of `timestamp.precision.mode`.
    pub const NAMES: [&'static str; 2] = ["microseconds", "nanoseconds"];

    /// Parses `timestamp.precision.mode` (any case).
    pub fn parse(value: &str) -> Option<EpochUnit> {
        match value.trim().to_ascii_lowercase().as_str() {
            "microseconds" => Some(EpochUnit::Micros),
            "nanoseconds" => Some(EpochUnit::Nanos),
            _ => None,
        }
    }

    fn per_second(self) -> i128 {
        match self {
            EpochUnit::Micros => 1_000_000,
            EpochUnit::Nanos => 1_000_000_000,
        }
    }

    /// The timestamp parameter of an epoch number (wall-clock time in `db.timezone`; SQLite
    /// gets epoch milliseconds, as sqlite-jdbc stores timestamps); a null stays a null.
    pub fn to_sql(self, dialect: Dialect, value: &Value, zones: Zones) -> Result<SqlValue> {
        let count: i128 = match value {
            Value::Null if dialect == Dialect::Sqlite => return Ok(SqlValue::Null(Kind::I64)),
            Value::Null => return Ok(SqlValue::Null(Kind::Timestamp)),
            Value::Int64(n) => i128::from(*n),
            Value::String(s) => s.trim().parse().map_err(|_| {
                ConnectError::data(format!(
                    "'{s}' is not a number of {} since the epoch",
                    EpochUnit::NAMES[self as usize]
                ))
            })?,
            other => {
                return Err(ConnectError::data(format!(
                    "a timestamp field of timestamp.fields.list holds {other:?}, not an INT64 or \
a string"
                )))
            }
        };
        let seconds = count.div_euclid(self.per_second());
        let nanos = count.rem_euclid(self.per_second()) * (1_000_000_000 / self.per_second());
        let t = i64::try_from(seconds)
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, nanos as u32))
            .ok_or_else(|| {
                ConnectError::data(format!("{count} is out of range for a timestamp"))
            })?;
        Ok(match dialect {
            Dialect::Sqlite => SqlValue::I64(t.timestamp_millis()),
            _ => SqlValue::Timestamp(zones.db.to_local(t)),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::common::DbTimezone;

    fn zones() -> Zones {
        Zones {
            db: DbTimezone::default(),
            date_utc: false,
            legacy_calendar: true,
        }
    }

    fn text(v: SqlValue) -> String {
        match v {
            SqlValue::Timestamp(t) => t.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn epoch_numbers_become_timestamps() {
        let micros = EpochUnit::Micros
            .to_sql(
                Dialect::Postgres,
                &Value::Int64(1_719_828_000_123_456),
                zones(),
            )
            .unwrap();
        assert_eq!(text(micros), "2024-07-01 10:00:00.123456");
        let nanos = EpochUnit::Nanos
            .to_sql(
                Dialect::Postgres,
                &Value::String("1719828000123456789".into()),
                zones(),
            )
            .unwrap();
        assert_eq!(text(nanos), "2024-07-01 10:00:00.123456789");
        let before_1970 = EpochUnit::Micros
            .to_sql(Dialect::Postgres, &Value::Int64(-1), zones())
            .unwrap();
        assert_eq!(text(before_1970), "1969-12-31 23:59:59.999999");
        assert_eq!(
            EpochUnit::Micros
                .to_sql(Dialect::Postgres, &Value::Null, zones())
                .unwrap(),
            SqlValue::Null(Kind::Timestamp)
        );
        assert!(EpochUnit::Nanos
            .to_sql(Dialect::Postgres, &Value::String("soon".into()), zones())
            .unwrap_err()
            .to_string()
            .contains("'soon'"));
        assert_eq!(
            EpochUnit::Micros
                .to_sql(Dialect::Sqlite, &Value::Int64(1_500_000), zones())
                .unwrap(),
            SqlValue::I64(1_500)
        );
        assert_eq!(EpochUnit::parse("NANOSECONDS"), Some(EpochUnit::Nanos));
        assert_eq!(EpochUnit::parse("millis"), None);
    }
}
