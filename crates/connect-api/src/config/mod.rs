//! Config definitions: Kafka's `org.apache.kafka.common.config.ConfigDef` in Rust.
//!
//! A plugin declares its keys once in a [`ConfigDef`] — type, default, validator, importance,
//! documentation, group, width, display name, dependents, recommender — and the runtime uses
//! that one object to:
//! - [`ConfigDef::parse`] a string config into a typed [`ParsedConfig`], reporting **every**
//!   invalid or missing key at once in a [`ConfigError`];
//! - [`ConfigDef::validate`] a config for `PUT /connector-plugins/{p}/config/validate`
//!   ([`ConfigValue`], rendered as [`ConfigValueInfo`]);
//! - list the keys for `GET /connector-plugins/{p}/config` ([`ConfigKeyInfo`]);
//! - hint at typos ([`ConfigDef::suggest`]).
//!
//! Values are parsed exactly as Java parses them ([`parse_value`]), and error messages are
//! Kafka's (`Invalid value abc for configuration x: Not a number of type INT`,
//! `Missing required configuration "x" which has no default value.`). PASSWORD values live in
//! a [`Password`], which prints as `[hidden]` everywhere.
//!
//! ```
//! use std::collections::BTreeMap;
//! use connect_api::config::{
//!     CaseInsensitiveValidString, ConfigDef, ConfigKey, ConfigType, Importance, Width,
//! };
//!
//! let def = ConfigDef::new()
//!     .define(
//!         ConfigKey::new("schemas.enable", ConfigType::Boolean)
//!             .default_value(true)
//!             .importance(Importance::High)
//!             .documentation("Include schemas within each of the serialized values and keys.")
//!             .group("Schemas")
//!             .order_in_group(0)
//!             .width(Width::Medium)
//!             .display_name("Enable Schemas"),
//!     )
//!     .define(
//!         ConfigKey::new("decimal.format", ConfigType::String)
//!             .default_value("BASE64")
//!             .validator(CaseInsensitiveValidString::one_of(["BASE64", "NUMERIC"]))
//!             .importance(Importance::Low),
//!     )
//!     .define(
//!         ConfigKey::new("schemas.cache.size", ConfigType::Int).default_value(1000),
//!     );
//! assert!(def.definition_errors().is_empty());
//!
//! let raw = BTreeMap::from([("schemas.enable".to_string(), " FALSE ".to_string())]);
//! let config = def.parse(&raw)?;
//! assert!(!config.get_bool("schemas.enable")?);
//! assert_eq!(config.get_int("schemas.cache.size")?, 1000);
//! # Ok::<(), connect_api::ConnectError>(())
//! ```

mod def;
mod info;
mod key;
mod parse;
mod parsed;
mod password;
mod recommender;
mod suggest;
mod types;
mod validators;
mod value;

pub use def::ConfigDef;
pub use info::{ConfigKeyInfo, ConfigValue, ConfigValueInfo};
pub use key::{ConfigDefault, ConfigKey};
pub use parse::{java_trim, parse_value};
pub use parsed::{originals_with_prefix, ParsedConfig};
pub use password::{mask_url_credentials, Password};
pub use recommender::Recommender;
pub use suggest::suggest_key;
pub use types::{ConfigType, Importance, Width};
pub use validators::{
    CaseInsensitiveValidString, CompositeValidator, LambdaValidator, ListSize, NonEmptyString,
    NonEmptyStringWithoutControlChars, NonNullValidator, Range, RangeBound, ValidList, ValidString,
    Validator,
};
pub use value::ParsedValue;

pub use crate::error::{ConfigError, ConfigIssue};
