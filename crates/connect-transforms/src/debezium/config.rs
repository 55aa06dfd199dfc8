//! The configuration of `ExtractNewRecordState`: Debezium's keys, defaults and documentation,
//! and how the current `delete.tombstone.handling.mode` and the legacy `drop.tombstones` +
//! `delete.handling.mode` pair resolve to one [`DeleteHandling`].

use std::collections::BTreeMap;

use connect_api::config::{ConfigKey, ConfigType, Importance, LambdaValidator, ParsedValue, Width};
use connect_api::error::ConfigIssue;
use connect_api::{ConfigDef, ConnectError, Result};

use crate::debezium::field_ref::FieldRef;

/// Config key: how delete events and tombstones are handled.
pub const DELETE_TOMBSTONE_HANDLING_MODE: &str = "delete.tombstone.handling.mode";
/// Legacy config key (Debezium < 3.0): drop tombstones.
pub const DROP_TOMBSTONES: &str = "drop.tombstones";
/// Legacy config key (Debezium < 3.0): `none`, `drop` or `rewrite` for delete events.
pub const DELETE_HANDLING_MODE: &str = "delete.handling.mode";
/// Config key: a field of the row whose value becomes the topic.
pub const ROUTE_BY_FIELD: &str = "route.by.field";
/// Config key: prefix of the fields added by `add.fields`.
pub const ADD_FIELDS_PREFIX: &str = "add.fields.prefix";
/// Config key: envelope fields to add to the value (`op`, `table`, `source.ts_ms`, `lsn:LSN`).
pub const ADD_FIELDS: &str = "add.fields";
/// Config key: prefix of the headers added by `add.headers`.
pub const ADD_HEADERS_PREFIX: &str = "add.headers.prefix";
/// Config key: envelope fields to add as headers.
pub const ADD_HEADERS: &str = "add.headers";
/// Config key: a header holding a list of field names to remove from the value.
pub const DROP_FIELDS_HEADER_NAME: &str = "drop.fields.header.name";
/// Config key: remove those fields from the key as well.
pub const DROP_FIELDS_FROM_KEY: &str = "drop.fields.from.key";
/// Config key: remove only optional fields, so that schemas stay compatible.
pub const DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE: &str = "drop.fields.keep.schema.compatible";
/// Config key: a null field with a default reads as its default when a record is rewritten.
pub const REPLACE_NULL_WITH_DEFAULT: &str = "replace.null.with.default";

/// The prefix both `add.*.prefix` keys default to.
pub const METADATA_FIELD_PREFIX: &str = "__";
/// The field the rewrite modes add (`"true"` for deletes, `"false"` otherwise).
pub const DELETED_FIELD: &str = "__deleted";

/// The values of `delete.tombstone.handling.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Drop delete events and tombstones.
    Drop,
    /// Keep a delete event as a record with a null value (and the row's schema); drop
    /// tombstones. The default.
    Tombstone,
    /// Rewrite a delete event to the `before` row with `__deleted=true`; drop tombstones.
    Rewrite,
    /// As `rewrite`, keeping tombstones.
    RewriteWithTombstone,
    /// Turn a delete event into a tombstone (null value and null schema); drop tombstones.
    DeleteToTombstone,
}

impl Mode {
    const ALL: [(Mode, &'static str); 5] = [
        (Mode::Drop, "drop"),
        (Mode::Tombstone, "tombstone"),
        (Mode::Rewrite, "rewrite"),
        (Mode::RewriteWithTombstone, "rewrite-with-tombstone"),
        (Mode::DeleteToTombstone, "delete-to-tombstone"),
    ];

    /// The mode named `text` (trimmed, any case), as Debezium parses it.
    pub fn parse(text: &str) -> Option<Mode> {
        let text = text.trim();
        Self::ALL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(text))
            .map(|(mode, _)| *mode)
    }

    /// What the mode does to delete events and tombstones.
    pub fn handling(self) -> DeleteHandling {
        let (delete, keep_tombstones) = match self {
            Mode::Drop => (DeleteAction::Drop, false),
            Mode::Tombstone => (DeleteAction::NullValue, false),
            Mode::Rewrite => (DeleteAction::Rewrite, false),
            Mode::RewriteWithTombstone => (DeleteAction::Rewrite, true),
            Mode::DeleteToTombstone => (DeleteAction::Tombstone, false),
        };
        DeleteHandling {
            delete,
            keep_tombstones,
        }
    }
}

/// What happens to a delete event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeleteAction {
    /// It is dropped.
    Drop,
    /// It becomes a record whose value is null under the row's (optional) schema.
    NullValue,
    /// It becomes a tombstone: null value, no value schema.
    Tombstone,
    /// It becomes the `before` row plus `__deleted: "true"` (and other rows get
    /// `__deleted: "false"`).
    Rewrite,
}

