//! [`ParsedValue`]: a config value after parsing, typed by its [`ConfigType`].

use std::fmt;

use crate::config::{ConfigType, Password};
use crate::data::java_text::f64_to_string;

/// A parsed config value (what Java's `ConfigDef.parseType` returns as an `Object`). Null values
/// are represented as `Option::<ParsedValue>::None` by the APIs that allow them.
///
/// `Display` prints the value as Java's `toString()` does (lists as `[a, b]`, doubles as
/// `Double.toString`, passwords as `[hidden]`); this is the form used in error messages.
/// [`ParsedValue::to_config_string`] gives the form the REST API shows (Java's
/// `ConfigDef.convertToString`: lists as `a,b`).
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedValue {
    /// A `BOOLEAN` value.
    Boolean(bool),
    /// A `STRING` value.
    String(String),
    /// An `INT` value.
    Int(i32),
    /// A `SHORT` value.
    Short(i16),
    /// A `LONG` value.
    Long(i64),
    /// A `DOUBLE` value.
    Double(f64),
    /// A `LIST` value.
    List(Vec<String>),
    /// A `CLASS` value: the class name.
    Class(String),
    /// A `PASSWORD` value.
    Password(Password),
}

impl ParsedValue {
    /// The config type this value belongs to.
    pub fn config_type(&self) -> ConfigType {
        match self {
            ParsedValue::Boolean(_) => ConfigType::Boolean,
            ParsedValue::String(_) => ConfigType::String,
            ParsedValue::Int(_) => ConfigType::Int,
            ParsedValue::Short(_) => ConfigType::Short,
            ParsedValue::Long(_) => ConfigType::Long,
            ParsedValue::Double(_) => ConfigType::Double,
            ParsedValue::List(_) => ConfigType::List,
            ParsedValue::Class(_) => ConfigType::Class,
            ParsedValue::Password(_) => ConfigType::Password,
        }
    }

    /// The Java class that holds such a value (`java.lang.Integer`, …), for messages.
    pub fn java_class(&self) -> &'static str {
        match self {
            ParsedValue::Boolean(_) => "java.lang.Boolean",
            ParsedValue::String(_) => "java.lang.String",
            ParsedValue::Int(_) => "java.lang.Integer",
            ParsedValue::Short(_) => "java.lang.Short",
            ParsedValue::Long(_) => "java.lang.Long",
            ParsedValue::Double(_) => "java.lang.Double",
            ParsedValue::List(_) => "java.util.List",
            ParsedValue::Class(_) => "java.lang.Class",
            ParsedValue::Password(_) => "org.apache.kafka.common.config.types.Password",
        }
    }

    /// Java's `ConfigDef.convertToString`: the string form the REST API shows for a value and
    /// that parses back to the same value. Lists are joined with `,`; passwords are `[hidden]`.
    pub fn to_config_string(&self) -> String {
        match self {
            ParsedValue::List(items) => items.join(","),
            other => other.to_string(),
        }
    }

    /// The value of a `BOOLEAN`.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParsedValue::Boolean(b) => Some(*b),
            _ => None,
        }
    }

    /// The value of a `STRING`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ParsedValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value of an `INT`.
    pub fn as_int(&self) -> Option<i32> {
        match self {
            ParsedValue::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The value of a `SHORT`.
    pub fn as_short(&self) -> Option<i16> {
        match self {
            ParsedValue::Short(v) => Some(*v),
            _ => None,
        }
    }

    /// The value of a `LONG`.
    pub fn as_long(&self) -> Option<i64> {
        match self {
            ParsedValue::Long(v) => Some(*v),
            _ => None,
        }
    }

    /// The value of a `DOUBLE`.
    pub fn as_double(&self) -> Option<f64> {
        match self {
            ParsedValue::Double(v) => Some(*v),
            _ => None,
        }
    }

    /// The items of a `LIST`.
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            ParsedValue::List(v) => Some(v),
            _ => None,
        }
    }

    /// The class name of a `CLASS`.
    pub fn as_class(&self) -> Option<&str> {
        match self {
            ParsedValue::Class(v) => Some(v),
            _ => None,
        }
    }

    /// The secret of a `PASSWORD`.
    pub fn as_password(&self) -> Option<&Password> {
        match self {
            ParsedValue::Password(v) => Some(v),
            _ => None,
        }
    }

    /// The text of a `STRING`, `CLASS` or `PASSWORD` value (what Java casts to `String`).
    pub(crate) fn as_text(&self) -> Option<&str> {
        match self {
            ParsedValue::String(s) | ParsedValue::Class(s) => Some(s),
            ParsedValue::Password(p) => Some(p.value()),
            _ => None,
        }
    }

    /// The numeric value of an `INT`, `SHORT`, `LONG` or `DOUBLE` as Java's
    /// `Number.doubleValue()`.
    pub(crate) fn as_number(&self) -> Option<f64> {
        match self {
            ParsedValue::Int(v) => Some(f64::from(*v)),
            ParsedValue::Short(v) => Some(f64::from(*v)),
            // Java's Long.doubleValue() rounds the same way.
            ParsedValue::Long(v) => Some(*v as f64),
            ParsedValue::Double(v) => Some(*v),
            _ => None,
        }
    }
}

