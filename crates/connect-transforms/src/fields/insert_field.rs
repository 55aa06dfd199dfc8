//! `InsertField$Key` / `InsertField$Value`: add the record's topic, partition, offset (sink
//! records only), timestamp and/or a static string as fields.

use std::any::Any;
use std::collections::BTreeMap;

use connect_api::config::{ConfigDef, ConfigIssue, ConfigKey, ConfigType, Importance};
use connect_api::data::logical;
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, SinkMeta, SourceMeta,
    Struct, Transformation, Transformed, Type, Value,
};

use super::common::{
    apply_default, check_copied, into_map, map_put, replace_null_with_default_key,
    REPLACE_NULL_WITH_DEFAULT_CONFIG,
};
use crate::cache::{Cached, SchemaCache};
use crate::util::{copy_schema_basics_into, require_struct, set_schema, Side};

const TOPIC_FIELD: &str = "topic.field";
const PARTITION_FIELD: &str = "partition.field";
const OFFSET_FIELD: &str = "offset.field";
const TIMESTAMP_FIELD: &str = "timestamp.field";
const STATIC_FIELD: &str = "static.field";
const STATIC_VALUE: &str = "static.value";
const PURPOSE: &str = "field insertion";

const OPTIONALITY_DOC: &str = "End the name with <code>!</code> to make the inserted field \
required, or with <code>?</code> (the default) to make it optional.";

/// Java `InsertField.InsertionSpec`: a field name with `!` (required) or `?` (optional, the
/// default) stripped from its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsertionSpec {
    /// The field name.
    pub name: String,
    /// Whether the inserted field's schema is optional.
    pub optional: bool,
}

impl InsertionSpec {
    /// Java `InsertionSpec.parse`: `None` for an unset key.
    pub fn parse(spec: Option<&str>) -> Option<InsertionSpec> {
        let spec = spec?;
        let (name, optional) = if let Some(name) = spec.strip_suffix('?') {
            (name, true)
        } else if let Some(name) = spec.strip_suffix('!') {
            (name, false)
        } else {
            (spec, true)
        };
        Some(InsertionSpec {
            name: name.to_string(),
            optional,
        })
    }

    fn schema(&self, ty: Type) -> Schema {
        if self.optional {
            Schema::optional(ty)
        } else {
            Schema::required(ty)
        }
    }

    /// Java's `Object.toString()` of the spec, as Kafka prints it in a config error: the class
    /// name and a hash (Java shows the identity hash; Ferry a hash of the name).
    fn java_to_string(&self) -> String {
        let hash = self
            .name
            .encode_utf16()
            .fold(0u32, |h, u| h.wrapping_mul(31).wrapping_add(u32::from(u)));
        format!("org.apache.kafka.connect.transforms.InsertField$InsertionSpec@{hash:x}")
    }
}

/// Kafka's `InsertField`: appends the configured fields to a struct (deriving the schema,
/// cached per input schema) or puts them into a schemaless map. Null values pass through.
/// The offset exists only for sink records: Kafka fails with `Only SinkRecord supported for
/// [field insertion], found: org.apache.kafka.connect.source.SourceRecord` otherwise.
#[derive(Debug)]
pub struct InsertField {
    side: Side,
    topic: Option<InsertionSpec>,
    partition: Option<InsertionSpec>,
    offset: Option<InsertionSpec>,
    timestamp: Option<InsertionSpec>,
    static_field: Option<InsertionSpec>,
    static_value: Option<String>,
    replace_null_with_default: bool,
    cache: SchemaCache<Schema, Schema>,
}

fn string_key(name: &str, doc: String) -> ConfigKey {
    ConfigKey::new(name, ConfigType::String)
        .default_null()
        .importance(Importance::Medium)
        .documentation(doc)
}

/// The Kafka offset of a sink record, or Java's `requireSinkRecord` failure.
/// What InsertField may write of a record besides its key and value.
struct Facts<'a> {
    topic: &'a str,
    partition: Option<i32>,
    /// The sink offset when `offset.field` is set (an error for a source record).
    offset: Option<Result<i64>>,
    timestamp: Option<i64>,
}

