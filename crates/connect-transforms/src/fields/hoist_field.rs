//! `HoistField$Key` / `HoistField$Value`: wrap the key or value in a one-field struct (or a
//! one-entry map when schemaless).

use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{
    Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation, Transformed,
    Value,
};

use super::common::check_put;
use crate::cache::SchemaCache;
use crate::util::Side;

const FIELD: &str = "field";

/// Kafka's `HoistField`: `{field: value}`. With a schema the struct schema (one field of the
/// input schema) is cached per input schema, and the value is checked as `Struct.put` does
/// (a null under a required schema fails: `Invalid value: null used for required field`).
#[derive(Debug)]
pub struct HoistField {
    side: Side,
    field: String,
    cache: SchemaCache<Schema, Schema>,
}

impl HoistField {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(FIELD, ConfigType::String)
                .importance(Importance::Medium)
                .documentation(
                    "Name of the one field of the new Struct or Map that wraps the original \
                     key or value.",
                ),
        )
    }

    /// Configures the transform for `side`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(HoistField {
            side,
            field: parsed.get_string(FIELD)?.to_string(),
            cache: SchemaCache::default(),
        })
    }

    fn hoist(&self, data: SchemaAndValue) -> Result<SchemaAndValue> {
        match data.schema {
            None => Ok(SchemaAndValue::new(
                None,
                Value::Map(vec![(Value::String(self.field.clone()), data.value)]),
            )),
            Some(schema) => {
                let wrapper = self.cache.get_or_try_insert(&schema, || {
                    SchemaBuilder::struct_builder()
                        .field(self.field.as_str(), schema.clone())
                        .build()
                })?;
                if let Some(field) = wrapper.fields().first() {
                    check_put(field, &data.value)?;
                }
                let value = Struct::from_values_unchecked(&wrapper, vec![data.value]);
                Ok(SchemaAndValue::new(
                    Some(Schema::clone(&wrapper)),
                    Value::Struct(value),
                ))
            }
        }
    }
}

impl<M: Send + Sync> Transformation<M> for HoistField {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.take(record);
        let updated = self.hoist(data)?;
        self.side.set(record, updated);
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::test_support::*;
    use connect_api::Type;

    fn hoist(field: &str) -> HoistField {
        HoistField::new(Side::Value, &cfg(&[("field", field)])).unwrap()
    }

    fn wrapper(field: &str, inner: Schema) -> Schema {
        SchemaBuilder::struct_builder()
            .field(field, inner)
            .build()
            .unwrap()
    }

    #[test]
    fn config_def_is_valid() {
        assert!(HoistField::config_def().definition_errors().is_empty());
    }

    // smt_hoist_field-25612fbd8b
    #[test]
    fn hoists_a_struct() {
        let out = run(
            &hoist("wrapped"),
            source(struct_key(), sv(Some(user_schema()), user_full())),
        );
        let schema = wrapper("wrapped", user_schema());
        assert_eq!(out.value.schema, Some(schema.clone()));
        let s = as_struct(&out.value.value);
        assert_eq!(s.get("wrapped").unwrap(), &Value::Struct(user_full()));
        assert_eq!(s.schema(), &schema);
    }

    // smt_hoist_field-528aa6a77d, smt_hoist_field-2c9df90f6b, smt_hoist_field-ad6f467ae4
    #[test]
    fn hoists_primitives_arrays_and_defaults() {
        let out = run(
            &hoist("f"),
            source(struct_key(), sv(Some(Schema::required(Type::Int32)), 5i32)),
        );
        assert_eq!(
            out.value.schema,
            Some(wrapper("f", Schema::required(Type::Int32)))
        );
        assert_eq!(
            as_struct(&out.value.value).get("f").unwrap(),
            &Value::Int32(5)
        );

        let arr = SchemaBuilder::array(Schema::required(Type::Int32))
            .build()
            .unwrap();
        let out = run(
            &hoist("f"),
            source(
                struct_key(),
                sv(Some(arr.clone()), Value::Array(vec![Value::Int32(1)])),
            ),
        );
        assert_eq!(out.value.schema, Some(wrapper("f", arr)));

        let with_default = SchemaBuilder::new(Type::Int32)
            .default_value(Value::Int32(3))
            .build()
            .unwrap();
        let out = run(
            &hoist("f"),
            source(struct_key(), sv(Some(with_default.clone()), 4i32)),
        );
        assert_eq!(out.value.schema, Some(wrapper("f", with_default)));
        assert_eq!(
            as_struct(&out.value.value).get("f").unwrap(),
            &Value::Int32(4)
        );
    }

    // smt_hoist_field-b1de4b5fd6, smt_hoist_field-9a61840a4f
    #[test]
    fn schemaless() {
        let out = run(&hoist("f"), source(struct_key(), sv(None, Value::Null)));
        assert_eq!(out.value, sv(None, map(vec![("f", Value::Null)])));
        let out = run(&hoist("f"), source(struct_key(), sv(None, "x")));
        assert_eq!(out.value, sv(None, map(vec![("f", "x".into())])));
    }

    // smt_hoist_field-c9037206d5
    #[test]
    fn null_under_optional_schema() {
        let optional = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .optional()
            .build()
            .unwrap();
        let out = run(
            &hoist("f"),
            source(struct_key(), sv(Some(optional.clone()), Value::Null)),
        );
        assert_eq!(out.value.schema, Some(wrapper("f", optional)));
        assert_eq!(as_struct(&out.value.value).get("f").unwrap(), &Value::Null);
    }

    #[test]
    fn null_under_required_schema_fails() {
        assert_eq!(
            run_err(
                &hoist("f"),
                source(
                    struct_key(),
                    sv(Some(Schema::required(Type::Int32)), Value::Null)
                )
            ),
            "Invalid value: null used for required field: \"f\", schema type: INT32"
        );
    }

    // smt_hoist_field-95790d9262, smt_hoist_field-aaf4d36736
    #[test]
    fn errors() {
        assert_eq!(
            HoistField::new(Side::Value, &cfg(&[]))
                .unwrap_err()
                .to_string(),
            "Missing required configuration \"field\" which has no default value."
        );
        assert_eq!(
            run_err(
                &hoist(""),
                source(struct_key(), sv(Some(user_schema()), user_full()))
            ),
            "fieldName cannot be null."
        );
        // schemaless, an empty name is just a map key
        let out = run(&hoist(""), source(struct_key(), sv(None, 1i32)));
        assert_eq!(out.value.value, map(vec![("", Value::Int32(1))]));
    }

    // smt_hoist_field-7248c4877c
    #[test]
    fn chained_on_the_key() {
        let a = HoistField::new(Side::Key, &cfg(&[("field", "a")])).unwrap();
        let b = HoistField::new(Side::Key, &cfg(&[("field", "b")])).unwrap();
        let r = source(
            sv(Some(Schema::required(Type::Int32)), 1i32),
            sv(None, Value::Null),
        );
        let out = run(&b, run(&a, r));
        let inner = wrapper("a", Schema::required(Type::Int32));
        assert_eq!(out.key.schema, Some(wrapper("b", inner)));
        let b_val = as_struct(&out.key.value).get("b").unwrap().clone();
        assert_eq!(as_struct(&b_val).get("a").unwrap(), &Value::Int32(1));
    }
}
