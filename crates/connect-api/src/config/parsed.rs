//! [`ParsedConfig`]: the typed values of a config, with typed getters.

use std::collections::BTreeMap;
use std::fmt;

use crate::config::{ConfigType, ParsedValue, Password};
use crate::error::{ConnectError, Result};

/// The result of [`crate::config::ConfigDef::parse`] (Java `AbstractConfig`): the typed value
/// of every defined key (the configured value or the default; `None` for null) plus the
/// original string map.
///
/// Getters check the key's declared type. Asking for a key that is not defined, with the wrong
/// type, or (for the non-null getters) whose value is null is a programming error of the
/// plugin: it returns [`ConnectError::Other`], never panics. Use [`get_raw`](Self::get_raw)
/// for keys whose default is null.
///
/// `Debug` prints typed values (passwords as `[hidden]`) and only the *names* of the original
/// keys, since undeclared keys may hold secrets too.
#[derive(Clone, Default, PartialEq)]
pub struct ParsedConfig {
    values: BTreeMap<String, (ConfigType, Option<ParsedValue>)>,
    originals: BTreeMap<String, String>,
}

impl ParsedConfig {
    /// A parsed config from typed values and the original strings.
    pub(crate) fn new(
        values: BTreeMap<String, (ConfigType, Option<ParsedValue>)>,
        originals: BTreeMap<String, String>,
    ) -> Self {
        ParsedConfig { values, originals }
    }

    fn entry(&self, key: &str) -> Result<&(ConfigType, Option<ParsedValue>)> {
        self.values
            .get(key)
            .ok_or_else(|| ConnectError::other(format!("Unknown configuration '{key}'")))
    }

    /// The value of `key`, which must be of type `ty`; `Ok(None)` for null.
    fn typed(&self, key: &str, ty: ConfigType) -> Result<Option<&ParsedValue>> {
        let (declared, value) = self.entry(key)?;
        if *declared != ty {
            return Err(ConnectError::other(format!(
                "Configuration '{key}' is of type {declared}, not {ty}"
            )));
        }
        Ok(value.as_ref())
    }

    /// The non-null value of `key`, which must be of type `ty`.
    fn non_null(&self, key: &str, ty: ConfigType) -> Result<&ParsedValue> {
        self.typed(key, ty)?
            .ok_or_else(|| ConnectError::other(format!("Configuration '{key}' is null")))
    }

    /// The value of `key` whatever its type: `Ok(None)` if it is null.
    pub fn get_raw(&self, key: &str) -> Result<Option<&ParsedValue>> {
        Ok(self.entry(key)?.1.as_ref())
    }

    /// Whether the value of `key` is null.
    pub fn is_null(&self, key: &str) -> Result<bool> {
        Ok(self.entry(key)?.1.is_none())
    }

    /// The declared type of `key`, if it is defined.
    pub fn config_type(&self, key: &str) -> Option<ConfigType> {
        self.values.get(key).map(|(ty, _)| *ty)
    }

