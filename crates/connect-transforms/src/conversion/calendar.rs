//! Java's default calendar as `SimpleDateFormat` uses it: `java.util.GregorianCalendar` in UTC
//! with the `en_US` week rules (weeks start on Sunday, one day makes a first week), the Julian
//! calendar before 1582-10-15, and lenient field arithmetic.
//!
//! Dates are *fixed dates* as in the JDK: day 1 is 0001-01-01 of the proleptic Gregorian
//! calendar. Years are astronomical (0 is 1 BC) unless said otherwise.

/// Milliseconds in one day.
const DAY_MILLIS: i64 = 86_400_000;
/// Fixed date of 1970-01-01.
const EPOCH_FIXED: i64 = 719_163;
/// Fixed date of the Gregorian cutover, 1582-10-15.
const CUTOVER_FIXED: i64 = 577_736;
/// The cutover year (the same in both calendars).
const CUTOVER_YEAR: i64 = 1582;
/// Fixed date of 0000-03-01 (Julian).
const JULIAN_MARCH_0: i64 = -307;
/// Fixed date of 0000-03-01 (proleptic Gregorian).
const GREGORIAN_MARCH_0: i64 = -305;
/// `Calendar.SUNDAY`, the first day of the week in `en_US`.
const SUNDAY: i64 = 1;
/// `getMinimalDaysInFirstWeek()` in `en_US`.
const MIN_DAYS_IN_FIRST_WEEK: i64 = 1;

/// Java's `Calendar` field numbers (plus `CalendarBuilder.WEEK_YEAR`).
pub(crate) mod field {
    /// `ERA`: 0 = BC, 1 = AD.
    pub const ERA: usize = 0;
    /// `YEAR` (of the era).
    pub const YEAR: usize = 1;
    /// `MONTH`, zero-based.
    pub const MONTH: usize = 2;
    /// `WEEK_OF_YEAR`.
    pub const WEEK_OF_YEAR: usize = 3;
    /// `WEEK_OF_MONTH`.
    pub const WEEK_OF_MONTH: usize = 4;
    /// `DAY_OF_MONTH`.
    pub const DAY_OF_MONTH: usize = 5;
    /// `DAY_OF_YEAR`.
    pub const DAY_OF_YEAR: usize = 6;
    /// `DAY_OF_WEEK`: 1 = Sunday … 7 = Saturday.
    pub const DAY_OF_WEEK: usize = 7;
    /// `DAY_OF_WEEK_IN_MONTH`.
    pub const DAY_OF_WEEK_IN_MONTH: usize = 8;
    /// `AM_PM`.
    pub const AM_PM: usize = 9;
    /// `HOUR` (0–11).
    pub const HOUR: usize = 10;
    /// `HOUR_OF_DAY` (0–23).
    pub const HOUR_OF_DAY: usize = 11;
    /// `MINUTE`.
    pub const MINUTE: usize = 12;
    /// `SECOND`.
    pub const SECOND: usize = 13;
    /// `MILLISECOND`.
    pub const MILLISECOND: usize = 14;
    /// `ZONE_OFFSET` in milliseconds.
    pub const ZONE_OFFSET: usize = 15;
    /// `DST_OFFSET` in milliseconds.
    pub const DST_OFFSET: usize = 16;
    /// `CalendarBuilder.WEEK_YEAR`.
    pub const WEEK_YEAR: usize = 17;
    /// Number of fields.
    pub const COUNT: usize = 18;
}

use field::*;

fn gregorian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

fn julian_leap(year: i64) -> bool {
    year.rem_euclid(4) == 0
}

/// Java `GregorianCalendar.isLeapYear` (Julian rule up to the cutover year).
fn leap(year: i64) -> bool {
    if year > CUTOVER_YEAR {
        gregorian_leap(year)
    } else {
        julian_leap(year)
    }
}

/// One of the two calendar systems.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum System {
    Gregorian,
    Julian,
}

/// The fixed date of `year`-`month`-`day` (month 1..=12, any day) in one calendar system.
fn fixed_date(system: System, year: i64, month: i64, day: i64) -> i64 {
    let prev = year - 1;
    let mut days = match system {
        System::Gregorian => {
            day + 365 * prev + prev.div_euclid(4) - prev.div_euclid(100) + prev.div_euclid(400)
        }
        System::Julian => day - 2 + 365 * prev + prev.div_euclid(4),
    } + (367 * month - 362).div_euclid(12);
    if month > 2 {
        let is_leap = match system {
            System::Gregorian => gregorian_leap(year),
            System::Julian => julian_leap(year),
        };
        days -= if is_leap { 1 } else { 2 };
    }
    days
}

