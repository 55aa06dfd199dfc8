//! Java's default calendar (`java.util.GregorianCalendar` in UTC): the Julian calendar before
//! 1582-10-15 and the Gregorian one from then on, with lenient field arithmetic.
//!
//! Dates are handled as *fixed dates* (day 1 = 0001-01-01 proleptic Gregorian), as the JDK does.

use crate::data::value::MILLIS_PER_DAY;

/// Fixed date of 1970-01-01.
const EPOCH_FIXED: i64 = 719_163;
/// Fixed date of the Gregorian cutover, 1582-10-15 (Gregorian).
const CUTOVER_FIXED: i64 = 577_736;
/// The year of the cutover, in both calendars.
const CUTOVER_YEAR: i64 = 1582;
/// Fixed date of 0000-03-01 in the Julian calendar (astronomical year 0).
const JULIAN_MARCH_0: i64 = -307;
/// Fixed date of 0000-03-01 in the proleptic Gregorian calendar.
const GREGORIAN_MARCH_0: i64 = -305;

fn floor_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b)
}

fn gregorian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn julian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0
}

/// Which calendar system a fixed date is computed in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum System {
    Gregorian,
    Julian,
}

/// The fixed date of `year` (astronomical), `month` (1..=12) and `day` (any value, lenient).
fn fixed_date(system: System, year: i64, month: i64, day: i64) -> i64 {
    let prev = year - 1;
    let month_days = floor_div(367 * month - 362, 12);
    let mut days = match system {
        System::Gregorian => {
            day + 365 * prev + floor_div(prev, 4) - floor_div(prev, 100) + floor_div(prev, 400)
        }
        System::Julian => day - 2 + 365 * prev + floor_div(prev, 4),
    } + month_days;
    if month > 2 {
        let leap = match system {
            System::Gregorian => gregorian_leap(year),
            System::Julian => julian_leap(year),
        };
        days -= if leap { 1 } else { 2 };
    }
    days
}

/// A broken-down instant: astronomical year (0 = 1 BC), month 1..=12, day of month, time of
/// day, and day of week (0 = Sunday).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Civil {
    /// Astronomical year.
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    /// 1..=31.
    pub day: u32,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
    /// 0..=999.
    pub millis: u32,
    /// 0 = Sunday … 6 = Saturday.
    pub weekday: u32,
}

impl Civil {
    /// The year as Java's `YEAR` field holds it (year of era: 1 BC is 1).
    pub fn year_of_era(&self) -> i64 {
        if self.year <= 0 {
            1 - self.year
        } else {
            self.year
        }
    }
}

/// `(year, month, day)` of a fixed date, counting from `march_0` in cycles of `cycle_days`
/// per `cycle_years` years (400 Gregorian years or 4 Julian years).
fn ymd_from_fixed(system: System, fixed: i64) -> (i64, u32, u32) {
    // Days since 0000-03-01 of the calendar; years start in March so leap days come last.
    let (t, year_of_march) = match system {
        System::Gregorian => {
            let t = fixed - GREGORIAN_MARCH_0;
            let era = floor_div(t, 146_097);
            let doe = t - era * 146_097;
            let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
            let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            (doy, era * 400 + yoe)
        }
        System::Julian => {
            let t = fixed - JULIAN_MARCH_0;
            let y = floor_div(4 * t + 3, 1_461);
            let doy = t - floor_div(1_461 * y, 4);
            (doy, y)
        }
    };
    let mp = (5 * t + 2) / 153;
    let day = (t - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_march + i64::from(month <= 2);
    (year, month, day)
}

/// The UTC calendar fields of an epoch-millisecond instant, as `GregorianCalendar` computes
/// them (Julian dates before the 1582 cutover).
pub(crate) fn civil_from_millis(epoch_millis: i64) -> Civil {
    let days = floor_div(epoch_millis, MILLIS_PER_DAY);
    let time = epoch_millis - days * MILLIS_PER_DAY;
    let fixed = days + EPOCH_FIXED;
    let system = if fixed >= CUTOVER_FIXED {
        System::Gregorian
    } else {
        System::Julian
    };
    let (year, month, day) = ymd_from_fixed(system, fixed);
    Civil {
        year,
        month,
        day,
        hour: (time / 3_600_000) as u32,
        minute: (time / 60_000 % 60) as u32,
        second: (time / 1_000 % 60) as u32,
        millis: (time % 1_000) as u32,
        weekday: fixed.rem_euclid(7) as u32,
    }
}

/// Calendar fields as `SimpleDateFormat` sets them while parsing (unset fields are `None`).
/// Values are not range-checked: the calendar is lenient (month 13 is January next year).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    /// `YEAR` (astronomical; the era is never set by the patterns used here).
    pub year: Option<i32>,
    /// `MONTH`, zero-based.
    pub month: Option<i32>,
    /// `DAY_OF_MONTH`.
    pub day: Option<i32>,
    /// `HOUR_OF_DAY`.
    pub hour: Option<i32>,
    /// `MINUTE`.
    pub minute: Option<i32>,
    /// `SECOND`.
    pub second: Option<i32>,
    /// `MILLISECOND`.
    pub millis: Option<i32>,
}

