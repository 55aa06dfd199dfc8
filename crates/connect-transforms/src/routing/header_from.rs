//! `org.apache.kafka.connect.transforms.HeaderFrom$Key` / `$Value`: copies or moves fields of
//! the key or value into headers (`fields[i]` goes to header `headers[i]`).
//!
//! Kafka's behaviour is kept: with a schema the header gets the field's schema and the value
//! with its default applied; a field missing from the schema fails with the JDK's
//! NullPointerException text; without a schema a missing field gives a null header; `move`
//! rebuilds the struct without the moved fields (applying defaults to the others).

use std::collections::BTreeMap;

use connect_api::config::{ConfigKey, ConfigType, Importance, ValidString};
use connect_api::{
    ConfigDef, ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct,
    Transformation, Transformed, Value,
};

use crate::cache::{Cached, SchemaCache};
use crate::routing::support::check_header_value;
use crate::util::{copy_schema_basics_into, require_map, require_struct, NonEmptyList, Side};

/// Java's `HeaderFrom.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str = "Copies or moves fields of the record key or value into headers of the same record, the n-th entry of \
<code>fields</code> going to the n-th entry of <code>headers</code>. Configure \
<code>org.apache.kafka.connect.transforms.HeaderFrom$Key</code> to read the key or \
<code>org.apache.kafka.connect.transforms.HeaderFrom$Value</code> to read the value.";

/// Config key: the fields to copy or move.
pub const FIELDS: &str = "fields";
/// Config key: the header names, paired with `fields` by position.
pub const HEADERS: &str = "headers";
/// Config key: `move` or `copy`.
pub const OPERATION: &str = "operation";
/// Config key (KIP-1040): whether a null field with a default reads as its default.
pub const REPLACE_NULL_WITH_DEFAULT: &str = "replace.null.with.default";

/// `move` or `copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Remove the fields from the key/value.
    Move,
    /// Keep the fields in the key/value.
    Copy,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Move => "move",
            Operation::Copy => "copy",
        }
    }
}

/// The HeaderFrom transformation.
#[derive(Debug)]
pub struct HeaderFrom {
    side: Side,
    fields: Vec<String>,
    headers: Vec<String>,
    operation: Operation,
    replace_null_with_default: bool,
    /// `[header move]` / `[header copy]`, the purpose in Kafka's messages.
    purpose: String,
    /// Input struct schema → schema without the moved fields.
    move_schemas: SchemaCache<Schema, Schema>,
}

impl HeaderFrom {
    /// A configured HeaderFrom for the key or the value.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let fields = parsed.get_list(FIELDS)?.to_vec();
        let headers = parsed.get_list(HEADERS)?.to_vec();
        if fields.len() != headers.len() {
            return Err(ConnectError::config_message(format!(
                "'{FIELDS}' config must have the same number of elements as '{HEADERS}' config."
            )));
        }
        let operation = match parsed.get_string(OPERATION)? {
            "move" => Operation::Move,
            _ => Operation::Copy,
        };
        Ok(HeaderFrom {
            side,
            fields,
            headers,
            operation,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT)?,
            purpose: format!("header {}", operation.name()),
            move_schemas: SchemaCache::with_capacity(16),
        })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(FIELDS, ConfigType::List)
                    .validator(NonEmptyList)
                    .importance(Importance::High)
                    .documentation(
                        "Names of the key or value fields whose values become headers.",
                    ),
            )
            .define(
                ConfigKey::new(HEADERS, ConfigType::List)
                    .validator(NonEmptyList)
                    .importance(Importance::High)
                    .documentation("Names of the headers to write, matched by position with the entries of <code>fields</code>."),
            )
            .define(
                ConfigKey::new(OPERATION, ConfigType::String)
                    .validator(ValidString::one_of(["move", "copy"]))
                    .importance(Importance::High)
                    .documentation("<code>move</code> takes the fields out of the key/value after writing the headers; \
<code>copy</code> leaves them in place."),
            )
            .define(
                ConfigKey::new(REPLACE_NULL_WITH_DEFAULT, ConfigType::Boolean)
                    .default_value(true)
                    .importance(Importance::Medium)
                    .documentation("When true, a null field whose schema declares a default is emitted with that default; \
when false, it stays null."),
            )
    }

    fn read<'a>(&self, s: &'a Struct, name: &str) -> Result<&'a Value> {
        if self.replace_null_with_default {
            s.get(name)
        } else {
            s.get_without_default(name)
        }
    }

    /// The schema of the struct once the moved fields are gone.
    fn move_schema(&self, schema: &Schema) -> Result<Schema> {
        self.move_schemas
            .get_or_try_insert(schema, || {
                let mut builder = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
                for field in schema.fields() {
                    if !self.fields.iter().any(|f| f == field.name()) {
                        builder = builder.field(field.name(), field.schema().clone());
                    }
                }
                builder.build()
            })
            .map(Cached::into_owned)
    }

    fn apply_with_schema<M>(
        &self,
        record: &mut Record<M>,
        schema: Schema,
        value: Value,
    ) -> Result<()> {
        let input = require_struct(&value, &self.purpose)?;
        let updated = match self.operation {
            Operation::Move => {
                let new_schema = self.move_schema(&schema)?;
                let mut values = Vec::with_capacity(new_schema.fields().len());
                for field in new_schema.fields() {
                    let v = self.read(input, field.name())?;
                    if v.is_null() && !field.schema().is_optional() {
                        return Err(ConnectError::data(format!(
                            "Invalid value: null used for required field: \"{}\", schema type: {}",
                            field.name(),
                            field.schema().schema_type()
                        )));
                    }
                    values.push(v.clone());
                }
                Some(SchemaAndValue::new(
                    Some(new_schema.clone()),
                    Value::Struct(Struct::from_values_unchecked(&new_schema, values)),
                ))
            }
            Operation::Copy => None,
        };
        for (field_name, header) in self.fields.iter().zip(&self.headers) {
            let Some(field) = schema.field(field_name) else {
                // Java: operatingSchema.field(fieldName).schema() on a missing field.
                return Err(ConnectError::data(
                    "Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return value of \
\"org.apache.kafka.connect.data.Schema.field(String)\" is null",
                ));
            };
            let v = self.read(input, field_name)?.clone();
            check_header_value(Some(field.schema()), &v)?;
            record
                .headers
                .add(header.clone(), Some(field.schema().clone()), v);
        }
        let data = updated.unwrap_or(SchemaAndValue::new(Some(schema), value));
        self.side.set(record, data);
        Ok(())
    }

    fn apply_schemaless<M>(&self, record: &mut Record<M>, value: Value) -> Result<()> {
        let entries = require_map(&value, &self.purpose)?;
        let mut found = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let key = Value::String(field.clone());
            found.push(
                Value::map_get(entries, &key)
                    .cloned()
                    .unwrap_or(Value::Null),
            );
        }
        for (header, v) in self.headers.iter().zip(found) {
            record.headers.add(header.clone(), None, v);
        }
        let value = match (self.operation, value) {
            (Operation::Move, Value::Map(mut entries)) => {
                entries.retain(
                    |(k, _)| !matches!(k, Value::String(s) if self.fields.iter().any(|f| f == s)),
                );
                Value::Map(entries)
            }
            (_, other) => other,
        };
        self.side.set(record, SchemaAndValue::new(None, value));
        Ok(())
    }
}

impl<M: Send + Sync> Transformation<M> for HeaderFrom {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.take(record);
        match data.schema {
            Some(schema) => self.apply_with_schema(record, schema, data.value)?,
            None => self.apply_schemaless(record, data.value)?,
        }
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "header_from_tests.rs"]
mod tests;
