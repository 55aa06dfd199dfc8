//! Java's number parsing (used by ConfigDef and by Cast): `Long.parseLong` (and `Byte`/`Short`/`Integer`
//! through the same rules), `Double.parseDouble` and `Float.parseFloat`.

/// Java `Character.digit(c, 10)`: ASCII digits and the common other Unicode decimal digits.
pub fn java_digit(c: char) -> Option<u32> {
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
pub fn parse_integer(s: &str, min: i64, max: i64) -> Option<i64> {
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
pub fn parse_double(s: &str) -> Option<f64> {
    match java_float_text(s)? {
        FloatText::Decimal(text) => text.parse::<f64>().ok(),
        FloatText::Special(v) => Some(v),
        FloatText::Hex(v) => Some(v),
    }
}

/// Java `Float.parseFloat(s)` (decimal text is rounded to `float` directly, as Java does).
pub fn parse_float(s: &str) -> Option<f32> {
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
        return parse_hex_float(hex).map(|v| FloatText::Hex(sign * v));
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

/// Splits `digits[.digits]` off the front of `s`: (integer digits, fraction digits, rest).
fn split_mantissa(s: &str, is_digit: fn(u8) -> bool) -> (&str, &str, &str) {
    let int_len = s.bytes().take_while(|&b| is_digit(b)).count();
    let (int_part, rest) = s.split_at(int_len);
    match rest.strip_prefix('.') {
        Some(after_dot) => {
            let frac_len = after_dot.bytes().take_while(|&b| is_digit(b)).count();
            let (frac, rest) = after_dot.split_at(frac_len);
            (int_part, frac, rest)
        }
        None => (int_part, "", rest),
    }
}

/// Parses `[+-]?digits` of an exponent, saturating far beyond any double's range.
fn parse_exponent(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = (value * 10 + i64::from(b - b'0')).min(1 << 40);
    }
    Some(if negative { -value } else { value })
}

/// An unsigned hexadecimal float after `0x`: `hex[.hex]p[+-]digits`, correctly rounded
/// (round half to even, subnormals included).
fn parse_hex_float(s: &str) -> Option<f64> {
    let (int_part, frac, rest) = split_mantissa(s, |b| b.is_ascii_hexdigit());
    if int_part.is_empty() && frac.is_empty() {
        return None;
    }
    let exponent = match rest.as_bytes().first() {
        Some(b'p' | b'P') => parse_exponent(&rest[1..])?,
        _ => return None,
    };
    // value = mantissa × 2^(exponent - 4·len(frac)); keep 64 significant bits plus a sticky bit
    let mut mantissa: u64 = 0;
    let mut exp2 = exponent - 4 * frac.len() as i64;
    let mut sticky = false;
    for c in int_part.chars().chain(frac.chars()) {
        let d = u64::from(c.to_digit(16)?);
        if mantissa >> 60 == 0 {
            mantissa = (mantissa << 4) | d;
        } else {
            sticky |= d != 0;
            exp2 += 4;
        }
    }
    if mantissa == 0 {
        return Some(0.0);
    }
    // normalise so that bit 63 is set: value = m × 2^exp2, m in [2^63, 2^64)
    let shift = mantissa.leading_zeros();
    let m = u128::from(mantissa << shift) << 64 | u128::from(sticky);
    exp2 -= i64::from(shift) + 64;
    // m is now a 128-bit mantissa with bit 127 set; the unbiased exponent is exp2 + 127
    let unbiased = exp2 + 127;
    if unbiased > 1023 {
        return Some(f64::INFINITY);
    }
    // bits to drop: 128 - 53 for normals, more for subnormals
    let drop = if unbiased >= -1022 {
        75
    } else {
        75 + (-1022 - unbiased)
    };
    if drop > 128 {
        return Some(0.0);
    }
    let drop = drop as u32;
    let kept = if drop == 128 { 0 } else { m >> drop };
    let remainder = if drop == 128 {
        m
    } else {
        m & ((1u128 << drop) - 1)
    };
    let half = 1u128 << (drop - 1);
    let mut kept = kept as u64;
    if remainder > half || (remainder == half && kept & 1 == 1) {
        kept += 1;
    }
    if unbiased >= -1022 {
        let mut biased = (unbiased + 1023) as u64;
        if kept == 1 << 53 {
            kept >>= 1;
            biased += 1;
        }
        if biased >= 2047 {
            return Some(f64::INFINITY);
        }
        Some(f64::from_bits((biased << 52) | (kept & ((1 << 52) - 1))))
    } else {
        // a subnormal; kept == 2^52 encodes the smallest normal, as it should
        Some(f64::from_bits(kept))
    }
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
