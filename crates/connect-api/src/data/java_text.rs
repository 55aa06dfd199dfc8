//! Java's text forms: `Double.toString`, `Float.toString`, `java.util.Date.toString` and
//! `String.valueOf(Object)` for Connect values (the `Display` of [`Value`]).

use std::fmt::{self, Write};

use crate::data::{Struct, Value};

/// Splits a shortest round-trip rendering into (digits without leading zeros, exponent) so that
/// the value is `0.d1d2d3… × 10^exp10`.
fn shortest_digits(text: &str) -> (String, i32) {
    let (mantissa, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int_part, frac_part) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    let mut digits: String = int_part.chars().chain(frac_part.chars()).collect();
    let mut point = int_part.len() as i32 + exp;
    let leading = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..leading);
    point -= leading as i32;
    let trimmed = digits.trim_end_matches('0').len();
    digits.truncate(trimmed);
    if digits.is_empty() {
        digits.push('0');
        point = 1;
    }
    (digits, point)
}

/// Lays out digits the way `Double.toString`/`Float.toString` do: plain notation for
/// 10^-3 ≤ |v| < 10^7 (at least one fraction digit), otherwise `d.dddE±n`.
fn java_layout(out: &mut String, negative: bool, digits: &str, point: i32) {
    if negative {
        out.push('-');
    }
    // value = 0.DIGITS × 10^point; decimal exponent of the first digit is point - 1
    let sci_exp = point - 1;
    if (-3..7).contains(&sci_exp) {
        if point <= 0 {
            out.push_str("0.");
            for _ in 0..(-point) {
                out.push('0');
            }
            out.push_str(digits);
        } else {
            let p = point as usize;
            if digits.len() <= p {
                out.push_str(digits);
                for _ in digits.len()..p {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..p]);
                out.push('.');
                out.push_str(&digits[p..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        out.push('.');
        if digits.len() > 1 {
            out.push_str(&digits[1..]);
        } else {
            out.push('0');
        }
        out.push('E');
        let _ = write!(out, "{sci_exp}");
    }
}

/// Appends Java's `Double.toString(v)`: `1.0E7`, `100.0`, `1.0E-5`, `-0.0`, `NaN`, `Infinity`.
pub fn push_f64(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0.0" } else { "0.0" });
    } else {
        let mut buf = ryu::Buffer::new();
        let (mut digits, mut point) = shortest_digits(buf.format_finite(v.abs()));
        if digits.len() == 1 {
            // Java renders at least two significant digits, choosing the two-digit decimal
            // closest to the exact binary value (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
            let two = format!("{:.1e}", v.abs());
            (digits, point) = shortest_digits(&two);
        }
        java_layout(out, v < 0.0, &digits, point);
    }
}

/// Appends Java's `Float.toString(v)`.
pub fn push_f32(out: &mut String, v: f32) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else if v == 0.0 {
        out.push_str(if v.is_sign_negative() { "-0.0" } else { "0.0" });
    } else {
        let mut buf = ryu::Buffer::new();
        let (mut digits, mut point) = shortest_digits(buf.format_finite(v.abs()));
        if digits.len() == 1 {
            // Java renders at least two significant digits, choosing the two-digit decimal
            // closest to the exact binary value (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
            let two = format!("{:.1e}", v.abs());
            (digits, point) = shortest_digits(&two);
        }
        java_layout(out, v < 0.0, &digits, point);
    }
}

/// Java's `Double.toString(v)`.
pub fn f64_to_string(v: f64) -> String {
    let mut s = String::with_capacity(24);
    push_f64(&mut s, v);
    s
}

/// Java's `Float.toString(v)`.
pub fn f32_to_string(v: f32) -> String {
    let mut s = String::with_capacity(16);
    push_f32(&mut s, v);
    s
}

/// Java's `java.util.Date.toString()` in UTC: `Thu Jan 01 00:00:00 UTC 1970`. Like Java, dates
/// before the 1582 Gregorian cutover are Julian, the year is unpadded and of its era, and every
/// `long` instant is supported.
pub fn java_date_to_string(epoch_millis: i64) -> String {
    crate::data::values::java_date_to_string(epoch_millis)
}

fn write_struct(f: &mut fmt::Formatter<'_>, s: &Struct) -> fmt::Result {
    f.write_str("Struct{")?;
    let mut first = true;
    for (field, value) in s.schema().fields().iter().zip(s.values()) {
        if value.is_null() {
            continue;
        }
        if !first {
            f.write_str(",")?;
        }
        first = false;
        write!(f, "{}={}", field.name(), value)?;
    }
    f.write_str("}")
}

/// A stable stand-in for Java's identity hash in `byte[].toString()` (`[B@1b6d3586`).
fn bytes_identity(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

impl fmt::Display for Value {
    /// Java's `String.valueOf(value)`: `Struct{a=1,b=x}`, `[1, a, null]`, `{k=v}`,
    /// `1.0E7`, `Thu Jan 01 00:00:00 UTC 1970`, …
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Boolean(b) => write!(f, "{b}"),
            Value::Int8(v) => write!(f, "{v}"),
            Value::Int16(v) => write!(f, "{v}"),
            Value::Int32(v) => write!(f, "{v}"),
            Value::Int64(v) => write!(f, "{v}"),
            Value::Float32(v) => f.write_str(&f32_to_string(*v)),
            Value::Float64(v) => f.write_str(&f64_to_string(*v)),
            Value::String(s) => f.write_str(s),
            Value::Bytes(b) => write!(f, "[B@{:x}", bytes_identity(b)),
            Value::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                f.write_str("}")
            }
            Value::Struct(s) => write_struct(f, s),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
                let ms = self.as_epoch_millis().unwrap_or(0);
                f.write_str(&java_date_to_string(ms))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_like_java() {
        let cases: &[(f64, &str)] = &[
            (1.0e7, "1.0E7"),
            (100.0, "100.0"),
            (1.0e21, "1.0E21"),
            (1.2345678e7, "1.2345678E7"),
            (1234567.0, "1234567.0"),
            (0.001, "0.001"),
            (0.0001, "1.0E-4"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1.5, "1.5"),
            (-2.5e-10, "-2.5E-10"),
            (f64::MAX, "1.7976931348623157E308"),
            (f64::MIN_POSITIVE, "2.2250738585072014E-308"),
            (4.9e-324, "4.9E-324"),
            (123456.789, "123456.789"),
            (0.30000000000000004, "0.30000000000000004"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (v, want) in cases {
            assert_eq!(f64_to_string(*v), *want, "{v}");
        }
    }

    #[test]
    fn floats_like_java() {
        assert_eq!(f32_to_string(1.0e-5), "1.0E-5");
        assert_eq!(f32_to_string(0.1), "0.1");
        assert_eq!(f32_to_string(1.5), "1.5");
        assert_eq!(f32_to_string(3.4028235e38), "3.4028235E38");
        assert_eq!(f32_to_string(1.0e7), "1.0E7");
        assert_eq!(f32_to_string(16777216.0), "1.6777216E7");
    }

    #[test]
    fn values_like_java() {
        assert_eq!(java_date_to_string(0), "Thu Jan 01 00:00:00 UTC 1970");
        assert_eq!(
            Value::Date(19000).to_string(),
            "Sat Jan 08 00:00:00 UTC 2022"
        );
        let v = Value::Array(vec![Value::Int64(1), "a".into(), Value::Null]);
        assert_eq!(v.to_string(), "[1, a, null]");
        let m = Value::Map(vec![
            ("a".into(), Value::Int64(1)),
            ("b".into(), Value::Array(vec![true.into()])),
        ]);
        assert_eq!(m.to_string(), "{a=1, b=[true]}");
    }
}