impl fmt::Display for ParsedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParsedValue::Boolean(b) => write!(f, "{b}"),
            ParsedValue::String(s) | ParsedValue::Class(s) => f.write_str(s),
            ParsedValue::Int(v) => write!(f, "{v}"),
            ParsedValue::Short(v) => write!(f, "{v}"),
            ParsedValue::Long(v) => write!(f, "{v}"),
            ParsedValue::Double(v) => f.write_str(&f64_to_string(*v)),
            ParsedValue::List(items) => write!(f, "[{}]", items.join(", ")),
            ParsedValue::Password(p) => write!(f, "{p}"),
        }
    }
}

impl From<bool> for ParsedValue {
    fn from(v: bool) -> Self {
        ParsedValue::Boolean(v)
    }
}

impl From<i32> for ParsedValue {
    fn from(v: i32) -> Self {
        ParsedValue::Int(v)
    }
}

impl From<i16> for ParsedValue {
    fn from(v: i16) -> Self {
        ParsedValue::Short(v)
    }
}

impl From<i64> for ParsedValue {
    fn from(v: i64) -> Self {
        ParsedValue::Long(v)
    }
}

impl From<f64> for ParsedValue {
    fn from(v: f64) -> Self {
        ParsedValue::Double(v)
    }
}

/// A string converts to [`ParsedValue::String`]; as a key's default it is parsed according to
/// the key's type, like Java parses a `String` default.
impl From<&str> for ParsedValue {
    fn from(v: &str) -> Self {
        ParsedValue::String(v.to_string())
    }
}

/// See `From<&str>`.
impl From<String> for ParsedValue {
    fn from(v: String) -> Self {
        ParsedValue::String(v)
    }
}

impl From<Vec<String>> for ParsedValue {
    fn from(v: Vec<String>) -> Self {
        ParsedValue::List(v)
    }
}

impl From<Vec<&str>> for ParsedValue {
    fn from(v: Vec<&str>) -> Self {
        ParsedValue::List(v.into_iter().map(str::to_string).collect())
    }
}

impl From<Password> for ParsedValue {
    fn from(v: Password) -> Self {
        ParsedValue::Password(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_java_to_string() {
        assert_eq!(ParsedValue::Boolean(true).to_string(), "true");
        assert_eq!(ParsedValue::Int(-5).to_string(), "-5");
        assert_eq!(ParsedValue::Short(7).to_string(), "7");
        assert_eq!(
            ParsedValue::Long(i64::MAX).to_string(),
            "9223372036854775807"
        );
        assert_eq!(ParsedValue::Double(1.0).to_string(), "1.0");
        assert_eq!(ParsedValue::Double(1e7).to_string(), "1.0E7");
        assert_eq!(ParsedValue::from(vec!["a", "b"]).to_string(), "[a, b]");
        assert_eq!(ParsedValue::List(vec![]).to_string(), "[]");
        assert_eq!(ParsedValue::Class("a.B".into()).to_string(), "a.B");
        assert_eq!(ParsedValue::from("x").to_string(), "x");
    }

    #[test]
    fn config_string_is_convert_to_string() {
        assert_eq!(ParsedValue::from(vec!["a", "b"]).to_config_string(), "a,b");
        assert_eq!(ParsedValue::Double(0.5).to_config_string(), "0.5");
        assert_eq!(ParsedValue::Int(1).to_config_string(), "1");
    }

    #[test]
    fn passwords_never_print() {
        let v = ParsedValue::Password(Password::new("s3cret"));
        assert_eq!(v.to_string(), "[hidden]");
        assert_eq!(v.to_config_string(), "[hidden]");
        assert_eq!(format!("{v:?}"), "Password([hidden])");
        assert_eq!(v.as_password().map(Password::value), Some("s3cret"));
    }

    #[test]
    fn accessors_match_the_variant_only() {
        assert_eq!(ParsedValue::Int(3).as_int(), Some(3));
        assert_eq!(ParsedValue::Int(3).as_long(), None);
        assert_eq!(ParsedValue::Short(3).as_short(), Some(3));
        assert_eq!(ParsedValue::Long(3).as_long(), Some(3));
        assert_eq!(ParsedValue::Double(0.5).as_double(), Some(0.5));
        assert_eq!(ParsedValue::Boolean(false).as_bool(), Some(false));
        assert_eq!(ParsedValue::from("s").as_str(), Some("s"));
        assert_eq!(ParsedValue::from("s").as_class(), None);
        assert_eq!(ParsedValue::Class("C".into()).as_class(), Some("C"));
        assert_eq!(
            ParsedValue::from(vec!["a".to_string()]).as_list(),
            Some(&["a".to_string()][..])
        );
        assert_eq!(ParsedValue::Long(2).as_number(), Some(2.0));
        assert_eq!(ParsedValue::from("s").as_number(), None);
        assert_eq!(ParsedValue::Int(1).config_type(), ConfigType::Int);
        assert_eq!(ParsedValue::Int(1).java_class(), "java.lang.Integer");
        assert_eq!(
            ParsedValue::from(Password::new("p")).config_type(),
            ConfigType::Password
        );
    }
}