/// The fixed date of the first of `month` (zero-based, any value) in `year`, plus the
/// day-of-month offset, in one calendar system (Java `GregorianCalendar.getFixedDate`).
fn fixed_of_fields(system: System, year: i64, fields: &Fields) -> i64 {
    let mut year = year;
    let mut month = i64::from(fields.month.unwrap_or(0));
    if month > 11 {
        year += month / 12;
        month %= 12;
    } else if month < 0 {
        year += floor_div(month, 12);
        month = month.rem_euclid(12);
    }
    let mut fixed = fixed_date(system, year, month + 1, 1);
    if let Some(day) = fields.day {
        fixed += i64::from(day) - 1;
    }
    fixed
}

/// Epoch milliseconds of lenient calendar fields in UTC (Java `GregorianCalendar.computeTime`
/// with the default cutover; `long` overflow wraps as in Java).
pub(crate) fn millis_from_fields(fields: &Fields) -> i64 {
    let field = |v: Option<i32>| i64::from(v.unwrap_or(0));
    let mut time_of_day = field(fields.hour);
    time_of_day = time_of_day * 60 + field(fields.minute);
    time_of_day = time_of_day * 60 + field(fields.second);
    time_of_day = time_of_day * 1_000 + field(fields.millis);
    let mut fixed = floor_div(time_of_day, MILLIS_PER_DAY);
    let time_of_day = time_of_day.rem_euclid(MILLIS_PER_DAY);

    let year = fields.year.map_or(1970, i64::from);
    let (gfd, jfd);
    if year > CUTOVER_YEAR {
        let g = fixed + fixed_of_fields(System::Gregorian, year, fields);
        if g >= CUTOVER_FIXED {
            return to_millis(g, time_of_day);
        }
        gfd = g;
        jfd = fixed + fixed_of_fields(System::Julian, year, fields);
    } else if year < CUTOVER_YEAR {
        let j = fixed + fixed_of_fields(System::Julian, year, fields);
        if j < CUTOVER_FIXED {
            return to_millis(j, time_of_day);
        }
        jfd = j;
        gfd = j;
    } else {
        jfd = fixed + fixed_of_fields(System::Julian, year, fields);
        gfd = fixed + fixed_of_fields(System::Gregorian, year, fields);
    }
    fixed = if gfd >= CUTOVER_FIXED {
        // Both valid, or an overlap resolved as the Gregorian date (a fresh calendar's
        // previous computation was Gregorian).
        gfd
    } else {
        // Julian, or a date in the gap that lenient mode takes from the Julian calendar.
        jfd
    };
    to_millis(fixed, time_of_day)
}

