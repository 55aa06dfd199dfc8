//! `date.calendar.system`: the calendar of dates before the Gregorian reform (1582-10-15).
//! Databases count days in the proleptic Gregorian calendar; Java's JDBC drivers read and
//! write `java.sql.Date`/`Timestamp` through `java.util.GregorianCalendar`, which is Julian
//! before the reform. Confluent's connectors keep that (`LEGACY`, the default) or convert to
//! the proleptic calendar (`PROLEPTIC_GREGORIAN`). Ferry computes in the proleptic calendar;
//! under `LEGACY` it shifts old dates as the Java driver would, so the values match.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// The values of `date.calendar.system`.
pub const NAMES: [&str; 2] = ["LEGACY", "PROLEPTIC_GREGORIAN"];

/// Epoch day of 1582-10-15, the first Gregorian day of Java's hybrid calendar.
pub const REFORM_DAY: i64 = -141_427;
/// Julian day number of 1970-01-01.
const EPOCH_JDN: i64 = 2_440_588;

/// Parses `date.calendar.system` (exact spelling, as Confluent's validator): `Some(true)` for
/// `LEGACY`.
pub fn parse_legacy(value: &str) -> Option<bool> {
    match value.trim() {
        "LEGACY" => Some(true),
        "PROLEPTIC_GREGORIAN" => Some(false),
        _ => None,
    }
}

/// Epoch days of a Julian calendar date.
fn julian_to_days(year: i64, month: i64, day: i64) -> i64 {
    let a = (14 - month).div_euclid(12);
    let y = year + 4800 - a;
    let m = month + 12 * a - 3;
    let jdn = day + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - 32_083;
    jdn - EPOCH_JDN
}

/// The Julian calendar date of an epoch day.
fn days_to_julian(days: i64) -> (i64, u32, u32) {
    let c = days + EPOCH_JDN + 32_082;
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = d - 4800 + m.div_euclid(10);
    (year, month as u32, day as u32)
}

fn epoch_days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - 719_163
}

fn from_epoch_days(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(i32::try_from(days + 719_163).ok()?)
}

/// Reading under `LEGACY`: the date a Java driver reports for a date the database stores
/// (its fields taken as a Julian date when before the reform).
pub fn legacy_read(d: NaiveDate) -> NaiveDate {
    if epoch_days(d) >= REFORM_DAY {
        return d;
    }
    from_epoch_days(julian_to_days(
        i64::from(d.year()),
        i64::from(d.month()),
        i64::from(d.day()),
    ))
    .unwrap_or(d)
}

/// Writing under `LEGACY`: the date a Java driver writes for a date value (the fields of its
/// Julian date when before the reform).
pub fn legacy_write(d: NaiveDate) -> NaiveDate {
    let days = epoch_days(d);
    if days >= REFORM_DAY {
        return d;
    }
    let (y, m, day) = days_to_julian(days);
    i32::try_from(y)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, m, day))
        .unwrap_or(d)
}

/// [`legacy_read`] of a date and time.
pub fn legacy_read_datetime(t: NaiveDateTime) -> NaiveDateTime {
    legacy_read(t.date()).and_time(t.time())
}

/// [`legacy_write`] of a date and time.
pub fn legacy_write_datetime(t: NaiveDateTime) -> NaiveDateTime {
    legacy_write(t.date()).and_time(t.time())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn julian_dates_before_the_reform() {
        assert_eq!(epoch_days(date(1582, 10, 15)), REFORM_DAY);
        // the day before the reform was Julian 1582-10-04, proleptic Gregorian 10-14
        assert_eq!(julian_to_days(1582, 10, 4), REFORM_DAY - 1);
        assert_eq!(days_to_julian(REFORM_DAY - 1), (1582, 10, 4));
        // the database's 1500-01-01 is read as Julian 1500-01-01 = proleptic 1500-01-10
        assert_eq!(legacy_read(date(1500, 1, 1)), date(1500, 1, 10));
        assert_eq!(legacy_write(date(1500, 1, 10)), date(1500, 1, 1));
        // year 1: two days apart
        assert_eq!(legacy_read(date(1, 1, 1)), date(0, 12, 30));
        // after the reform nothing changes
        assert_eq!(legacy_read(date(2024, 2, 29)), date(2024, 2, 29));
        assert_eq!(legacy_write(date(1582, 10, 15)), date(1582, 10, 15));
        for days in [-800_000, -200_000, -141_428] {
            let d = from_epoch_days(days).unwrap();
            assert_eq!(legacy_read(legacy_write(d)), d, "{d}");
        }
        assert_eq!(parse_legacy("LEGACY"), Some(true));
        assert_eq!(parse_legacy("legacy"), None);
    }
}