/// `(year, month 1..=12, day)` of a fixed date in one calendar system.
fn ymd(system: System, fixed: i64) -> (i64, i64, i64) {
    let (doy, year_of_march) = match system {
        System::Gregorian => {
            let t = fixed - GREGORIAN_MARCH_0;
            let era = t.div_euclid(146_097);
            let doe = t - era * 146_097;
            let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
            (doe - (365 * yoe + yoe / 4 - yoe / 100), era * 400 + yoe)
        }
        System::Julian => {
            let t = fixed - JULIAN_MARCH_0;
            let y = (4 * t + 3).div_euclid(1_461);
            (t - (1_461 * y).div_euclid(4), y)
        }
    };
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (year_of_march + i64::from(month <= 2), month, day)
}

/// The fixed date of January 1 of `year` as `GregorianCalendar` counts it (the Julian one up
/// to the cutover year).
fn jan1(year: i64) -> i64 {
    if year > CUTOVER_YEAR {
        fixed_date(System::Gregorian, year, 1, 1)
    } else {
        fixed_date(System::Julian, year, 1, 1)
    }
}

/// Java `BaseCalendar.getDayOfWeekDateOnOrBefore`: the latest date ≤ `fixed` that falls on
/// `day_of_week` (1 = Sunday).
fn day_of_week_on_or_before(fixed: i64, day_of_week: i64) -> i64 {
    fixed - (fixed - (day_of_week - 1)).rem_euclid(7)
}

/// Day of week of a fixed date, 1 = Sunday.
fn day_of_week(fixed: i64) -> i64 {
    fixed.rem_euclid(7) + 1
}

/// Java `GregorianCalendar.getWeekNumber(fixedDay1, fixedDate)`.
fn week_number(fixed_day1: i64, fixed: i64) -> i64 {
    let mut first = day_of_week_on_or_before(fixed_day1 + 6, SUNDAY);
    if first - fixed_day1 >= MIN_DAYS_IN_FIRST_WEEK {
        first -= 7;
    }
    (fixed - first).div_euclid(7) + 1
}

/// The calendar fields of an instant, as `GregorianCalendar.computeFields` gives them in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Broken {
    /// 0 = BC, 1 = AD.
    pub era: i64,
    /// Year of the era (≥ 1).
    pub year: i64,
    /// Astronomical year.
    pub astro_year: i64,
    /// Zero-based month.
    pub month: i64,
    /// Day of month.
    pub day: i64,
    /// Day of year.
    pub day_of_year: i64,
    /// 1 = Sunday … 7 = Saturday.
    pub day_of_week: i64,
    /// Week of year (`en_US` rules).
    pub week_of_year: i64,
    /// Week of month.
    pub week_of_month: i64,
    /// Day-of-week-in-month (`(day - 1) / 7 + 1`).
    pub day_of_week_in_month: i64,
    /// Week-based year (astronomical).
    pub week_year: i64,
    /// Hour of day 0..=23.
    pub hour: i64,
    /// Minute.
    pub minute: i64,
    /// Second.
    pub second: i64,
    /// Millisecond.
    pub millis: i64,
}

/// The UTC calendar fields of epoch milliseconds.
pub(crate) fn broken_down(epoch_millis: i64) -> Broken {
    let days = epoch_millis.div_euclid(DAY_MILLIS);
    let time = epoch_millis.rem_euclid(DAY_MILLIS);
    let fixed = days + EPOCH_FIXED;
    let system = if fixed >= CUTOVER_FIXED {
        System::Gregorian
    } else {
        System::Julian
    };
    let (astro_year, month, day) = ymd(system, fixed);
    let year_jan1 = jan1(astro_year);
    let mut month1 = fixed - day + 1;
    if astro_year == CUTOVER_YEAR && month == 10 && system == System::Gregorian {
        // The cutover month starts on its Julian first day.
        month1 = fixed_date(System::Julian, CUTOVER_YEAR, 10, 1);
    }
    let day_of_year = fixed - year_jan1 + 1;
    let mut week_of_year = week_number(year_jan1, fixed);
    if week_of_year >= 52 {
        let next_jan1 = jan1(astro_year + 1);
        let next_first = day_of_week_on_or_before(next_jan1 + 6, SUNDAY);
        if next_first - next_jan1 >= MIN_DAYS_IN_FIRST_WEEK && fixed >= next_first - 7 {
            week_of_year = 1;
        }
    }
    let week_year = if month == 1 {
        if week_of_year >= 52 {
            astro_year - 1
        } else {
            astro_year
        }
    } else if week_of_year == 1 {
        astro_year + 1
    } else {
        astro_year
    };
    let (era, year) = if astro_year <= 0 {
        (0, 1 - astro_year)
    } else {
        (1, astro_year)
    };
    Broken {
        era,
        year,
        astro_year,
        month: month - 1,
        day,
        day_of_year,
        day_of_week: day_of_week(fixed),
        week_of_year,
        week_of_month: week_number(month1, fixed),
        day_of_week_in_month: (fixed - month1) / 7 + 1,
        week_year,
        hour: time / 3_600_000,
        minute: time / 60_000 % 60,
        second: time / 1_000 % 60,
        millis: time % 1_000,
    }
}

