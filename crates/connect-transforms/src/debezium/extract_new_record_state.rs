//! `io.debezium.transforms.ExtractNewRecordState` (usually aliased `unwrap`): replaces a
//! Debezium change event envelope (`before`, `after`, `source`, `op`, `ts_ms`, …) with the row
//! state after the change, handling deletes and tombstones as configured and optionally adding
//! envelope fields to the row (`add.fields`) or as headers (`add.headers`).
//!
//! An envelope is a value whose schema name ends with `.Envelope` (a struct, as Debezium
//! produces it). As a Ferry extension, a schemaless envelope (a map with an `op` entry and a
//! `before` or `after` entry, as JsonConverter with `schemas.enable=false` reads it) is
//! unwrapped too; Debezium passes such records through unchanged. Other records pass through
//! unchanged, tombstones are handled by the delete mode.
//!
//! Outcomes, by event:
//! - create/update/read (`after` set): the `after` row, plus `add.fields`, minus the fields of
//!   the drop header, plus `__deleted: "false"` in the rewrite modes. Its schema is the row
//!   schema rebuilt (name, version, doc and parameters kept, *required*), as Debezium's
//!   `SchemaUtil.copySchemaBasics` leaves it.
//! - delete (`after` null, `before` set): see [`Mode`](crate::debezium::config::Mode).
//! - truncate and other events with neither row: dropped.
//! - tombstone (null value): kept only by `rewrite-with-tombstone` (or `drop.tombstones=false`),
//!   with an `op` header (`d`) when `add.headers` names `op`.
//!
//! `route.by.field` routes every output of an event (Debezium leaves rewritten deletes on the
//! original topic; Ferry routes them with the others, so that deletes follow their rows).

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::data::validate_value;
use connect_api::{
    ConfigDef, ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct,
    Transformation, Transformed, Type, Value,
};

use crate::cache::{CacheKey, Cached, SchemaCache};
use crate::debezium::config::{self, DeleteAction, Settings, DELETED_FIELD};
use crate::routing::support::check_header_value;
use crate::util::{class_name, copy_schema_basics_into, require_map, require_struct};

/// The purpose named in messages about the row (Debezium's `PURPOSE`).
const PURPOSE: &str = "source field insertion";
/// Size of each schema cache (Debezium uses 64).
const CACHE_SIZE: usize = 64;

/// What the transform needs to know about one envelope schema, computed once per schema.
#[derive(Debug)]
struct EnvelopePlan {
    /// Index of `after` in the envelope.
    after: usize,
    /// Index of `before` in the envelope.
    before: usize,
    /// Schema of the `after` field (the row schema).
    after_schema: Schema,
    /// For each `add.fields` entry, the schema of the added field (`None`: not added).
    field_schemas: Vec<Option<Schema>>,
    /// For each `add.headers` entry, the schema of the header (`None`: not added).
    header_schemas: Vec<Option<Schema>>,
}

/// A schema and the names of fields dropped from it.
#[derive(Debug, Clone, PartialEq)]
struct Dropped(Schema, Vec<String>);

impl CacheKey for Dropped {
    fn same(&self, other: &Self) -> bool {
        self.0.ptr_eq(&other.0) && self.1 == other.1
    }
}

/// The ExtractNewRecordState transformation.
#[derive(Debug)]
pub struct ExtractNewRecordState {
    settings: Settings,
    plans: SchemaCache<Schema, Arc<EnvelopePlan>>,
    /// (row schema, envelope schema) → row schema with the added fields.
    added: SchemaCache<(Schema, Schema), Schema>,
    /// row schema → row schema with `__deleted`.
    deleted: SchemaCache<Schema, Schema>,
    /// (schema, dropped names) → schema without them.
    dropped: SchemaCache<Dropped, Schema>,
}

