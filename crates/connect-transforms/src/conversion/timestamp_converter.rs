//! `org.apache.kafka.connect.transforms.TimestampConverter`: converts a timestamp (the whole
//! key/value, or one top-level field) between text (a `SimpleDateFormat` pattern, UTC), Unix
//! time (`unix.precision`), and the `Date`, `Time` and `Timestamp` logical types.
//!
//! As Kafka 3.9, except where Kafka silently corrupts data: converting to Unix micro- or
//! nanoseconds (or from Unix seconds) an instant whose result does not fit a `long` is a data
//! error here, where Kafka's `TimeUnit` clamps it to `Long.MIN_VALUE`/`MAX_VALUE`.

use std::collections::BTreeMap;

use connect_api::config::{java_trim, ConfigDef, ConfigKey, ConfigType, Importance, ValidString};
use connect_api::data::logical::{self, Logical};
use connect_api::data::validate_value;
use connect_api::error::ConfigIssue;
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Transformed, Type, Value,
};

use super::simple_date_format::SimpleDateFormat;
use crate::cache::SchemaCache;
use crate::util::{copy_schema_basics_into, require_map, require_struct, Side};

/// `field`: the field holding the timestamp, empty for the whole key/value.
pub const FIELD_CONFIG: &str = "field";
/// `target.type`: `string`, `unix`, `Date`, `Time` or `Timestamp`.
pub const TARGET_TYPE_CONFIG: &str = "target.type";
/// `format`: the `SimpleDateFormat` pattern for string timestamps.
pub const FORMAT_CONFIG: &str = "format";
/// `unix.precision`: `seconds`, `milliseconds`, `microseconds` or `nanoseconds`.
pub const UNIX_PRECISION_CONFIG: &str = "unix.precision";
/// `replace.null.with.default`: read a field's default when its value is null.
pub const REPLACE_NULL_WITH_DEFAULT_CONFIG: &str = "replace.null.with.default";

const PURPOSE: &str = "converting timestamp formats";
const MILLIS_PER_DAY: i64 = 86_400_000;

/// A timestamp representation (Kafka's translator names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `string`: text in `format`.
    String,
    /// `unix`: a `long` in `unix.precision`.
    Unix,
    /// `Date`: a `java.util.Date` at midnight.
    Date,
    /// `Time`: a `java.util.Date` within the first day.
    Time,
    /// `Timestamp`: a `java.util.Date`.
    Timestamp,
}

impl Kind {
    fn named(name: &str) -> Option<Kind> {
        Some(match name {
            "string" => Kind::String,
            "unix" => Kind::Unix,
            "Date" => Kind::Date,
            "Time" => Kind::Time,
            "Timestamp" => Kind::Timestamp,
            _ => return None,
        })
    }

    /// The translator's `typeSchema(isOptional)`.
    fn schema(self, optional: bool) -> Schema {
        match self {
            Kind::String if optional => Schema::optional(Type::String),
            Kind::String => Schema::required(Type::String),
            Kind::Unix if optional => Schema::optional(Type::Int64),
            Kind::Unix => Schema::required(Type::Int64),
            Kind::Date => logical::schema_of(Logical::Date, optional, 0),
            Kind::Time => logical::schema_of(Logical::Time, optional, 0),
            Kind::Timestamp => logical::schema_of(Logical::Timestamp, optional, 0),
        }
    }

    /// Java `timestampTypeFromSchema`.
    fn of_schema(schema: &Schema) -> Result<Kind> {
        match schema.logical() {
            Some(Logical::Timestamp) => Ok(Kind::Timestamp),
            Some(Logical::Date) => Ok(Kind::Date),
            Some(Logical::Time) => Ok(Kind::Time),
            _ => match schema.schema_type() {
                Type::String => Ok(Kind::String),
                Type::Int64 => Ok(Kind::Unix),
                // Java throws a ConnectException, which errors.tolerance handles like a
                // DataException in a transformation.
                _ => Err(ConnectError::data(format!(
                    "Schema {schema} does not correspond to a known timestamp type format"
                ))),
            },
        }
    }

    /// Java `inferTimestampType`.
    fn of_value(value: &Value) -> Result<Kind> {
        match value {
            Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => Ok(Kind::Timestamp),
            Value::Int64(_) => Ok(Kind::Unix),
            Value::String(_) => Ok(Kind::String),
            other => Err(ConnectError::data(format!(
                "TimestampConverter does not support {} objects as timestamps",
                other.java_class()
            ))),
        }
    }
}