/// The calendar fields a parse has set (Java's `CalendarBuilder`): a value and a stamp per
/// field; a later stamp means "set more recently", which decides how fields combine.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fields {
    values: [i64; COUNT],
    stamps: [u32; COUNT],
    next: u32,
}

impl Fields {
    /// No field set.
    pub fn new() -> Self {
        Fields::default()
    }

    /// Sets a field (a later set wins over earlier ones in field resolution).
    pub fn set(&mut self, index: usize, value: i64) {
        self.next += 1;
        self.stamps[index] = self.next;
        self.values[index] = value;
    }

    /// Whether a field is set.
    pub fn is_set(&self, index: usize) -> bool {
        self.stamps[index] != 0
    }

    /// A field's value, 0 when unset (Java `internalGet`).
    pub fn get(&self, index: usize) -> i64 {
        self.values[index]
    }

    /// Adds `years` to the year fields (Java `CalendarBuilder.addYear`).
    pub fn add_years(&mut self, years: i64) {
        self.values[YEAR] += years;
        self.values[WEEK_YEAR] += years;
    }

    fn stamp(&self, index: usize) -> u32 {
        self.stamps[index]
    }

    /// Epoch milliseconds of the fields in UTC (Java `CalendarBuilder.establish` followed by
    /// `GregorianCalendar.computeTime`, lenient). `None` where Java throws an
    /// `IllegalArgumentException` (an era other than BC or AD).
    pub fn to_millis(&self) -> Option<i64> {
        let mut fields = self.clone();
        if fields.is_set(WEEK_YEAR) && fields.stamp(WEEK_YEAR) > fields.stamp(YEAR) {
            fields.apply_week_date()?;
        }
        fields.compute_time()
    }

    /// Java `GregorianCalendar.setWeekDate` as `CalendarBuilder.establish` calls it.
    fn apply_week_date(&mut self) -> Option<()> {
        let week_year = self.get(WEEK_YEAR);
        let mut week = if self.is_set(WEEK_OF_YEAR) {
            self.get(WEEK_OF_YEAR)
        } else {
            1
        };
        let mut dow = if self.is_set(DAY_OF_WEEK) {
            self.get(DAY_OF_WEEK)
        } else {
            SUNDAY
        };
        if !(1..=7).contains(&dow) {
            if dow >= 8 {
                dow -= 1;
                week += dow / 7;
                dow = dow % 7 + 1;
            } else {
                while dow <= 0 {
                    dow += 7;
                    week -= 1;
                }
            }
            // toCalendarDayOfWeek: an ISO day number (1 = Monday) becomes a Calendar one.
            dow = if dow == 7 { SUNDAY } else { dow + 1 };
        }
        let first_of_year = jan1(week_year);
        let mut first = day_of_week_on_or_before(first_of_year + 6, SUNDAY);
        if first - first_of_year >= MIN_DAYS_IN_FIRST_WEEK {
            first -= 7;
        }
        let fixed = first + (dow - SUNDAY) + 7 * (week - 1);
        let system = if fixed >= CUTOVER_FIXED {
            System::Gregorian
        } else {
            System::Julian
        };
        let (year, month, day) = ymd(system, fixed);
        let (era, year_of_era) = if year <= 0 { (0, 1 - year) } else { (1, year) };
        self.set(ERA, era);
        self.set(YEAR, year_of_era);
        self.set(MONTH, month - 1);
        self.set(DAY_OF_MONTH, day);
        Some(())
    }

