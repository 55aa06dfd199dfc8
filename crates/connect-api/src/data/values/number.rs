//! Java's number text handling as `Values` uses it: `new BigDecimal(String)` (with Unicode
//! digits), `BigDecimal.longValue()/doubleValue()/floatValue()`, and `Character.isDigit`.

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::data::Decimal;

/// The zero of every Unicode `Nd` (decimal digit) run in the Basic Multilingual Plane, as
/// Java's `Character.isDigit(char)` / `Character.digit(char, 10)` recognise them.
const DIGIT_ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// Java's `Character.digit(c, 10)` for a `char` (a UTF-16 unit): the digit value of an ASCII
/// or other Unicode decimal digit of the BMP.
pub(crate) fn java_digit(c: char) -> Option<u32> {
    let cp = c as u32;
    if c.is_ascii_digit() {
        return Some(cp - 0x30);
    }
    if !(0x0660..=0xFF19).contains(&cp) {
        return None;
    }
    DIGIT_ZEROS
        .iter()
        .find(|zero| (**zero..**zero + 10).contains(&cp))
        .map(|zero| cp - zero)
}

/// Java's `Character.isDigit(char)`.
pub(crate) fn is_java_digit(c: char) -> bool {
    java_digit(c).is_some()
}

/// Java's `String.trim()`: strips every char `<= U+0020` from both ends.
pub(crate) fn java_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c <= ' ')
}

/// Java's `Utils.isBlank`: empty after `trim()`.
pub(crate) fn is_blank(s: &str) -> bool {
    java_trim(s).is_empty()
}

/// The message of a `NumberFormatException` thrown by `new BigDecimal(text)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberFormat(pub String);

fn neither(c: char) -> NumberFormat {
    NumberFormat(format!(
        "Character {c} is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
    ))
}

/// Java's `new BigDecimal(text)`: `[+-]digits[.digits][(e|E)[+-]digits]`, where a digit is
/// any Unicode decimal digit. The scale is the number of fraction digits minus the exponent.
pub(crate) fn parse_big_decimal(text: &str) -> Result<Decimal, NumberFormat> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Err(NumberFormat(
            "Index 0 out of bounds for length 0".to_string(),
        ));
    }
    let mut i = 0;
    let negative = match chars[0] {
        '-' => {
            i = 1;
            true
        }
        '+' => {
            i = 1;
            false
        }
        _ => false,
    };
    let mut digits = String::with_capacity(chars.len());
    let mut seen_dot = false;
    let mut fraction_digits: i64 = 0;
    let mut exponent: i64 = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = java_digit(c) {
            digits.push(char::from(b'0' + d as u8));
            if seen_dot {
                fraction_digits += 1;
            }
        } else if c == '.' {
            if seen_dot {
                return Err(NumberFormat(
                    "Character array contains more than one decimal point.".to_string(),
                ));
            }
            seen_dot = true;
        } else if c == 'e' || c == 'E' {
            exponent = parse_exponent(&chars[i + 1..])?;
            break;
        } else {
            return Err(neither(c));
        }
        i += 1;
    }
    if digits.is_empty() {
        return Err(NumberFormat("No digits found.".to_string()));
    }
    let scale = fraction_digits - exponent;
    let scale =
        i32::try_from(scale).map_err(|_| NumberFormat("Scale out of range.".to_string()))?;
    let mut unscaled: BigInt = digits
        .parse()
        .map_err(|_| NumberFormat("No digits found.".to_string()))?;
    if negative {
        unscaled = -unscaled;
    }
    Ok(Decimal::new(unscaled, scale))
}

/// The exponent after `e`/`E` (Java's `BigDecimal.parseExp`).
fn parse_exponent(chars: &[char]) -> Result<i64, NumberFormat> {
    let (negative, rest) = match chars.first() {
        Some('-') => (true, &chars[1..]),
        Some('+') => (false, &chars[1..]),
        _ => (false, chars),
    };
    if rest.is_empty() {
        return Err(NumberFormat("No exponent digits.".to_string()));
    }
    let mut rest = rest;
    while rest.len() > 10 && java_digit(rest[0]) == Some(0) {
        rest = &rest[1..];
    }
    if rest.len() > 10 {
        return Err(NumberFormat(
            "Too many nonzero exponent digits.".to_string(),
        ));
    }
    let mut value: i64 = 0;
    for c in rest {
        let d = java_digit(*c).ok_or_else(|| NumberFormat("Not a digit.".to_string()))?;
        value = value * 10 + i64::from(d);
    }
    if value > i64::from(i32::MAX) + i64::from(negative) {
        return Err(NumberFormat("Exponent overflow.".to_string()));
    }
    Ok(if negative { -value } else { value })
}