/// How delete events and tombstones are handled (both settings of the legacy keys can be
/// expressed, including pairs no current mode names, such as keeping tombstones while
/// dropping deletes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteHandling {
    /// What happens to delete events.
    pub delete: DeleteAction,
    /// Whether tombstones (records with a null value) pass.
    pub keep_tombstones: bool,
}

fn one_of(valid: &'static [&'static str]) -> LambdaValidator {
    LambdaValidator::new(
        move |name, value| {
            let text = match value {
                Some(ParsedValue::String(s)) => s.as_str(),
                None => return Ok(()),
                Some(other) => {
                    return Err(ConfigIssue::invalid_value(
                        name,
                        other.to_string(),
                        "Not a string",
                    ))
                }
            };
            // Blank means unset (Debezium's `isNullOrBlank`).
            if text.trim().is_empty() || valid.iter().any(|v| v.eq_ignore_ascii_case(text.trim())) {
                Ok(())
            } else {
                Err(ConfigIssue::invalid_value(
                    name,
                    text,
                    format!("Value must be one of {}", valid.join(", ")),
                ))
            }
        },
        format!("one of {}", valid.join(", ")),
    )
}

/// Debezium's config definition of `ExtractNewRecordState`.
pub fn config_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new(DELETE_TOMBSTONE_HANDLING_MODE, ConfigType::String)
                .default_value("tombstone")
                .validator(one_of(&[
                    "drop",
                    "tombstone",
                    "rewrite",
                    "rewrite-with-tombstone",
                    "delete-to-tombstone",
                ]))
                .importance(Importance::Medium)
                .width(Width::Medium)
                .display_name("Handle delete and tombstone records")
                .documentation(
                    "What happens to delete events and tombstones: drop discards both; tombstone (default) \
keeps just the tombstone of each delete; rewrite discards tombstones and marks deletes with `__deleted`=`true`; \
rewrite-with-tombstone marks deletes with `__deleted`=`true` and keeps tombstones; delete-to-tombstone \
turns delete events into tombstones and discards the original tombstones. If unset, the deprecated \
drop.tombstones and delete.handling.mode are honoured when either is set.",
                ),
        )
        .define(
            ConfigKey::new(DROP_TOMBSTONES, ConfigType::Boolean)
                .default_value(true)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Drop tombstones")
                .documentation(
                    "Deprecated in favour of \"delete.tombstone.handling.mode\". When true, the tombstones \
that Debezium sends after delete events are discarded.",
                ),
        )
        .define(
            ConfigKey::new(DELETE_HANDLING_MODE, ConfigType::String)
                .default_value("drop")
                .validator(one_of(&["none", "drop", "rewrite"]))
                .importance(Importance::Medium)
                .width(Width::Medium)
                .display_name("Handle delete records")
                .documentation(
                    "Deprecated in favour of \"delete.tombstone.handling.mode\". none keeps delete events, \
drop (the default) discards them, and rewrite adds a __deleted field to them.",
                ),
        )
        .define(
            ConfigKey::new(ROUTE_BY_FIELD, ConfigType::String)
                .default_value("")
                .importance(Importance::Low)
                .width(Width::Long)
                .display_name("Route by field name")
                .documentation("Column whose value becomes the topic of the event, to route events by content."),
        )
        .define(
            ConfigKey::new(ADD_FIELDS_PREFIX, ConfigType::String)
                .default_value(METADATA_FIELD_PREFIX)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Field prefix to be added to each field.")
                .documentation("Prefix given to the names of the fields added by add.fields."),
        )
        .define(
            ConfigKey::new(ADD_FIELDS, ConfigType::List)
                .default_value("")
                .importance(Importance::Low)
                .width(Width::Long)
                .display_name("Adds the specified field(s) to the message if they exist.")
                .documentation(
                    "Metadata fields copied into the record, each named add.fields.prefix (default __) plus <struct>_ when taken \
from a struct: 'version,connector,source.ts_ms' yields __version, __connector and __source_ts_ms. \
Write field:NAME (e.g. version:VERSION,source.ts_ms:EVENT_TIMESTAMP) to choose a case-sensitive name instead.",
                ),
        )
        .define(
            ConfigKey::new(ADD_HEADERS_PREFIX, ConfigType::String)
                .default_value(METADATA_FIELD_PREFIX)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Header prefix to be added to each header.")
                .documentation("Prefix given to the names of the headers added by add.headers."),
        )
        .define(
            ConfigKey::new(ADD_HEADERS, ConfigType::List)
                .default_value("")
                .importance(Importance::Low)
                .width(Width::Long)
                .display_name("Adds the specified fields to the header if they exist.")
                .documentation(
                    "Metadata fields copied into headers, each named add.headers.prefix (default __) plus <struct>_ when taken \
from a struct: 'version,connector,source.ts_ms' yields __version, __connector and __source_ts_ms. \
Write field:NAME (e.g. version:VERSION,source.ts_ms:EVENT_TIMESTAMP) to choose a case-sensitive name instead.",
                ),
        )
        .define(
            ConfigKey::new(DROP_FIELDS_HEADER_NAME, ConfigType::String)
                .default_null()
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Specifies a header that contains a list of field names to be removed")
                .documentation("Name of a header whose content lists the fields to delete from the event value."),
        )
        .define(
            ConfigKey::new(DROP_FIELDS_FROM_KEY, ConfigType::Boolean)
                .default_value(false)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Specifies whether the fields to be dropped should also be omitted from the key")
                .documentation("When true, the fields named in the drop-fields header are deleted from the event key too; \
by default only the value loses them."),
        )
        .define(
            ConfigKey::new(DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE, ConfigType::Boolean)
                .default_value(true)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("Specifies if fields are dropped, will the event's schemas be compatible")
                .documentation("How dropping fields affects schemas: `true` drops only fields whose schema is optional and keeps \
the key/value schemas as they are; `false` also deletes the fields from the schemas, optional or not."),
        )
        .define(
            ConfigKey::new(REPLACE_NULL_WITH_DEFAULT, ConfigType::Boolean)
                .default_value(true)
                .importance(Importance::Low)
                .width(Width::Short)
                .display_name("replace null field value with default")
                .documentation("If enabled, null field values get the default defined by the source when the record is rewritten."),
        )
}

