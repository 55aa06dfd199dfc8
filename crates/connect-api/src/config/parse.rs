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

/// Java's `Integer/Long.parseInt(s, 10)` within `[min, max]`.
pub(crate) fn parse_java_integer(s: &str, min: i64, max: i64) -> Option<i64> {
    crate::data::java_number::parse_integer(s, min, max)
}

/// Java's `Double.parseDouble` on an already trimmed string.
pub(crate) fn parse_java_double(s: &str) -> Option<f64> {
    crate::data::java_number::parse_double(s)
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