impl ExtractNewRecordState {
    /// A configured ExtractNewRecordState.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        Ok(ExtractNewRecordState {
            settings: Settings::parse(config)?,
            plans: SchemaCache::with_capacity(CACHE_SIZE),
            added: SchemaCache::with_capacity(CACHE_SIZE),
            deleted: SchemaCache::with_capacity(CACHE_SIZE),
            dropped: SchemaCache::with_capacity(CACHE_SIZE),
        })
    }

    /// Debezium's config definition.
    pub fn config_def() -> ConfigDef {
        config::config_def()
    }

    /// The parsed settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn plan(&self, envelope: &Schema) -> Result<Arc<EnvelopePlan>> {
        self.plans
            .get_or_try_insert(envelope, || {
                let find = |name: &str| {
                    envelope
                        .field(name)
                        .ok_or_else(|| ConnectError::data(format!("Unknown field: {name}")))
                };
                let after = find("after")?;
                let before = find("before")?;
                let schemas = |refs: &[crate::debezium::field_ref::FieldRef]| {
                    refs.iter()
                        .map(|r| r.schema_in(envelope))
                        .collect::<Result<Vec<_>>>()
                };
                Ok(Arc::new(EnvelopePlan {
                    after: after.index(),
                    before: before.index(),
                    after_schema: after.schema().clone(),
                    field_schemas: schemas(&self.settings.add_fields)?,
                    header_schemas: schemas(&self.settings.add_headers)?,
                }))
            })
            .map(Cached::into_owned)
    }

    /// A tombstone: kept or dropped; a kept one gets the `op` headers (`d`).
    fn tombstone<M>(&self, record: &mut Record<M>) -> Transformed {
        if !self.settings.handling.keep_tombstones {
            return Transformed::Drop;
        }
        for r in self
            .settings
            .add_headers
            .iter()
            .filter(|r| r.field() == "op")
        {
            record.headers.add(
                r.new_name(),
                Some(Schema::required(Type::String)),
                Value::from("d"),
            );
        }
        Transformed::Keep
    }

    fn apply_struct<M>(
        &self,
        record: &mut Record<M>,
        envelope_schema: Schema,
    ) -> Result<Transformed> {
        let value = std::mem::take(&mut record.value.value);
        let envelope = require_struct(&value, "Debezium envelope")?;
        let plan = self.plan(&envelope_schema)?;
        for (r, schema) in self.settings.add_headers.iter().zip(&plan.header_schemas) {
            if let Some(schema) = schema {
                let v = r.value_in(envelope)?;
                check_header_value(Some(schema), &v)?;
                record.headers.add(r.new_name(), Some(schema.clone()), v);
            }
        }
        let mut added = Vec::new();
        for (r, schema) in self.settings.add_fields.iter().zip(&plan.field_schemas) {
            if let Some(schema) = schema {
                added.push((r.new_name(), schema, r.value_in(envelope)?));
            }
        }
        let Value::Struct(envelope) = value else {
            return Ok(Transformed::Drop); // unreachable: checked by require_struct
        };
        let before_schema = envelope_schema.fields()[plan.before].schema().clone();
        let mut slots = envelope.into_values();
        let after = std::mem::take(&mut slots[plan.after]);
        let before = std::mem::take(&mut slots[plan.before]);
        let deleting = match (&after, &before) {
            (Value::Null, Value::Null) => return Ok(Transformed::Drop),
            (Value::Null, _) => true,
            _ => false,
        };
        let route_source = if deleting { &before } else { &after };
        if let Some(topic) = self.route(route_source)? {
            record.topic = topic.into();
        }
        let rewrite = self.settings.handling.delete == DeleteAction::Rewrite;
        let (row_schema, row) = if deleting {
            match self.settings.handling.delete {
                DeleteAction::Drop => return Ok(Transformed::Drop),
                DeleteAction::Tombstone => {
                    record.value = SchemaAndValue::null();
                    return Ok(Transformed::Keep);
                }
                DeleteAction::NullValue => {
                    record.value =
                        SchemaAndValue::new(Some(plan.after_schema.clone()), Value::Null);
                    return self.drop_fields(record).map(|()| Transformed::Keep);
                }
                DeleteAction::Rewrite => (before_schema, before),
            }
        } else {
            (plan.after_schema.clone(), after)
        };
        let row = match row {
            Value::Struct(row) => row,
            other if deleting => {
                // Debezium passes a non-struct row through as it is.
                record.value = SchemaAndValue::new(Some(row_schema), other);
                return Ok(Transformed::Keep);
            }
            other => {
                return Err(ConnectError::data(format!(
                    "Only Struct objects supported for [{PURPOSE}], found: {}",
                    class_name(&other)
                )))
            }
        };
        let row = self.add_fields(row, &envelope_schema, added)?;
        record.value = SchemaAndValue::new(Some(row.schema().clone()), Value::Struct(row));
        self.drop_fields(record)?;
        if rewrite {
            if let Value::Struct(row) = std::mem::take(&mut record.value.value) {
                let row = self.mark_deleted(row, deleting)?;
                record.value = SchemaAndValue::new(Some(row.schema().clone()), Value::Struct(row));
            }
        }
        Ok(Transformed::Keep)
    }

    /// The row with the `add.fields` values appended (Debezium's `addFields`; the row's own
    /// values are kept as stored, defaults not applied).
    fn add_fields(
        &self,
        row: Struct,
        envelope_schema: &Schema,
        added: Vec<(&str, &Schema, Value)>,
    ) -> Result<Struct> {
        let key = (row.schema().clone(), envelope_schema.clone());
        let schema = self
            .added
            .get_or_try_insert(&key, || {
                let mut builder =
                    copy_schema_basics_into(row.schema(), SchemaBuilder::struct_builder());
                for field in row.schema().fields() {
                    builder = builder.field(field.name(), field.schema().clone());
                }
                for (name, schema, _) in &added {
                    builder = builder.field(*name, (*schema).clone());
                }
                builder.build()
            })?
            .into_owned();
        let mut values = row.into_values();
        for (name, schema, value) in added {
            validate_value(Some(name), schema, &value)?;
            values.push(value);
        }
        Ok(Struct::from_values_unchecked(&schema, values))
    }

    /// The row plus `__deleted` (`"true"` for a delete): Kafka's `InsertField` with a static
    /// optional string field, reading the row's fields with their defaults when
    /// `replace.null.with.default` is on.
    fn mark_deleted(&self, row: Struct, deleted: bool) -> Result<Struct> {
        let schema = self
            .deleted
            .get_or_try_insert(row.schema(), || {
                let mut builder =
                    copy_schema_basics_into(row.schema(), SchemaBuilder::struct_builder());
                for field in row.schema().fields() {
                    builder = builder.field(field.name(), field.schema().clone());
                }
                builder
                    .field(DELETED_FIELD, Schema::optional(Type::String))
                    .build()
            })?
            .into_owned();
        let mut values: Vec<Value> = if self.settings.replace_null_with_default {
            row.schema()
                .fields()
                .iter()
                .map(|f| row.get_field(f).clone())
                .collect()
        } else {
            row.into_values()
        };
        values.push(Value::from(if deleted { "true" } else { "false" }));
        Ok(Struct::from_values_unchecked(&schema, values))
    }

    /// The topic named by `route.by.field` in a row, if set and the value is not blank.
    fn route(&self, row: &Value) -> Result<Option<String>> {
        let Some(field) = &self.settings.route_by_field else {
            return Ok(None);
        };
        let value = match row {
            Value::Struct(s) => {
                let f = s.schema().field(field).ok_or_else(|| {
                    ConnectError::data(format!("{field} is not a valid field name"))
                })?;
                if f.schema().schema_type() != Type::String {
                    return Err(ConnectError::data(format!(
                        "Field '{field}' is not of type STRING"
                    )));
                }
                s.get_without_default(field)?.clone()
            }
            Value::Map(entries) => Value::map_get(entries, &Value::from(field.as_str()))
                .cloned()
                .unwrap_or(Value::Null),
            _ => Value::Null,
        };
        match value {
            Value::String(s) if !s.trim().is_empty() => Ok(Some(s)),
            Value::String(_) | Value::Null => Ok(None),
            _ => Err(ConnectError::data(format!(
                "Field '{field}' is not of type STRING"
            ))),
        }
    }

    /// Debezium's drop-fields feature: the fields listed in the `drop.fields.header.name`
    /// header are removed from the value (and the key with `drop.fields.from.key`); with
    /// `drop.fields.keep.schema.compatible` only the optional ones.
    fn drop_fields<M>(&self, record: &mut Record<M>) -> Result<()> {
        let Some(header) = &self.settings.drop_fields_header else {
            return Ok(());
        };
        let Some(h) = record.headers.iter().find(|h| &h.key == header) else {
            return Ok(());
        };
        let names: Vec<String> = match &h.value {
            Value::Null => return Ok(()),
            Value::Array(items) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(ConnectError::data(format!(
                        "Header {header} must list field names, found: {other}"
                    ))),
                })
                .collect::<Result<_>>()?,
            other => {
                return Err(ConnectError::data(format!(
                    "Header {header} must list field names, found: {}",
                    class_name(other)
                )))
            }
        };
        if names.is_empty() {
            return Ok(());
        }
        if self.settings.drop_fields_from_key && !record.key.value.is_null() {
            record.key = self.without(std::mem::take(&mut record.key), &names)?;
        }
        record.value = self.without(std::mem::take(&mut record.value), &names)?;
        Ok(())
    }

    /// Kafka's `ReplaceField` with `exclude` on a struct (or a schemaless map).
    fn without(&self, data: SchemaAndValue, names: &[String]) -> Result<SchemaAndValue> {
        let Some(schema) = data.schema else {
            let value = match data.value {
                Value::Map(mut entries) => {
                    entries.retain(|(k, _)| !matches!(k, Value::String(s) if names.contains(s)));
                    Value::Map(entries)
                }
                other => other,
            };
            return Ok(SchemaAndValue::new(None, value));
        };
        let drop: Vec<String> = if self.settings.drop_fields_keep_schema_compatible {
            schema
                .fields()
                .iter()
                .filter(|f| f.schema().is_optional() && names.iter().any(|n| n == f.name()))
                .map(|f| f.name().to_string())
                .collect()
        } else {
            names.to_vec()
        };
        if drop.is_empty() || schema.schema_type() != Type::Struct {
            return Ok(SchemaAndValue::new(Some(schema), data.value));
        }
        let key = Dropped(schema.clone(), drop);
        let new_schema = self
            .dropped
            .get_or_try_insert(&key, || {
                let mut builder = copy_schema_basics_into(&schema, SchemaBuilder::struct_builder());
                for field in schema.fields() {
                    if !key.1.iter().any(|n| n == field.name()) {
                        builder = builder.field(field.name(), field.schema().clone());
                    }
                }
                builder.build()
            })?
            .into_owned();
        let value = match &data.value {
            Value::Null => Value::Null,
            v => {
                let s = require_struct(v, "field replacement")?;
                let values = new_schema
                    .fields()
                    .iter()
                    .map(|f| s.get(f.name()).cloned())
                    .collect::<Result<Vec<_>>>()?;
                Value::Struct(Struct::from_values_unchecked(&new_schema, values))
            }
        };
        Ok(SchemaAndValue::new(Some(new_schema), value))
    }

    fn apply_map<M>(&self, record: &mut Record<M>) -> Result<Transformed> {
        let Value::Map(mut envelope) = std::mem::take(&mut record.value.value) else {
            return Ok(Transformed::Keep); // unreachable: checked by the caller
        };
        for r in &self.settings.add_headers {
            if let Some(v) = r.value_in_map(&envelope) {
                record.headers.add(r.new_name(), None, v);
            }
        }
        let added: Vec<(String, Value)> = self
            .settings
            .add_fields
            .iter()
            .filter_map(|r| {
                r.value_in_map(&envelope)
                    .map(|v| (r.new_name().to_string(), v))
            })
            .collect();
        let mut take = |name: &str| {
            envelope
                .iter_mut()
                .find(|(k, _)| matches!(k, Value::String(s) if s == name))
                .map(|(_, v)| std::mem::take(v))
                .unwrap_or(Value::Null)
        };
        let after = take("after");
        let before = take("before");
        let deleting = match (&after, &before) {
            (Value::Null, Value::Null) => return Ok(Transformed::Drop),
            (Value::Null, _) => true,
            _ => false,
        };
        if let Some(topic) = self.route(if deleting { &before } else { &after })? {
            record.topic = topic.into();
        }
        let rewrite = self.settings.handling.delete == DeleteAction::Rewrite;
        let row = if deleting {
            match self.settings.handling.delete {
                DeleteAction::Drop => return Ok(Transformed::Drop),
                DeleteAction::Tombstone | DeleteAction::NullValue => {
                    record.value = SchemaAndValue::null();
                    return Ok(Transformed::Keep);
                }
                DeleteAction::Rewrite => before,
            }
        } else {
            after
        };
        let needs_map = rewrite || !added.is_empty() || self.settings.drop_fields_header.is_some();
        if !needs_map || (deleting && !matches!(row, Value::Map(_))) {
            record.value = SchemaAndValue::new(None, row);
            return Ok(Transformed::Keep);
        }
        let mut entries = match row {
            Value::Map(entries) => entries,
            other => {
                require_map(&other, PURPOSE)?;
                return Ok(Transformed::Drop); // unreachable: require_map fails on anything but a map
            }
        };
        for (name, value) in added {
            put(&mut entries, name, value);
        }
        record.value = SchemaAndValue::new(None, Value::Map(entries));
        self.drop_fields(record)?;
        if rewrite {
            if let Value::Map(entries) = &mut record.value.value {
                put(
                    entries,
                    DELETED_FIELD.to_string(),
                    Value::from(if deleting { "true" } else { "false" }),
                );
            }
        }
        Ok(Transformed::Keep)
    }
}

