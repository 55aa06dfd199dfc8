//! The three `SimpleDateFormat` patterns of `Values` (in UTC, `en_US`): formatting, and
//! lenient parsing (`2023-13-45` is 2024-02-14, `25:61:61.000Z` is 93 721 000 ms, trailing text
//! after the pattern is ignored).
//!
//! `yyyy-MM-dd`, `HH:mm:ss.SSS'Z'` and `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`.

use std::fmt::Write;

use super::calendar::{civil_from_millis, millis_from_fields, Civil, Fields};
use super::number::java_digit;
use crate::data::value::MILLIS_PER_DAY;

/// Length (in UTF-16 units) of a text that may be a date (`yyyy-MM-dd`).
pub(crate) const DATE_LENGTH: usize = 10;
/// Length of a text that may be a time (`HH:mm:ss.SSS'Z'`).
pub(crate) const TIME_LENGTH: usize = 13;
/// Length of a text that may be a timestamp (`yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`).
pub(crate) const TIMESTAMP_LENGTH: usize = 24;

/// One element of a compiled `SimpleDateFormat` pattern.
#[derive(Clone, Copy, Debug)]
enum Elem {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millis,
    Lit(char),
}

use Elem::*;

const DATE: &[Elem] = &[Year, Lit('-'), Month, Lit('-'), Day];
const TIME: &[Elem] = &[
    Hour,
    Lit(':'),
    Minute,
    Lit(':'),
    Second,
    Lit('.'),
    Millis,
    Lit('Z'),
];
const TIMESTAMP: &[Elem] = &[
    Year,
    Lit('-'),
    Month,
    Lit('-'),
    Day,
    Lit('T'),
    Hour,
    Lit(':'),
    Minute,
    Lit(':'),
    Second,
    Lit('.'),
    Millis,
    Lit('Z'),
];

fn push_padded(out: &mut String, value: i64, width: usize) {
    let _ = write!(out, "{value:0width$}");
}

fn push_date(out: &mut String, c: &Civil) {
    push_padded(out, c.year_of_era(), 4);
    out.push('-');
    push_padded(out, i64::from(c.month), 2);
    out.push('-');
    push_padded(out, i64::from(c.day), 2);
}

fn push_time(out: &mut String, c: &Civil) {
    push_padded(out, i64::from(c.hour), 2);
    out.push(':');
    push_padded(out, i64::from(c.minute), 2);
    out.push(':');
    push_padded(out, i64::from(c.second), 2);
    out.push('.');
    push_padded(out, i64::from(c.millis), 3);
    out.push('Z');
}

/// `yyyy-MM-dd` of an instant.
pub(crate) fn format_date(epoch_millis: i64) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, &civil_from_millis(epoch_millis));
    out
}

