//! Field paths of KIP-821 (Kafka's `FieldSyntaxVersion` and `SingleFieldPath`): `V1` names a
//! top-level field as is; `V2` reads dotted paths into nested structs and maps, with backtick
//! quoting for names that contain dots (`` `a.b`.c ``) and a backslash escaping a backtick
//! that would otherwise close the quote.
//!
//! In Kafka 3.9 only `ExtractField` uses them; they are public so that other transforms can.

use std::collections::BTreeMap;

use connect_api::config::{
    CaseInsensitiveValidString, ConfigDef, ConfigKey, ConfigType, Importance, ParsedConfig,
};
use connect_api::{ConnectError, Field, Result, Schema, Struct, Type, Value};

use super::common::map_get;
use crate::util::class_name;

/// The config key selecting the syntax.
pub const FIELD_SYNTAX_VERSION_CONFIG: &str = "field.syntax.version";

const FIELD_SYNTAX_VERSION_DOC: &str =
    "Field path syntax: `V1` reads every path as one top-level field \
name of the struct or map, while `V2` walks nested fields with dots and lets backticks quote a \
name that itself contains dots (\"`foo.bar`.baz\" is subfield `baz` of field \"foo.bar\").";

/// Java `FieldSyntaxVersion`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldSyntaxVersion {
    /// The whole text is one top-level field name.
    #[default]
    V1,
    /// Dotted paths with backtick quoting.
    V2,
}

impl FieldSyntaxVersion {
    /// Java `FieldSyntaxVersion.appendConfigTo`: adds `field.syntax.version` (STRING, default
    /// `V1`, one of `V1`/`V2` ignoring case, HIGH) to `def`.
    pub fn append_config_to(def: ConfigDef) -> ConfigDef {
        def.define(
            ConfigKey::new(FIELD_SYNTAX_VERSION_CONFIG, ConfigType::String)
                .default_value("V1")
                .validator(CaseInsensitiveValidString::one_of(["V1", "V2"]))
                .importance(Importance::High)
                .documentation(FIELD_SYNTAX_VERSION_DOC),
        )
    }

    /// Java `FieldSyntaxVersion.fromConfig`.
    pub fn from_config(config: &ParsedConfig) -> Result<Self> {
        let text = config.get_string(FIELD_SYNTAX_VERSION_CONFIG)?;
        match text.to_uppercase().as_str() {
            "V1" => Ok(FieldSyntaxVersion::V1),
            "V2" => Ok(FieldSyntaxVersion::V2),
            _ => Err(ConnectError::config(
                FIELD_SYNTAX_VERSION_CONFIG,
                text,
                "Unrecognized field syntax version",
            )),
        }
    }
}

/// Java `SingleFieldPath`: the steps to one (possibly nested) field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SingleFieldPath {
    original: String,
    version: FieldSyntaxVersion,
    steps: Vec<String>,
}

/// Java's `IllegalArgumentException` from `List.subList(0, -1)` on a path without steps
/// (the `V2` path of an empty text).
fn no_steps() -> ConnectError {
    ConnectError::data("fromIndex(0) > toIndex(-1)")
}

impl SingleFieldPath {
    /// Parses `path` with `version`. `V2` fails with a config error on an unpaired backtick:
    /// `Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick
    /// at position 0 to escape it`.
    pub fn new(path: &str, version: FieldSyntaxVersion) -> Result<Self> {
        let steps = match version {
            FieldSyntaxVersion::V1 => vec![path.to_string()],
            FieldSyntaxVersion::V2 => parse_v2(path)?,
        };
        Ok(SingleFieldPath {
            original: path.to_string(),
            version,
            steps,
        })
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[String] {
        &self.steps
    }

    /// The path text as configured.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The syntax the path was read with.
    pub fn version(&self) -> FieldSyntaxVersion {
        self.version
    }

    fn split(&self) -> Result<(&[String], &str)> {
        match self.steps.split_last() {
            Some((last, init)) => Ok((init, last.as_str())),
            None => Err(no_steps()),
        }
    }

    /// Java `fieldFrom(schema)`: the field the path names in a struct schema, or `None` when a
    /// step is missing. A step into a schema that is not a struct fails as Java's
    /// `ConnectSchema.field` does (`Cannot look up fields on non-struct type`).
    pub fn field_from<'a>(&self, schema: &'a Schema) -> Result<Option<&'a Field>> {
        let (init, last) = self.split()?;
        let mut current = schema;
        for step in init {
            match struct_field(current, step)? {
                Some(field) => current = field.schema(),
                None => return Ok(None),
            }
        }
        struct_field(current, last)
    }

    /// Java `valueFrom(struct, withDefault)`, taking the struct by value: the value at the
    /// path, or null when a step is missing or an intermediate value is not a struct.
    pub fn value_from_struct(&self, value: Struct, with_default: bool) -> Result<Value> {
        let (init, last) = self.split()?;
        let mut current = value;
        for step in init {
            match take_struct_field(current, step, with_default) {
                Value::Struct(s) => current = s,
                _ => return Ok(Value::Null),
            }
        }
        Ok(take_struct_field(current, last, with_default))
    }

    /// Java `valueFrom(map)`, taking the map entries by value: the value at the path, or null
    /// when a step is missing. An intermediate value that is neither a map nor null fails:
    /// `Only Map objects supported in absence of schema for [nested field access], found: …`.
    pub fn value_from_map(&self, entries: Vec<(Value, Value)>) -> Result<Value> {
        let (init, last) = self.split()?;
        let mut current = entries;
        for step in init {
            match take_map_entry(current, step) {
                Value::Map(m) => current = m,
                Value::Null => return Ok(Value::Null),
                other => {
                    return Err(ConnectError::data(format!(
                        "Only Map objects supported in absence of schema for [nested field access], found: {}",
                        class_name(&other)
                    )))
                }
            }
        }
        Ok(take_map_entry(current, last))
    }

    /// Like [`value_from_map`](Self::value_from_map) on borrowed entries (the value is cloned).
    pub fn value_from_map_ref(&self, entries: &[(Value, Value)]) -> Result<Value> {
        let (init, last) = self.split()?;
        let mut current = entries;
        for step in init {
            match map_get(current, step) {
                Some(Value::Map(m)) => current = m,
                None | Some(Value::Null) => return Ok(Value::Null),
                Some(other) => {
                    return Err(ConnectError::data(format!(
                        "Only Map objects supported in absence of schema for [nested field access], found: {}",
                        class_name(other)
                    )))
                }
            }
        }
        Ok(map_get(current, last).cloned().unwrap_or(Value::Null))
    }
}