fn to_millis(fixed: i64, time_of_day: i64) -> i64 {
    (fixed - EPOCH_FIXED)
        .wrapping_mul(MILLIS_PER_DAY)
        .wrapping_add(time_of_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month1: i32, day: i32) -> Fields {
        Fields {
            year: Some(year),
            month: Some(month1 - 1),
            day: Some(day),
            ..Fields::default()
        }
    }

    fn days_of(year: i32, month1: i32, day: i32) -> i64 {
        millis_from_fields(&ymd(year, month1, day)) / MILLIS_PER_DAY
    }

    #[test]
    fn fixed_dates() {
        assert_eq!(fixed_date(System::Gregorian, 1970, 1, 1), EPOCH_FIXED);
        assert_eq!(fixed_date(System::Gregorian, 1582, 10, 15), CUTOVER_FIXED);
        assert_eq!(fixed_date(System::Julian, 1582, 10, 4), CUTOVER_FIXED - 1);
        assert_eq!(fixed_date(System::Julian, 1, 1, 1), -1);
        assert_eq!(fixed_date(System::Julian, 0, 3, 1), JULIAN_MARCH_0);
        assert_eq!(fixed_date(System::Gregorian, 0, 3, 1), GREGORIAN_MARCH_0);
    }

    #[test]
    fn lenient_parse_fields() {
        assert_eq!(days_of(2023, 1, 15), 19372);
        assert_eq!(days_of(2023, 13, 45), 19767); // 2024-02-14
        assert_eq!(days_of(1970, 1, 1), 0);
        assert_eq!(days_of(1, 1, 1), -719164); // Julian 0001-01-01
        assert_eq!(days_of(1582, 10, 15), CUTOVER_FIXED - EPOCH_FIXED);
        assert_eq!(days_of(1582, 10, 4), CUTOVER_FIXED - EPOCH_FIXED - 1);
        // A day in the gap is read as Julian: 1582-10-10 (Julian) is 1582-10-20 (Gregorian).
        assert_eq!(days_of(1582, 10, 10), CUTOVER_FIXED - EPOCH_FIXED + 5);
        let time = Fields {
            hour: Some(25),
            minute: Some(61),
            second: Some(61),
            millis: Some(0),
            ..Fields::default()
        };
        assert_eq!(millis_from_fields(&time), 93_721_000);
        let neg = Fields {
            hour: Some(-1),
            ..Fields::default()
        };
        assert_eq!(millis_from_fields(&neg), -3_600_000);
    }

    #[test]
    fn fields_of_millis() {
        let c = civil_from_millis(0);
        assert_eq!((c.year, c.month, c.day, c.weekday), (1970, 1, 1, 4));
        let c = civil_from_millis(1_700_000_000_123);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.minute, c.second, c.millis),
            (2023, 11, 14, 22, 13, 20, 123)
        );
        let c = civil_from_millis(-1);
        assert_eq!(
            (c.year, c.month, c.day, c.hour, c.millis),
            (1969, 12, 31, 23, 999)
        );
        let c = civil_from_millis(-719_164 * MILLIS_PER_DAY);
        assert_eq!((c.year, c.month, c.day), (1, 1, 1));
        let c = civil_from_millis((CUTOVER_FIXED - EPOCH_FIXED - 1) * MILLIS_PER_DAY);
        assert_eq!((c.year, c.month, c.day), (1582, 10, 4));
        let c = civil_from_millis((-719_164 - 366) * MILLIS_PER_DAY);
        assert_eq!((c.year, c.year_of_era(), c.month, c.day), (0, 1, 1, 1));
    }

    #[test]
    fn round_trips_over_a_wide_range() {
        let mut day = -1_000_000i64;
        while day < 1_000_000 {
            let c = civil_from_millis(day * MILLIS_PER_DAY);
            let back = days_of(c.year as i32, c.month as i32, c.day as i32);
            assert_eq!(back, day, "{c:?}");
            day += 997;
        }
        for day in (CUTOVER_FIXED - EPOCH_FIXED - 800)..(CUTOVER_FIXED - EPOCH_FIXED + 800) {
            let c = civil_from_millis(day * MILLIS_PER_DAY);
            let back = days_of(c.year as i32, c.month as i32, c.day as i32);
            assert_eq!(back, day, "{c:?}");
        }
    }
}