/// Number of decimal digits of the unscaled value (Java `BigDecimal.precision()`).
pub(crate) fn precision(d: &Decimal) -> u64 {
    if d.is_zero() {
        return 1;
    }
    let text = d.unscaled().to_string();
    text.trim_start_matches('-').len() as u64
}

/// Whether the decimal has no fractional part (Java: `setScale(0, CEILING)` equals
/// `setScale(0, FLOOR)`).
pub(crate) fn is_integral(d: &Decimal) -> bool {
    if d.is_zero() || d.scale() <= 0 {
        return true;
    }
    let text = d.unscaled().to_string();
    let trailing = text.len() - text.trim_end_matches('0').len();
    trailing as i64 >= i64::from(d.scale())
}

/// The integer part truncated toward zero, or `None` when it does not fit in an `i64`. Cheap
/// even for huge exponents.
pub(crate) fn truncated_i64(d: &Decimal) -> Option<i64> {
    if d.is_zero() {
        return Some(0);
    }
    let digits = precision(d) as i64;
    let scale = i64::from(d.scale());
    // The integer part has `digits - scale` digits.
    if digits - scale > 19 {
        return None;
    }
    if digits - scale <= 0 {
        return Some(0);
    }
    d.to_bigint_truncated().to_i64()
}

fn scientific_text(d: &Decimal) -> String {
    format!("{}e{}", d.unscaled(), -i64::from(d.scale()))
}

/// Java `BigDecimal.doubleValue()` (correctly rounded).
pub(crate) fn double_value(d: &Decimal) -> f64 {
    if d.is_zero() {
        return 0.0;
    }
    scientific_text(d).parse::<f64>().unwrap_or(f64::NAN)
}

/// Java `BigDecimal.floatValue()` (correctly rounded).
pub(crate) fn float_value(d: &Decimal) -> f32 {
    if d.is_zero() {
        return 0.0;
    }
    scientific_text(d).parse::<f32>().unwrap_or(f32::NAN)
}

/// Java `BigDecimal.valueOf(double)`: the decimal of `Double.toString(v)`.
pub(crate) fn big_decimal_value_of(v: f64) -> Result<Decimal, NumberFormat> {
    parse_big_decimal(&crate::data::java_text::f64_to_string(v))
}

/// `(sign, significant digits without trailing zeros, exponent of the last digit)`: equal for
/// two decimals exactly when their numeric values are equal.
fn normalized(d: &Decimal) -> (bool, String, i64) {
    if d.is_zero() {
        return (false, String::new(), 0);
    }
    let text = d.unscaled().to_string();
    let negative = text.starts_with('-');
    let digits = text.trim_start_matches('-');
    let stripped = digits.trim_end_matches('0');
    let zeros = (digits.len() - stripped.len()) as i64;
    (negative, stripped.to_string(), zeros - i64::from(d.scale()))
}

/// Whether two decimals denote the same number (Java `compareTo == 0`).
pub(crate) fn same_number(a: &Decimal, b: &Decimal) -> bool {
    normalized(a) == normalized(b)
}

/// Whether a finite `f32`, printed as the shortest text that reads back as it, denotes exactly
/// the number `d` (so choosing FLOAT32 for `d` loses nothing a reader can see).
pub(crate) fn f32_keeps(d: &Decimal, f: f32) -> bool {
    if !f.is_finite() {
        return false;
    }
    let mut buf = ryu::Buffer::new();
    match parse_big_decimal(buf.format_finite(f)) {
        Ok(shortest) => same_number(d, &shortest),
        Err(_) => false,
    }
}

