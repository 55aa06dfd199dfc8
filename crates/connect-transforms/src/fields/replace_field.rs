//! `ReplaceField$Key` / `ReplaceField$Value`: keep, drop and rename top-level fields.

use std::collections::{BTreeMap, HashMap, HashSet};

use connect_api::config::{
    ConfigDef, ConfigIssue, ConfigKey, ConfigType, Importance, LambdaValidator, ParsedValue,
};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Value,
};

use super::common::{
    apply_default, check_copied, into_map, into_struct, key_not_string,
    replace_null_with_default_key, SchemaCache, StringKeyedMap, REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::util::{copy_schema_basics_into, Side};

const EXCLUDE: &str = "exclude";
const INCLUDE: &str = "include";
const RENAMES: &str = "renames";
/// Kafka 3.9's deprecated alias of `exclude` (removed in 4.0).
const BLACKLIST: &str = "blacklist";
/// Kafka 3.9's deprecated alias of `include` (removed in 4.0).
const WHITELIST: &str = "whitelist";
const PURPOSE: &str = "field replacement";

/// Java `ReplaceField.parseRenameMappings`: `old:new` pairs; anything else is
/// `Invalid value [a, b:] for configuration renames: Invalid rename mapping: b:`.
fn parse_renames(mappings: &[String]) -> Result<HashMap<String, String>, ConfigIssue> {
    let mut renames = HashMap::with_capacity(mappings.len());
    for mapping in mappings {
        let parts = super::common::java_split(mapping, ':');
        match parts.as_slice() {
            [from, to] => {
                renames.insert((*from).to_string(), (*to).to_string());
            }
            _ => {
                return Err(ConfigIssue::invalid_value(
                    RENAMES,
                    ParsedValue::List(mappings.to_vec()).to_string(),
                    format!("Invalid rename mapping: {mapping}"),
                ))
            }
        }
    }
    Ok(renames)
}

/// The output schema of one input schema and, per output field, the input field it takes.
#[derive(Debug)]
struct Plan {
    schema: Schema,
    sources: Vec<usize>,
}

/// Kafka's `ReplaceField`: a field is kept if it is not excluded and (no include list is
/// given or it is included), and kept fields are renamed by `renames`. Null values pass
/// through; schemaless values must be maps, values with a schema structs.
#[derive(Debug)]
pub struct ReplaceField {
    side: Side,
    exclude: HashSet<String>,
    include: HashSet<String>,
    renames: HashMap<String, String>,
    replace_null_with_default: bool,
    cache: SchemaCache<Plan>,
}

impl ReplaceField {
    /// The config definition (Kafka 3.9's, with the deprecated `blacklist`/`whitelist`).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(EXCLUDE, ConfigType::List)
                    .default_value(Vec::<String>::new())
                    .importance(Importance::Medium)
                    .documentation(
                        "Fields to exclude. This takes precedence over the fields to include.",
                    ),
            )
            .define(
                ConfigKey::new(BLACKLIST, ConfigType::List)
                    .default_null()
                    .importance(Importance::Low)
                    .documentation("Deprecated. Use exclude instead."),
            )
            .define(
                ConfigKey::new(INCLUDE, ConfigType::List)
                    .default_value(Vec::<String>::new())
                    .importance(Importance::Medium)
                    .documentation(
                        "Fields to include. If specified, only these fields will be used.",
                    ),
            )
            .define(
                ConfigKey::new(WHITELIST, ConfigType::List)
                    .default_null()
                    .importance(Importance::Low)
                    .documentation("Deprecated. Use include instead."),
            )
            .define(
                ConfigKey::new(RENAMES, ConfigType::List)
                    .default_value(Vec::<String>::new())
                    .validator(LambdaValidator::new(
                        |_name, value| match value {
                            Some(ParsedValue::List(items)) => parse_renames(items).map(|_| ()),
                            _ => Ok(()),
                        },
                        "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
                    ))
                    .importance(Importance::Medium)
                    .documentation("Field rename mappings."),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transform for `side`. The deprecated aliases are translated as Java's
    /// `ConfigUtils.translateDeprecatedConfigs` does: `whitelist` stands for `include` and
    /// `blacklist` for `exclude` unless the new key is set too (then the alias is ignored).
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let mut raw = config.clone();
        for (target, alias) in [(INCLUDE, WHITELIST), (EXCLUDE, BLACKLIST)] {
            if let Some(value) = raw.remove(alias) {
                raw.entry(target.to_string()).or_insert(value);
            }
        }
        let parsed = Self::config_def().parse(&raw)?;
        let set = |key: &str| -> Result<HashSet<String>> {
            Ok(parsed.get_list(key)?.iter().cloned().collect())
        };
        Ok(ReplaceField {
            side,
            exclude: set(EXCLUDE)?,
            include: set(INCLUDE)?,
            renames: parse_renames(parsed.get_list(RENAMES)?).map_err(ConnectError::from)?,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::default(),
        })
    }

    /// Java `filter(fieldName)`.
    fn keeps(&self, name: &str) -> bool {
        !self.exclude.contains(name) && (self.include.is_empty() || self.include.contains(name))
    }

    /// Java `renamed(fieldName)`.
    fn renamed<'a>(&'a self, name: &'a str) -> &'a str {
        self.renames.get(name).map_or(name, String::as_str)
    }

    fn plan(&self, schema: &Schema) -> Result<Plan> {
        let mut builder = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
        let mut sources = Vec::with_capacity(schema.fields().len());
        for field in schema.fields() {
            if self.keeps(field.name()) {
                builder = builder.field(self.renamed(field.name()), field.schema().clone());
                sources.push(field.index());
            }
        }
        Ok(Plan {
            schema: builder.build()?,
            sources,
        })
    }

    fn apply_schemaless(&self, entries: Vec<(Value, Value)>) -> Result<Value> {
        if self.renames.is_empty() {
            // Keys are unique already; only check they are strings, as Java's cast does.
            let mut out = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                let Value::String(name) = &k else {
                    return Err(key_not_string(&k));
                };
                if self.keeps(name) {
                    out.push((k, v));
                }
            }
            return Ok(Value::Map(out));
        }
        let mut out = StringKeyedMap::with_capacity(entries.len());
        for (k, v) in entries {
            let Value::String(name) = k else {
                return Err(key_not_string(&k));
            };
            if self.keeps(&name) {
                let target = match self.renames.get(&name) {
                    Some(to) => to.clone(),
                    None => name,
                };
                out.put(target, v);
            }
        }
        Ok(Value::Map(out.into_entries()))
    }

    fn apply_with_schema(&self, value: Struct) -> Result<SchemaAndValue> {
        let plan = self
            .cache
            .get_or_try_insert(value.schema(), || self.plan(value.schema()))?;
        // Output fields keep the input order, so the input slots are compacted in place
        // (`sources` is increasing): no allocation per record.
        let mut values = value.into_values();
        for (i, (out_field, &src)) in plan.schema.fields().iter().zip(&plan.sources).enumerate() {
            if src != i {
                values.swap(i, src);
            }
            let slot = &mut values[i];
            apply_default(slot, out_field, self.replace_null_with_default);
            check_copied(out_field, slot)?;
        }
        values.truncate(plan.sources.len());
        let out = Struct::from_values_unchecked(&plan.schema, values);
        Ok(SchemaAndValue::new(
            Some(plan.schema.clone()),
            Value::Struct(out),
        ))
    }
}

impl<M: Send + Sync> Transformation<M> for ReplaceField {
    fn apply(&self, mut record: Record<M>) -> Result<Option<Record<M>>> {
        if self.side.get(&record).value.is_null() {
            return Ok(Some(record));
        }
        let data = self.side.take(&mut record);
        let updated = match data.schema {
            None => {
                SchemaAndValue::new(None, self.apply_schemaless(into_map(data.value, PURPOSE)?)?)
            }
            Some(_) => self.apply_with_schema(into_struct(data.value, PURPOSE)?)?,
        };
        self.side.set(&mut record, updated);
        Ok(Some(record))
    }
}

#[cfg(test)]
#[path = "replace_field_tests.rs"]
mod tests;