    /// Whether `key` is defined.
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The defined key names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.values.keys().map(String::as_str)
    }

    /// A `STRING` value (Java `getString`).
    pub fn get_string(&self, key: &str) -> Result<&str> {
        match self.non_null(key, ConfigType::String)? {
            ParsedValue::String(s) => Ok(s),
            other => Err(bad_variant(key, other)),
        }
    }

    /// An `INT` value (Java `getInt`).
    pub fn get_int(&self, key: &str) -> Result<i32> {
        match self.non_null(key, ConfigType::Int)? {
            ParsedValue::Int(v) => Ok(*v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `SHORT` value (Java `getShort`).
    pub fn get_short(&self, key: &str) -> Result<i16> {
        match self.non_null(key, ConfigType::Short)? {
            ParsedValue::Short(v) => Ok(*v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `LONG` value (Java `getLong`).
    pub fn get_long(&self, key: &str) -> Result<i64> {
        match self.non_null(key, ConfigType::Long)? {
            ParsedValue::Long(v) => Ok(*v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `DOUBLE` value (Java `getDouble`).
    pub fn get_double(&self, key: &str) -> Result<f64> {
        match self.non_null(key, ConfigType::Double)? {
            ParsedValue::Double(v) => Ok(*v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `BOOLEAN` value (Java `getBoolean`).
    pub fn get_bool(&self, key: &str) -> Result<bool> {
        match self.non_null(key, ConfigType::Boolean)? {
            ParsedValue::Boolean(v) => Ok(*v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `LIST` value (Java `getList`).
    pub fn get_list(&self, key: &str) -> Result<&[String]> {
        match self.non_null(key, ConfigType::List)? {
            ParsedValue::List(v) => Ok(v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `CLASS` value: the class name (Java `getClass`).
    pub fn get_class(&self, key: &str) -> Result<&str> {
        match self.non_null(key, ConfigType::Class)? {
            ParsedValue::Class(v) => Ok(v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// A `PASSWORD` value (Java `getPassword`).
    pub fn get_password(&self, key: &str) -> Result<&Password> {
        match self.non_null(key, ConfigType::Password)? {
            ParsedValue::Password(v) => Ok(v),
            other => Err(bad_variant(key, other)),
        }
    }

    /// The original string map, including keys that are not defined (Java `originals()`).
    pub fn originals(&self) -> &BTreeMap<String, String> {
        &self.originals
    }

    /// The original entries whose key starts with `prefix`, with the prefix removed (Java
    /// `originalsWithPrefix(prefix)`), e.g. a converter's own keys under `key.converter.`.
    pub fn originals_with_prefix(&self, prefix: &str) -> BTreeMap<String, String> {
        originals_with_prefix(&self.originals, prefix)
    }

    /// The values and originals whose key starts with `prefix`, with the prefix removed.
    pub(crate) fn with_prefix_stripped(&self, prefix: &str) -> ParsedConfig {
        ParsedConfig {
            values: self
                .values
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(prefix).map(|s| (s.to_string(), v.clone())))
                .collect(),
            originals: self.originals_with_prefix(prefix),
        }
    }
}

/// The entries of a string config whose key starts with `prefix`, with the prefix removed
/// (Java `AbstractConfig.originalsWithPrefix`): how a plugin gets its own keys out of the
/// enclosing config (`transforms.route.` → `regex`, `key.converter.` → `schemas.enable`).
pub fn originals_with_prefix(
    config: &BTreeMap<String, String>,
    prefix: &str,
) -> BTreeMap<String, String> {
    config
        .range::<str, _>((
            std::ops::Bound::Included(prefix),
            std::ops::Bound::Unbounded,
        ))
        .take_while(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k[prefix.len()..].to_string(), v.clone()))
        .collect()
}

/// A value whose variant does not match its declared type (cannot happen through `parse`).
fn bad_variant(key: &str, value: &ParsedValue) -> ConnectError {
    ConnectError::other(format!(
        "Configuration '{key}' holds a value of type {}",
        value.config_type()
    ))
}

impl fmt::Debug for ParsedConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: BTreeMap<&str, &Option<ParsedValue>> = self
            .values
            .iter()
            .map(|(k, (_, v))| (k.as_str(), v))
            .collect();
        f.debug_struct("ParsedConfig")
            .field("values", &values)
            .field("original_keys", &self.originals.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ParsedConfig {
        let values = BTreeMap::from([
            (
                "s".to_string(),
                (ConfigType::String, Some(ParsedValue::from("x"))),
            ),
            (
                "i".to_string(),
                (ConfigType::Int, Some(ParsedValue::Int(5))),
            ),
            (
                "sh".to_string(),
                (ConfigType::Short, Some(ParsedValue::Short(6))),
            ),
            (
                "l".to_string(),
                (ConfigType::Long, Some(ParsedValue::Long(7))),
            ),
            (
                "d".to_string(),
                (ConfigType::Double, Some(ParsedValue::Double(0.5))),
            ),
            (
                "b".to_string(),
                (ConfigType::Boolean, Some(ParsedValue::Boolean(true))),
            ),
            (
                "li".to_string(),
                (ConfigType::List, Some(ParsedValue::from(vec!["a", "b"]))),
            ),
            (
                "c".to_string(),
                (ConfigType::Class, Some(ParsedValue::Class("a.B".into()))),
            ),
            (
                "p".to_string(),
                (
                    ConfigType::Password,
                    Some(ParsedValue::Password(Password::new("pw"))),
                ),
            ),
            ("n".to_string(), (ConfigType::String, None)),
            (
                "bad".to_string(),
                (ConfigType::Int, Some(ParsedValue::Long(1))),
            ),
        ]);
        let originals = BTreeMap::from([
            ("p".to_string(), "pw".to_string()),
            (
                "key.converter.schemas.enable".to_string(),
                "false".to_string(),
            ),
            ("key.converter".to_string(), "J".to_string()),
            ("other.secret".to_string(), "topsecret".to_string()),
        ]);
        ParsedConfig::new(values, originals)
    }

    #[test]
    fn typed_getters() {
        let c = sample();
        assert_eq!(c.get_string("s").unwrap(), "x");
        assert_eq!(c.get_int("i").unwrap(), 5);
        assert_eq!(c.get_short("sh").unwrap(), 6);
        assert_eq!(c.get_long("l").unwrap(), 7);
        assert_eq!(c.get_double("d").unwrap(), 0.5);
        assert!(c.get_bool("b").unwrap());
        assert_eq!(
            c.get_list("li").unwrap(),
            ["a".to_string(), "b".to_string()]
        );
        assert_eq!(c.get_class("c").unwrap(), "a.B");
        assert_eq!(c.get_password("p").unwrap().value(), "pw");
        assert_eq!(c.get_raw("i").unwrap(), Some(&ParsedValue::Int(5)));
        assert_eq!(c.get_raw("n").unwrap(), None);
        assert!(c.is_null("n").unwrap());
        assert!(!c.is_null("s").unwrap());
        assert_eq!(c.config_type("l"), Some(ConfigType::Long));
        assert_eq!(c.config_type("zzz"), None);
        assert!(c.contains("s") && !c.contains("zzz"));
        assert_eq!(c.names().count(), 11);
    }

    #[test]
    fn misuse_is_an_other_error_not_a_panic() {
        let c = sample();
        let err = c.get_int("zzz").unwrap_err();
        assert!(matches!(err, ConnectError::Other { .. }));
        assert_eq!(err.to_string(), "Unknown configuration 'zzz'");
        let err = c.get_int("s").unwrap_err();
        assert!(matches!(err, ConnectError::Other { .. }));
        assert_eq!(
            err.to_string(),
            "Configuration 's' is of type STRING, not INT"
        );
        assert_eq!(
            c.get_long("i").unwrap_err().to_string(),
            "Configuration 'i' is of type INT, not LONG"
        );
        assert_eq!(
            c.get_string("n").unwrap_err().to_string(),
            "Configuration 'n' is null"
        );
        assert_eq!(
            c.get_int("bad").unwrap_err().to_string(),
            "Configuration 'bad' holds a value of type LONG"
        );
        assert!(c.get_raw("zzz").is_err());
        assert!(c.is_null("zzz").is_err());
        assert!(c.get_string("p").is_err());
        assert!(c.get_password("s").is_err());
        assert!(c.get_class("s").is_err());
        assert!(c.get_list("s").is_err());
        assert!(c.get_bool("s").is_err());
        assert!(c.get_double("s").is_err());
        assert!(c.get_short("s").is_err());
    }

    #[test]
    fn originals_with_prefix_strips_it() {
        let c = sample();
        assert_eq!(c.originals().len(), 4);
        assert_eq!(
            c.originals_with_prefix("key.converter."),
            BTreeMap::from([("schemas.enable".to_string(), "false".to_string())])
        );
        let stripped = c.with_prefix_stripped("l");
        assert_eq!(stripped.get_long("").unwrap(), 7);
        assert_eq!(stripped.get_list("i").unwrap().len(), 2);
    }

    #[test]
    fn debug_never_shows_secrets() {
        let debug = format!("{:?}", sample());
        assert!(debug.contains("[hidden]"), "{debug}");
        assert!(!debug.contains("pw\""), "{debug}");
        assert!(!debug.contains("topsecret"), "{debug}");
        assert!(debug.contains("other.secret"), "{debug}");
    }
}
