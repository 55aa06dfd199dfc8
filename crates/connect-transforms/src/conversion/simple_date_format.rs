//! Java's `java.text.SimpleDateFormat` in UTC with the `en_US` symbols: pattern compilation
//! (with Java's `IllegalArgumentException` messages), formatting, and lenient parsing.
//!
//! Parsing follows the JDK: numbers are read by a `DecimalFormat` (optional `-`, digits, an
//! optional `E` exponent, never a fraction), adjacent numeric fields obey their letter counts,
//! spaces and tabs before a field are skipped, text after the pattern is ignored, and calendar
//! fields are lenient (`2023-13-45` is 2024-02-14). Two-digit years (`yy`) fall within 80 years
//! before and 20 years after the moment the format was built.
//!
//! Supported pattern letters: all of Java's (`G y Y M L d k H m s S E D F w W a h K z Z X u`).
//! Numeric zone offsets (`+0100`, `GMT+01:00`, `Z`) always parse; zone *names* parse for UTC and
//! GMT and for a table of common abbreviations and names (`EST`, `PDT`, `CET`, `Pacific
//! Standard Time`, …) with the offsets Java gives them today. Two differences from Java, whose
//! zone handling is stateful: a parsed zone name does not switch the format to that zone for
//! later records (Java keeps formatting and parsing in it, silently shifting later values), and
//! rare names outside the table, or dates before a zone adopted standard time, are not
//! supported.

use std::fmt::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use super::calendar::{self, field, Broken, Fields};
use super::date_symbols::{
    match_names, numeric_zone, parse_zone, AM_PM, ERAS, MONTHS, SHORT_MONTHS, SHORT_WEEKDAYS,
    WEEKDAYS,
};
use connect_api::data::java_number::java_digit;

/// A pattern letter (Java's `DateFormatSymbols.patternChars`, `GyMdkHmsSEDFwWahKzZYuXL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Letter {
    Era,
    Year,
    Month,
    DayOfMonth,
    HourOfDay1,
    HourOfDay0,
    Minute,
    Second,
    Millisecond,
    DayOfWeek,
    DayOfYear,
    DayOfWeekInMonth,
    WeekOfYear,
    WeekOfMonth,
    AmPm,
    Hour1,
    Hour0,
    ZoneName,
    ZoneValue,
    WeekYear,
    IsoDayOfWeek,
    IsoZone,
    MonthStandalone,
}

impl Letter {
    fn of(c: char) -> Option<Letter> {
        Some(match c {
            'G' => Letter::Era,
            'y' => Letter::Year,
            'M' => Letter::Month,
            'd' => Letter::DayOfMonth,
            'k' => Letter::HourOfDay1,
            'H' => Letter::HourOfDay0,
            'm' => Letter::Minute,
            's' => Letter::Second,
            'S' => Letter::Millisecond,
            'E' => Letter::DayOfWeek,
            'D' => Letter::DayOfYear,
            'F' => Letter::DayOfWeekInMonth,
            'w' => Letter::WeekOfYear,
            'W' => Letter::WeekOfMonth,
            'a' => Letter::AmPm,
            'h' => Letter::Hour1,
            'K' => Letter::Hour0,
            'z' => Letter::ZoneName,
            'Z' => Letter::ZoneValue,
            'Y' => Letter::WeekYear,
            'u' => Letter::IsoDayOfWeek,
            'X' => Letter::IsoZone,
            'L' => Letter::MonthStandalone,
            _ => return None,
        })
    }

    /// Java `shouldObeyCount`: a numeric field directly before this one reads only as many
    /// digits as its letter count.
    fn obeys_count(self, count: usize) -> bool {
        match self {
            Letter::Month | Letter::MonthStandalone => count <= 2,
            Letter::Year
            | Letter::DayOfMonth
            | Letter::HourOfDay1
            | Letter::HourOfDay0
            | Letter::Minute
            | Letter::Second
            | Letter::Millisecond
            | Letter::DayOfYear
            | Letter::DayOfWeekInMonth
            | Letter::WeekOfYear
            | Letter::WeekOfMonth
            | Letter::Hour1
            | Letter::Hour0
            | Letter::IsoDayOfWeek
            | Letter::WeekYear => true,
            _ => false,
        }
    }
}

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Elem {
    /// A pattern letter repeated `count` times.
    Field(Letter, usize),
    /// A literal character (quoted text or a non-letter).
    Literal(char),
}

