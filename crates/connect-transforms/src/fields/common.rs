//! Helpers shared by the field transforms: the `replace.null.with.default` key, a non-empty
//! list validator, a small schema cache, struct slot access with or without defaults, the
//! checks Java's `Struct.put` makes, and `HashMap.put`-like updates of schemaless maps.

use std::collections::HashMap;

use connect_api::config::{ConfigKey, ConfigType, Importance};
use connect_api::data::validate_value;
use connect_api::{ConnectError, Field, Result, Struct, Type, Value};

use crate::util::{require_map, require_struct};

/// Name of the KIP-1040 key shared by most field transforms.
pub const REPLACE_NULL_WITH_DEFAULT_CONFIG: &str = "replace.null.with.default";

/// The `replace.null.with.default` key (BOOLEAN, default true, MEDIUM), as Kafka 3.9 defines it.
pub fn replace_null_with_default_key() -> ConfigKey {
    ConfigKey::new(REPLACE_NULL_WITH_DEFAULT_CONFIG, ConfigType::Boolean)
        .default_value(true)
        .importance(Importance::Medium)
        .documentation(
            "When true, a null field whose schema declares a default is emitted with that default; \
             when false, it stays null.",
        )
}

/// Java's `Struct.get(field)` applied in place: a null slot takes the field's default when
/// `with_default` (and the field has one).
#[inline]
pub fn apply_default(slot: &mut Value, field: &Field, with_default: bool) {
    if with_default && slot.is_null() {
        if let Some(default) = field.schema().default_value() {
            *slot = default.clone();
        }
    }
}

/// A borrowed struct slot value, or (when `with_default` and it is null) the field's default:
/// Java's `Struct.get(field)` versus `getWithoutDefault`.
#[inline]
pub fn slot_ref<'a>(stored: &'a Value, field: &'a Field, with_default: bool) -> &'a Value {
    if with_default && stored.is_null() {
        if let Some(default) = field.schema().default_value() {
            return default;
        }
    }
    stored
}

/// The check Java's `Struct.put(field, value)` makes, cheaply: a null for a required field, a
/// value of the wrong class, or a struct of another schema fails with Java's message (built by
/// `validate_value`, only when something is wrong). Nested containers are not walked: the
/// values come from structs that were checked when they were built.
pub fn check_put(field: &Field, value: &Value) -> Result<()> {
    let schema = field.schema();
    let suspicious = match value {
        Value::Null => !schema.is_optional(),
        Value::Struct(s) => schema.schema_type() != Type::Struct || s.schema() != schema,
        other => !connect_api::data::class_matches(schema, other),
    };
    if suspicious {
        validate_value(Some(field.name()), schema, value)?;
    }
    Ok(())
}

/// [`check_put`] for a value copied from a slot of a valid struct whose field had the same
/// schema type (only optionality or the default may differ): its class fits already, so
/// only a null for a required field can fail.
#[inline]
pub fn check_copied(field: &Field, value: &Value) -> Result<()> {
    if value.is_null() && !field.schema().is_optional() {
        validate_value(Some(field.name()), field.schema(), value)?;
    }
    Ok(())
}

/// Java's `Map.put(key, value)` on a schemaless map: replaces the value of an existing string
/// key in place, or appends the entry.
pub fn map_put(entries: &mut Vec<(Value, Value)>, key: &str, value: Value) {
    match entries
        .iter_mut()
        .find(|(k, _)| matches!(k, Value::String(s) if s == key))
    {
        Some(slot) => slot.1 = value,
        None => entries.push((Value::String(key.to_string()), value)),
    }
}

/// Java's `Map.get(key)` on a schemaless map with a string key.
pub fn map_get<'a>(entries: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    entries
        .iter()
        .find(|(k, _)| matches!(k, Value::String(s) if s == key))
        .map(|(_, v)| v)
}

/// A map under construction whose keys are strings, with Java `HashMap.put` semantics (a key
/// put twice keeps its first position and takes the last value) and hashed look-ups.
#[derive(Debug, Default)]
pub struct StringKeyedMap {
    entries: Vec<(Value, Value)>,
    index: HashMap<String, usize>,
}

impl StringKeyedMap {
    /// An empty map with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        StringKeyedMap {
            entries: Vec::with_capacity(capacity),
            index: HashMap::with_capacity(capacity),
        }
    }

    /// Puts `key` → `value`.
    pub fn put(&mut self, key: String, value: Value) {
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((Value::String(key), value));
            }
        }
    }

    /// The entries, in insertion order.
    pub fn into_entries(self) -> Vec<(Value, Value)> {
        self.entries
    }
}