/// The parsed settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Delete and tombstone handling.
    pub handling: DeleteHandling,
    /// Fields to add to the value.
    pub add_fields: Vec<FieldRef>,
    /// Fields to add as headers.
    pub add_headers: Vec<FieldRef>,
    /// The row field naming the topic, if any.
    pub route_by_field: Option<String>,
    /// The header listing fields to drop, if any.
    pub drop_fields_header: Option<String>,
    /// Drop those fields from the key too.
    pub drop_fields_from_key: bool,
    /// Drop only optional fields.
    pub drop_fields_keep_schema_compatible: bool,
    /// Rewrites read null fields as their defaults.
    pub replace_null_with_default: bool,
}

impl Settings {
    /// Parses a config. `delete.tombstone.handling.mode` wins when it is set (not blank);
    /// otherwise, if `drop.tombstones` or `delete.handling.mode` is set, they decide (with
    /// their defaults `true` and `drop`); otherwise the mode is `tombstone`.
    pub fn parse(config: &BTreeMap<String, String>) -> Result<Settings> {
        let parsed = config_def().parse(config)?;
        let mode_set = config
            .get(DELETE_TOMBSTONE_HANDLING_MODE)
            .is_some_and(|v| !v.trim().is_empty());
        let legacy_set =
            config.contains_key(DROP_TOMBSTONES) || config.contains_key(DELETE_HANDLING_MODE);
        let handling = if mode_set || !legacy_set {
            let text = parsed.get_string(DELETE_TOMBSTONE_HANDLING_MODE)?;
            let mode = if text.trim().is_empty() {
                Mode::Tombstone
            } else {
                Mode::parse(text).ok_or_else(|| {
                    ConnectError::config(DELETE_TOMBSTONE_HANDLING_MODE, text, "Unknown mode")
                })?
            };
            mode.handling()
        } else {
            let delete = match parsed
                .get_string(DELETE_HANDLING_MODE)?
                .trim()
                .to_ascii_lowercase()
                .as_str()
            {
                "none" => DeleteAction::NullValue,
                "rewrite" => DeleteAction::Rewrite,
                _ => DeleteAction::Drop,
            };
            DeleteHandling {
                delete,
                keep_tombstones: !parsed.get_bool(DROP_TOMBSTONES)?,
            }
        };
        let refs = |list_key: &str, prefix_key: &str| -> Result<Vec<FieldRef>> {
            let prefix = parsed.get_string(prefix_key)?;
            parsed
                .get_list(list_key)?
                .iter()
                .map(|spec| {
                    FieldRef::parse(prefix, spec).map_err(|message| {
                        ConnectError::config(
                            list_key,
                            parsed
                                .get_list(list_key)
                                .map(|l| l.join(","))
                                .unwrap_or_default(),
                            message,
                        )
                    })
                })
                .collect()
        };
        let route = parsed.get_string(ROUTE_BY_FIELD)?;
        let drop_header = parsed
            .get_raw(DROP_FIELDS_HEADER_NAME)?
            .and_then(ParsedValue::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string);
        Ok(Settings {
            handling,
            add_fields: refs(ADD_FIELDS, ADD_FIELDS_PREFIX)?,
            add_headers: refs(ADD_HEADERS, ADD_HEADERS_PREFIX)?,
            route_by_field: (!route.is_empty()).then(|| route.to_string()),
            drop_fields_header: drop_header,
            drop_fields_from_key: parsed.get_bool(DROP_FIELDS_FROM_KEY)?,
            drop_fields_keep_schema_compatible: parsed
                .get_bool(DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE)?,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT)?,
        })
    }
}
