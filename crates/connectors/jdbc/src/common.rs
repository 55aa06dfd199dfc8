//! Keys the source and sink share: the connection (`connection.*`, `dialect.name`) and the
//! database time zone (`db.timezone`).

use std::time::Duration;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use connect_api::config::{ConfigKey, ConfigType, Importance, ParsedConfig, Range};
use connect_api::{ConnectError, Result};

use crate::db::isolation::Isolation;
use crate::db::ConnectionSpec;
use crate::dialect::{Dialect, DIALECT_NAMES};
use crate::url::{mask_password, JdbcUrl};

/// A config key with its documentation (the connectors' `define` shorthand).
pub fn key(name: &str, ty: ConfigType, doc: &str) -> ConfigKey {
    ConfigKey::new(name, ty).documentation(doc)
}

/// A config map of `base` then `pairs` (later pairs win), for tests.
#[cfg(test)]
pub fn config_map(base: &[(&str, &str)], pairs: &[(&str, &str)]) -> connect_api::plugin::ConfigMap {
    base.iter()
        .chain(pairs)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The connection keys; `connection.url` is required for the sink and defaults to `""` (then
/// checked) for the source, as in Confluent's configs.
pub fn connection_keys(url_required: bool) -> Vec<ConfigKey> {
    let url = ConfigKey::new("connection.url", ConfigType::String)
        .importance(Importance::High)
        .documentation("JDBC connection URL, for example jdbc:postgresql://localhost:5432/db.");
    let url = if url_required {
        url
    } else {
        url.default_value("")
    };
    vec![
        url,
        ConfigKey::new("connection.user", ConfigType::String)
            .default_null()
            .importance(Importance::High)
            .documentation("JDBC connection user."),
        ConfigKey::new("connection.password", ConfigType::Password)
            .default_null()
            .importance(Importance::High)
            .documentation("JDBC connection password."),
        ConfigKey::new("connection.attempts", ConfigType::Int)
            .default_value(3)
            .validator(Range::at_least(1))
            .importance(Importance::Low)
            .documentation("Maximum number of attempts to retrieve a valid JDBC connection."),
        ConfigKey::new("connection.backoff.ms", ConfigType::Long)
            .default_value(10000i64)
            .importance(Importance::Low)
            .documentation("Backoff time in milliseconds between connection attempts."),
        ConfigKey::new("dialect.name", ConfigType::String)
            .default_value("")
            .importance(Importance::Low)
            .documentation(
                "The name of the database dialect (empty: detected from connection.url).",
            ),
        ConfigKey::new("jdbc.credentials.provider.class", ConfigType::Class)
            .default_value(
                "io.confluent.connect.jdbc.util.DefaultJdbcCredentialsProvider".to_string(),
            )
            .importance(Importance::Low)
            .documentation("Credentials provider; only the default one is available."),
    ]
}

/// The connection described by the connection keys.
pub fn connection_spec(p: &ParsedConfig) -> Result<ConnectionSpec> {
    let raw = p.get_string("connection.url")?;
    if raw.trim().is_empty() {
        return Err(ConnectError::config(
            "connection.url",
            raw,
            "a JDBC URL is required, for example jdbc:postgresql://localhost:5432/db",
        ));
    }
    let url = JdbcUrl::parse(raw)
        .map_err(|e| ConnectError::config("connection.url", mask_password(raw), e.0))?;
    let dialect_name = p.get_string("dialect.name")?.trim();
    if !dialect_name.is_empty() {
        match Dialect::from_name(dialect_name) {
            None => {
                return Err(ConnectError::config(
                    "dialect.name",
                    dialect_name,
                    format!(
                        "Unable to find dialect with name '{dialect_name}' in the available \
dialects: [{}]",
                        DIALECT_NAMES.join(", ")
                    ),
                ))
            }
            Some(d) if d != url.dialect => {
                return Err(ConnectError::config(
                    "dialect.name",
                    dialect_name,
                    format!(
                        "does not fit connection.url, which names a {} database",
                        url.dialect.name()
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    let provider = p.get_class("jdbc.credentials.provider.class")?;
    if provider != "io.confluent.connect.jdbc.util.DefaultJdbcCredentialsProvider" {
        return Err(ConnectError::config(
            "jdbc.credentials.provider.class",
            provider,
            "only io.confluent.connect.jdbc.util.DefaultJdbcCredentialsProvider is available",
        ));
    }
    let user = match p.is_null("connection.user")? {
        true => None,
        false => Some(p.get_string("connection.user")?.to_string()),
    };
    let password = match p.is_null("connection.password")? {
        true => None,
        false => Some(p.get_password("connection.password")?.value().to_string()),
    };
    let backoff = p.get_long("connection.backoff.ms")?;
    Ok(ConnectionSpec {
        url,
        user,
        password,
        attempts: u32::try_from(p.get_int("connection.attempts")?).unwrap_or(1),
        backoff: Duration::from_millis(u64::try_from(backoff).unwrap_or(0)),
        connector: p.originals().get("name").cloned().unwrap_or_default(),
        isolation: Isolation::Default,
    })
}

/// `db.timezone`: the zone of zone-less timestamps. UTC, a fixed offset, or a region of the
/// IANA time zone database (`Europe/Paris`, with its daylight saving rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbTimezone {
    /// A fixed offset from UTC (UTC itself is offset zero).
    Fixed(FixedOffset),
    /// A region.
    Region(chrono_tz::Tz),
}

impl Default for DbTimezone {
    fn default() -> Self {
        DbTimezone::Fixed(chrono::Offset::fix(&chrono::Utc))
    }
}

impl DbTimezone {
    /// A wall-clock time in this zone as UTC. Where a region's clocks go back and a time
    /// happens twice, it is read as standard time (the later instant); where they go forward
    /// and a time never happens, it is read with the offset in force before the change — both
    /// as `java.util.Calendar` resolves such times for JDBC drivers.
    pub fn to_utc(self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            DbTimezone::Fixed(offset) => (local - offset).and_utc(),
            DbTimezone::Region(tz) => match tz.from_local_datetime(&local) {
                LocalResult::Single(t) => t.with_timezone(&Utc),
                LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc),
                LocalResult::None => {
                    let before = tz.offset_from_utc_datetime(&(local - TimeDelta::days(1)));
                    (local - before.fix()).and_utc()
                }
            },
        }
    }

    /// A UTC instant as wall-clock time in this zone.
    pub fn to_local(self, utc: DateTime<Utc>) -> NaiveDateTime {
        match self {
            DbTimezone::Fixed(offset) => utc.with_timezone(&offset).naive_local(),
            DbTimezone::Region(tz) => utc.with_timezone(&tz).naive_local(),
        }
    }

    /// The offset from UTC at a UTC instant, in seconds.
    pub fn offset_seconds(self, utc: DateTime<Utc>) -> i32 {
        match self {
            DbTimezone::Fixed(offset) => offset.local_minus_utc(),
            DbTimezone::Region(tz) => tz
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        }
    }
}

/// Parses a zone: `UTC`, `GMT`, `Z`, `UTC+2`, `+02:00`, `-0530`, or a region name of the IANA
/// database (`Europe/Paris`, `America/New_York`; Java's ids).
pub fn parse_timezone(key: &str, text: &str) -> Result<DbTimezone> {
    let t = text.trim();
    let bad = |why: &str| ConnectError::config(key, text, why.to_string());
    let upper = t.to_ascii_uppercase();
    let offset = match upper.as_str() {
        "UTC" | "GMT" | "Z" | "UT" | "ETC/UTC" | "ETC/GMT" => return Ok(DbTimezone::default()),
        _ => upper
            .strip_prefix("UTC")
            .or_else(|| upper.strip_prefix("GMT"))
            .unwrap_or(&upper),
    };
    let (sign, rest) = match offset.as_bytes().first() {
        Some(b'+') => (1, &offset[1..]),
        Some(b'-') => (-1, &offset[1..]),
        _ => {
            return t
                .parse::<chrono_tz::Tz>()
                .map(DbTimezone::Region)
                .map_err(|_| {
                    bad(
                        "Invalid time zone: use UTC, a fixed offset such as +02:00, or a region \
name such as Europe/Paris",
                    )
                })
        }
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok(), Some(0)),
        3 | 4 => {
            let split = digits.len() - 2;
            (digits[..split].parse().ok(), digits[split..].parse().ok())
        }
        _ => (None, None),
    };
    match (h, m) {
        (Some(h), Some(m)) if h <= 18 && m < 60 => {
            FixedOffset::east_opt(sign * (h * 3600 + m * 60))
                .map(DbTimezone::Fixed)
                .ok_or_else(|| bad("Invalid time zone offset"))
        }
        _ => Err(bad("Invalid time zone offset")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn time_zones() {
        assert_eq!(
            parse_timezone("db.timezone", "UTC").unwrap(),
            DbTimezone::default()
        );
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        let now = at("2024-01-01 00:00").and_utc();
        assert_eq!(
            parse_timezone("k", "+02:00").unwrap().offset_seconds(now),
            7200
        );
        assert_eq!(
            parse_timezone("k", "UTC-0530").unwrap().offset_seconds(now),
            -19800
        );
        let paris = parse_timezone("db.timezone", "Europe/Paris").unwrap();
        assert_eq!(paris.offset_seconds(now), 3600);
        // summer time
        assert_eq!(
            paris.to_utc(at("2024-07-01 12:00")),
            at("2024-07-01 10:00").and_utc()
        );
        assert_eq!(
            paris.to_local(at("2024-07-01 10:00").and_utc()),
            at("2024-07-01 12:00")
        );
        // 02:30 happens twice on 2024-10-27: standard time, the later instant
        assert_eq!(
            paris.to_utc(at("2024-10-27 02:30")),
            at("2024-10-27 01:30").and_utc()
        );
        // 02:30 never happens on 2024-03-31: read with the winter offset
        assert_eq!(
            paris.to_utc(at("2024-03-31 02:30")),
            at("2024-03-31 01:30").and_utc()
        );
        let e = parse_timezone("db.timezone", "Mars/Olympus")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("db.timezone") && e.contains("Mars/Olympus"),
            "{e}"
        );
    }
}