/// Like [`f32_keeps`], for `f64`.
pub(crate) fn f64_keeps(d: &Decimal, f: f64) -> bool {
    if !f.is_finite() {
        return false;
    }
    let mut buf = ryu::Buffer::new();
    match parse_big_decimal(buf.format_finite(f)) {
        Ok(shortest) => same_number(d, &shortest),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        parse_big_decimal(s).unwrap()
    }

    #[test]
    fn digits_like_java() {
        assert_eq!(java_digit('7'), Some(7));
        assert_eq!(java_digit('\u{0663}'), Some(3)); // ARABIC-INDIC DIGIT THREE
        assert_eq!(java_digit('\u{FF19}'), Some(9)); // FULLWIDTH DIGIT NINE
        assert_eq!(java_digit('a'), None);
        assert_eq!(java_digit('\u{00B2}'), None); // superscript two is No, not Nd
        assert!(!is_java_digit('+'));
    }

    #[test]
    fn trims_like_java() {
        assert_eq!(java_trim(" \t5\u{1} "), "5");
        assert_eq!(java_trim("\u{00A0}5"), "\u{00A0}5");
        assert!(is_blank("  \t"));
        assert!(!is_blank(" x "));
    }

    #[test]
    fn big_decimal_syntax() {
        assert_eq!(dec("1.50").scale(), 2);
        assert_eq!(dec("1.2E+3").scale(), -2);
        assert_eq!(dec("1.").to_string(), "1");
        assert_eq!(dec(".5").to_string(), "0.5");
        assert_eq!(dec("+1").to_string(), "1");
        assert_eq!(dec("-0.0").scale(), 1);
        assert_eq!(dec("\u{0661}\u{0662}").to_string(), "12");
        assert_eq!(dec("1.5e400").to_string(), "1.5E+400");
        let e = parse_big_decimal("abc").unwrap_err();
        assert_eq!(
            e.0,
            "Character a is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
        );
        let e = parse_big_decimal(" 5").unwrap_err();
        assert!(e.0.starts_with("Character   is neither"), "{}", e.0);
        assert!(parse_big_decimal("").is_err());
        assert!(parse_big_decimal("-").is_err());
        assert!(parse_big_decimal("1e").is_err());
        assert!(parse_big_decimal("0x10").is_err());
        assert!(parse_big_decimal("1_000").is_err());
        assert!(parse_big_decimal("NaN").is_err());
        assert!(parse_big_decimal("1e99999999999").is_err());
        assert!(parse_big_decimal("1.2.3").is_err());
    }

    #[test]
    fn long_values() {
        assert_eq!(truncated_i64(&dec("-1.9")), Some(-1));
        assert_eq!(truncated_i64(&dec("12.7")), Some(12));
        assert_eq!(truncated_i64(&dec("99999999999999999999")), None);
        assert_eq!(truncated_i64(&dec("1e400")), None);
        assert_eq!(truncated_i64(&dec("1e-400")), Some(0));
        assert_eq!(truncated_i64(&dec("-9223372036854775808")), Some(i64::MIN));
    }

    #[test]
    fn integral_checks() {
        assert!(is_integral(&dec("1.0")));
        assert!(is_integral(&dec("-0.0")));
        assert!(is_integral(&dec("1e39")));
        assert!(!is_integral(&dec("1.5")));
        assert!(!is_integral(&dec("1e-400")));
        assert!(is_integral(&dec("100e-2")));
    }

    #[test]
    fn float_values() {
        assert_eq!(double_value(&dec("1.5e400")), f64::INFINITY);
        assert_eq!(double_value(&dec("1e39")), 1e39);
        assert_eq!(float_value(&dec("9.99999999999999999999")), 10.0);
        assert_eq!(float_value(&dec("0.30000000000000004")), 0.3);
        assert_eq!(float_value(&dec("1e40")), f32::INFINITY);
        assert_eq!(double_value(&dec("1e-400")), 0.0);
        assert_eq!(big_decimal_value_of(0.1).unwrap().to_string(), "0.1");
        assert_eq!(
            big_decimal_value_of(f64::from(0.1f32)).unwrap().to_string(),
            "0.10000000149011612"
        );
        assert_eq!(big_decimal_value_of(1e20).unwrap().to_string(), "1.0E+20");
        assert!(big_decimal_value_of(f64::NAN).is_err());
    }

    #[test]
    fn lossless_checks() {
        assert!(f32_keeps(&dec("0.1"), 0.1));
        assert!(f32_keeps(&dec("1.50"), 1.5));
        assert!(!f32_keeps(&dec("0.30000000000000004"), 0.3));
        assert!(f64_keeps(&dec("0.30000000000000004"), 0.30000000000000004));
        assert!(!f64_keeps(&dec("9.99999999999999999999"), 10.0));
        assert!(!f32_keeps(&dec("1e-50"), 0.0));
        assert!(same_number(&dec("1.0"), &dec("1")));
        assert!(same_number(&dec("100"), &dec("1E+2")));
        assert!(!same_number(&dec("-1"), &dec("1")));
    }
}
