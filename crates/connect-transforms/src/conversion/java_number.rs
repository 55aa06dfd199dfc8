//! Java's number parsing as Cast uses it: `Long.parseLong` (and `Byte`/`Short`/`Integer`
//! through the same rules), `Double.parseDouble` and `Float.parseFloat`.

/// Java `Character.digit(c, 10)`: ASCII digits and the common other Unicode decimal digits.
pub(crate) fn java_digit(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    /// First code point (digit zero) of each run of ten Unicode `Nd` digits.
    const ZEROS: [u32; 37] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0,
        0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0,
        0xAA50, 0xABF0, 0xFF10, 0x104A0,
    ];
    let code = c as u32;
    ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&code))
        .map(|zero| code - zero)
}

/// Java `Long.parseLong(s)` restricted to `[min, max]` (`Byte.parseByte` is `[-128, 127]`, …):
/// an optional sign and decimal digits, nothing else (no spaces). `None` is Java's
/// `NumberFormatException`.
pub(crate) fn parse_integer(s: &str, min: i64, max: i64) -> Option<i64> {
    let (negative, digits) = match s.chars().next()? {
        '-' => (true, &s[1..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i128 = 0;
    for c in digits.chars() {
        value = value * 10 + i128::from(java_digit(c)?);
        if value > i128::from(i64::MAX) + 1 {
            return None;
        }
    }
    let value = if negative { -value } else { value };
    i64::try_from(value)
        .ok()
        .filter(|v| (min..=max).contains(v))
}

/// Java `Double.parseDouble(s)`.
pub(crate) fn parse_double(s: &str) -> Option<f64> {
    match java_float_text(s)? {
        FloatText::Decimal(text) => text.parse::<f64>().ok(),
        FloatText::Special(v) => Some(v),
        FloatText::Hex(v) => Some(v),
    }
}

/// Java `Float.parseFloat(s)` (decimal text is rounded to `float` directly, as Java does).
pub(crate) fn parse_float(s: &str) -> Option<f32> {
    match java_float_text(s)? {
        FloatText::Decimal(text) => text.parse::<f32>().ok(),
        FloatText::Special(v) | FloatText::Hex(v) => Some(v as f32),
    }
}

/// A floating-point literal as Java reads it.
enum FloatText {
    /// Canonical decimal text Rust parses the same way (`-12.5e3`).
    Decimal(String),
    /// `NaN` or an infinity.
    Special(f64),
    /// A hexadecimal literal's value.
    Hex(f64),
}

/// Java `FloatingDecimal.readJavaFormatString`: surrounding characters ≤ U+0020 are trimmed;
/// then an optional sign and `NaN`, `Infinity`, a hexadecimal literal (`0x1.8p1`), or decimal
/// digits with an optional point and exponent; an `f`/`F`/`d`/`D` suffix may end it.
fn java_float_text(s: &str) -> Option<FloatText> {
    let s = s.trim_matches(|c: char| c <= ' ');
    let (negative, body) = match s.chars().next()? {
        '-' => (true, &s[1..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    let sign = if negative { -1.0 } else { 1.0 };
    if body == "NaN" {
        return Some(FloatText::Special(f64::NAN));
    }
    if body == "Infinity" {
        return Some(FloatText::Special(sign * f64::INFINITY));
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    if let Some(hex) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        return parse_hex(hex).map(|v| FloatText::Hex(sign * v));
    }
    let bytes = body.as_bytes();
    let mut i = 0;
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_part = &body[int_start..i];
    let mut frac_part = "";
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        frac_part = &body[start..i];
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut exponent = String::new();
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            if bytes[i] == b'-' {
                exponent.push('-');
            }
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent.push_str(&body[start..i]);
    }
    if i != bytes.len() {
        return None;
    }
    let mut text = String::with_capacity(body.len() + 4);
    if negative {
        text.push('-');
    }
    text.push_str(if int_part.is_empty() { "0" } else { int_part });
    if !frac_part.is_empty() {
        text.push('.');
        text.push_str(frac_part);
    }
    if !exponent.is_empty() {
        text.push('e');
        text.push_str(&exponent);
    }
    Some(FloatText::Decimal(text))
}

/// The value of a hexadecimal floating-point literal after `0x`: hex digits with an optional
/// point, then a required binary exponent `p[+-]digits`.
fn parse_hex(hex: &str) -> Option<f64> {
    let (mantissa, exponent) = hex.split_once(['p', 'P'])?;
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    let (exp_negative, exp_digits) = match exponent.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, exponent),
    };
    if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let exp: i64 = exp_digits.parse::<i64>().unwrap_or(i64::MAX / 2);
    let mut exp = if exp_negative { -exp } else { exp };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    let mut value: f64 = 0.0;
    for c in int_part.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
    }
    for c in frac_part.chars() {
        value = value * 16.0 + f64::from(c.to_digit(16)?);
        exp -= 4;
    }
    let exp = exp.clamp(-2000, 2000) as i32;
    Some(value * 2f64.powi(exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_like_java() {
        assert_eq!(parse_integer("42", -128, 127), Some(42));
        assert_eq!(parse_integer("+42", -128, 127), Some(42));
        assert_eq!(parse_integer("-128", -128, 127), Some(-128));
        assert_eq!(parse_integer("128", -128, 127), None);
        assert_eq!(parse_integer("1.5", i64::MIN, i64::MAX), None);
        assert_eq!(parse_integer(" 1", i64::MIN, i64::MAX), None);
        assert_eq!(parse_integer("-", i64::MIN, i64::MAX), None);
        assert_eq!(parse_integer("", i64::MIN, i64::MAX), None);
        assert_eq!(
            parse_integer("-9223372036854775808", i64::MIN, i64::MAX),
            Some(i64::MIN)
        );
        assert_eq!(
            parse_integer("9223372036854775808", i64::MIN, i64::MAX),
            None
        );
        assert_eq!(
            parse_integer("\u{0661}\u{0662}", i64::MIN, i64::MAX),
            Some(12)
        );
    }

    #[test]
    fn doubles_like_java() {
        assert_eq!(parse_double("1e3"), Some(1000.0));
        assert_eq!(parse_double(" 1.5 "), Some(1.5));
        assert_eq!(parse_double("1.5f"), Some(1.5));
        assert_eq!(parse_double(".5"), Some(0.5));
        assert_eq!(parse_double("5."), Some(5.0));
        assert_eq!(parse_double("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_double("NaN").unwrap().is_nan());
        assert_eq!(parse_double("0x1.8p1"), Some(3.0));
        assert_eq!(parse_double("1e400"), Some(f64::INFINITY));
        assert_eq!(parse_double("inf"), None);
        assert_eq!(parse_double("nan"), None);
        assert_eq!(parse_double("1e"), None);
        assert_eq!(parse_double("."), None);
        assert_eq!(parse_double("abc"), None);
        assert_eq!(parse_double("0x1.8"), None);
        assert_eq!(parse_float("0.1"), Some(0.1f32));
        assert_eq!(parse_float("3.4028235e38"), Some(f32::MAX));
        assert_eq!(parse_float("1e39"), Some(f32::INFINITY));
    }
}
