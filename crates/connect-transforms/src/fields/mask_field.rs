//! `MaskField$Key` / `MaskField$Value`: replace field values with a type's "empty" value
//! (0, false, "", an empty list or map, the epoch) or with a configured replacement.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, NonEmptyString};
use connect_api::data::values;
use connect_api::{
    ConnectError, Decimal, Record, Result, SchemaAndValue, Struct, Transformation, Transformed,
    Value,
};

use super::common::{
    apply_default, check_copied, check_put, into_map, into_struct, map_get, map_put,
    replace_null_with_default_key, REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::cache::SchemaCache;
use crate::util::{NonEmptyList, Side};

const FIELDS: &str = "fields";
const REPLACEMENT: &str = "replacement";
const PURPOSE: &str = "mask fields";

/// Kafka's `MaskField`. Without `replacement`, a value becomes its type's null-equivalent:
/// `false`, `0` of its width, `""`, BigDecimal `0`, the epoch for dates, an empty list or map
/// (bytes and structs cannot be masked: `Cannot mask value of type: class [B`). With
/// `replacement`, numbers get it converted to their type (as `Values.convertTo*` does) and
/// strings get it as is; other types fail. Null values stay null.
///
/// Without a schema a listed field that is absent is *added* with null (Kafka puts
/// `masked(null)` into a `HashMap`); with a schema absent fields are ignored.
#[derive(Debug)]
pub struct MaskField {
    side: Side,
    fields: HashSet<String>,
    /// In configuration order, for the schemaless puts.
    field_list: Vec<String>,
    replacement: Option<String>,
    replace_null_with_default: bool,
    /// Per struct schema: which fields are masked.
    cache: SchemaCache<connect_api::Schema, Arc<Vec<bool>>>,
}

impl MaskField {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(FIELDS, ConfigType::List)
                    .validator(NonEmptyList)
                    .importance(Importance::High)
                    .documentation("Fields whose values are masked."),
            )
            .define(
                ConfigKey::new(REPLACEMENT, ConfigType::String)
                    .default_null()
                    .validator(NonEmptyString)
                    .importance(Importance::Low)
                    .documentation(
                        "Optional non-empty value written into every masked field instead of the \
                         type's empty value; only numeric and string fields support it.",
                    ),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transform for `side`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let mut field_list: Vec<String> = Vec::new();
        for f in parsed.get_list(FIELDS)? {
            if !field_list.contains(f) {
                field_list.push(f.clone());
            }
        }
        Ok(MaskField {
            side,
            fields: field_list.iter().cloned().collect(),
            field_list,
            replacement: parsed
                .get_raw(REPLACEMENT)?
                .and_then(|v| v.as_str())
                .map(str::to_string),
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::default(),
        })
    }

    /// Java `masked(value)`.
    fn masked(&self, value: &Value) -> Result<Value> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        match &self.replacement {
            None => mask_with_null_value(value),
            Some(r) => mask_with_replacement(value, r),
        }
    }

    fn apply_schemaless(&self, mut entries: Vec<(Value, Value)>) -> Result<Value> {
        for name in &self.field_list {
            let masked = self.masked(map_get(&entries, name).unwrap_or(&Value::Null))?;
            map_put(&mut entries, name, masked);
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&self, value: Struct) -> Result<Value> {
        let schema = value.schema().clone();
        let masked = self.cache.get_or_try_insert(&schema, || {
            Ok::<_, ConnectError>(
                schema
                    .fields()
                    .iter()
                    .map(|f| self.fields.contains(f.name()))
                    .collect::<Vec<bool>>()
                    .into(),
            )
        })?;
        let mut values = value.into_values();
        for ((field, slot), &mask) in schema
            .fields()
            .iter()
            .zip(values.iter_mut())
            .zip(masked.iter())
        {
            apply_default(slot, field, self.replace_null_with_default);
            if mask {
                *slot = self.masked(slot)?;
                check_put(field, slot)?;
            } else {
                check_copied(field, slot)?;
            }
        }
        Ok(Value::Struct(Struct::from_values_unchecked(
            &schema, values,
        )))
    }
}

/// Java `maskWithNullValue`.
fn mask_with_null_value(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Boolean(_) => Value::Boolean(false),
        Value::Int8(_) => Value::Int8(0),
        Value::Int16(_) => Value::Int16(0),
        Value::Int32(_) => Value::Int32(0),
        Value::Int64(_) => Value::Int64(0),
        Value::Float32(_) => Value::Float32(0.0),
        Value::Float64(_) => Value::Float64(0.0),
        Value::Decimal(_) => Value::Decimal(Decimal::from_i64(0, 0)),
        Value::Date(_) => Value::Date(0),
        Value::Time(_) => Value::Time(0),
        Value::Timestamp(_) => Value::Timestamp(0),
        Value::String(_) => Value::String(String::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        Value::Map(_) => Value::Map(Vec::new()),
        other => {
            return Err(ConnectError::data(format!(
                "Cannot mask value of type: {}",
                other.java_class()
            )))
        }
    })
}

/// Java `maskWithCustomReplacement`.
fn mask_with_replacement(value: &Value, replacement: &str) -> Result<Value> {
    let text = Value::String(replacement.to_string());
    match value {
        Value::Int8(_) => values::convert_to_byte(None, &text),
        Value::Int16(_) => values::convert_to_short(None, &text),
        Value::Int32(_) => values::convert_to_integer(None, &text),
        Value::Int64(_) => values::convert_to_long(None, &text),
        Value::Float32(_) => values::convert_to_float(None, &text),
        Value::Float64(_) => values::convert_to_double(None, &text),
        Value::String(_) => Ok(text),
        Value::Decimal(_) => Decimal::parse(replacement)
            .map(Value::Decimal)
            .map_err(|e| {
                ConnectError::data_with(
                    format!("Unable to convert {replacement} (class java.lang.String) to number"),
                    e,
                )
            }),
        other => Err(ConnectError::data(format!(
            "Cannot mask value of type {} with custom replacement.",
            other.java_class()
        ))),
    }
}

impl<M: Send + Sync> Transformation<M> for MaskField {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.take(record);
        let updated = match data.schema {
            None => {
                SchemaAndValue::new(None, self.apply_schemaless(into_map(data.value, PURPOSE)?)?)
            }
            Some(schema) => SchemaAndValue::new(
                Some(schema),
                self.apply_with_schema(into_struct(data.value, PURPOSE)?)?,
            ),
        };
        self.side.set(record, updated);
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "mask_field_tests.rs"]
mod tests;
