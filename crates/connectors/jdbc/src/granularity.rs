//! `timestamp.granularity`: how the source represents `TIMESTAMP` columns (Confluent's
//! `TimestampGranularity`). Only the record values change; offsets always keep epoch
//! milliseconds and the nanoseconds of the second.

use chrono::{DateTime, Utc};
use connect_api::{Schema, SchemaBuilder, Type, Value};

use crate::common::DbTimezone;

/// The values of `timestamp.granularity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Granularity {
    /// `connect_logical`: Connect's `Timestamp` (epoch milliseconds).
    #[default]
    ConnectLogical,
    /// `micros_long`: epoch microseconds in an `INT64`.
    MicrosLong,
    /// `micros_string`: epoch microseconds as decimal text.
    MicrosString,
    /// `micros_iso_datetime_string`: `yyyy-MM-ddTHH:mm:ss.SSSSSS` wall-clock time in
    /// `db.timezone`.
    MicrosIsoDatetimeString,
    /// `nanos_long`: epoch nanoseconds in an `INT64`.
    NanosLong,
    /// `nanos_string`: epoch nanoseconds as decimal text.
    NanosString,
    /// `nanos_iso_datetime_string`: `yyyy-MM-ddTHH:mm:ss.SSSSSSSSS` wall-clock time in
    /// `db.timezone`.
    NanosIsoDatetimeString,
}

impl Granularity {
    /// The config values, as Confluent names them.
    pub const NAMES: [&'static str; 7] = [
        "connect_logical",
        "micros_long",
        "micros_string",
        "micros_iso_datetime_string",
        "nanos_long",
        "nanos_string",
        "nanos_iso_datetime_string",
    ];

    /// Parses a config value: a name in lower or in upper case (Confluent's enum recommender
    /// refuses mixed case).
    pub fn parse(value: &str) -> Option<Granularity> {
        let v = value.trim();
        if v != v.to_ascii_lowercase() && v != v.to_ascii_uppercase() {
            return None;
        }
        Some(match v.to_ascii_lowercase().as_str() {
            "connect_logical" => Granularity::ConnectLogical,
            "micros_long" => Granularity::MicrosLong,
            "micros_string" => Granularity::MicrosString,
            "micros_iso_datetime_string" => Granularity::MicrosIsoDatetimeString,
            "nanos_long" => Granularity::NanosLong,
            "nanos_string" => Granularity::NanosString,
            "nanos_iso_datetime_string" => Granularity::NanosIsoDatetimeString,
            _ => return None,
        })
    }

    /// The field schema of a timestamp column (`None` for `connect_logical`, whose schema is
    /// Connect's `Timestamp`).
    pub fn schema(self, optional: bool) -> Option<Schema> {
        let ty = match self {
            Granularity::ConnectLogical => return None,
            Granularity::MicrosLong | Granularity::NanosLong => Type::Int64,
            _ => Type::String,
        };
        let b = SchemaBuilder::new(ty);
        let b = if optional { b.optional() } else { b };
        b.build().ok()
    }

    /// The value of a timestamp. Epoch numbers are whole seconds (Java's truncating
    /// `getTime() / 1000`) plus the nanoseconds of the second, as Confluent computes them, so
    /// that the values match the Java connector's, before 1970 too.
    pub fn value(self, t: DateTime<Utc>, tz: DbTimezone) -> Value {
        let seconds = i128::from(t.timestamp_millis() / 1000);
        let nanos = i128::from(t.timestamp_subsec_nanos());
        let micros = seconds * 1_000_000 + nanos / 1000;
        let epoch_nanos = seconds * 1_000_000_000 + nanos;
        let iso = |digits: usize| {
            let local = tz.to_local(t);
            let fraction = format!("{:09}", local.and_utc().timestamp_subsec_nanos());
            format!(
                "{}.{}",
                local.format("%Y-%m-%dT%H:%M:%S"),
                &fraction[..digits]
            )
        };
        match self {
            Granularity::ConnectLogical => Value::Timestamp(t.timestamp_millis()),
            // Java's long arithmetic wraps outside the years 1677-2262
            Granularity::MicrosLong => Value::Int64(micros as i64),
            Granularity::NanosLong => Value::Int64(epoch_nanos as i64),
            Granularity::MicrosString => Value::String((micros as i64).to_string()),
            Granularity::NanosString => Value::String(epoch_nanos.to_string()),
            Granularity::MicrosIsoDatetimeString => Value::String(iso(6)),
            Granularity::NanosIsoDatetimeString => Value::String(iso(9)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn names_in_one_case() {
        assert_eq!(
            Granularity::parse("NANOS_LONG"),
            Some(Granularity::NanosLong)
        );
        assert_eq!(
            Granularity::parse("micros_string"),
            Some(Granularity::MicrosString)
        );
        assert_eq!(Granularity::parse("Micros_String"), None);
        assert_eq!(Granularity::parse("seconds"), None);
        for n in Granularity::NAMES {
            assert!(Granularity::parse(n).is_some(), "{n}");
        }
    }

    #[test]
    fn values_and_schemas() {
        let utc = DbTimezone::default();
        let t = at("2024-07-01T10:00:00.123456789Z");
        assert_eq!(
            Granularity::MicrosLong.value(t, utc),
            Value::Int64(1_719_828_000_123_456)
        );
        assert_eq!(
            Granularity::NanosLong.value(t, utc),
            Value::Int64(1_719_828_000_123_456_789)
        );
        assert_eq!(
            Granularity::NanosString.value(t, utc),
            Value::String("1719828000123456789".into())
        );
        let paris = crate::common::parse_timezone("db.timezone", "Europe/Paris").unwrap();
        assert_eq!(
            Granularity::MicrosIsoDatetimeString.value(t, paris),
            Value::String("2024-07-01T12:00:00.123456".into())
        );
        assert_eq!(
            Granularity::NanosIsoDatetimeString.value(at("2024-07-01T10:00:00Z"), utc),
            Value::String("2024-07-01T10:00:00.000000000".into())
        );
        assert_eq!(
            Granularity::ConnectLogical.value(t, utc),
            Value::Timestamp(1_719_828_000_123)
        );
        // before 1970 Java truncates the seconds and adds the (positive) nanos of the second
        assert_eq!(
            Granularity::MicrosLong.value(at("1969-12-31T23:59:58.5Z"), utc),
            Value::Int64(-500_000)
        );
        assert_eq!(
            Granularity::MicrosLong.schema(true).unwrap(),
            SchemaBuilder::new(Type::Int64).optional().build().unwrap()
        );
        assert_eq!(
            Granularity::NanosIsoDatetimeString
                .schema(false)
                .unwrap()
                .schema_type(),
            Type::String
        );
        assert!(Granularity::ConnectLogical.schema(false).is_none());
    }
}
