//! Rows in the text format of Postgres' `COPY … FROM STDIN`: columns split by tabs, `\N` for
//! NULL, backslash escapes in text, bytea as `\\x` hex, dates and times in ISO form. This is
//! the sink's hot path for plain inserts, so numbers and times are written without format
//! strings.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

use crate::sink::bind::SqlValue;

/// Appends one row to a `COPY` text-format buffer.
pub fn copy_text_row(values: &[SqlValue], out: &mut Vec<u8>) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b'\t');
        }
        match v {
            SqlValue::Null(_) => out.extend_from_slice(b"\\N"),
            SqlValue::Bool(b) => out.push(if *b { b't' } else { b'f' }),
            SqlValue::I16(x) => push_int(out, *x),
            SqlValue::I32(x) => push_int(out, *x),
            SqlValue::I64(x) => push_int(out, *x),
            SqlValue::F32(x) => push_float(out, f64::from(*x), |o| write_display(o, x)),
            SqlValue::F64(x) => push_float(out, *x, |o| write_display(o, x)),
            SqlValue::Text(s) => escape(s.as_bytes(), out),
            SqlValue::Bytes(b) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\\\x");
                out.reserve(b.len() * 2);
                for byte in b {
                    out.push(HEX[usize::from(byte >> 4)]);
                    out.push(HEX[usize::from(byte & 0xf)]);
                }
            }
            SqlValue::Decimal(d) => write_display(out, d),
            SqlValue::Date(d) => push_date(out, *d),
            SqlValue::Time(t) => push_time(out, *t),
            SqlValue::Timestamp(t) => {
                push_date(out, t.date());
                out.push(b' ');
                push_time(out, t.time());
            }
        }
    }
    out.push(b'\n');
}

fn write_display(out: &mut Vec<u8>, x: &impl std::fmt::Display) {
    use std::io::Write;
    // writing into a Vec cannot fail
    let _ = write!(out, "{x}");
}

fn push_int(out: &mut Vec<u8>, x: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
}

/// NaN and the infinities as Postgres spells them; other values as Rust's shortest form.
fn push_float(out: &mut Vec<u8>, x: f64, finite: impl FnOnce(&mut Vec<u8>)) {
    if x.is_nan() {
        out.extend_from_slice(b"NaN");
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"Infinity" } else { b"-Infinity" });
    } else {
        finite(out);
    }
}

/// `n` as exactly `width` digits (n < 10^width).
fn push_padded(out: &mut Vec<u8>, n: u32, width: usize) {
    let mut digits = [b'0'; 9];
    let mut rest = n;
    for d in digits[..width].iter_mut().rev() {
        *d = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

/// `YYYY-MM-DD`; years outside 1–9999 as chrono writes them (`+10000-…`, `-0005-…`).
fn push_date(out: &mut Vec<u8>, d: NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(year @ 1..=9999) => {
            push_padded(out, year, 4);
            out.push(b'-');
            push_padded(out, d.month(), 2);
            out.push(b'-');
            push_padded(out, d.day(), 2);
        }
        _ => write_display(out, &d.format("%Y-%m-%d")),
    }
}

/// `HH:MM:SS` and the fraction in 3, 6 or 9 digits when there is one (chrono's `%.f`).
fn push_time(out: &mut Vec<u8>, t: NaiveTime) {
    push_padded(out, t.hour(), 2);
    out.push(b':');
    push_padded(out, t.minute(), 2);
    out.push(b':');
    push_padded(out, t.second(), 2);
    let nanos = t.nanosecond();
    if nanos >= 1_000_000_000 {
        // a leap second: chrono's form keeps it as :60
        out.truncate(out.len() - 8);
        write_display(out, &t.format("%H:%M:%S%.f"));
    } else if nanos == 0 {
    } else if nanos.is_multiple_of(1_000_000) {
        out.push(b'.');
        push_padded(out, nanos / 1_000_000, 3);
    } else if nanos.is_multiple_of(1_000) {
        out.push(b'.');
        push_padded(out, nanos / 1_000, 6);
    } else {
        out.push(b'.');
        push_padded(out, nanos, 9);
    }
}

/// Text with COPY's special bytes escaped; runs of plain bytes are copied at once.
fn escape(bytes: &[u8], out: &mut Vec<u8>) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::sink::bind::Kind;
    use chrono::DateTime;

    fn row(values: &[SqlValue]) -> String {
        let mut out = Vec::new();
        copy_text_row(values, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn copy_rows_escape_what_copy_reads_specially() {
        assert_eq!(
            row(&[
                SqlValue::I32(7),
                SqlValue::Text("a\tb\\c\nd\r".into()),
                SqlValue::Null(Kind::Text),
                SqlValue::Bytes(vec![0xde, 0xad, 0x01]),
                SqlValue::Bool(true),
                SqlValue::F64(f64::NAN),
                SqlValue::Timestamp(DateTime::from_timestamp_millis(1_500).unwrap().naive_utc()),
            ]),
            "7\ta\\tb\\\\c\\nd\\r\t\\N\t\\\\xdead01\tt\tNaN\t1970-01-01 00:00:01.500\n"
        );
    }

    #[test]
    fn numbers_and_times_match_the_formatted_forms() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M:%S%.f").unwrap();
        for time in [
            "00:00:00",
            "23:59:59.5",
            "01:02:03.000004",
            "01:02:03.123456789",
        ] {
            let mut out = Vec::new();
            push_time(&mut out, t(time));
            assert_eq!(
                String::from_utf8(out).unwrap(),
                t(time).format("%H:%M:%S%.f").to_string()
            );
        }
        let leap = NaiveTime::from_hms_milli_opt(23, 59, 59, 1_500).unwrap();
        let mut out = Vec::new();
        push_time(&mut out, leap);
        assert_eq!(String::from_utf8(out).unwrap(), "23:59:60.500");
        for (y, m, d) in [
            (1, 1, 1),
            (2024, 2, 29),
            (9999, 12, 31),
            (10000, 1, 1),
            (-5, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = Vec::new();
            push_date(&mut out, date);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                date.format("%Y-%m-%d").to_string()
            );
        }
        assert_eq!(
            row(&[
                SqlValue::I64(i64::MIN),
                SqlValue::I16(-3),
                SqlValue::F32(0.1),
                SqlValue::F64(f64::NEG_INFINITY),
                SqlValue::Decimal("12.50".parse().unwrap()),
            ]),
            "-9223372036854775808\t-3\t0.1\t-Infinity\t12.50\n"
        );
    }
}