/// A compiled `SimpleDateFormat` pattern, in UTC.
#[derive(Debug, Clone)]
pub struct SimpleDateFormat {
    pattern: String,
    elems: Vec<Elem>,
    century_start: i64,
    century_start_year: i64,
}

/// A text the pattern could not parse (Java `ParseException`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The text.
    pub text: String,
}

impl std::fmt::Display for ParseError {
    /// Java's message: `Unparseable date: "text"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Unparseable date: \"{}\"", self.text)
    }
}

impl std::error::Error for ParseError {}

impl SimpleDateFormat {
    /// Compiles `pattern` (Java `new SimpleDateFormat(pattern)`). The error is the message of
    /// Java's `IllegalArgumentException`: `Illegal pattern character 'x'`, `Unterminated quote`,
    /// `invalid ISO 8601 format: length=4`.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        let century_start = calendar::add_years(now, -80);
        Ok(SimpleDateFormat {
            pattern: pattern.to_string(),
            elems: compile(pattern)?,
            century_start,
            century_start_year: calendar::broken_down(century_start).year,
        })
    }

    /// The pattern (Java `toPattern()`).
    pub fn to_pattern(&self) -> &str {
        &self.pattern
    }

    /// Formats epoch milliseconds (Java `format(new Date(millis))`).
    pub fn format(&self, epoch_millis: i64) -> String {
        let mut out = String::with_capacity(self.elems.len() * 2 + 8);
        self.format_into(epoch_millis, &mut out);
        out
    }

    /// Formats epoch milliseconds, appending to `out`.
    pub fn format_into(&self, epoch_millis: i64, out: &mut String) {
        let b = calendar::broken_down(epoch_millis);
        for elem in &self.elems {
            match *elem {
                Elem::Literal(c) => out.push(c),
                Elem::Field(letter, count) => format_field(out, &b, letter, count),
            }
        }
    }

    /// Parses a date leniently from the start of `text`; text after the pattern is ignored
    /// (Java `parse(String)`).
    pub fn parse(&self, text: &str) -> Result<i64, ParseError> {
        let chars: Vec<char> = text.chars().collect();
        match self.parse_chars(&chars) {
            Some((millis, end)) if end > 0 => Ok(millis),
            _ => Err(ParseError {
                text: text.to_string(),
            }),
        }
    }

    /// Java `parse(text, ParsePosition(0))`: the instant and the index after it, or `None`.
    fn parse_chars(&self, text: &[char]) -> Option<(i64, usize)> {
        let mut fields = Fields::new();
        let mut ambiguous_year = false;
        let mut pos = 0;
        for (i, elem) in self.elems.iter().enumerate() {
            match *elem {
                Elem::Literal(c) => {
                    if text.get(pos) != Some(&c) {
                        return None;
                    }
                    pos += 1;
                }
                Elem::Field(letter, count) => {
                    let obey = match self.elems.get(i + 1) {
                        Some(Elem::Field(next, next_count)) => next.obeys_count(*next_count),
                        _ => false,
                    };
                    pos = self.sub_parse(
                        text,
                        pos,
                        letter,
                        count,
                        obey,
                        &mut ambiguous_year,
                        &mut fields,
                    )?;
                }
            }
        }
        let mut millis = fields.to_millis()?;
        if ambiguous_year && millis < self.century_start {
            fields.add_years(100);
            millis = fields.to_millis()?;
        }
        Some((millis, pos))
    }

    /// Java `SimpleDateFormat.subParse`: parses one field at `start`, returning the index after
    /// it, or `None` when it does not parse.
    #[allow(clippy::too_many_arguments)]
    fn sub_parse(
        &self,
        text: &[char],
        start: usize,
        letter: Letter,
        count: usize,
        obey_count: bool,
        ambiguous_year: &mut bool,
        fields: &mut Fields,
    ) -> Option<usize> {
        let mut pos = start;
        loop {
            match text.get(pos) {
                None => return None,
                Some(' ') | Some('\t') => pos += 1,
                Some(_) => break,
            }
        }
        let actual_start = pos;
        let limit = if obey_count {
            let end = start + count;
            if end > text.len() {
                return None;
            }
            end
        } else {
            text.len()
        };
        let number = |at: usize| parse_number(&text[..limit], at);
        match letter {
            Letter::Year | Letter::WeekYear => {
                let (mut value, end) = number(pos)?;
                if count <= 2
                    && end - actual_start == 2
                    && java_digit(text[actual_start]).is_some()
                    && java_digit(text[actual_start + 1]).is_some()
                {
                    let ambiguous = self.century_start_year % 100;
                    *ambiguous_year = i64::from(value) == ambiguous;
                    let century = self.century_start_year / 100 * 100;
                    let shifted = i64::from(value)
                        + century
                        + if i64::from(value) < ambiguous { 100 } else { 0 };
                    value = shifted as i32;
                }
                let index = if letter == Letter::Year {
                    field::YEAR
                } else {
                    field::WEEK_YEAR
                };
                fields.set(index, i64::from(value));
                Some(end)
            }
            Letter::Month | Letter::MonthStandalone if count <= 2 => {
                let (value, end) = number(pos)?;
                fields.set(field::MONTH, i64::from(value.wrapping_sub(1)));
                Some(end)
            }
            Letter::Month | Letter::MonthStandalone => {
                match_names(text, start, &MONTHS, 0, field::MONTH, fields)
                    .or_else(|| match_names(text, start, &SHORT_MONTHS, 0, field::MONTH, fields))
            }
            Letter::HourOfDay1 => {
                let (value, end) = number(pos)?;
                let value = if value == 24 { 0 } else { value };
                fields.set(field::HOUR_OF_DAY, i64::from(value));
                Some(end)
            }
            Letter::Hour1 => {
                let (value, end) = number(pos)?;
                let value = if value == 12 { 0 } else { value };
                fields.set(field::HOUR, i64::from(value));
                Some(end)
            }
            Letter::Era => match_names(text, start, &ERAS, 0, field::ERA, fields),
            Letter::DayOfWeek => match_names(text, start, &WEEKDAYS, 1, field::DAY_OF_WEEK, fields)
                .or_else(|| {
                    match_names(text, start, &SHORT_WEEKDAYS, 1, field::DAY_OF_WEEK, fields)
                }),
            Letter::AmPm => match_names(text, start, &AM_PM, 0, field::AM_PM, fields),
            Letter::ZoneName | Letter::ZoneValue => parse_zone(text, start, pos, fields),
            Letter::IsoZone => {
                let c = *text.get(pos)?;
                if c == 'Z' {
                    fields.set(field::ZONE_OFFSET, 0);
                    fields.set(field::DST_OFFSET, 0);
                    return Some(pos + 1);
                }
                let sign = match c {
                    '+' => 1,
                    '-' => -1,
                    _ => return None,
                };
                numeric_zone(text, pos + 1, sign, count, count == 3, fields)
            }
            Letter::IsoDayOfWeek => {
                let (value, end) = number(pos)?;
                let value = i64::from(value);
                // CalendarBuilder: an ISO day (1 = Monday) becomes a Calendar day of week.
                let dow = match value {
                    7 => 1,
                    1..=6 => value + 1,
                    other => other,
                };
                fields.set(field::DAY_OF_WEEK, dow);
                Some(end)
            }
            Letter::DayOfMonth
            | Letter::HourOfDay0
            | Letter::Minute
            | Letter::Second
            | Letter::Millisecond
            | Letter::DayOfYear
            | Letter::DayOfWeekInMonth
            | Letter::WeekOfYear
            | Letter::WeekOfMonth
            | Letter::Hour0 => {
                let (value, end) = number(pos)?;
                let index = match letter {
                    Letter::DayOfMonth => field::DAY_OF_MONTH,
                    Letter::HourOfDay0 => field::HOUR_OF_DAY,
                    Letter::Minute => field::MINUTE,
                    Letter::Second => field::SECOND,
                    Letter::Millisecond => field::MILLISECOND,
                    Letter::DayOfYear => field::DAY_OF_YEAR,
                    Letter::DayOfWeekInMonth => field::DAY_OF_WEEK_IN_MONTH,
                    Letter::WeekOfYear => field::WEEK_OF_YEAR,
                    Letter::WeekOfMonth => field::WEEK_OF_MONTH,
                    _ => field::HOUR,
                };
                fields.set(index, i64::from(value));
                Some(end)
            }
        }
    }
}