/// Sets a string key of a schemaless map (replacing an existing entry, as `HashMap.put`).
fn put(entries: &mut Vec<(Value, Value)>, key: String, value: Value) {
    match entries
        .iter_mut()
        .find(|(k, _)| matches!(k, Value::String(s) if *s == key))
    {
        Some(slot) => slot.1 = value,
        None => entries.push((Value::String(key), value)),
    }
}

/// Whether a schema is a Debezium change event envelope (its name ends with `.Envelope`).
pub fn is_envelope_schema(schema: &Schema) -> bool {
    schema.schema_type() == Type::Struct && schema.name().is_some_and(|n| n.ends_with(".Envelope"))
}

/// Whether a schemaless map looks like an envelope: an `op` entry and a `before` or `after`
/// entry.
pub fn is_envelope_map(entries: &[(Value, Value)]) -> bool {
    let has = |name: &str| {
        entries
            .iter()
            .any(|(k, _)| matches!(k, Value::String(s) if s == name))
    };
    has("op") && (has("after") || has("before"))
}

impl<M: Send + Sync> Transformation<M> for ExtractNewRecordState {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        if record.value.value.is_null() {
            return Ok(self.tombstone(record));
        }
        match (&record.value.schema, &record.value.value) {
            (Some(schema), _) if is_envelope_schema(schema) => {
                let schema = schema.clone();
                self.apply_struct(record, schema)
            }
            (None, Value::Map(entries)) if is_envelope_map(entries) => self.apply_map(record),
            _ => Ok(Transformed::Keep),
        }
    }
}

#[cfg(test)]
#[path = "extract_new_record_state_tests.rs"]
mod tests;
