//! `SetSchemaMetadata$Key` / `SetSchemaMetadata$Value`: set the name and/or version of the
//! key or value schema.

use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Transformed, Type, Value,
};

use super::common::{
    apply_default, check_copied, replace_null_with_default_key, REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::cache::SchemaCache;
use crate::util::Side;

const SCHEMA_NAME: &str = "schema.name";
const SCHEMA_VERSION: &str = "schema.version";
const PURPOSE: &str = "updating schema metadata";

/// Kafka's `SetSchemaMetadata`: the schema gets the configured name and/or version, keeping
/// everything else; a struct value is rebuilt on the new schema (nulls take field defaults
/// unless `replace.null.with.default=false`). A schema is required (`Schema required for
/// [updating schema metadata]`). As in Kafka 3.9, only struct schemas can be updated: any
/// other type fails with `Cannot list fields on non-struct type`.
#[derive(Debug)]
pub struct SetSchemaMetadata {
    side: Side,
    name: Option<String>,
    version: Option<i32>,
    replace_null_with_default: bool,
    cache: SchemaCache<Schema, Schema>,
}

impl SetSchemaMetadata {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(SCHEMA_NAME, ConfigType::String)
                    .default_null()
                    .importance(Importance::High)
                    .documentation("New name for the schema."),
            )
            .define(
                ConfigKey::new(SCHEMA_VERSION, ConfigType::Int)
                    .default_null()
                    .importance(Importance::High)
                    .documentation("New version number for the schema."),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transform for `side`; at least one of name and version must be set
    /// (`Neither schema name nor version configured`).
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let name = parsed
            .get_raw(SCHEMA_NAME)?
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let version = parsed.get_raw(SCHEMA_VERSION)?.and_then(|v| v.as_int());
        if name.is_none() && version.is_none() {
            return Err(ConnectError::config_message(
                "Neither schema name nor version configured",
            ));
        }
        Ok(SetSchemaMetadata {
            side,
            name,
            version,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::default(),
        })
    }

    /// Java's `new ConnectSchema(type, optional, default, name', version', doc, parameters,
    /// fields, …)` from `schema`.
    fn updated_schema(&self, schema: &Schema) -> Result<Schema> {
        if schema.schema_type() != Type::Struct {
            return Err(ConnectError::data("Cannot list fields on non-struct type"));
        }
        let mut builder = SchemaBuilder::struct_builder().set_optional(schema.is_optional());
        if let Some(name) = self.name.as_deref().or(schema.name()) {
            builder = builder.name(name);
        }
        if let Some(version) = self.version.or(schema.version()) {
            builder = builder.version(version);
        }
        if let Some(doc) = schema.doc() {
            builder = builder.doc(doc);
        }
        for (k, v) in schema.parameters() {
            builder = builder.parameter(k.as_str(), v.as_str());
        }
        for field in schema.fields() {
            builder = builder.field(field.name(), field.schema().clone());
        }
        if let Some(default) = schema.default_value() {
            builder = builder.default_value_unchecked(default.clone());
        }
        builder.build()
    }

    /// Java `updateSchemaIn`: a struct is copied onto the new schema field by field.
    fn update_value(&self, value: Value, schema: &Schema) -> Result<Value> {
        let Value::Struct(old) = value else {
            return Ok(value);
        };
        // The new schema has the same fields: update the slots in place.
        let mut values = old.into_values();
        for (field, slot) in schema.fields().iter().zip(values.iter_mut()) {
            apply_default(slot, field, self.replace_null_with_default);
            check_copied(field, slot)?;
        }
        Ok(Value::Struct(Struct::from_values_unchecked(schema, values)))
    }
}

impl<M: Send + Sync> Transformation<M> for SetSchemaMetadata {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.take(record);
        let Some(schema) = data.schema else {
            return Err(ConnectError::data(format!(
                "Schema required for [{PURPOSE}]"
            )));
        };
        let updated = self
            .cache
            .get_or_try_insert(&schema, || self.updated_schema(&schema))?;
        let value = self.update_value(data.value, &updated)?;
        self.side.set(
            record,
            SchemaAndValue::new(Some(Schema::clone(&updated)), value),
        );
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::test_support::*;
    use connect_api::data::logical;

    fn ssm(pairs: &[(&str, &str)]) -> SetSchemaMetadata {
        SetSchemaMetadata::new(Side::Value, &cfg(pairs)).unwrap()
    }

