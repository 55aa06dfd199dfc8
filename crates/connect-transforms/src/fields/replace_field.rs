//! `ReplaceField$Key` / `ReplaceField$Value`: keep, drop and rename top-level fields.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use connect_api::config::{
    ConfigDef, ConfigIssue, ConfigKey, ConfigType, Importance, LambdaValidator, ParsedValue,
};
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaBuilder, Struct, Transformation, Transformed, Value,
};

use super::common::{
    apply_default, check_copied, into_map, key_not_string, replace_null_with_default_key,
    StringKeyedMap, REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::cache::{Cached, SchemaCache};
use crate::util::{copy_schema_basics_into, require_struct, set_schema, Side};

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
    cache: SchemaCache<Schema, Arc<Plan>>,
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
                        "Fields to remove; a field listed here is removed even if include lists it.",
                    ),
            )
            .define(
                ConfigKey::new(BLACKLIST, ConfigType::List)
                    .default_null()
                    .importance(Importance::Low)
                    .documentation("Deprecated alias of exclude."),
            )
            .define(
                ConfigKey::new(INCLUDE, ConfigType::List)
                    .default_value(Vec::<String>::new())
                    .importance(Importance::Medium)
                    .documentation(
                        "When non-empty, only these fields are kept.",
                    ),
            )
            .define(
                ConfigKey::new(WHITELIST, ConfigType::List)
                    .default_null()
                    .importance(Importance::Low)
                    .documentation("Deprecated alias of include."),
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
                    .documentation("Renames as old:new pairs, e.g. <code>foo:bar,abc:xyz</code>."),
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

    /// The struct path, in place: the struct takes the derived schema and its slots are
    /// compacted (output fields keep the input order, so `sources` is increasing): no
    /// allocation per record. Returns the new schema.
    fn apply_in_struct<'a>(&'a self, value: &mut Struct) -> Result<Cached<'a, Arc<Plan>>> {
        let plan = self
            .cache
            .get_or_try_insert(value.schema(), || self.plan(value.schema()).map(Arc::new))?;
        let with_default = self.replace_null_with_default;
        value.reshape_unchecked(&plan.schema, |values| {
            for (i, (out_field, &src)) in plan.schema.fields().iter().zip(&plan.sources).enumerate()
            {
                if src != i {
                    values.swap(i, src);
                }
                let slot = &mut values[i];
                apply_default(slot, out_field, with_default);
                check_copied(out_field, slot)?;
            }
            for dropped in values.drain(plan.sources.len()..) {
                dropped.discard();
            }
            Ok::<(), ConnectError>(())
        })?;
        Ok(plan)
    }
}

impl<M: Send + Sync> Transformation<M> for ReplaceField {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.get_mut(record);
        match (&data.schema, &mut data.value) {
            (_, Value::Null) => {}
            (Some(_), Value::Struct(value)) => {
                let plan = self.apply_in_struct(value)?;
                set_schema(&mut data.schema, &plan.schema);
            }
            (Some(_), other) => {
                require_struct(other, PURPOSE)?;
            }
            (None, _) => {
                let value = std::mem::take(&mut data.value);
                data.value = self.apply_schemaless(into_map(value, PURPOSE)?)?;
            }
        }
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "replace_field_tests.rs"]
mod tests;
