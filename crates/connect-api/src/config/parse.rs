//! Parsing a config value from its string form exactly as Java's `ConfigDef.parseType` does,
//! including the rules of `Integer.parseInt`, `Long.parseLong`, `Short.parseShort`,
//! `Double.parseDouble` and `String.trim`.

use crate::config::{ConfigType, ParsedValue, Password};
use crate::error::ConfigIssue;

/// Java's `String.trim()`: strips every char `<= U+0020` (space and ASCII controls) from both
/// ends, and nothing else (unlike `str::trim`, Unicode spaces such as U+00A0 stay).
pub fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= '\u{20}')
}

/// Java's regex `\s`: space, `\t`, `\n`, `\x0B`, `\f`, `\r`.
fn is_java_regex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
}

/// Parses the string value `raw` of key `name` as type `ty`, as Java's
/// `ConfigDef.parseType(name, value, type)` does: the value is trimmed first, then
/// - `BOOLEAN`: `true`/`false` ignoring case, else `Expected value to be either true or false`;
/// - `INT`, `SHORT`, `LONG`, `DOUBLE`: Java's `parseXxx` rules, else `Not a number of type INT`
///   (… `SHORT`, `LONG`, `DOUBLE`);
/// - `LIST`: split at commas (with the whitespace around them); the empty string is `[]`;
/// - `CLASS`: a non-empty class name without whitespace, else `Class x could not be found.`;
/// - `STRING`, `PASSWORD`: the trimmed string.
///
/// An error message shows `raw` as given (untrimmed), as Java does. PASSWORD never fails.
pub fn parse_value(name: &str, raw: &str, ty: ConfigType) -> Result<ParsedValue, ConfigIssue> {
    let trimmed = java_trim(raw);
    let not_a_number =
        || ConfigIssue::invalid_value(name, raw, format!("Not a number of type {ty}"));
    match ty {
        ConfigType::Boolean => {
            if java_equals_ignore_case(trimmed, "true") {
                Ok(ParsedValue::Boolean(true))
            } else if java_equals_ignore_case(trimmed, "false") {
                Ok(ParsedValue::Boolean(false))
            } else {
                Err(ConfigIssue::invalid_value(
                    name,
                    raw,
                    "Expected value to be either true or false",
                ))
            }
        }
        ConfigType::String => Ok(ParsedValue::String(trimmed.to_string())),
        ConfigType::Password => Ok(ParsedValue::Password(Password::new(trimmed))),
        ConfigType::Int => parse_java_integer(trimmed, i64::from(i32::MIN), i64::from(i32::MAX))
            .and_then(|v| i32::try_from(v).ok())
            .map(ParsedValue::Int)
            .ok_or_else(not_a_number),
        ConfigType::Short => parse_java_integer(trimmed, i64::from(i16::MIN), i64::from(i16::MAX))
            .and_then(|v| i16::try_from(v).ok())
            .map(ParsedValue::Short)
            .ok_or_else(not_a_number),
        ConfigType::Long => parse_java_integer(trimmed, i64::MIN, i64::MAX)
            .map(ParsedValue::Long)
            .ok_or_else(not_a_number),
        ConfigType::Double => parse_java_double(trimmed)
            .map(ParsedValue::Double)
            .ok_or_else(not_a_number),
        ConfigType::List => Ok(ParsedValue::List(split_list(trimmed))),
        ConfigType::Class => {
            if trimmed.is_empty() || trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
                Err(ConfigIssue::invalid_value(
                    name,
                    raw,
                    format!("Class {raw} could not be found."),
                ))
            } else {
                Ok(ParsedValue::Class(trimmed.to_string()))
            }
        }
    }
}

/// Java's `COMMA_WITH_WHITESPACE.split(trimmed, -1)` for a LIST value: the empty string is the
/// empty list, empty items are kept (`a,,b` has three items).
fn split_list(trimmed: &str) -> Vec<String> {
    if trimmed.is_empty() {
        return Vec::new();
    }
    trimmed
        .split(',')
        .map(|item| item.trim_matches(is_java_regex_space).to_string())
        .collect()
}