    fn a_schema() -> Schema {
        SchemaBuilder::struct_builder()
            .field(
                "a",
                SchemaBuilder::new(Type::Int32)
                    .optional()
                    .default_value(Value::Int32(5))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn config_def_is_valid() {
        assert!(SetSchemaMetadata::config_def()
            .definition_errors()
            .is_empty());
    }

    // smt_set_schema_metadata-6440eee16d
    #[test]
    fn sets_the_name() {
        let out = run(
            &ssm(&[("schema.name", "com.example.New")]),
            source(struct_key(), sv(Some(user_schema()), user_full())),
        );
        let schema = out.value.schema.clone().unwrap();
        assert_eq!(schema.name(), Some("com.example.New"));
        assert_eq!(schema.version(), Some(1));
        assert_eq!(schema.fields(), user_schema().fields());
        let v = as_struct(&out.value.value);
        assert_eq!(v.schema(), &schema);
        assert_eq!(v.get("name").unwrap(), &Value::from("alice"));
    }

    // smt_set_schema_metadata-c512b0c7d1, smt_set_schema_metadata-cd9dc39d2c
    #[test]
    fn sets_the_version_and_fills_defaults() {
        let out = run(
            &ssm(&[("schema.version", "-3")]),
            source(struct_key(), sv(Some(user_schema()), user_full())),
        );
        let schema = out.value.schema.unwrap();
        assert_eq!(schema.version(), Some(-3));
        assert_eq!(schema.name(), Some("com.example.User"));

        let mut s = Struct::new(&a_schema()).unwrap();
        s.put("a", Value::Null).unwrap();
        let out = run(
            &ssm(&[("schema.name", "x.Y"), ("schema.version", "2")]),
            source(struct_key(), sv(Some(a_schema()), s.clone())),
        );
        let schema = out.value.schema.clone().unwrap();
        assert_eq!((schema.name(), schema.version()), (Some("x.Y"), Some(2)));
        assert_eq!(
            as_struct(&out.value.value)
                .get_without_default("a")
                .unwrap(),
            &Value::Int32(5)
        );

        // smt_set_schema_metadata-08dab9d214
        let out = run(
            &ssm(&[
                ("schema.name", "x.Y"),
                ("replace.null.with.default", "false"),
            ]),
            source(struct_key(), sv(Some(a_schema()), s)),
        );
        let schema = out.value.schema.clone().unwrap();
        assert_eq!((schema.name(), schema.version()), (Some("x.Y"), None));
        assert_eq!(
            as_struct(&out.value.value)
                .get_without_default("a")
                .unwrap(),
            &Value::Null
        );
    }

    #[test]
    fn keeps_optional_doc_parameters_and_default() {
        let mut d = Struct::new(&a_schema()).unwrap();
        d.put("a", 1i32).unwrap();
        let schema = SchemaBuilder::struct_builder()
            .field(
                "a",
                SchemaBuilder::new(Type::Int32)
                    .optional()
                    .default_value(Value::Int32(5))
                    .build()
                    .unwrap(),
            )
            .optional()
            .doc("d")
            .parameter("p", "v")
            .default_value_unchecked(Value::Struct(d.clone()))
            .build()
            .unwrap();
        let t = SetSchemaMetadata::new(Side::Key, &cfg(&[("schema.name", "n")])).unwrap();
        let out = run(
            &t,
            source(sv(Some(schema), Value::Null), sv(None, Value::Null)),
        );
        let s = out.key.schema.unwrap();
        assert!(s.is_optional());
        assert_eq!(s.doc(), Some("d"));
        assert_eq!(s.parameter("p"), Some("v"));
        assert_eq!(s.default_value(), Some(&Value::Struct(d)));
        assert_eq!(out.key.value, Value::Null);
    }

    // smt_set_schema_metadata-f4c68e259e, -07dcf16f62, -54b2338bd0
    #[test]
    fn config_errors() {
        let e = SetSchemaMetadata::new(Side::Value, &cfg(&[])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(e.to_string(), "Neither schema name nor version configured");
        for bad in ["abc", "1.5"] {
            assert_eq!(
                SetSchemaMetadata::new(Side::Value, &cfg(&[("schema.version", bad)]))
                    .unwrap_err()
                    .to_string(),
                format!(
                    "Invalid value {bad} for configuration schema.version: Not a number of type INT"
                )
            );
        }
    }

    // smt_set_schema_metadata-629e9fc0bc, -62a06dc94c, -c5bd45d192
    #[test]
    fn non_struct_schemas_fail() {
        let t = ssm(&[("schema.name", "x.Y"), ("schema.version", "2")]);
        let array = SchemaBuilder::array(Schema::required(Type::Int32))
            .build()
            .unwrap();
        let decimal = logical::decimal_builder(2).build().unwrap();
        for (schema, value) in [
            (array, Value::Array(vec![Value::Int32(1)])),
            (
                decimal,
                Value::Decimal(connect_api::Decimal::parse("1.50").unwrap()),
            ),
            (Schema::required(Type::Int32), Value::Int32(1)),
        ] {
            assert_eq!(
                run_err(&t, source(struct_key(), sv(Some(schema), value))),
                "Cannot list fields on non-struct type"
            );
        }
        assert_eq!(
            run_err(&t, source(struct_key(), sv(None, Value::Null))),
            "Schema required for [updating schema metadata]"
        );
    }
}
