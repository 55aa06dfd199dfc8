//! `Flatten$Key` / `Flatten$Value`: flatten nested structs (or schemaless maps) into one level,
//! joining the field names with a delimiter.

use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Transformed, Type, Value,
};

use super::common::{check_copied, into_map, into_struct, key_not_string, StringKeyedMap};
use crate::cache::SchemaCache;
use crate::util::{copy_schema_basics, copy_schema_basics_into, Side};

const DELIMITER: &str = "delimiter";
const PURPOSE: &str = "flattening";

/// Kafka's `Flatten`. Nested structs (with a schema) and maps (without) are replaced by their
/// leaves, named `outer<delimiter>inner`; arrays and primitives are kept as they are. A leaf
/// under an optional struct becomes optional, and takes the default of its own schema or of
/// the enclosing struct's default. Maps under a schema are refused (`Flatten transformation
/// does not support MAP for record with schemas (for field m).`), as are logical-type values
/// and structs in schemaless data. Null values pass through. Schemaless output keeps the
/// input order (a later duplicate name replaces an earlier value, as Java's `LinkedHashMap`).
#[derive(Debug)]
pub struct Flatten {
    side: Side,
    delimiter: String,
    cache: SchemaCache<Schema, Schema>,
}

impl Flatten {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(DELIMITER, ConfigType::String)
                .default_value(".")
                .importance(Importance::Medium)
                .documentation(
                    "Separator placed between a parent's and a child's field names when \
                     building the flattened output names.",
                ),
        )
    }

    /// Configures the transform for `side`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(Flatten {
            side,
            delimiter: parsed.get_string(DELIMITER)?.to_string(),
            cache: SchemaCache::default(),
        })
    }

    /// Java `fieldName(prefix, name)`.
    fn field_name(&self, prefix: &str, name: &str) -> String {
        if prefix.is_empty() {
            name.to_string()
        } else {
            let mut out = String::with_capacity(prefix.len() + self.delimiter.len() + name.len());
            out.push_str(prefix);
            out.push_str(&self.delimiter);
            out.push_str(name);
            out
        }
    }

    fn flatten_map(
        &self,
        entries: Vec<(Value, Value)>,
        prefix: &str,
        out: &mut StringKeyedMap,
    ) -> Result<()> {
        for (key, value) in entries {
            let Value::String(key) = key else {
                return Err(key_not_string(&key));
            };
            let name = self.field_name(prefix, &key);
            match value {
                Value::Null
                | Value::Boolean(_)
                | Value::Int8(_)
                | Value::Int16(_)
                | Value::Int32(_)
                | Value::Int64(_)
                | Value::Float32(_)
                | Value::Float64(_)
                | Value::String(_)
                | Value::Bytes(_)
                | Value::Array(_) => out.put(name, value),
                Value::Map(nested) => self.flatten_map(nested, &name, out)?,
                Value::Struct(_) => {
                    return Err(ConnectError::data(format!(
                        "Flatten transformation does not support {} for record without schemas (for field {name}).",
                        value.java_class()
                    )))
                }
                Value::Decimal(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
                    return Err(ConnectError::data(format!(
                        "Flatten transformation was passed a value of type {} which is not supported by Connect's data API",
                        value.java_class()
                    )))
                }
            }
        }
        Ok(())
    }

    /// Java `buildUpdatedSchema`.
    fn build_schema(
        &self,
        schema: &Schema,
        prefix: &str,
        mut builder: SchemaBuilder,
        optional: bool,
        parent_default: Option<&Struct>,
    ) -> Result<SchemaBuilder> {
        for field in schema.fields() {
            let name = self.field_name(prefix, field.name());
            let field_optional = optional || field.schema().is_optional();
            let default = match field.schema().default_value() {
                Some(d) => Some(d),
                None => parent_default
                    .and_then(|p| p.get_index(field.index()))
                    .filter(|v| !v.is_null()),
            };
            match field.schema().schema_type() {
                Type::Struct => {
                    let nested_default = match default {
                        Some(Value::Struct(s)) => Some(s),
                        _ => None,
                    };
                    builder = self.build_schema(
                        field.schema(),
                        &name,
                        builder,
                        field_optional,
                        nested_default,
                    )?;
                }
                Type::Map => {
                    return Err(ConnectError::data(format!(
                        "Flatten transformation does not support MAP for record with schemas (for field {name})."
                    )))
                }
                _ => {
                    let mut leaf = copy_schema_basics(field.schema());
                    if field_optional {
                        leaf = leaf.optional();
                    }
                    if let Some(d) = default {
                        leaf = leaf.default_value(d.clone());
                    }
                    builder = builder.field(name, leaf.build()?);
                }
            }
        }
        Ok(builder)
    }

    fn updated_schema(&self, schema: &Schema) -> Result<Schema> {
        let builder = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
        let default = match schema.default_value() {
            Some(Value::Struct(s)) => Some(s),
            _ => None,
        };
        self.build_schema(schema, "", builder, schema.is_optional(), default)?
            .build()
    }

    /// Java `buildWithSchema`: fills `out` (one slot per output field, in order) from `value`,
    /// walking `schema`; `cursor` is the next output slot. A null nested struct leaves its
    /// slots null.
    fn fill(
        output: &Schema,
        schema: &Schema,
        value: Option<Struct>,
        out: &mut [Value],
        cursor: &mut usize,
    ) -> Result<()> {
        let mut slots = value.map(Struct::into_values);
        for field in schema.fields() {
            // Java `record.get(field)`: the stored value or the field's default.
            let v = slots
                .as_mut()
                .map(|s| match s.get_mut(field.index()).map(std::mem::take) {
                    Some(Value::Null) | None => field
                        .schema()
                        .default_value()
                        .cloned()
                        .unwrap_or(Value::Null),
                    Some(v) => v,
                });
            if field.schema().schema_type() == Type::Struct {
                let nested = match v {
                    Some(Value::Struct(s)) => Some(s),
                    _ => None,
                };
                Self::fill(output, field.schema(), nested, out, cursor)?;
            } else {
                if let Some(v) = v {
                    if let Some(out_field) = output.fields().get(*cursor) {
                        check_copied(out_field, &v)?;
                    }
                    if let Some(slot) = out.get_mut(*cursor) {
                        *slot = v;
                    }
                }
                *cursor += 1;
            }
        }
        Ok(())
    }

    fn flatten(&self, data: SchemaAndValue) -> Result<SchemaAndValue> {
        match data.schema {
            None => {
                let entries = into_map(data.value, PURPOSE)?;
                let mut out = StringKeyedMap::with_capacity(entries.len());
                self.flatten_map(entries, "", &mut out)?;
                Ok(SchemaAndValue::new(None, Value::Map(out.into_entries())))
            }
            Some(schema) => {
                let value = into_struct(data.value, PURPOSE)?;
                let output = self
                    .cache
                    .get_or_try_insert(&schema, || self.updated_schema(&schema))?;
                let mut values = vec![Value::Null; output.fields().len()];
                let mut cursor = 0;
                Self::fill(&output, &schema, Some(value), &mut values, &mut cursor)?;
                let out = Struct::from_values_unchecked(&output, values);
                Ok(SchemaAndValue::new(
                    Some(Schema::clone(&output)),
                    Value::Struct(out),
                ))
            }
        }
    }
}

impl<M: Send + Sync> Transformation<M> for Flatten {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        if self.side.get(record).value.is_null() {
            return Ok(Transformed::Keep);
        }
        let data = self.side.take(record);
        let updated = self.flatten(data)?;
        self.side.set(record, updated);
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "flatten_tests.rs"]
mod tests;