/// Java `SimpleDateFormat.compile`, keeping letters and literal characters.
fn compile(pattern: &str) -> Result<Vec<Elem>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut elems = Vec::with_capacity(chars.len());
    let mut in_quote = false;
    let mut current: Option<(char, usize)> = None;
    let flush = |current: &mut Option<(char, usize)>,
                 elems: &mut Vec<Elem>|
     -> Result<(), String> {
        if let Some((c, count)) = current.take() {
            let letter = Letter::of(c).ok_or_else(|| format!("Illegal pattern character '{c}'"))?;
            if letter == Letter::IsoZone && count >= 4 {
                return Err(format!("invalid ISO 8601 format: length={count}"));
            }
            elems.push(Elem::Field(letter, count));
        }
        Ok(())
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                // '' is a single quote, inside or outside quoted text.
                i += 2;
                flush(&mut current, &mut elems)?;
                elems.push(Elem::Literal('\''));
                continue;
            }
            flush(&mut current, &mut elems)?;
            in_quote = !in_quote;
            i += 1;
            continue;
        }
        if in_quote || !c.is_ascii_alphabetic() {
            flush(&mut current, &mut elems)?;
            elems.push(Elem::Literal(c));
            i += 1;
            continue;
        }
        if Letter::of(c).is_none() {
            return Err(format!("Illegal pattern character '{c}'"));
        }
        match &mut current {
            Some((prev, count)) if *prev == c => *count += 1,
            _ => {
                flush(&mut current, &mut elems)?;
                current = Some((c, 1));
            }
        }
        i += 1;
    }
    if in_quote {
        return Err("Unterminated quote".to_string());
    }
    flush(&mut current, &mut elems)?;
    Ok(elems)
}