    /// Java `Calendar.selectFields` (which date fields and which hour fields to use).
    fn select(&self) -> Selection {
        let agg = |a: u32, b: u32| if a == 0 || b == 0 { 0 } else { a.max(b) };
        let dow = self.stamp(DAY_OF_WEEK);
        let month = self.stamp(MONTH);
        let mut dom = self.stamp(DAY_OF_MONTH);
        let mut wom = agg(self.stamp(WEEK_OF_MONTH), dow);
        let mut dowim = agg(self.stamp(DAY_OF_WEEK_IN_MONTH), dow);
        let doy = self.stamp(DAY_OF_YEAR);
        let mut woy = agg(self.stamp(WEEK_OF_YEAR), dow);
        let mut best = dom.max(wom).max(dowim).max(doy).max(woy);
        if best == 0 {
            wom = self.stamp(WEEK_OF_MONTH);
            dowim = self.stamp(DAY_OF_WEEK_IN_MONTH).max(dow);
            woy = self.stamp(WEEK_OF_YEAR);
            best = wom.max(dowim).max(woy);
            if best == 0 {
                dom = month;
                best = month;
            }
        }
        let mut sel = Selection::default();
        if best == dom
            || (best == wom && self.stamp(WEEK_OF_MONTH) >= self.stamp(WEEK_OF_YEAR))
            || (best == dowim && self.stamp(DAY_OF_WEEK_IN_MONTH) >= self.stamp(WEEK_OF_YEAR))
        {
            sel.month = true;
            if best == dom {
                sel.day_of_month = true;
            } else {
                sel.day_of_week = dow != 0;
                if wom == dowim {
                    if self.stamp(WEEK_OF_MONTH) >= self.stamp(DAY_OF_WEEK_IN_MONTH) {
                        sel.week_of_month = true;
                    } else {
                        sel.day_of_week_in_month = true;
                    }
                } else if best == wom {
                    sel.week_of_month = true;
                } else if self.stamp(DAY_OF_WEEK_IN_MONTH) != 0 {
                    sel.day_of_week_in_month = true;
                }
            }
        } else if best == doy {
            sel.day_of_year = true;
        } else {
            sel.day_of_week = dow != 0;
            sel.week_of_year = true;
        }
        let hour_of_day = self.stamp(HOUR_OF_DAY);
        let hour = agg(self.stamp(HOUR), self.stamp(AM_PM));
        let mut best_hour = hour.max(hour_of_day);
        if best_hour == 0 {
            best_hour = self.stamp(HOUR).max(self.stamp(AM_PM));
        }
        if best_hour != 0 {
            if best_hour == hour_of_day {
                sel.hour_of_day = true;
            } else {
                sel.am_pm = self.stamp(AM_PM) != 0;
            }
        }
        sel
    }

    /// Java `GregorianCalendar.computeTime` (lenient, UTC).
    fn compute_time(&self) -> Option<i64> {
        let sel = self.select();
        let mut year = if self.is_set(YEAR) {
            self.get(YEAR)
        } else {
            1970
        };
        let era = if self.is_set(ERA) { self.get(ERA) } else { 1 };
        match era {
            0 => year = 1 - year,
            1 => {}
            _ => return None,
        }
        let mut time_of_day = if sel.hour_of_day {
            self.get(HOUR_OF_DAY)
        } else {
            let mut t = self.get(HOUR);
            if sel.am_pm {
                t += 12 * self.get(AM_PM);
            }
            t
        };
        time_of_day = time_of_day * 60 + self.get(MINUTE);
        time_of_day = time_of_day * 60 + self.get(SECOND);
        time_of_day = time_of_day * 1000 + self.get(MILLISECOND);
        let mut fixed = time_of_day.div_euclid(DAY_MILLIS);
        let time_of_day = time_of_day.rem_euclid(DAY_MILLIS);

        let gfd;
        let jfd;
        if year > CUTOVER_YEAR {
            let g = fixed + self.fixed_of(System::Gregorian, year, &sel);
            if g >= CUTOVER_FIXED {
                return Some(to_millis(g, time_of_day, self));
            }
            gfd = g;
            jfd = fixed + self.fixed_of(System::Julian, year, &sel);
        } else if year < CUTOVER_YEAR {
            let j = fixed + self.fixed_of(System::Julian, year, &sel);
            if j < CUTOVER_FIXED {
                return Some(to_millis(j, time_of_day, self));
            }
            jfd = j;
            gfd = j;
        } else {
            jfd = fixed + self.fixed_of(System::Julian, year, &sel);
            gfd = fixed + self.fixed_of(System::Gregorian, year, &sel);
        }
        fixed = if sel.day_of_year || sel.week_of_year {
            // Both cutover years are 1582: the day of the year counts from the Julian Jan 1.
            jfd
        } else if gfd >= CUTOVER_FIXED {
            gfd
        } else {
            jfd
        };
        Some(to_millis(fixed, time_of_day, self))
    }

