//! Converters by Java class name, as `key.converter=`, `value.converter=` and
//! `header.converter=` name them. Accepts the fully qualified class name and the simple name
//! (`org.apache.kafka.connect.json.JsonConverter` or `JsonConverter`).

use std::collections::BTreeMap;

use connect_api::{ConnectError, Converter, HeaderConverter, Result};

use crate::{
    BooleanConverter, ByteArrayConverter, DoubleConverter, FloatConverter, IntegerConverter,
    JsonConverter, LongConverter, ShortConverter, SimpleHeaderConverter, StringConverter,
};

/// The converter classes Ferry provides, fully qualified, in Kafka's package layout.
pub const CONVERTER_CLASSES: &[&str] = &[
    "org.apache.kafka.connect.json.JsonConverter",
    "org.apache.kafka.connect.storage.StringConverter",
    "org.apache.kafka.connect.converters.ByteArrayConverter",
    "org.apache.kafka.connect.converters.BooleanConverter",
    "org.apache.kafka.connect.converters.ShortConverter",
    "org.apache.kafka.connect.converters.IntegerConverter",
    "org.apache.kafka.connect.converters.LongConverter",
    "org.apache.kafka.connect.converters.FloatConverter",
    "org.apache.kafka.connect.converters.DoubleConverter",
];

/// The header converter classes Ferry provides (every converter above is one too).
pub const HEADER_CONVERTER_CLASSES: &[&str] =
    &["org.apache.kafka.connect.storage.SimpleHeaderConverter"];

fn simple_name(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// The fully qualified class a user-given name stands for, if Ferry has it.
pub fn resolve_class(name: &str) -> Option<&'static str> {
    let name = name.trim();
    CONVERTER_CLASSES
        .iter()
        .chain(HEADER_CONVERTER_CLASSES)
        .find(|c| **c == name || simple_name(c) == name)
        .copied()
}

