//! `ValueToKey`: replace the record key by fields copied from the value.

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Transformed, Value,
};

use super::common::{
    check_copied, map_get, replace_null_with_default_key, slot_ref, StringKeyedMap,
    REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::cache::SchemaCache;
use crate::util::{require_map, require_struct, NonEmptyList};

const FIELDS: &str = "fields";
const PURPOSE: &str = "copying fields from value to key";

/// The key schema of one value schema and, per key field, the value field it copies.
#[derive(Debug)]
struct Plan {
    schema: Schema,
    sources: Vec<usize>,
}

/// Kafka's `ValueToKey`. Without a schema the key is a map of the listed fields (a missing one
/// is put as null); with a schema the key is a struct of the listed fields, whose schema is
/// cached per value schema (a missing field fails: `Field does not exist: x`). The value must
/// be a map or struct — null fails too.
#[derive(Debug)]
pub struct ValueToKey {
    fields: Vec<String>,
    replace_null_with_default: bool,
    cache: SchemaCache<Schema, Arc<Plan>>,
}

impl ValueToKey {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(FIELDS, ConfigType::List)
                    .validator(NonEmptyList)
                    .importance(Importance::High)
                    .documentation("Value fields copied into a newly built record key."),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transform.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(ValueToKey {
            fields: parsed.get_list(FIELDS)?.to_vec(),
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::default(),
        })
    }

    fn plan(&self, schema: &Schema) -> Result<Plan> {
        let mut builder = SchemaBuilder::struct_builder();
        let mut sources = Vec::with_capacity(self.fields.len());
        for name in &self.fields {
            let field = schema
                .field(name)
                .ok_or_else(|| ConnectError::data(format!("Field does not exist: {name}")))?;
            builder = builder.field(name.as_str(), field.schema().clone());
            sources.push(field.index());
        }
        Ok(Plan {
            schema: builder.build()?,
            sources,
        })
    }

    fn key_schemaless(&self, entries: &[(Value, Value)]) -> Value {
        let mut key = StringKeyedMap::with_capacity(self.fields.len());
        for name in &self.fields {
            key.put(
                name.clone(),
                map_get(entries, name).cloned().unwrap_or(Value::Null),
            );
        }
        Value::Map(key.into_entries())
    }

    fn key_with_schema(&self, value: &Struct) -> Result<SchemaAndValue> {
        let plan = self
            .cache
            .get_or_try_insert(value.schema(), || self.plan(value.schema()).map(Arc::new))?;
        let input = value.schema().fields();
        let mut values = Vec::with_capacity(plan.sources.len());
        for (key_field, &src) in plan.schema.fields().iter().zip(&plan.sources) {
            let stored = value.get_index(src).unwrap_or(&Value::Null);
            let v = slot_ref(stored, &input[src], self.replace_null_with_default).clone();
            check_copied(key_field, &v)?;
            values.push(v);
        }
        let key = Struct::from_values_unchecked(&plan.schema, values);
        Ok(SchemaAndValue::new(
            Some(plan.schema.clone()),
            Value::Struct(key),
        ))
    }
}

impl<M: Send + Sync> Transformation<M> for ValueToKey {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let key = match &record.value.schema {
            None => SchemaAndValue::new(
                None,
                self.key_schemaless(require_map(&record.value.value, PURPOSE)?),
            ),
            Some(_) => self.key_with_schema(require_struct(&record.value.value, PURPOSE)?)?,
        };
        record.key = key;
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::test_support::*;

    fn v2k(pairs: &[(&str, &str)]) -> ValueToKey {
        ValueToKey::new(&cfg(pairs)).unwrap()
    }

    #[test]
    fn config_def_is_valid() {
        assert!(ValueToKey::config_def().definition_errors().is_empty());
    }

    // smt_value_to_key-aa818632e1, -2de8555cd3, -fb87eef334, -8e061aa142, -854b3134d7
    #[test]
    fn schemaless() {
        for fields in ["id,name", "name,id"] {
            let out = run(
                &v2k(&[("fields", fields)]),
                source(struct_key(), sv(None, user_map())),
            );
            assert_eq!(out.key.schema, None);
            assert_eq!(
                sorted(&out.key.value),
                [
                    ("id".into(), Value::Int64(42)),
                    ("name".into(), "alice".into())
                ]
            );
            assert_eq!(out.value, sv(None, user_map()));
        }
        let out = run(
            &v2k(&[("fields", "addr,tags")]),
            source(struct_key(), sv(None, user_map())),
        );
        assert_eq!(sorted(&out.key.value).len(), 2);
        let out = run(
            &v2k(&[("fields", "missing")]),
            source(struct_key(), sv(None, user_map())),
        );
        assert_eq!(sorted(&out.key.value), [("missing".into(), Value::Null)]);
        let out = run(
            &v2k(&[("fields", "age")]),
            source(struct_key(), sv(None, user_map())),
        );
        assert_eq!(sorted(&out.key.value), [("age".into(), Value::Int32(30))]);
    }