    /// Java `GregorianCalendar.getFixedDate(cal, year, fieldMask)`.
    fn fixed_of(&self, system: System, year: i64, sel: &Selection) -> i64 {
        let mut year = year;
        let mut month = 0;
        if sel.month {
            month = self.get(MONTH);
            if month > 11 {
                year += month / 12;
                month %= 12;
            } else if month < 0 {
                year += month.div_euclid(12);
                month = month.rem_euclid(12);
            }
        }
        let mut fixed = fixed_date(system, year, month + 1, 1);
        if sel.month {
            if sel.day_of_month {
                if self.is_set(DAY_OF_MONTH) {
                    fixed += self.get(DAY_OF_MONTH) - 1;
                }
            } else if sel.week_of_month {
                let mut first = day_of_week_on_or_before(fixed + 6, SUNDAY);
                if first - fixed >= MIN_DAYS_IN_FIRST_WEEK {
                    first -= 7;
                }
                if sel.day_of_week {
                    first = day_of_week_on_or_before(first + 6, self.get(DAY_OF_WEEK));
                }
                fixed = first + int_times_7(self.get(WEEK_OF_MONTH), -1);
            } else {
                let dow = if sel.day_of_week {
                    self.get(DAY_OF_WEEK)
                } else {
                    SUNDAY
                };
                let dowim = if sel.day_of_week_in_month {
                    self.get(DAY_OF_WEEK_IN_MONTH)
                } else {
                    1
                };
                fixed = if dowim >= 0 {
                    day_of_week_on_or_before(fixed + int_times_7(dowim, 0) - 1, dow)
                } else {
                    let last = (month_length(month, year) as i32)
                        .wrapping_add(int_times_7(dowim, 1) as i32);
                    day_of_week_on_or_before(fixed + i64::from(last) - 1, dow)
                };
            }
        } else if sel.day_of_year {
            fixed += self.get(DAY_OF_YEAR) - 1;
        } else {
            let mut first = day_of_week_on_or_before(fixed + 6, SUNDAY);
            if first - fixed >= MIN_DAYS_IN_FIRST_WEEK {
                first -= 7;
            }
            if sel.day_of_week {
                let dow = self.get(DAY_OF_WEEK);
                if dow != SUNDAY {
                    first = day_of_week_on_or_before(first + 6, dow);
                }
            }
            fixed = first + 7 * (self.get(WEEK_OF_YEAR) - 1);
        }
        fixed
    }
}

/// Java's `int` expression `7 * (value + add)` (fields hold `int`s; the product wraps).
fn int_times_7(value: i64, add: i32) -> i64 {
    i64::from(7i32.wrapping_mul((value as i32).wrapping_add(add)))
}

