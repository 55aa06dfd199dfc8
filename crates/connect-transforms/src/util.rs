//! Helpers shared by the transforms: Java's `Requirements`, `SchemaUtil`,
//! `NonEmptyListValidator` and the `$Key`/`$Value` side selection.

use connect_api::config::{ConfigIssue, ParsedValue, Validator};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Type, Value,
};

/// Which part of the record a `$Key` / `$Value` transform variant works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The record key (`…$Key`).
    Key,
    /// The record value (`…$Value`).
    Value,
}

impl Side {
    /// The side named by a class name ending in `$Key` or `$Value`.
    pub fn of_class(class: &str) -> Option<Side> {
        if class.ends_with("$Key") {
            Some(Side::Key)
        } else if class.ends_with("$Value") {
            Some(Side::Value)
        } else {
            None
        }
    }

    /// The schema and value of this side.
    pub fn get<M>(self, record: &Record<M>) -> &SchemaAndValue {
        match self {
            Side::Key => &record.key,
            Side::Value => &record.value,
        }
    }

    /// The schema and value of this side, to change in place.
    pub fn get_mut<M>(self, record: &mut Record<M>) -> &mut SchemaAndValue {
        match self {
            Side::Key => &mut record.key,
            Side::Value => &mut record.value,
        }
    }

    /// Takes the schema and value of this side out of the record (leaving null).
    pub fn take<M>(self, record: &mut Record<M>) -> SchemaAndValue {
        match self {
            Side::Key => std::mem::take(&mut record.key),
            Side::Value => std::mem::take(&mut record.value),
        }
    }

    /// Replaces the schema and value of this side.
    pub fn set<M>(self, record: &mut Record<M>, data: SchemaAndValue) {
        let slot = match self {
            Side::Key => &mut record.key,
            Side::Value => &mut record.value,
        };
        let old = std::mem::replace(slot, data);
        // usually the null left by `take`
        old.value.discard();
    }
}

/// Sets a schema slot to `schema`, leaving it untouched when it already holds that very
/// schema (no reference count traffic on the hot path).
pub fn set_schema(slot: &mut Option<Schema>, schema: &Schema) {
    if !slot.as_ref().is_some_and(|s| s.ptr_eq(schema)) {
        *slot = Some(schema.clone());
    }
}

/// Kafka's `NonEmptyListValidator`: `Invalid value [] for configuration x: Empty list`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NonEmptyList;

impl Validator for NonEmptyList {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            Some(ParsedValue::List(items)) if !items.is_empty() => Ok(()),
            Some(v) => Err(ConfigIssue::invalid_value(
                name,
                v.to_string(),
                "Empty list",
            )),
            None => Err(ConfigIssue::invalid_null(name, "Empty list")),
        }
    }

    fn describe(&self) -> String {
        "non-empty list".to_string()
    }
}

/// Java's `Class.getName()` of a value (`java.lang.String`, `[B`), or `null`.
pub fn class_name(value: &Value) -> &'static str {
    let c = value.java_class();
    c.strip_prefix("class ").unwrap_or(c)
}

/// Java `Requirements.requireMap`: the entries of a schemaless map value.
pub fn require_map<'a>(value: &'a Value, purpose: &str) -> Result<&'a Vec<(Value, Value)>> {
    match value {
        Value::Map(entries) => Ok(entries),
        other => Err(ConnectError::data(format!(
            "Only Map objects supported in absence of schema for [{purpose}], found: {}",
            class_name(other)
        ))),
    }
}

/// Java `Requirements.requireStruct`.
pub fn require_struct<'a>(value: &'a Value, purpose: &str) -> Result<&'a connect_api::Struct> {
    match value {
        Value::Struct(s) => Ok(s),
        other => Err(ConnectError::data(format!(
            "Only Struct objects supported for [{purpose}], found: {}",
            class_name(other)
        ))),
    }
}

/// Java `SchemaUtil.copySchemaBasics(source)`: a builder of the same type (with the same
/// element/key/value schemas for arrays and maps) carrying name, version, doc and parameters.
/// `optional` and the default are *not* copied, as in Java.
pub fn copy_schema_basics(source: &Schema) -> SchemaBuilder {
    let builder = match source.schema_type() {
        Type::Array | Type::Map => SchemaBuilder::container(
            source.schema_type(),
            source.key_schema().cloned(),
            source.value_schema().cloned(),
        ),
        other => SchemaBuilder::new(other),
    };
    copy_schema_basics_into(source, builder)
}

/// Java `SchemaUtil.copySchemaBasics(source, builder)`.
pub fn copy_schema_basics_into(source: &Schema, mut builder: SchemaBuilder) -> SchemaBuilder {
    if let Some(name) = source.name() {
        builder = builder.name(name);
    }
    if let Some(v) = source.version() {
        builder = builder.version(v);
    }
    if let Some(doc) = source.doc() {
        builder = builder.doc(doc);
    }
    for (k, v) in source.parameters() {
        builder = builder.parameter(k.clone(), v.clone());
    }
    builder
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_messages_match_java() {
        let e = require_map(&Value::Null, "mask fields").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Only Map objects supported in absence of schema for [mask fields], found: null"
        );
        let e = require_struct(&Value::String("x".into()), "field extraction").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Only Struct objects supported for [field extraction], found: java.lang.String"
        );
    }

    #[test]
    fn side_of_class() {
        assert_eq!(
            Side::of_class("org.apache.kafka.connect.transforms.Cast$Key"),
            Some(Side::Key)
        );
        assert_eq!(Side::of_class("x.Cast$Value"), Some(Side::Value));
        assert_eq!(Side::of_class("x.Filter"), None);
    }
}