/// Makes a key's default value fit the key's type, as Java's `ConfigKey` constructor does by
/// calling `parseType` on the default: a string default is parsed like a configured value;
/// a typed default must match the type (integers may widen or narrow when they fit, and any
/// integer may be used for a `DOUBLE`).
pub(crate) fn coerce_default(
    name: &str,
    value: ParsedValue,
    ty: ConfigType,
) -> Result<ParsedValue, ConfigIssue> {
    let shown = value.to_string();
    let whole = match &value {
        ParsedValue::Int(v) => Some(i64::from(*v)),
        ParsedValue::Short(v) => Some(i64::from(*v)),
        ParsedValue::Long(v) => Some(*v),
        _ => None,
    };
    let coerced = match (ty, value) {
        (_, ParsedValue::String(s)) => return parse_value(name, &s, ty),
        (ConfigType::Int | ConfigType::Short | ConfigType::Long, other) if whole.is_none() => {
            return Err(mismatch(name, &other, ty))
        }
        (ConfigType::Int, _) => whole
            .and_then(|v| i32::try_from(v).ok())
            .map(ParsedValue::Int),
        (ConfigType::Short, _) => whole
            .and_then(|v| i16::try_from(v).ok())
            .map(ParsedValue::Short),
        (ConfigType::Long, _) => whole.map(ParsedValue::Long),
        (ConfigType::Double, ParsedValue::Double(v)) => Some(ParsedValue::Double(v)),
        (ConfigType::Double, other) if whole.is_none() => return Err(mismatch(name, &other, ty)),
        (ConfigType::Double, _) => whole.map(|v| ParsedValue::Double(v as f64)),
        (ConfigType::Boolean, v @ ParsedValue::Boolean(_))
        | (ConfigType::List, v @ ParsedValue::List(_))
        | (ConfigType::Class, v @ ParsedValue::Class(_))
        | (ConfigType::Password, v @ ParsedValue::Password(_)) => Some(v),
        (ty, other) => return Err(mismatch(name, &other, ty)),
    };
    match coerced {
        Some(v) => Ok(v),
        None => Err(ConfigIssue::invalid_value(
            name,
            shown,
            format!("Not a number of type {ty}"),
        )),
    }
}

/// Java's message for a default whose Java class does not fit the type.
fn mismatch(name: &str, value: &ParsedValue, ty: ConfigType) -> ConfigIssue {
    let class = value.java_class();
    let message = match ty {
        ConfigType::Boolean => "Expected value to be either true or false".to_string(),
        ConfigType::String | ConfigType::Password => {
            format!("Expected value to be a string, but it was a {class}")
        }
        ConfigType::Int => format!("Expected value to be a 32-bit integer, but it was a {class}"),
        ConfigType::Short => {
            format!("Expected value to be a 16-bit integer (short), but it was a {class}")
        }
        ConfigType::Long => {
            format!("Expected value to be a 64-bit integer (long), but it was a {class}")
        }
        ConfigType::Double => format!("Expected value to be a double, but it was a {class}"),
        ConfigType::List => "Expected a comma separated list.".to_string(),
        ConfigType::Class => "Expected a Class instance or class name.".to_string(),
    };
    ConfigIssue::invalid_value(name, value.to_string(), message)
}