    // smt_value_to_key-e7fb8cf057
    #[test]
    fn with_schema() {
        let out = run(
            &v2k(&[("fields", "addr,tags")]),
            source(struct_key(), sv(Some(user_schema()), user_sparse())),
        );
        let ks = out.key.schema.clone().unwrap();
        assert_eq!(field_names(&ks), ["addr", "tags"]);
        assert_eq!(ks.name(), None);
        assert_eq!(ks.fields()[0].schema(), &address_schema());
        let k = as_struct(&out.key.value);
        assert_eq!(k.get("addr").unwrap(), &Value::Null);
        assert_eq!(out.value, sv(Some(user_schema()), user_sparse()));

        let out = run(
            &v2k(&[("fields", "id,name")]),
            source(struct_key(), sv(Some(user_schema()), user_full())),
        );
        let k = as_struct(&out.key.value);
        assert_eq!(k.get("id").unwrap(), &Value::Int64(42));
        assert_eq!(k.get("name").unwrap(), &Value::from("alice"));
    }

    // smt_value_to_key-a293bec16d, smt_value_to_key-332664eaea
    #[test]
    fn defaults() {
        let out = run(
            &v2k(&[("fields", "age")]),
            source(struct_key(), sv(Some(user_schema()), user_sparse())),
        );
        let k = as_struct(&out.key.value);
        assert_eq!(k.get_without_default("age").unwrap(), &Value::Int32(18));
        assert_eq!(
            k.schema().field("age").unwrap().schema().default_value(),
            Some(&Value::Int32(18))
        );
        let out = run(
            &v2k(&[("fields", "age"), ("replace.null.with.default", "false")]),
            source(struct_key(), sv(Some(user_schema()), user_sparse())),
        );
        assert_eq!(
            as_struct(&out.key.value)
                .get_without_default("age")
                .unwrap(),
            &Value::Null
        );
    }

    // smt_value_to_key-709b7e7bb0, -d9f2c8f2d5, -79a975a1e8, -a627fedd1e
    #[test]
    fn config_errors() {
        assert_eq!(
            ValueToKey::new(&cfg(&[("fields", "")]))
                .unwrap_err()
                .to_string(),
            "Invalid value [] for configuration fields: Empty list"
        );
        assert_eq!(
            ValueToKey::new(&cfg(&[])).unwrap_err().to_string(),
            "Missing required configuration \"fields\" which has no default value."
        );
    }

    // smt_value_to_key-43fcc71e51, -f58d6abe57, -95a8b5f28d
    #[test]
    fn data_errors() {
        let t = v2k(&[("fields", "id")]);
        assert_eq!(
            run_err(&t, source(struct_key(), sv(None, Value::Null))),
            "Only Map objects supported in absence of schema for [copying fields from value to key], found: null"
        );
        assert_eq!(
            run_err(
                &t,
                source(struct_key(), sv(Some(user_schema()), Value::Null))
            ),
            "Only Struct objects supported for [copying fields from value to key], found: null"
        );
        assert_eq!(
            run_err(&t, source(struct_key(), sv(None, "x"))),
            "Only Map objects supported in absence of schema for [copying fields from value to key], found: java.lang.String"
        );
        let t = v2k(&[("fields", "missing")]);
        assert_eq!(
            run_err(
                &t,
                source(struct_key(), sv(Some(user_schema()), user_full()))
            ),
            "Field does not exist: missing"
        );
        let t = v2k(&[("fields", "id,id")]);
        assert_eq!(
            run_err(
                &t,
                source(struct_key(), sv(Some(user_schema()), user_full()))
            ),
            "Cannot create field because of field name duplication id"
        );
        let out = run(&t, source(struct_key(), sv(None, user_map())));
        assert_eq!(sorted(&out.key.value), [("id".into(), Value::Int64(42))]);
    }
}