fn unknown(name: &str) -> ConnectError {
    ConnectError::config_message(format!(
        "Class {name} could not be found. Known converters: {}",
        CONVERTER_CLASSES
            .iter()
            .chain(HEADER_CONVERTER_CLASSES)
            .map(|c| simple_name(c))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Builds a key or value converter from its class name and its own config keys.
pub fn converter(
    class: &str,
    config: &BTreeMap<String, String>,
    is_key: bool,
) -> Result<Box<dyn Converter>> {
    let resolved = resolve_class(class).ok_or_else(|| unknown(class))?;
    Ok(match simple_name(resolved) {
        "JsonConverter" => Box::new(JsonConverter::new(config, is_key)?),
        "StringConverter" => Box::new(StringConverter::new(config, is_key)?),
        "ByteArrayConverter" => Box::new(ByteArrayConverter::new(config, is_key)?),
        "BooleanConverter" => Box::new(BooleanConverter::new(config, is_key)?),
        "ShortConverter" => Box::new(ShortConverter::new(config, is_key)?),
        "IntegerConverter" => Box::new(IntegerConverter::new(config, is_key)?),
        "LongConverter" => Box::new(LongConverter::new(config, is_key)?),
        "FloatConverter" => Box::new(FloatConverter::new(config, is_key)?),
        "DoubleConverter" => Box::new(DoubleConverter::new(config, is_key)?),
        _ => {
            return Err(ConnectError::config_message(format!(
                "{resolved} is a header converter, not a key or value converter"
            )))
        }
    })
}

/// Builds a header converter from its class name and its own config keys
/// (`converter.type=header` is added, as Kafka's worker does).
pub fn header_converter(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Result<Box<dyn HeaderConverter>> {
    let resolved = resolve_class(class).ok_or_else(|| unknown(class))?;
    let mut config = config.clone();
    config.insert("converter.type".to_string(), "header".to_string());
    Ok(match simple_name(resolved) {
        "SimpleHeaderConverter" => Box::new(SimpleHeaderConverter::new(&config, false)?),
        "JsonConverter" => Box::new(JsonConverter::new(&config, false)?),
        "StringConverter" => Box::new(StringConverter::new(&config, false)?),
        "ByteArrayConverter" => Box::new(ByteArrayConverter::new(&config, false)?),
        "BooleanConverter" => Box::new(BooleanConverter::new(&config, false)?),
        "ShortConverter" => Box::new(ShortConverter::new(&config, false)?),
        "IntegerConverter" => Box::new(IntegerConverter::new(&config, false)?),
        "LongConverter" => Box::new(LongConverter::new(&config, false)?),
        "FloatConverter" => Box::new(FloatConverter::new(&config, false)?),
        "DoubleConverter" => Box::new(DoubleConverter::new(&config, false)?),
        other => return Err(unknown(other)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_full_and_simple_names() {
        assert_eq!(
            resolve_class("JsonConverter"),
            Some("org.apache.kafka.connect.json.JsonConverter")
        );
        assert_eq!(
            resolve_class("org.apache.kafka.connect.storage.StringConverter"),
            Some("org.apache.kafka.connect.storage.StringConverter")
        );
        assert_eq!(
            resolve_class("io.confluent.connect.avro.AvroConverter"),
            None
        );
    }

    #[test]
    fn unknown_class_is_a_config_error_naming_it() {
        let err = converter("com.example.Nope", &BTreeMap::new(), false)
            .err()
            .unwrap();
        assert!(err.is_config());
        assert!(err.to_string().contains("com.example.Nope"), "{err}");
        assert!(converter("SimpleHeaderConverter", &BTreeMap::new(), false).is_err());
        assert!(header_converter("SimpleHeaderConverter", &BTreeMap::new()).is_ok());
    }
}

/// The config keys of a converter or header converter class (its Java `config()`), by fully
/// qualified or simple name; `None` for a class Ferry does not have.
pub fn config_def(class: &str) -> Option<connect_api::config::ConfigDef> {
    use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, Range, ValidString};
    let resolved = resolve_class(class)?;
    let converter_type = || {
        ConfigKey::new("converter.type", ConfigType::String)
            .validator(ValidString::one_of(["key", "value", "header"]))
            .importance(Importance::Low)
            .documentation(
                "What the converter is used for (key, value or header); set by the worker.",
            )
    };
    let def = match simple_name(resolved) {
        "SimpleHeaderConverter" => ConfigDef::new(),
        "StringConverter" => ConfigDef::new().define(converter_type()).define(
            ConfigKey::new("converter.encoding", ConfigType::String)
                .default_value("UTF8")
                .importance(Importance::High)
                .documentation("The character set strings are encoded in and decoded from."),
        ),
        "JsonConverter" => ConfigDef::new()
            .define(converter_type())
            .define(
                ConfigKey::new("schemas.enable", ConfigType::Boolean)
                    .default_value(true)
                    .importance(Importance::High)
                    .documentation("Write and expect the {\"schema\":…,\"payload\":…} envelope."),
            )
            .define(
                ConfigKey::new("schemas.cache.size", ConfigType::Int)
                    .default_value(1000)
                    .validator(Range::at_least(0))
                    .importance(Importance::High)
                    .documentation("How many schemas are kept translated in each direction."),
            )
            .define(
                ConfigKey::new("decimal.format", ConfigType::String)
                    .default_value("BASE64")
                    .validator(connect_api::config::CaseInsensitiveValidString::one_of([
                        "BASE64", "NUMERIC",
                    ]))
                    .importance(Importance::Low)
                    .documentation("How Decimal values are written: base64 bytes or JSON numbers."),
            )
            .define(
                ConfigKey::new("replace.null.with.default", ConfigType::Boolean)
                    .default_value(true)
                    .importance(Importance::Low)
                    .documentation("Write a null field that has a default as its default."),
            ),
        // ByteArrayConverter and the number and Boolean converters
        _ => ConfigDef::new().define(converter_type()),
    };
    Some(def)
}

#[cfg(test)]
mod config_def_tests {
    use super::*;

    #[test]
    fn every_converter_has_its_keys() {
        for class in CONVERTER_CLASSES.iter().chain(HEADER_CONVERTER_CLASSES) {
            assert!(config_def(class).is_some(), "{class}");
        }
        let json = config_def("JsonConverter").unwrap_or_default();
        assert!(json.contains("schemas.enable") && json.contains("decimal.format"));
        assert!(config_def("AvroConverter").is_none());
    }
}