fn sink_offset<M: 'static>(record: &Record<M>) -> Result<i64> {
    let meta: &dyn Any = &record.meta;
    if let Some(sink) = meta.downcast_ref::<SinkMeta>() {
        return Ok(sink.kafka_offset);
    }
    let found = if meta.is::<SourceMeta>() {
        "org.apache.kafka.connect.source.SourceRecord"
    } else {
        std::any::type_name::<M>()
    };
    Err(ConnectError::data(format!(
        "Only SinkRecord supported for [{PURPOSE}], found: {found}"
    )))
}

impl InsertField {
    /// The config definition (Kafka 3.9's).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(string_key(
                TOPIC_FIELD,
                format!("Name of the field that receives the Kafka topic. {OPTIONALITY_DOC}"),
            ))
            .define(string_key(
                PARTITION_FIELD,
                format!("Name of the field that receives the Kafka partition. {OPTIONALITY_DOC}"),
            ))
            .define(string_key(
                OFFSET_FIELD,
                format!(
                    "Name of the field that receives the Kafka offset (sink connectors only).<br/>{OPTIONALITY_DOC}"
                ),
            ))
            .define(string_key(
                TIMESTAMP_FIELD,
                format!("Name of the field that receives the record timestamp. {OPTIONALITY_DOC}"),
            ))
            .define(string_key(
                STATIC_FIELD,
                format!("Name of the field that receives static.value. {OPTIONALITY_DOC}"),
            ))
            .define(string_key(
                STATIC_VALUE,
                "Constant value to insert; used only when static.field is set.".to_string(),
            ))
            .define(replace_null_with_default_key())
    }

    /// Configures the transform for `side`. At least one field must be configured
    /// (`No field insertion configured`), and `static.field` needs `static.value`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let text = |key: &str| -> Result<Option<String>> {
            Ok(parsed
                .get_raw(key)?
                .and_then(|v| v.as_str())
                .map(str::to_string))
        };
        let spec = |key: &str| -> Result<Option<InsertionSpec>> {
            Ok(InsertionSpec::parse(text(key)?.as_deref()))
        };
        let t = InsertField {
            side,
            topic: spec(TOPIC_FIELD)?,
            partition: spec(PARTITION_FIELD)?,
            offset: spec(OFFSET_FIELD)?,
            timestamp: spec(TIMESTAMP_FIELD)?,
            static_field: spec(STATIC_FIELD)?,
            static_value: text(STATIC_VALUE)?,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::default(),
        };
        if t.topic.is_none()
            && t.partition.is_none()
            && t.offset.is_none()
            && t.timestamp.is_none()
            && t.static_field.is_none()
        {
            return Err(ConnectError::config_message(
                "No field insertion configured",
            ));
        }
        if let (Some(spec), None) = (&t.static_field, &t.static_value) {
            return Err(ConfigIssue::invalid_null(
                STATIC_VALUE,
                format!(
                    "No value specified for static field: {}",
                    spec.java_to_string()
                ),
            )
            .into());
        }
        Ok(t)
    }

    fn updated_schema(&self, schema: &Schema) -> Result<Schema> {
        let mut builder = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
        for field in schema.fields() {
            builder = builder.field(field.name(), field.schema().clone());
        }
        if let Some(spec) = &self.topic {
            builder = builder.field(spec.name.as_str(), spec.schema(Type::String));
        }
        if let Some(spec) = &self.partition {
            builder = builder.field(spec.name.as_str(), spec.schema(Type::Int32));
        }
        if let Some(spec) = &self.offset {
            builder = builder.field(spec.name.as_str(), spec.schema(Type::Int64));
        }
        if let Some(spec) = &self.timestamp {
            let ts = logical::timestamp_builder()
                .set_optional(spec.optional)
                .build()?;
            builder = builder.field(spec.name.as_str(), ts);
        }
        if let Some(spec) = &self.static_field {
            builder = builder.field(spec.name.as_str(), spec.schema(Type::String));
        }
        builder.build()
    }

    fn apply_schemaless<M: 'static>(
        &self,
        record: &Record<M>,
        mut entries: Vec<(Value, Value)>,
    ) -> Result<Value> {
        if let Some(spec) = &self.topic {
            map_put(
                &mut entries,
                &spec.name,
                Value::String(record.topic.to_string()),
            );
        }
        if let (Some(spec), Some(p)) = (&self.partition, record.kafka_partition) {
            map_put(&mut entries, &spec.name, Value::Int32(p));
        }
        if let Some(spec) = &self.offset {
            map_put(&mut entries, &spec.name, Value::Int64(sink_offset(record)?));
        }
        if let (Some(spec), Some(ts)) = (&self.timestamp, record.timestamp) {
            map_put(&mut entries, &spec.name, Value::Int64(ts));
        }
        if let (Some(spec), Some(v)) = (&self.static_field, &self.static_value) {
            map_put(&mut entries, &spec.name, Value::String(v.clone()));
        }
        Ok(Value::Map(entries))
    }

    /// The struct path, in place: the output starts with the input fields (same schemas), so
    /// the input slots are extended. Returns the new schema.
    fn apply_in_struct<'a>(
        &'a self,
        facts: Facts<'_>,
        value: &mut Struct,
    ) -> Result<Cached<'a, Schema>> {
        let schema = self
            .cache
            .get_or_try_insert(value.schema(), || self.updated_schema(value.schema()))?;
        value.reshape_unchecked(&schema, |values| {
            for (field, slot) in schema.fields().iter().zip(values.iter_mut()) {
                apply_default(slot, field, self.replace_null_with_default);
                check_copied(field, slot)?;
            }
            values.reserve_exact(schema.fields().len().saturating_sub(values.len()));
            if self.topic.is_some() {
                values.push(Value::String(facts.topic.to_string()));
            }
            if self.partition.is_some() {
                values.push(match facts.partition {
                    Some(p) => Value::Int32(p),
                    None => Value::Null,
                });
            }
            if self.offset.is_some() {
                if let Some(offset) = facts.offset {
                    values.push(Value::Int64(offset?));
                }
            }
            if self.timestamp.is_some() {
                values.push(match facts.timestamp {
                    Some(ts) => Value::Timestamp(ts),
                    None => Value::Null,
                });
            }
            if self.static_field.is_some() {
                values.push(match &self.static_value {
                    Some(v) => Value::String(v.clone()),
                    None => Value::Null,
                });
            }
            Ok::<(), ConnectError>(())
        })?;
        Ok(schema)
    }
}

impl<M: Send + Sync + 'static> Transformation<M> for InsertField {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        if self.side.get(record).value.is_null() {
            return Ok(Transformed::Keep);
        }
        if self.side.get(record).schema.is_none() {
            let data = self.side.take(record);
            let entries = into_map(data.value, PURPOSE)?;
            let updated = SchemaAndValue::new(None, self.apply_schemaless(record, entries)?);
            self.side.set(record, updated);
            return Ok(Transformed::Keep);
        }
        // Kafka asks for the sink offset only when it writes it; an error is raised there.
        let offset = self.offset.as_ref().map(|_| sink_offset(record));
        let Record {
            topic,
            kafka_partition,
            timestamp,
            key,
            value,
            ..
        } = record;
        let data = match self.side {
            Side::Key => key,
            Side::Value => value,
        };
        let facts = Facts {
            topic,
            partition: *kafka_partition,
            offset,
            timestamp: *timestamp,
        };
        match &mut data.value {
            Value::Struct(s) => {
                let schema = self.apply_in_struct(facts, s)?;
                set_schema(&mut data.schema, &schema);
            }
            other => {
                require_struct(other, PURPOSE)?;
            }
        }
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "insert_field_tests.rs"]
mod tests;