/// The entries of a schemaless map value, taken by value; anything else fails as Java's
/// `Requirements.requireMap(value, purpose)` does.
pub fn into_map(value: Value, purpose: &str) -> Result<Vec<(Value, Value)>> {
    match value {
        Value::Map(entries) => Ok(entries),
        other => {
            // Always an error for a non-map value.
            require_map(&other, purpose)?;
            Ok(Vec::new())
        }
    }
}

/// A struct value, taken by value; anything else fails as Java's
/// `Requirements.requireStruct(value, purpose)` does.
pub fn into_struct(value: Value, purpose: &str) -> Result<Struct> {
    match value {
        Value::Struct(s) => Ok(s),
        other => {
            require_struct(&other, purpose)?;
            Err(ConnectError::data(format!(
                "Only Struct objects supported for [{purpose}]"
            )))
        }
    }
}

/// Java's `ClassCastException` when a schemaless map key is not a `String`.
pub fn key_not_string(key: &Value) -> ConnectError {
    ConnectError::data(format!(
        "class {} cannot be cast to class java.lang.String",
        crate::util::class_name(key)
    ))
}

/// Java's `String.split(String.valueOf(sep))`: all pieces, trailing empty ones removed; an
/// empty input gives one empty piece.
pub fn java_split(text: &str, sep: char) -> Vec<&str> {
    if text.is_empty() {
        return vec![""];
    }
    let mut parts: Vec<&str> = text.split(sep).collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::Schema;

    #[test]
    fn java_split_semantics() {
        assert_eq!(java_split("id:", ':'), vec!["id"]);
        assert_eq!(java_split(":x", ':'), vec!["", "x"]);
        assert_eq!(java_split(":", ':'), Vec::<&str>::new());
        assert_eq!(java_split("", ':'), vec![""]);
        assert_eq!(java_split("a:b:c", ':'), vec!["a", "b", "c"]);
        assert_eq!(java_split("a::b", ':'), vec!["a", "", "b"]);
    }

    #[test]
    fn check_put_reports_java_messages() {
        let f = Field::new("id", 0, Schema::required(Type::Int64));
        assert_eq!(
            check_put(&f, &Value::Null).unwrap_err().to_string(),
            "Invalid value: null used for required field: \"id\", schema type: INT64"
        );
        assert_eq!(
            check_put(&f, &Value::String("x".into()))
                .unwrap_err()
                .to_string(),
            "Invalid Java object for schema with type INT64: class java.lang.String for field: \"id\""
        );
        check_put(&f, &Value::Int64(1)).unwrap();
        assert_eq!(
            check_copied(&f, &Value::Null).unwrap_err().to_string(),
            "Invalid value: null used for required field: \"id\", schema type: INT64"
        );
        check_copied(&f, &Value::Int64(1)).unwrap();
        let with_default = Field::new(
            "d",
            0,
            connect_api::SchemaBuilder::new(Type::Int64)
                .optional()
                .default_value(Value::Int64(3))
                .build()
                .unwrap(),
        );
        let mut slot = Value::Null;
        apply_default(&mut slot, &with_default, false);
        assert_eq!(slot, Value::Null);
        apply_default(&mut slot, &with_default, true);
        assert_eq!(slot, Value::Int64(3));
        let opt = Field::new("o", 0, Schema::optional(Type::Int64));
        check_put(&opt, &Value::Null).unwrap();
    }

    #[test]
    fn map_helpers_follow_hash_map_put() {
        let mut entries = vec![(Value::from("a"), Value::from(1i32))];
        map_put(&mut entries, "a", Value::from(2i32));
        map_put(&mut entries, "b", Value::Null);
        assert_eq!(
            entries,
            vec![
                (Value::from("a"), Value::from(2i32)),
                (Value::from("b"), Value::Null)
            ]
        );
        assert_eq!(map_get(&entries, "a"), Some(&Value::from(2i32)));
        assert_eq!(map_get(&entries, "zz"), None);

        let mut m = StringKeyedMap::with_capacity(2);
        m.put("x".into(), Value::from(1i32));
        m.put("y".into(), Value::from(2i32));
        m.put("x".into(), Value::from(3i32));
        assert_eq!(
            m.into_entries(),
            vec![
                (Value::from("x"), Value::from(3i32)),
                (Value::from("y"), Value::from(2i32))
            ]
        );
    }
}