/// Java `zeroPaddingNumber(value, min, max)`: at least `min` digits, at most `max` (the
/// high-order digits are dropped, as `yy` does).
fn push_number(out: &mut String, value: i64, min: usize, max: usize) {
    if value < 0 {
        out.push('-');
    }
    // Digits, least significant first.
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = value.unsigned_abs();
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
        if rest == 0 {
            break;
        }
    }
    let kept = len.min(max);
    for _ in kept..min {
        out.push('0');
    }
    for d in digits[..kept].iter().rev() {
        out.push(char::from(*d));
    }
}

fn format_field(out: &mut String, b: &Broken, letter: Letter, count: usize) {
    let num = |out: &mut String, v: i64| push_number(out, v, count, usize::MAX);
    match letter {
        Letter::Era => out.push_str(ERAS[(b.era & 1) as usize]),
        Letter::Year | Letter::WeekYear => {
            let value = if letter == Letter::Year {
                b.year
            } else {
                b.week_year
            };
            if count == 2 {
                push_number(out, value, 2, 2);
            } else {
                num(out, value);
            }
        }
        Letter::Month | Letter::MonthStandalone => {
            let m = b.month.rem_euclid(12) as usize;
            match count {
                0..=2 => num(out, b.month + 1),
                3 => out.push_str(SHORT_MONTHS[m]),
                _ => out.push_str(MONTHS[m]),
            }
        }
        Letter::DayOfMonth => num(out, b.day),
        Letter::HourOfDay1 => num(out, if b.hour == 0 { 24 } else { b.hour }),
        Letter::HourOfDay0 => num(out, b.hour),
        Letter::Minute => num(out, b.minute),
        Letter::Second => num(out, b.second),
        Letter::Millisecond => num(out, b.millis),
        Letter::DayOfWeek => {
            let d = (b.day_of_week - 1).rem_euclid(7) as usize;
            out.push_str(if count >= 4 {
                WEEKDAYS[d]
            } else {
                SHORT_WEEKDAYS[d]
            });
        }
        Letter::DayOfYear => num(out, b.day_of_year),
        Letter::DayOfWeekInMonth => num(out, b.day_of_week_in_month),
        Letter::WeekOfYear => num(out, b.week_of_year),
        Letter::WeekOfMonth => num(out, b.week_of_month),
        Letter::AmPm => out.push_str(AM_PM[usize::from(b.hour >= 12)]),
        Letter::Hour1 => num(out, if b.hour % 12 == 0 { 12 } else { b.hour % 12 }),
        Letter::Hour0 => num(out, b.hour % 12),
        Letter::ZoneName => out.push_str(if count >= 4 {
            "Coordinated Universal Time"
        } else {
            "UTC"
        }),
        Letter::ZoneValue => out.push_str("+0000"),
        Letter::IsoZone => out.push('Z'),
        Letter::IsoDayOfWeek => num(
            out,
            if b.day_of_week == 1 {
                7
            } else {
                b.day_of_week - 1
            },
        ),
    }
}