/// Java's `String.equalsIgnoreCase`: same length in UTF-16 units and, char by char, equal
/// after upper-casing or after upper- then lower-casing (single-char case mappings).
fn java_equals_ignore_case(a: &str, b: &str) -> bool {
    fn simple_upper(c: char) -> char {
        let mut up = c.to_uppercase();
        match (up.next(), up.next()) {
            (Some(u), None) => u,
            _ => c,
        }
    }
    fn simple_lower(c: char) -> char {
        let mut low = c.to_lowercase();
        match (low.next(), low.next()) {
            (Some(l), None) => l,
            _ => c,
        }
    }
    a.encode_utf16().count() == b.encode_utf16().count()
        && a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(x, y)| {
            if x == y {
                return true;
            }
            let (ux, uy) = (simple_upper(x), simple_upper(y));
            ux == uy || simple_lower(ux) == simple_lower(uy)
        })
}

/// The first code point (value 0) of each run of ten Unicode decimal digits (`Nd`) in the Basic
/// Multilingual Plane. Java's `Character.digit(char, 10)` accepts all of them, so
/// `Integer.parseInt("١٢")` is 12; supplementary digits are surrogate pairs and never count.
const BMP_DIGIT_ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// Java's `Character.digit(c, 10)`.
fn java_decimal_digit(c: char) -> Option<u32> {
    let cp = u32::from(c);
    BMP_DIGIT_ZEROS
        .iter()
        .find(|&&zero| (zero..zero + 10).contains(&cp))
        .map(|zero| cp - zero)
}

/// Java's `Integer/Long.parseInt(s, 10)` with the result range `[min, max]`: an optional `+`
/// or `-`, then one or more decimal digits; nothing else (no spaces, no `0x`, no `_`).
pub(crate) fn parse_java_integer(s: &str, min: i64, max: i64) -> Option<i64> {
    let (negative, digits) = match s.chars().next()? {
        '-' => (true, &s[1..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut acc: i128 = 0;
    for c in digits.chars() {
        let d = java_decimal_digit(c)?;
        acc = acc * 10 + i128::from(d);
        if acc > i128::from(u64::MAX) {
            return None;
        }
    }
    let value = if negative { -acc } else { acc };
    if value < i128::from(min) || value > i128::from(max) {
        return None;
    }
    i64::try_from(value).ok()
}

/// Java's `Double.parseDouble` on an already trimmed string: an optional sign, then `NaN`,
/// `Infinity`, a hexadecimal float (`0x1.8p1`, the `p` exponent is required) or a decimal
/// (`1`, `1.`, `.5`, `1e-3`), optionally ending in one of `f F d D`. ASCII digits only.
pub(crate) fn parse_java_double(s: &str) -> Option<f64> {
    let bytes = s.as_bytes();
    let (negative, body) = match bytes.first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let magnitude = match body {
        "NaN" => return Some(f64::NAN),
        "Infinity" => f64::INFINITY,
        _ if body.starts_with("0x") || body.starts_with("0X") => parse_hex_float(&body[2..])?,
        _ => parse_decimal_float(body)?,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Drops one trailing `f`, `F`, `d` or `D` (Java's float type suffix).
fn strip_type_suffix(s: &str) -> &str {
    s.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(s)
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

/// An unsigned decimal float in Java's syntax, correctly rounded.
fn parse_decimal_float(s: &str) -> Option<f64> {
    let s = strip_type_suffix(s);
    let (int_part, frac, rest) = split_mantissa(s, |b| b.is_ascii_digit());
    if int_part.is_empty() && frac.is_empty() {
        return None;
    }
    let exponent = match rest.as_bytes().first() {
        None => 0,
        Some(b'e' | b'E') => parse_exponent(&rest[1..])?,
        Some(_) => return None,
    };
    let int_part = if int_part.is_empty() { "0" } else { int_part };
    let frac = if frac.is_empty() { "0" } else { frac };
    format!("{int_part}.{frac}e{exponent}").parse::<f64>().ok()
}

/// An unsigned hexadecimal float after `0x`: `hex[.hex]p[+-]digits`, correctly rounded
/// (round half to even, subnormals included).
fn parse_hex_float(s: &str) -> Option<f64> {
    let s = strip_type_suffix(s);
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
#[path = "parse_tests.rs"]
mod tests;
