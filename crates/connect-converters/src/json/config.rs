//! `JsonConverterConfig`: the converter's keys, parsed and validated with Java `ConfigDef`'s rules
//! (values trimmed; booleans `true`/`false` in any case; integers by `Integer.parseInt`), in
//! Java's definition order so the first invalid key is the one Java reports. Unknown keys are
//! ignored.

use std::collections::BTreeMap;

use connect_api::{ConnectError, Result};

/// `schemas.enable`: whether the JSON carries a `{"schema", "payload"}` envelope.
pub const SCHEMAS_ENABLE_CONFIG: &str = "schemas.enable";
/// `schemas.cache.size`: how many schemas each direction keeps parsed/serialized.
pub const SCHEMAS_CACHE_SIZE_CONFIG: &str = "schemas.cache.size";
/// `decimal.format`: `BASE64` or `NUMERIC`.
pub const DECIMAL_FORMAT_CONFIG: &str = "decimal.format";
/// `replace.null.with.default`: whether a null with a schema default becomes the default.
pub const REPLACE_NULL_WITH_DEFAULT_CONFIG: &str = "replace.null.with.default";
/// `converter.type`: `key`, `value` or `header`.
pub const CONVERTER_TYPE_CONFIG: &str = "converter.type";

/// How Decimal values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalFormat {
    /// Base64 of the unscaled value's two's complement bytes (the default).
    Base64,
    /// A JSON number in `BigDecimal.toString()` form.
    Numeric,
}

/// What the converter converts (Java `ConverterType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConverterType {
    /// Record keys.
    Key,
    /// Record values.
    Value,
    /// Header values.
    Header,
}

/// The parsed configuration of a [`JsonConverter`](super::JsonConverter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonConverterConfig {
    /// `schemas.enable` (default true).
    pub schemas_enable: bool,
    /// `schemas.cache.size` (default 1000; zero or less disables the caches).
    pub schemas_cache_size: i32,
    /// `decimal.format` (default BASE64).
    pub decimal_format: DecimalFormat,
    /// `replace.null.with.default` (default true).
    pub replace_null_with_default: bool,
    /// `converter.type`; from `is_key` unless given.
    pub converter_type: ConverterType,
}

impl Default for JsonConverterConfig {
    fn default() -> Self {
        JsonConverterConfig {
            schemas_enable: true,
            schemas_cache_size: 1000,
            decimal_format: DecimalFormat::Base64,
            replace_null_with_default: true,
            converter_type: ConverterType::Value,
        }
    }
}

/// Java `ConfigDef.parseType` for BOOLEAN.
fn parse_bool(name: &str, raw: &str) -> Result<bool> {
    let t = raw.trim();
    if t.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if t.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(ConnectError::config(
            name,
            raw,
            "Expected value to be either true or false",
        ))
    }
}

impl JsonConverterConfig {
    /// Parses the converter's own keys. `is_key` decides `converter.type` when it is not given
    /// (Java's `configure(configs, isKey)`); header converters pass `converter.type=header`.
    pub fn parse(config: &BTreeMap<String, String>, is_key: bool) -> Result<Self> {
        let mut out = JsonConverterConfig {
            converter_type: if is_key {
                ConverterType::Key
            } else {
                ConverterType::Value
            },
            ..JsonConverterConfig::default()
        };
        if let Some(raw) = config.get(CONVERTER_TYPE_CONFIG) {
            out.converter_type = match raw.trim() {
                "key" => ConverterType::Key,
                "value" => ConverterType::Value,
                "header" => ConverterType::Header,
                other => {
                    return Err(ConnectError::config(
                        CONVERTER_TYPE_CONFIG,
                        other,
                        "String must be one of: key, value, header",
                    ))
                }
            };
        }
        if let Some(raw) = config.get(SCHEMAS_ENABLE_CONFIG) {
            out.schemas_enable = parse_bool(SCHEMAS_ENABLE_CONFIG, raw)?;
        }
        if let Some(raw) = config.get(SCHEMAS_CACHE_SIZE_CONFIG) {
            out.schemas_cache_size = raw.trim().parse::<i32>().map_err(|_| {
                ConnectError::config(SCHEMAS_CACHE_SIZE_CONFIG, raw, "Not a number of type INT")
            })?;
        }
        if let Some(raw) = config.get(DECIMAL_FORMAT_CONFIG) {
            let t = raw.trim();
            out.decimal_format = if t.eq_ignore_ascii_case("BASE64") {
                DecimalFormat::Base64
            } else if t.eq_ignore_ascii_case("NUMERIC") {
                DecimalFormat::Numeric
            } else {
                return Err(ConnectError::config(
                    DECIMAL_FORMAT_CONFIG,
                    t,
                    "String must be one of (case insensitive): NUMERIC, BASE64",
                ));
            };
        }
        if let Some(raw) = config.get(REPLACE_NULL_WITH_DEFAULT_CONFIG) {
            out.replace_null_with_default = parse_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG, raw)?;
        }
        Ok(out)
    }

    /// The cache capacity (0 when caching is disabled).
    pub fn cache_capacity(&self) -> usize {
        usize::try_from(self.schemas_cache_size).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<JsonConverterConfig> {
        let map = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        JsonConverterConfig::parse(&map, false)
    }

    #[test]
    fn defaults_and_parsing() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c, JsonConverterConfig::default());
        let c = cfg(&[
            ("schemas.enable", " FALSE "),
            ("decimal.format", "numeric"),
            ("replace.null.with.default", "false"),
            ("schemas.cache.size", " 0"),
            ("converter.type", "header"),
            ("unknown", "x"),
        ])
        .unwrap();
        assert!(!c.schemas_enable);
        assert_eq!(c.decimal_format, DecimalFormat::Numeric);
        assert!(!c.replace_null_with_default);
        assert_eq!(c.cache_capacity(), 0);
        assert_eq!(c.converter_type, ConverterType::Header);
        let key = JsonConverterConfig::parse(&BTreeMap::new(), true).unwrap();
        assert_eq!(key.converter_type, ConverterType::Key);
    }

    #[test]
    fn errors_name_key_and_value() {
        assert_eq!(
            cfg(&[("decimal.format", "bogus")]).unwrap_err().to_string(),
            "Invalid value bogus for configuration decimal.format: String must be one of (case insensitive): NUMERIC, BASE64"
        );
        assert_eq!(
            cfg(&[("schemas.enable", "yes")]).unwrap_err().to_string(),
            "Invalid value yes for configuration schemas.enable: Expected value to be either true or false"
        );
        assert_eq!(
            cfg(&[("schemas.cache.size", "abc")])
                .unwrap_err()
                .to_string(),
            "Invalid value abc for configuration schemas.cache.size: Not a number of type INT"
        );
        assert!(cfg(&[("converter.type", "KEY")]).unwrap_err().is_config());
        // Java checks keys in definition order: schemas.enable before decimal.format.
        assert!(cfg(&[("decimal.format", "x"), ("schemas.enable", "x")])
            .unwrap_err()
            .to_string()
            .contains("schemas.enable"));
    }
}