/// Java's `DecimalFormat` (integer-only, no grouping) parsing a number at `start`: the value as
/// `Number.intValue()` gives it, and the index after the number.
fn parse_number(text: &[char], start: usize) -> Option<(i32, usize)> {
    if matches_exact(text, start, "NaN") {
        return Some((0, start + 3));
    }
    let mut i = start;
    let negative = text.get(i) == Some(&'-');
    if negative {
        i += 1;
    }
    if text.get(i) == Some(&'\u{221E}') {
        return Some((if negative { i32::MIN } else { i32::MAX }, i + 1));
    }
    let mut digits = String::new();
    let mut saw_digit = false;
    while let Some(d) = text.get(i).and_then(|&c| java_digit(c)) {
        saw_digit = true;
        if d != 0 || !digits.is_empty() {
            digits.push(char::from(b'0' + d as u8));
        }
        i += 1;
    }
    if !saw_digit {
        return None;
    }
    let mut decimal_at = digits.len() as i64;
    if text.get(i) == Some(&'E') {
        if let Some((exponent, end)) = parse_exponent(text, i + 1) {
            decimal_at += exponent;
            i = end;
        }
    }
    Some((int_value(&digits, decimal_at, negative), i))
}

fn matches_exact(text: &[char], start: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| text.get(start + k) == Some(&c))
}

/// The exponent after `E`: an optional `-` and digits.
fn parse_exponent(text: &[char], start: usize) -> Option<(i64, usize)> {
    let mut i = start;
    let negative = text.get(i) == Some(&'-');
    if negative {
        i += 1;
    }
    let mut value: i64 = 0;
    let mut saw = false;
    while let Some(d) = text.get(i).and_then(|&c| java_digit(c)) {
        saw = true;
        value = value.checked_mul(10)?.checked_add(i64::from(d))?;
        i += 1;
    }
    if !saw {
        return None;
    }
    Some((if negative { -value } else { value }, i))
}

/// `0.DIGITS × 10^decimal_at` (with sign) as Java's `intValue()` of the `Long` or `Double`
/// that `DecimalFormat` returns.
fn int_value(digits: &str, decimal_at: i64, negative: bool) -> i32 {
    if digits.is_empty() {
        return 0;
    }
    let len = digits.len() as i64;
    if decimal_at >= len && decimal_at <= 19 {
        let mut v: i128 = digits.parse::<i128>().unwrap_or(0);
        for _ in len..decimal_at {
            v *= 10;
        }
        if negative {
            v = -v;
        }
        if let Ok(long) = i64::try_from(v) {
            // Long.intValue(): the low 32 bits.
            return long as i32;
        }
    }
    let text = format!("{}0.{digits}e{decimal_at}", if negative { "-" } else { "" });
    // Double.intValue(): truncation toward zero, saturating.
    text.parse::<f64>().map_or(0, |d| d as i32)
}

/// Appends the `java.util.Date` text `Values.dateFormatFor(date).format(date)` gives in UTC:
/// `HH:mm:ss.SSS'Z'` before one day after the epoch, `yyyy-MM-dd` at a later midnight,
/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` otherwise.
pub fn push_values_date_text(out: &mut String, epoch_millis: i64) {
    const DAY: i64 = 86_400_000;
    let b = calendar::broken_down(epoch_millis);
    let date = |out: &mut String| {
        push_number(out, b.year, 4, usize::MAX);
        let _ = write!(out, "-{:02}-{:02}", b.month + 1, b.day);
    };
    let time = |out: &mut String| {
        let _ = write!(
            out,
            "{:02}:{:02}:{:02}.{:03}Z",
            b.hour, b.minute, b.second, b.millis
        );
    };
    if epoch_millis < DAY {
        time(out);
    } else if epoch_millis % DAY == 0 {
        date(out);
    } else {
        date(out);
        out.push('T');
        time(out);
    }
}

#[cfg(test)]
#[path = "simple_date_format_tests.rs"]
mod tests;