impl std::fmt::Display for SingleFieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.original)
    }
}

/// Java `Schema.field(name)`: non-struct schemas throw.
fn struct_field<'a>(schema: &'a Schema, name: &str) -> Result<Option<&'a Field>> {
    if schema.schema_type() != Type::Struct {
        return Err(ConnectError::data(
            "Cannot look up fields on non-struct type",
        ));
    }
    Ok(schema.field(name))
}

/// The value of field `name` of `value` (its default when null and `with_default`), or null
/// when the struct's schema has no such field.
fn take_struct_field(value: Struct, name: &str, with_default: bool) -> Value {
    let Some(index) = value.schema().field(name).map(Field::index) else {
        return Value::Null;
    };
    let default = if with_default {
        value.schema().fields()[index]
            .schema()
            .default_value()
            .cloned()
    } else {
        None
    };
    let stored = value
        .into_values()
        .into_iter()
        .nth(index)
        .unwrap_or(Value::Null);
    match (stored, default) {
        (Value::Null, Some(d)) => d,
        (v, _) => v,
    }
}

/// Moves the value of string key `key` out of a map (null when absent).
fn take_map_entry(entries: Vec<(Value, Value)>, key: &str) -> Value {
    entries
        .into_iter()
        .find(|(k, _)| matches!(k, Value::String(s) if s == key))
        .map(|(_, v)| v)
        .unwrap_or(Value::Null)
}

fn incomplete_backtick(path: &str, at: usize) -> ConnectError {
    ConnectError::config_message(format!(
        "Incomplete backtick pair in path: [{path}], consider adding a backslash before \
         backtick at position {at} to escape it"
    ))
}

/// Reads a `V2` path into steps, exactly as Kafka 3.9 does (including its corner cases: `a.`
/// is `["a", ""]`, `.a` is `["", "a"]`, the empty text has no steps). Positions in messages
/// count UTF-16 units, as Java's do.
fn parse_v2(path: &str) -> Result<Vec<String>> {
    let chars: Vec<char> = path.chars().collect();
    let len = chars.len();
    let utf16_pos = |i: usize| chars[..i].iter().map(|c| c.len_utf16()).sum::<usize>();
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let find = |c: char, from: usize| chars[from..].iter().position(|x| *x == c).map(|p| p + from);

    let mut steps: Vec<String> = Vec::new();
    let mut idx = 0usize;
    while idx < len {
        if chars[idx] != '`' {
            let start = idx;
            match find('.', idx) {
                Some(dot) => {
                    steps.push(text(start, dot));
                    idx = dot + 1;
                }
                None => {
                    steps.push(text(start, len));
                    break;
                }
            }
        } else {
            let backtick_at = idx;
            idx += 1;
            let mut field = String::new();
            let mut start = idx;
            loop {
                let Some(close) = find('`', idx) else {
                    return Err(incomplete_backtick(path, utf16_pos(backtick_at)));
                };
                idx = close;
                // `close >= 1` always holds: the opening backtick precedes it.
                let escaped = chars[idx - 1] == '\\';
                if idx + 1 >= len {
                    if escaped {
                        return Err(incomplete_backtick(path, utf16_pos(backtick_at)));
                    }
                    field.push_str(&text(start, idx));
                    steps.push(std::mem::take(&mut field));
                    idx += 1;
                    break;
                }
                if chars[idx + 1] != '.' {
                    idx += 1;
                    continue;
                }
                if escaped {
                    field.push_str(&text(start, idx - 1));
                    field.push('`');
                    idx += 1;
                    start = idx;
                    continue;
                }
                field.push_str(&text(start, idx));
                steps.push(std::mem::take(&mut field));
                idx += 2;
                break;
            }
        }
    }
    if path.ends_with('.') {
        steps.push(String::new());
    }
    Ok(steps)
}

/// Reads `field.syntax.version` from a raw config (a helper for transforms that parse it
/// next to their own keys).
pub fn version_of(raw: &BTreeMap<String, String>) -> Result<FieldSyntaxVersion> {
    let def = FieldSyntaxVersion::append_config_to(ConfigDef::new());
    FieldSyntaxVersion::from_config(&def.parse(raw)?)
}

#[cfg(test)]
#[path = "field_path_tests.rs"]
mod tests;
