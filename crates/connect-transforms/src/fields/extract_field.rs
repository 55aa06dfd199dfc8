//! `ExtractField$Key` / `ExtractField$Value`: replace the key or value by one of its fields,
//! named by a [`SingleFieldPath`] (`field.syntax.version` `V1` or `V2`).

use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{
    ConnectError, Record, Result, SchemaAndValue, Transformation, Transformed, Value,
};

use super::common::{replace_null_with_default_key, REPLACE_NULL_WITH_DEFAULT_CONFIG};
use super::field_path::{FieldSyntaxVersion, SingleFieldPath};
use crate::util::{require_map, require_struct, Side};

const FIELD: &str = "field";
const PURPOSE: &str = "field extraction";

/// Kafka's `ExtractField`. Without a schema the value must be a map (or null, which stays
/// null) and a missing path gives null; with a schema the value must be a struct (or null)
/// and the path must name a field of the schema, else Java's `IllegalArgumentException:
/// Unknown field: …` (a data error here). The new schema is the field's schema.
#[derive(Debug)]
pub struct ExtractField {
    side: Side,
    path: SingleFieldPath,
    replace_null_with_default: bool,
}

impl ExtractField {
    /// The config definition (Kafka 3.9's: `field`, `replace.null.with.default`,
    /// `field.syntax.version`).
    pub fn config_def() -> ConfigDef {
        FieldSyntaxVersion::append_config_to(
            ConfigDef::new()
                .define(
                    ConfigKey::new(FIELD, ConfigType::String)
                        .importance(Importance::Medium)
                        .documentation(
                            "Name of the field whose value replaces the whole key or value.",
                        ),
                )
                .define(replace_null_with_default_key()),
        )
    }

    /// Configures the transform for `side`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let version = FieldSyntaxVersion::from_config(&parsed)?;
        Ok(ExtractField {
            side,
            path: SingleFieldPath::new(parsed.get_string(FIELD)?, version)?,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
        })
    }

    fn extract(&self, data: SchemaAndValue) -> Result<SchemaAndValue> {
        match data.schema {
            None => {
                let value = match data.value {
                    Value::Null => Value::Null,
                    Value::Map(entries) => self.path.value_from_map(entries)?,
                    other => {
                        require_map(&other, PURPOSE)?;
                        Value::Null
                    }
                };
                Ok(SchemaAndValue::new(None, value))
            }
            Some(schema) => {
                if !matches!(data.value, Value::Null | Value::Struct(_)) {
                    require_struct(&data.value, PURPOSE)?;
                }
                let field_schema = match self.path.field_from(&schema)? {
                    Some(field) => field.schema().clone(),
                    None => {
                        return Err(ConnectError::data(format!(
                            "Unknown field: {}",
                            self.path.original()
                        )))
                    }
                };
                let value = match data.value {
                    Value::Struct(s) => self
                        .path
                        .value_from_struct(s, self.replace_null_with_default)?,
                    _ => Value::Null,
                };
                Ok(SchemaAndValue::new(Some(field_schema), value))
            }
        }
    }
}

impl<M: Send + Sync> Transformation<M> for ExtractField {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.take(record);
        let updated = self.extract(data)?;
        self.side.set(record, updated);
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "extract_field_tests.rs"]
mod tests;