/// `unix.precision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    Seconds,
    Milliseconds,
    Microseconds,
    Nanoseconds,
}

/// Kafka's `TimestampConverter$Key` / `TimestampConverter$Value`.
#[derive(Debug)]
pub struct TimestampConverter {
    side: Side,
    field: String,
    target: Kind,
    format: Option<SimpleDateFormat>,
    precision: Precision,
    replace_null_with_default: bool,
    /// Per input struct schema: the output schema.
    cache: SchemaCache<Schema, Schema>,
}

impl TimestampConverter {
    /// Kafka's `TimestampConverter.CONFIG_DEF`.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(FIELD_CONFIG, ConfigType::String)
                    .default_value("")
                    .importance(Importance::High)
                    .documentation(
                        "Name of the field holding the timestamp; leave empty when the whole key \
                         or value is the timestamp.",
                    ),
            )
            .define(
                ConfigKey::new(TARGET_TYPE_CONFIG, ConfigType::String)
                    .validator(ValidString::one_of([
                        "string",
                        "unix",
                        "Date",
                        "Time",
                        "Timestamp",
                    ]))
                    .importance(Importance::High)
                    .documentation(
                        "Type to convert the timestamp to: string, unix, Date, Time or \
                         Timestamp.",
                    ),
            )
            .define(
                ConfigKey::new(FORMAT_CONFIG, ConfigType::String)
                    .default_value("")
                    .importance(Importance::Medium)
                    .documentation(
                        "A java.text.SimpleDateFormat pattern, used both to render the result when \
                         type=string and to parse timestamps that arrive as strings.",
                    ),
            )
            .define(
                ConfigKey::new(UNIX_PRECISION_CONFIG, ConfigType::String)
                    .default_value("milliseconds")
                    .validator(ValidString::one_of([
                        "nanoseconds",
                        "microseconds",
                        "milliseconds",
                        "seconds",
                    ]))
                    .importance(Importance::Low)
                    .documentation(
                        "Unit of Unix epoch numbers (seconds, milliseconds, microseconds or \
                         nanoseconds), applied to the result when type=unix and to Long inputs. \
                         Sub-millisecond detail is lost in these conversions.",
                    ),
            )
            .define(
                ConfigKey::new(REPLACE_NULL_WITH_DEFAULT_CONFIG, ConfigType::Boolean)
                    .default_value(true)
                    .importance(Importance::Medium)
                    .documentation(
                        "When true, a null field whose schema declares a default is emitted with that default; \
                         when false, it stays null.",
                    ),
            )
    }

    /// A configured `TimestampConverter$Key` (`side` = key) or `TimestampConverter$Value`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let target_name = parsed.get_string(TARGET_TYPE_CONFIG)?;
        let target = Kind::named(target_name).ok_or_else(|| {
            ConnectError::config(TARGET_TYPE_CONFIG, target_name, "Unknown target type")
        })?;
        let pattern = parsed.get_string(FORMAT_CONFIG)?;
        let blank = java_trim(pattern).is_empty();
        if target == Kind::String && blank {
            return Err(ConfigIssue::keyed_message(
                FORMAT_CONFIG,
                "TimestampConverter requires format option to be specified when using string timestamps",
            )
            .into());
        }
        let format = if blank {
            None
        } else {
            Some(SimpleDateFormat::new(pattern).map_err(|e| {
                ConnectError::from(ConfigIssue::keyed_message(
                    FORMAT_CONFIG,
                    format!(
                        "Invalid value java.lang.IllegalArgumentException: {e} for configuration \
                         TimestampConverter requires a SimpleDateFormat-compatible pattern for \
                         string timestamps: {pattern}"
                    ),
                ))
            })?)
        };
        let precision = match parsed.get_string(UNIX_PRECISION_CONFIG)? {
            "seconds" => Precision::Seconds,
            "microseconds" => Precision::Microseconds,
            "nanoseconds" => Precision::Nanoseconds,
            _ => Precision::Milliseconds,
        };
        Ok(TimestampConverter {
            side,
            field: parsed.get_string(FIELD_CONFIG)?.to_string(),
            target,
            format,
            precision,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::new(),
        })
    }

    /// The translator's `toRaw`: epoch milliseconds of a timestamp of `kind`.
    fn to_raw(&self, kind: Kind, value: &Value) -> Result<i64> {
        match kind {
            Kind::String => {
                let Value::String(text) = value else {
                    return Err(ConnectError::data(format!(
                        "Expected string timestamp to be a String, but found {}",
                        value.java_class()
                    )));
                };
                let format = self.format.as_ref().ok_or_else(|| {
                    ConnectError::data(
                        "Cannot invoke \"java.text.SimpleDateFormat.parse(String)\" because \
                         \"config.format\" is null",
                    )
                })?;
                format.parse(text).map_err(|e| {
                    ConnectError::data_with(
                        format!(
                            "Could not parse timestamp: value ({text}) does not match pattern ({})",
                            format.to_pattern()
                        ),
                        e,
                    )
                })
            }
            Kind::Unix => {
                let Value::Int64(unix) = value else {
                    return Err(ConnectError::data(format!(
                        "Expected Unix timestamp to be a Long, but found {}",
                        value.java_class()
                    )));
                };
                let unix = *unix;
                match self.precision {
                    Precision::Seconds => unix.checked_mul(1000).ok_or_else(|| {
                        ConnectError::data(format!(
                            "Unix timestamp {unix} in seconds is out of the range of a timestamp"
                        ))
                    }),
                    Precision::Milliseconds => Ok(unix),
                    Precision::Microseconds => Ok(unix / 1000),
                    Precision::Nanoseconds => Ok(unix / 1_000_000),
                }
            }
            Kind::Date | Kind::Time | Kind::Timestamp => value.as_epoch_millis().ok_or_else(|| {
                let name = match kind {
                    Kind::Date => "Date",
                    Kind::Time => "Time",
                    _ => "Timestamp",
                };
                ConnectError::data(format!(
                    "Expected {name} to be a java.util.Date, but found {}",
                    value.java_class()
                ))
            }),
        }
    }

    /// The target translator's `toType` of epoch milliseconds.
    fn to_type(&self, millis: i64) -> Result<Value> {
        Ok(match self.target {
            Kind::String => match &self.format {
                Some(format) => Value::String(format.format(millis)),
                None => {
                    return Err(ConnectError::data(
                        "Cannot invoke \"java.text.SimpleDateFormat.format(java.util.Date)\" \
                         because \"config.format\" is null",
                    ))
                }
            },
            Kind::Unix => {
                let scaled = match self.precision {
                    Precision::Seconds => Some(millis / 1000),
                    Precision::Milliseconds => Some(millis),
                    Precision::Microseconds => millis.checked_mul(1000),
                    Precision::Nanoseconds => millis.checked_mul(1_000_000),
                };
                Value::Int64(scaled.ok_or_else(|| {
                    ConnectError::data(format!(
                        "Timestamp {millis} ms is out of the range of a Unix timestamp in the \
                         requested precision"
                    ))
                })?)
            }
            Kind::Date => {
                let days = millis.div_euclid(MILLIS_PER_DAY);
                match i32::try_from(days) {
                    Ok(d) => Value::Date(d),
                    // A midnight beyond the Date variant's range stays a java.util.Date.
                    Err(_) => Value::Timestamp(days * MILLIS_PER_DAY),
                }
            }
            Kind::Time => Value::Time(millis.rem_euclid(MILLIS_PER_DAY) as i32),
            Kind::Timestamp => Value::Timestamp(millis),
        })
    }

    /// Java `convertTimestamp(timestamp, format)`: `kind` is the source representation, or
    /// `None` to infer it from the value.
    fn convert(&self, value: &Value, kind: Option<Kind>) -> Result<Value> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        let kind = match kind {
            Some(k) => k,
            None => Kind::of_value(value)?,
        };
        let raw = self.to_raw(kind, value)?;
        self.to_type(raw)
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        if value.is_null() || self.field.is_empty() {
            return self.convert(&value, None);
        }
        let Value::Map(mut entries) = value else {
            require_map(&value, PURPOSE)?;
            return Err(ConnectError::data("TimestampConverter expected a map"));
        };
        let slot = entries
            .iter_mut()
            .find(|(k, _)| matches!(k, Value::String(s) if *s == self.field));
        match slot {
            Some((_, v)) => *v = self.convert(v, None)?,
            // Java puts the (null) conversion of the missing entry.
            None => entries.push((Value::String(self.field.clone()), Value::Null)),
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&self, schema: &Schema, value: Value) -> Result<(Schema, Value)> {
        if self.field.is_empty() {
            let updated = self.target.schema(schema.is_optional());
            let kind = Kind::of_schema(schema)?;
            return Ok((updated, self.convert(&value, Some(kind))?));
        }
        if !value.is_null() {
            require_struct(&value, PURPOSE)?;
        }
        let updated = self
            .cache
            .get_or_try_insert(schema, || self.build_schema(schema))?;
        let Value::Struct(input) = value else {
            return Ok((updated.clone(), Value::Null));
        };
        let converted = self.convert_struct(input, schema, &updated)?;
        Ok((updated.clone(), Value::Struct(converted)))
    }

    /// The output struct schema for `schema`.
    fn build_schema(&self, schema: &Schema) -> Result<Schema> {
        if schema.schema_type() != Type::Struct {
            return Err(ConnectError::data("Cannot list fields on non-struct type"));
        }
        let mut builder = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
        for field in schema.fields() {
            if field.name() == self.field {
                let optional = field.schema().is_optional();
                builder = builder.field(field.name(), self.target.schema(optional));
            } else {
                builder = builder.field(field.name(), field.schema().clone());
            }
        }
        if schema.is_optional() {
            builder = builder.optional();
        }
        let Some(Value::Struct(default)) = schema.default_value() else {
            return builder.build();
        };
        // Java converts the default with the builder itself as the struct's schema.
        let without_default = builder.build()?;
        let default = self.convert_struct(default.clone(), schema, &without_default)?;
        let updated = without_default
            .to_builder()
            .default_value_unchecked(Value::Struct(default))
            .build()?;
        Ok(updated)
    }

    /// Java `applyValueWithSchema`: the struct with the field converted, every field put
    /// into a struct of `updated`. Values of a struct of `source` (the schema `updated` was
    /// derived from) are valid already and keep their places; nulls and the converted field
    /// are checked; a struct of another schema is matched by name and validated.
    fn convert_struct(&self, input: Struct, source: &Schema, updated: &Schema) -> Result<Struct> {
        if !input.schema().ptr_eq(source) {
            return self.convert_struct_by_name(input, updated);
        }
        let mut values = input.into_values();
        let fields = source.fields().iter().zip(updated.fields());
        for (v, (field, target)) in values.iter_mut().zip(fields) {
            if v.is_null() && self.replace_null_with_default {
                if let Some(d) = field.schema().default_value() {
                    *v = d.clone();
                }
            }
            if field.name() == self.field {
                let kind = Kind::of_schema(field.schema())?;
                *v = self.convert(v, Some(kind))?;
            }
            if v.is_null() && !target.schema().is_optional() {
                validate_value(Some(target.name()), target.schema(), v)?;
            }
        }
        Ok(Struct::from_values_unchecked(updated, values))
    }

    fn convert_struct_by_name(&self, input: Struct, updated: &Schema) -> Result<Struct> {
        let input_schema = input.schema().clone();
        let mut values = input.into_values();
        let mut out = vec![Value::Null; updated.fields().len()];
        for (field, v) in input_schema.fields().iter().zip(values.iter_mut()) {
            let mut v = std::mem::take(v);
            if v.is_null() && self.replace_null_with_default {
                if let Some(d) = field.schema().default_value() {
                    v = d.clone();
                }
            }
            if field.name() == self.field {
                let kind = Kind::of_schema(field.schema())?;
                v = self.convert(&v, Some(kind))?;
            }
            let target = updated.field(field.name()).ok_or_else(|| {
                ConnectError::data(format!("{} is not a valid field name", field.name()))
            })?;
            validate_value(Some(target.name()), target.schema(), &v)?;
            out[target.index()] = v;
        }
        Ok(Struct::from_values_unchecked(updated, out))
    }
}

impl<M: Send + Sync> Transformation<M> for TimestampConverter {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let SchemaAndValue { schema, value } = self.side.take(record);
        let updated = match schema {
            None => SchemaAndValue::new(None, self.apply_schemaless(value)?),
            Some(schema) => {
                let (schema, value) = self.apply_with_schema(&schema, value)?;
                SchemaAndValue::new(Some(schema), value)
            }
        };
        self.side.set(record, updated);
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
#[path = "timestamp_converter_tests.rs"]
mod tests;