/// `HH:mm:ss.SSS'Z'` of an instant.
pub(crate) fn format_time(epoch_millis: i64) -> String {
    let mut out = String::with_capacity(13);
    push_time(&mut out, &civil_from_millis(epoch_millis));
    out
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` of an instant.
pub(crate) fn format_timestamp(epoch_millis: i64) -> String {
    let c = civil_from_millis(epoch_millis);
    let mut out = String::with_capacity(24);
    push_date(&mut out, &c);
    out.push('T');
    push_time(&mut out, &c);
    out
}

/// How `Values.convertToString` formats a `java.util.Date`: chosen by value, not by schema.
/// Anything before one day after the epoch (negative values too) is a time, an exact midnight
/// a date, anything else a timestamp.
pub(crate) fn format_by_value(epoch_millis: i64) -> String {
    if epoch_millis < MILLIS_PER_DAY {
        format_time(epoch_millis)
    } else if epoch_millis % MILLIS_PER_DAY == 0 {
        format_date(epoch_millis)
    } else {
        format_timestamp(epoch_millis)
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Java's `java.util.Date.toString()` in UTC: `EEE MMM dd HH:mm:ss zzz yyyy`, the year
/// unpadded and of its era, Julian before the 1582 cutover.
pub(crate) fn java_date_to_string(epoch_millis: i64) -> String {
    let c = civil_from_millis(epoch_millis);
    let mut out = String::with_capacity(28);
    out.push_str(WEEKDAYS[c.weekday as usize % 7]);
    out.push(' ');
    out.push_str(MONTHS[(c.month as usize + 11) % 12]);
    out.push(' ');
    push_padded(&mut out, i64::from(c.day), 2);
    out.push(' ');
    push_padded(&mut out, i64::from(c.hour), 2);
    out.push(':');
    push_padded(&mut out, i64::from(c.minute), 2);
    out.push(':');
    push_padded(&mut out, i64::from(c.second), 2);
    out.push_str(" UTC ");
    let _ = write!(out, "{}", c.year_of_era());
    out
}

/// The number `DecimalFormat.parse` reads for a date field, as `Number.intValue()` gives it.
/// `None` when no number starts at `pos`. `pos` is advanced past what was read.
fn parse_field_number(text: &[char], pos: &mut usize) -> Option<i32> {
    let mut p = *pos;
    // The NaN symbol is checked first; `Double.NaN.intValue()` is 0.
    if text[p..].starts_with(&['N', 'a', 'N']) {
        *pos = p + 3;
        return Some(0);
    }
    // Positive prefix "" and negative prefix "-": the longer match wins.
    let negative = text.get(p) == Some(&'-');
    if negative {
        p += 1;
    }
    if text.get(p) == Some(&'\u{221E}') {
        *pos = p + 1;
        return Some(if negative { i32::MIN } else { i32::MAX });
    }
    // Significant digits (leading zeros dropped) and the position of the decimal point.
    let mut digits: Vec<u8> = Vec::new();
    let mut saw_digit = false;
    let mut exponent: i64 = 0;
    while p < text.len() {
        let c = text[p];
        if let Some(d) = java_digit(c) {
            saw_digit = true;
            if d != 0 || !digits.is_empty() {
                digits.push(d as u8);
            }
            p += 1;
        } else if c == 'E' {
            // An exponent is read only if digits follow (with an optional '-').
            let mut q = p + 1;
            let exp_negative = text.get(q) == Some(&'-');
            if exp_negative {
                q += 1;
            }
            let mut value: i64 = 0;
            let mut any = false;
            while let Some(d) = text.get(q).copied().and_then(java_digit) {
                any = true;
                value = value.saturating_mul(10).saturating_add(i64::from(d));
                q += 1;
            }
            if any {
                exponent = if exp_negative { -value } else { value };
                p = q;
            }
            break;
        } else {
            // '.' stops an integer-only parse; grouping is off; anything else ends the number.
            break;
        }
    }
    if !saw_digit {
        return None;
    }
    *pos = p;
    let integer_digits = digits.len() as i64;
    // Drop trailing zeros: value = 0.DIGITS × 10^decimal_at.
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return Some(0);
    }
    let decimal_at = integer_digits.saturating_add(exponent);
    let count = digits.len() as i64;
    if decimal_at >= count && decimal_at <= 19 {
        // Integral and at most 19 digits: a `Long` if it fits, then `intValue()` wraps.
        let mut value: i128 = 0;
        for d in &digits {
            value = value * 10 + i128::from(*d);
        }
        for _ in count..decimal_at {
            value *= 10;
        }
        if negative {
            value = -value;
        }
        if let Ok(v) = i64::try_from(value) {
            return Some(v as i32);
        }
    }
    // Otherwise a `Double`, whose `intValue()` saturates.
    let mut text_value = String::from(if negative { "-0." } else { "0." });
    for d in &digits {
        text_value.push(char::from(b'0' + d));
    }
    let _ = write!(text_value, "e{decimal_at}");
    let value: f64 = text_value.parse().unwrap_or(0.0);
    Some(value as i32)
}

/// `SimpleDateFormat(pattern).parse(text)` with a lenient calendar in UTC: the epoch
/// milliseconds, or `None` for a `ParseException`.
fn parse_pattern(text: &str, pattern: &[Elem]) -> Option<i64> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0usize;
    let mut fields = Fields::default();
    for elem in pattern {
        if let Lit(c) = elem {
            if chars.get(pos) != Some(c) {
                return None;
            }
            pos += 1;
            continue;
        }
        // Numeric field: skip spaces and tabs, fail at the end of the text.
        while matches!(chars.get(pos), Some(' ' | '\t')) {
            pos += 1;
        }
        if pos >= chars.len() {
            return None;
        }
        let value = parse_field_number(&chars, &mut pos)?;
        match elem {
            Year => fields.year = Some(value),
            Month => fields.month = Some(value.wrapping_sub(1)),
            Day => fields.day = Some(value),
            Hour => fields.hour = Some(value),
            Minute => fields.minute = Some(value),
            Second => fields.second = Some(value),
            Millis => fields.millis = Some(value),
            Lit(_) => {}
        }
    }
    Some(millis_from_fields(&fields))
}

/// Parses `yyyy-MM-dd` leniently: epoch milliseconds (always a midnight).
pub(crate) fn parse_date(text: &str) -> Option<i64> {
    parse_pattern(text, DATE)
}

/// Parses `HH:mm:ss.SSS'Z'` leniently: epoch milliseconds (on 1970-01-01 unless a field
/// overflows).
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    parse_pattern(text, TIME)
}

/// Parses `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` leniently: epoch milliseconds.
pub(crate) fn parse_timestamp(text: &str) -> Option<i64> {
    parse_pattern(text, TIMESTAMP)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_value() {
        assert_eq!(format_by_value(0), "00:00:00.000Z");
        assert_eq!(format_by_value(-1), "23:59:59.999Z");
        assert_eq!(format_by_value(3_723_004), "01:02:03.004Z");
        assert_eq!(format_by_value(86_400_000), "1970-01-02");
        assert_eq!(format_by_value(19_000 * 86_400_000), "2022-01-08");
        assert_eq!(
            format_by_value(1_700_000_000_123),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(format_date(-719_164 * 86_400_000), "0001-01-01");
        assert_eq!(format_date(-719_530 * 86_400_000), "0001-01-01"); // 1 BC
    }

    #[test]
    fn java_date_text() {
        assert_eq!(java_date_to_string(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(java_date_to_string(1_000), "Thu Jan 01 00:00:01 UTC 1970");
        assert_eq!(
            java_date_to_string(19_000 * 86_400_000),
            "Sat Jan 08 00:00:00 UTC 2022"
        );
        assert_eq!(
            java_date_to_string(1_700_000_000_123),
            "Tue Nov 14 22:13:20 UTC 2023"
        );
        assert_eq!(
            java_date_to_string(-719_164 * 86_400_000),
            "Sat Jan 01 00:00:00 UTC 1"
        );
        assert_eq!(
            java_date_to_string(i64::MAX),
            "Sun Aug 17 07:12:55 UTC 292278994"
        );
    }

    #[test]
    fn parses_leniently() {
        assert_eq!(parse_date("2023-01-15"), Some(19_372 * 86_400_000));
        assert_eq!(parse_date("2023-13-45"), Some(19_767 * 86_400_000));
        assert_eq!(parse_date("0001-01-01"), Some(-719_164 * 86_400_000));
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2023-1-1xx"), Some(19_358 * 86_400_000));
        assert_eq!(parse_date("2023- 1-15"), Some(19_372 * 86_400_000));
        assert_eq!(parse_date("1234567890"), None);
        assert_eq!(parse_date("2023/01/15"), None);
        assert_eq!(parse_time("12:34:56.789Z"), Some(45_296_789));
        assert_eq!(parse_time("25:61:61.000Z"), Some(93_721_000));
        assert_eq!(parse_time("1:34:56.7890Z"), Some(5_696_000 + 7_890));
        assert_eq!(parse_time("12:34:56.789X"), None);
        assert_eq!(parse_time("2023-01-15 12"), None);
        assert_eq!(
            parse_timestamp("2023-01-15T12:34:56.789Z"),
            Some(1_673_786_096_789)
        );
        assert_eq!(parse_timestamp("2023-01-15T12:34:56Z"), None);
    }

    #[test]
    fn field_numbers() {
        let read = |s: &str| {
            let chars: Vec<char> = s.chars().collect();
            let mut pos = 0;
            parse_field_number(&chars, &mut pos).map(|v| (v, pos))
        };
        assert_eq!(read("2023-"), Some((2023, 4)));
        assert_eq!(read("-5:"), Some((-5, 2)));
        assert_eq!(read("007"), Some((7, 3)));
        assert_eq!(read("1E3:"), Some((1000, 3)));
        assert_eq!(read("1E:"), Some((1, 1)));
        assert_eq!(read("15E-1"), Some((1, 5)));
        assert_eq!(read("\u{0661}\u{0662}"), Some((12, 2)));
        assert_eq!(read("4294967297"), Some((1, 10)));
        assert_eq!(read("99999999999999999999"), Some((i32::MAX, 20)));
        assert_eq!(read("-"), None);
        assert_eq!(read("x"), None);
        assert_eq!(read("1.5"), Some((1, 1)));
    }
}