/// Days in a zero-based month of an astronomical year.
fn month_length(month: i64, year: i64) -> i64 {
    const DAYS: [i64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let base = DAYS[month.rem_euclid(12) as usize];
    if month == 1 && leap(year) {
        base + 1
    } else {
        base
    }
}

/// Epoch milliseconds of a fixed date and time of day, minus any parsed zone offsets
/// (`long` arithmetic wraps as in Java).
fn to_millis(fixed: i64, time_of_day: i64, fields: &Fields) -> i64 {
    let offset = fields.get(ZONE_OFFSET) + fields.get(DST_OFFSET);
    (fixed - EPOCH_FIXED)
        .wrapping_mul(DAY_MILLIS)
        .wrapping_add(time_of_day)
        .wrapping_sub(offset)
}

/// Which fields `Calendar.selectFields` picked.
#[derive(Debug, Default, Clone, Copy)]
struct Selection {
    month: bool,
    day_of_month: bool,
    week_of_month: bool,
    day_of_week_in_month: bool,
    day_of_week: bool,
    day_of_year: bool,
    week_of_year: bool,
    hour_of_day: bool,
    am_pm: bool,
}

/// Epoch milliseconds of the same instant `years` years earlier or later (Java
/// `Calendar.add(YEAR, n)` in UTC: the day of month is clamped to the target month).
pub(crate) fn add_years(epoch_millis: i64, years: i64) -> i64 {
    let b = broken_down(epoch_millis);
    let year = b.astro_year + years;
    let day = b.day.min(month_length(b.month, year));
    let mut fields = Fields::new();
    let (era, year_of_era) = if year <= 0 { (0, 1 - year) } else { (1, year) };
    fields.set(ERA, era);
    fields.set(YEAR, year_of_era);
    fields.set(MONTH, b.month);
    fields.set(DAY_OF_MONTH, day);
    fields.set(HOUR_OF_DAY, b.hour);
    fields.set(MINUTE, b.minute);
    fields.set(SECOND, b.second);
    fields.set(MILLISECOND, b.millis);
    fields.to_millis().unwrap_or(epoch_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd_fields(y: i64, m: i64, d: i64) -> Fields {
        let mut f = Fields::new();
        f.set(YEAR, y);
        f.set(MONTH, m - 1);
        f.set(DAY_OF_MONTH, d);
        f
    }

    #[test]
    fn broken_down_matches_java() {
        let b = broken_down(1_700_000_000_123);
        assert_eq!((b.year, b.month, b.day), (2023, 10, 14));
        assert_eq!((b.hour, b.minute, b.second, b.millis), (22, 13, 20, 123));
        assert_eq!(b.day_of_year, 318);
        assert_eq!(b.day_of_week, 3); // Tuesday
        assert_eq!(b.week_of_year, 46);
        assert_eq!(b.week_of_month, 3);
        assert_eq!(b.day_of_week_in_month, 2);
        let b = broken_down(-1);
        assert_eq!((b.year, b.month, b.day, b.hour), (1969, 11, 31, 23));
        // 2023-12-31 is a Sunday: week 1 of week-year 2024.
        let b = broken_down(1_703_980_800_000);
        assert_eq!((b.week_of_year, b.week_year), (1, 2024));
        // Julian before the cutover: 1582-10-04 is followed by 1582-10-15.
        let b = broken_down(-12_219_292_800_000 - 86_400_000);
        assert_eq!((b.year, b.month, b.day), (1582, 9, 4));
        // The day before Julian 0001-01-01 is 1 BC-12-31.
        let b = broken_down(-62_135_769_600_000 - 86_400_000);
        assert_eq!((b.era, b.year, b.month, b.day), (0, 1, 11, 31));
    }

    #[test]
    fn lenient_fields() {
        assert_eq!(
            ymd_fields(2023, 11, 14).to_millis(),
            Some(1_699_920_000_000)
        );
        // Month 13, day 45 → 2024-02-14.
        assert_eq!(
            ymd_fields(2023, 13, 45).to_millis(),
            Some(1_707_868_800_000)
        );
        assert_eq!(ymd_fields(2023, 0, 0).to_millis(), Some(1_669_766_400_000));
        let mut f = Fields::new();
        f.set(HOUR_OF_DAY, 25);
        f.set(MINUTE, 61);
        assert_eq!(f.to_millis(), Some(93_660_000));
        let mut f = Fields::new();
        f.set(ERA, 2);
        assert_eq!(f.to_millis(), None);
    }

    #[test]
    fn day_of_year_and_week_fields() {
        let mut f = Fields::new();
        f.set(YEAR, 2023);
        f.set(DAY_OF_YEAR, 318);
        assert_eq!(f.to_millis(), Some(1_699_920_000_000));
        let mut f = Fields::new();
        f.set(YEAR, 2023);
        f.set(WEEK_OF_YEAR, 46);
        f.set(DAY_OF_WEEK, 3);
        assert_eq!(f.to_millis(), Some(1_699_920_000_000));
        let mut f = ymd_fields(2023, 11, 1);
        f.set(HOUR, 10);
        f.set(AM_PM, 1);
        assert_eq!(f.to_millis(), Some(1_698_876_000_000));
    }

    #[test]
    fn week_year_dates() {
        let mut f = Fields::new();
        f.set(WEEK_YEAR, 2024);
        f.set(WEEK_OF_YEAR, 1);
        // Week 1 of 2024 starts on Sunday 2023-12-31.
        assert_eq!(f.to_millis(), Some(1_703_980_800_000));
    }

    #[test]
    fn add_years_clamps() {
        // 2024-02-29 minus 80 years → 1944-02-29 (leap) ; minus 1 → 2023-02-28.
        let leap_day = 1_709_164_800_000;
        assert_eq!(add_years(leap_day, -1), 1_677_542_400_000);
    }
}
