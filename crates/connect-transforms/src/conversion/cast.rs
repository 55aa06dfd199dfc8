//! `org.apache.kafka.connect.transforms.Cast`: casts the whole key/value, or top-level fields
//! of a struct or schemaless map, to another primitive type.
//!
//! As Kafka 3.9: integers narrow by wrapping (`70000` → int8 `112`), floats truncate and
//! saturate (NaN → `0`, `1e20` → `Long.MAX_VALUE`), strings parse with Java's `parseByte` …
//! `parseDouble` and `Boolean.parseBoolean` (`"yes"` → false), bytes only become base64 text,
//! `Date`/`Time`/`Timestamp` values become their days/milliseconds (or `Values`' date text for
//! string), defaults are cast with their fields, and a whole-value cast keeps the schema's name,
//! version, doc and parameters.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use connect_api::config::{java_trim, ParsedValue};
use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, LambdaValidator};
use connect_api::data::logical::{self, Logical};
use connect_api::data::validate_value;
use connect_api::error::ConfigIssue;
use connect_api::{
    ConnectError, Record, Result, Schema, SchemaAndValue, SchemaBuilder, Struct, Transformation,
    Transformed, Type, Value,
};

use super::simple_date_format::push_values_date_text;
use crate::cache::SchemaCache;
use crate::util::{copy_schema_basics_into, require_map, require_struct, set_schema, Side};
use connect_api::data::java_number::{parse_double, parse_float, parse_integer};

/// `spec`: `field:type,…`, or a single type for the whole value.
pub const SPEC_CONFIG: &str = "spec";
/// `replace.null.with.default`: read a field's default when its value is null.
pub const REPLACE_NULL_WITH_DEFAULT_CONFIG: &str = "replace.null.with.default";

const PURPOSE: &str = "cast types";

/// The types a value may be cast from.
const INPUT_TYPES: [Type; 9] = [
    Type::Int8,
    Type::Int16,
    Type::Int32,
    Type::Int64,
    Type::Float32,
    Type::Float64,
    Type::Boolean,
    Type::String,
    Type::Bytes,
];

/// The types a value may be cast to.
const OUTPUT_TYPES: [Type; 8] = [
    Type::Int8,
    Type::Int16,
    Type::Int32,
    Type::Int64,
    Type::Float32,
    Type::Float64,
    Type::Boolean,
    Type::String,
];

/// Java's `EnumSet.toString()` of types: `[INT8, INT16]`.
fn type_list(types: &[Type]) -> String {
    let names: Vec<&str> = types.iter().map(|t| t.java_name()).collect();
    format!("[{}]", names.join(", "))
}

/// The parsed `spec`: a whole-value type, or a type per field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Spec {
    whole: Option<Type>,
    fields: Vec<(String, Type)>,
}

impl Spec {
    fn field_type(&self, name: &str) -> Option<Type> {
        self.fields.iter().find(|(f, _)| f == name).map(|(_, t)| *t)
    }
}

/// Java `Schema.Type.valueOf(name.trim().toUpperCase(Locale.ROOT))`, with the error Java's
/// `IllegalArgumentException` gives as text.
fn type_named(name: &str) -> std::result::Result<Type, String> {
    let upper = java_trim(name).to_uppercase();
    Type::ALL
        .iter()
        .copied()
        .find(|t| t.java_name() == upper)
        .ok_or_else(|| {
            format!(
                "java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.{upper}"
            )
        })
}

/// Java `Cast.validCastType(type, OUTPUT)`.
fn output_type(ty: Type) -> std::result::Result<Type, ConfigIssue> {
    if OUTPUT_TYPES.contains(&ty) {
        Ok(ty)
    } else {
        Err(ConfigIssue::keyed_message(
            SPEC_CONFIG,
            format!(
                "Cast transformation does not support casting to {ty}; supported types are {}",
                type_list(&OUTPUT_TYPES)
            ),
        ))
    }
}

/// Java `String.split(":")`: trailing empty strings are dropped.
fn split_colon(mapping: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = mapping.split(':').collect();
    if parts.len() > 1 {
        while parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
    }
    parts
}

/// Java `Cast.parseFieldTypes`, with Kafka's messages (some garbled by its use of
/// `ConfigException(name, value)`).
fn parse_field_types(mappings: &[String]) -> std::result::Result<Spec, ConfigIssue> {
    if mappings.is_empty() {
        return Err(ConfigIssue::keyed_message(
            SPEC_CONFIG,
            "Must specify at least one field to cast.",
        ));
    }
    let invalid_type = |name: &str, e: String| {
        ConfigIssue::keyed_message(
            SPEC_CONFIG,
            format!(
                "Invalid value {e} for configuration Invalid type found in casting spec: {}",
                java_trim(name)
            ),
        )
    };
    let mut spec = Spec::default();
    let mut whole_cast = false;
    for mapping in mappings {
        let parts = split_colon(mapping);
        match parts.len() {
            0 => {
                // Java reads parts[1] of an empty array.
                return Err(ConfigIssue::keyed_message(
                    SPEC_CONFIG,
                    "Index 1 out of bounds for length 0",
                ));
            }
            1 => {
                let ty = type_named(parts[0]).map_err(|e| invalid_type(parts[0], e))?;
                spec.whole = Some(output_type(ty)?);
                whole_cast = true;
            }
            2 => {
                let ty = type_named(parts[1]).map_err(|e| invalid_type(parts[1], e))?;
                let ty = output_type(ty)?;
                let name = java_trim(parts[0]).to_string();
                match spec.fields.iter_mut().find(|(f, _)| *f == name) {
                    Some(slot) => slot.1 = ty,
                    None => spec.fields.push((name, ty)),
                }
            }
            _ => {
                return Err(ConfigIssue::keyed_message(
                    SPEC_CONFIG,
                    format!(
                        "Invalid value [{}] for configuration renames: Invalid rename mapping: {mapping}",
                        mappings.join(", ")
                    ),
                ));
            }
        }
    }
    if whole_cast && mappings.len() > 1 {
        return Err(ConfigIssue::keyed_message(
            SPEC_CONFIG,
            "Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec",
        ));
    }
    Ok(spec)
}

/// What Cast derived from one input schema.
#[derive(Debug, Clone)]
struct Plan {
    /// The output schema.
    schema: Schema,
    /// For a struct, the target type of each field by index (`None`: copied as is).
    casts: Arc<[Option<Type>]>,
    /// The fields that are cast, by index, with their target types.
    cast_list: Arc<[(usize, Type)]>,
}

/// Kafka's `Cast$Key` / `Cast$Value`.
#[derive(Debug)]
pub struct Cast {
    side: Side,
    spec: Spec,
    replace_null_with_default: bool,
    cache: SchemaCache<Schema, Plan>,
}

impl Cast {
    /// Kafka's `Cast.CONFIG_DEF`.
    pub fn config_def() -> ConfigDef {
        let spec_validator = LambdaValidator::new(
            |_, value| match value {
                Some(ParsedValue::List(list)) => parse_field_types(list).map(|_| ()),
                _ => Err(ConfigIssue::keyed_message(
                    SPEC_CONFIG,
                    "Must specify at least one field to cast.",
                )),
            },
            "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>",
        );
        ConfigDef::new()
            .define(
                ConfigKey::new(SPEC_CONFIG, ConfigType::List)
                    .validator(spec_validator)
                    .importance(Importance::High)
                    .documentation(
                        "Either one type, applied to the whole key/value, or comma-separated \
                         field1:type,field2:type pairs naming Struct or Map fields to convert. \
                         Allowed types: int8, int16, int32, int64, float32, float64, boolean and \
                         string; binary fields may only become string.",
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

    /// A configured `Cast$Key` (`side` = key) or `Cast$Value`.
    pub fn new(side: Side, config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let spec = parse_field_types(parsed.get_list(SPEC_CONFIG)?)?;
        Ok(Cast {
            side,
            spec,
            replace_null_with_default: parsed.get_bool(REPLACE_NULL_WITH_DEFAULT_CONFIG)?,
            cache: SchemaCache::new(),
        })
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        if let Some(ty) = self.spec.whole {
            return cast_value(None, value, ty);
        }
        let Value::Map(mut entries) = value else {
            require_map(&value, PURPOSE)?;
            return Err(ConnectError::data("Cast expected a map"));
        };
        for (name, ty) in &self.spec.fields {
            let slot = entries
                .iter_mut()
                .find(|(k, _)| matches!(k, Value::String(s) if s == name));
            match slot {
                Some((_, v)) => *v = cast_value(None, std::mem::take(v), *ty)?,
                // Java puts the (null) cast of the missing entry.
                None => entries.push((Value::String(name.clone()), Value::Null)),
            }
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&self, schema: &Schema, value: Value) -> Result<(Schema, Value)> {
        let plan = self
            .cache
            .get_or_try_insert(schema, || self.build_plan(schema))?;
        if let Some(ty) = self.spec.whole {
            let value = cast_value(Some(schema), value, ty)?;
            return Ok((plan.schema.clone(), value));
        }
        let Value::Struct(input) = value else {
            require_struct(&value, PURPOSE)?;
            return Err(ConnectError::data("Cast expected a struct"));
        };
        let values = if input.schema().ptr_eq(schema) {
            self.cast_fields(schema, &plan, input.into_values())?
        } else {
            self.cast_fields_by_name(&plan, input)?
        };
        let updated = Struct::from_values_unchecked(&plan.schema, values);
        Ok((plan.schema.clone(), Value::Struct(updated)))
    }

    /// The values of a struct of `schema` (the schema the plan was built for), cast in place.
    /// Without null slots only the cast fields need work (defaults and the required-field
    /// check concern nulls only, and a cast never makes a null).
    fn cast_fields(
        &self,
        schema: &Schema,
        plan: &Plan,
        mut values: Vec<Value>,
    ) -> Result<Vec<Value>> {
        if values.iter().any(Value::is_null) {
            return self.cast_fields_with_nulls(schema, plan, values);
        }
        cast_listed(schema, plan, &mut values)?;
        Ok(values)
    }

    /// [`cast_fields`](Self::cast_fields) field by field, in Java's order, when some slots are
    /// null.
    fn cast_fields_with_nulls(
        &self,
        schema: &Schema,
        plan: &Plan,
        mut values: Vec<Value>,
    ) -> Result<Vec<Value>> {
        let fields = schema.fields().iter().zip(plan.schema.fields());
        for ((v, (field, target)), ty) in values.iter_mut().zip(fields).zip(plan.casts.iter()) {
            if v.is_null() && self.replace_null_with_default {
                if let Some(d) = field.schema().default_value() {
                    *v = d.clone();
                }
            }
            if let Some(ty) = ty {
                let cast = cast_value(Some(field.schema()), std::mem::take(v), *ty)?;
                v.set(cast);
            }
            if v.is_null() && !target.schema().is_optional() {
                validate_value(Some(target.name()), target.schema(), v)?;
            }
        }
        Ok(values)
    }

    /// The values of a struct whose schema is not the record's, matched to the output schema
    /// by field name and validated (Java `Struct.put`).
    fn cast_fields_by_name(&self, plan: &Plan, input: Struct) -> Result<Vec<Value>> {
        let input_schema = input.schema().clone();
        let mut values = input.into_values();
        let mut out = vec![Value::Null; plan.schema.fields().len()];
        for (field, v) in input_schema.fields().iter().zip(values.iter_mut()) {
            let mut v = std::mem::take(v);
            if v.is_null() && self.replace_null_with_default {
                if let Some(d) = field.schema().default_value() {
                    v = d.clone();
                }
            }
            let target = plan.schema.field(field.name()).ok_or_else(|| {
                ConnectError::data(format!("{} is not a valid field name", field.name()))
            })?;
            if let Some(ty) = self.spec.field_type(field.name()) {
                v = cast_value(Some(field.schema()), v, ty)?;
            }
            validate_value(Some(target.name()), target.schema(), &v)?;
            out[target.index()] = v;
        }
        Ok(out)
    }

    /// Java `Cast.getOrBuildSchema` (uncached part).
    fn build_plan(&self, schema: &Schema) -> Result<Plan> {
        let mut casts: Vec<Option<Type>> = Vec::new();
        let mut builder = match self.spec.whole {
            Some(ty) => copy_schema_basics_into(schema, SchemaBuilder::new(ty)),
            None => {
                if schema.schema_type() != Type::Struct {
                    return Err(ConnectError::data("Cannot list fields on non-struct type"));
                }
                let mut b = copy_schema_basics_into(schema, SchemaBuilder::struct_builder());
                for field in schema.fields() {
                    let ty = self.spec.field_type(field.name());
                    casts.push(ty);
                    let field_schema = match ty {
                        None => field.schema().clone(),
                        Some(ty) => {
                            let source = field.schema();
                            match source.default_value() {
                                None if source.is_optional() => Schema::optional(ty),
                                None => Schema::required(ty),
                                Some(d) => {
                                    let d = cast_value(Some(source), d.clone(), ty)?;
                                    SchemaBuilder::new(ty)
                                        .set_optional(source.is_optional())
                                        .default_value(d)
                                        .build()?
                                }
                            }
                        }
                    };
                    b = b.field(field.name(), field_schema);
                }
                b
            }
        };
        if schema.is_optional() {
            builder = builder.optional();
        }
        if let Some(d) = schema.default_value() {
            let target = builder.schema_type();
            builder = builder.default_value(cast_value(Some(schema), d.clone(), target)?);
        }
        let cast_list: Vec<(usize, Type)> = casts
            .iter()
            .enumerate()
            .filter_map(|(i, ty)| ty.map(|ty| (i, ty)))
            .collect();
        Ok(Plan {
            schema: builder.build()?,
            casts: casts.into(),
            cast_list: cast_list.into(),
        })
    }
}

/// Casts the planned fields of the values of a struct of `schema` that holds no null.
fn cast_listed(schema: &Schema, plan: &Plan, values: &mut [Value]) -> Result<()> {
    for &(index, ty) in plan.cast_list.iter() {
        if let (Some(v), Some(field)) = (values.get_mut(index), schema.fields().get(index)) {
            let cast = cast_value(Some(field.schema()), std::mem::take(v), ty)?;
            v.set(cast);
        }
    }
    Ok(())
}

impl<M: Send + Sync> Transformation<M> for Cast {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        let data = self.side.get_mut(record);
        if data.value.is_null() {
            return Ok(Transformed::Keep);
        }
        // The common case in place: a struct of the record's schema with every slot set.
        if let (None, Some(schema), Value::Struct(value)) =
            (self.spec.whole, &data.schema, &mut data.value)
        {
            if value.schema().ptr_eq(schema) && !value.values().iter().any(Value::is_null) {
                let plan = self
                    .cache
                    .get_or_try_insert(schema, || self.build_plan(schema))?;
                value
                    .reshape_unchecked(&plan.schema, |values| cast_listed(schema, &plan, values))?;
                set_schema(&mut data.schema, &plan.schema);
                return Ok(Transformed::Keep);
            }
        }
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

/// Java `ConnectSchema.schemaType(value.getClass())` for a schemaless value; `None` for the
/// logical types' classes (`BigDecimal`, `java.util.Date`), which have no schema type.
fn schemaless_type(value: &Value) -> Option<Type> {
    Some(match value {
        Value::Boolean(_) => Type::Boolean,
        Value::Int8(_) => Type::Int8,
        Value::Int16(_) => Type::Int16,
        Value::Int32(_) => Type::Int32,
        Value::Int64(_) => Type::Int64,
        Value::Float32(_) => Type::Float32,
        Value::Float64(_) => Type::Float64,
        Value::String(_) => Type::String,
        Value::Bytes(_) => Type::Bytes,
        Value::Array(_) => Type::Array,
        Value::Map(_) => Type::Map,
        Value::Struct(_) => Type::Struct,
        Value::Null | Value::Decimal(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            return None
        }
    })
}

/// Java `Cast.encodeLogicalType`: a `Date`/`Time`/`Timestamp` value as its int/long.
fn encode_logical(schema: &Schema, value: Value) -> Result<Value> {
    Ok(match schema.logical() {
        Some(Logical::Date) => Value::Int32(logical::date_to_days(&value)?),
        Some(Logical::Time) => Value::Int32(logical::time_to_millis(&value)?),
        Some(Logical::Timestamp) => Value::Int64(logical::timestamp_to_millis(&value)?),
        _ => value,
    })
}

/// Why a cast failed: Java's `NumberFormatException` (reported as out of range), or another
/// error.
enum CastFail {
    NumberFormat(String),
    Other(ConnectError),
}

type CastResult<T> = std::result::Result<T, CastFail>;

fn unexpected(value: &Value) -> CastFail {
    CastFail::Other(ConnectError::data(format!(
        "Unexpected type in Cast transformation: {}",
        value.java_class()
    )))
}

fn number_format(s: &str) -> CastFail {
    CastFail::NumberFormat(format!("For input string: \"{s}\""))
}

/// A Java `Number` as `longValue()` (and, through it, `byteValue()`…`intValue()` for the
/// integral classes), or `None` for other classes. Floats convert as `(int)`/`(long)` do,
/// which [`integral`] handles.
enum Num {
    Long(i64),
    Double(f64),
    Float(f32),
}

fn as_number(value: &Value) -> Option<Num> {
    Some(match value {
        Value::Int8(v) => Num::Long(i64::from(*v)),
        Value::Int16(v) => Num::Long(i64::from(*v)),
        Value::Int32(v) => Num::Long(i64::from(*v)),
        Value::Int64(v) => Num::Long(*v),
        Value::Float32(v) => Num::Float(*v),
        Value::Float64(v) => Num::Double(*v),
        // BigDecimal.intValue() is (int) longValue() of the truncated value.
        Value::Decimal(d) => Num::Long(d.to_i64_wrapping()),
        _ => return None,
    })
}

/// `Number.byteValue()` … `longValue()` of `value` as the `bits`-wide integer, sign-extended.
fn integral(value: &Value, bits: u32, min: i64, max: i64) -> CastResult<i64> {
    let narrow = |v: i64| match bits {
        8 => i64::from(v as i8),
        16 => i64::from(v as i16),
        32 => i64::from(v as i32),
        _ => v,
    };
    match value {
        Value::Boolean(b) => Ok(i64::from(*b)),
        Value::String(s) => parse_integer(s, min, max).ok_or_else(|| number_format(s)),
        other => match as_number(other) {
            Some(Num::Long(v)) => Ok(narrow(v)),
            // (byte)/(short) of a floating value go through (int); (long) saturates itself.
            Some(Num::Double(d)) if bits == 64 => Ok(d as i64),
            Some(Num::Double(d)) => Ok(narrow(i64::from(d as i32))),
            Some(Num::Float(f)) if bits == 64 => Ok(f as i64),
            Some(Num::Float(f)) => Ok(narrow(i64::from(f as i32))),
            None => Err(unexpected(other)),
        },
    }
}

fn to_float64(value: &Value) -> CastResult<f64> {
    match value {
        Value::Boolean(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => parse_double(s).ok_or_else(|| number_format(s)),
        Value::Decimal(d) => Ok(d.to_f64()),
        other => match as_number(other) {
            Some(Num::Long(v)) => Ok(v as f64),
            Some(Num::Double(d)) => Ok(d),
            Some(Num::Float(f)) => Ok(f64::from(f)),
            None => Err(unexpected(other)),
        },
    }
}

fn to_float32(value: &Value) -> CastResult<f32> {
    match value {
        Value::Boolean(b) => Ok(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => parse_float(s).ok_or_else(|| number_format(s)),
        // BigDecimal.floatValue() rounds the exact value to float once.
        Value::Decimal(d) => Ok(format!("{}e{}", d.unscaled(), -i64::from(d.scale()))
            .parse::<f32>()
            .unwrap_or(f32::NAN)),
        other => match as_number(other) {
            Some(Num::Long(v)) => Ok(v as f32),
            Some(Num::Double(d)) => Ok(d as f32),
            Some(Num::Float(f)) => Ok(f),
            None => Err(unexpected(other)),
        },
    }
}

fn to_boolean(value: &Value) -> CastResult<bool> {
    match value {
        Value::Boolean(b) => Ok(*b),
        Value::String(s) => Ok(s.eq_ignore_ascii_case("true")),
        other => match as_number(other) {
            Some(Num::Long(v)) => Ok(v != 0),
            Some(Num::Double(d)) => Ok(d as i64 != 0),
            Some(Num::Float(f)) => Ok(f as i64 != 0),
            None => Err(unexpected(other)),
        },
    }
}

fn into_text(value: Value) -> String {
    match value {
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            let mut out = String::with_capacity(24);
            push_values_date_text(&mut out, value.as_epoch_millis().unwrap_or(0));
            out
        }
        Value::Bytes(b) => base64::engine::general_purpose::STANDARD.encode(b),
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// Java `Cast.castValueToType(schema, value, targetType)`.
pub(crate) fn cast_value(schema: Option<&Schema>, value: Value, target: Type) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let inferred = match schema {
        Some(s) => s.schema_type(),
        None => schemaless_type(&value).ok_or_else(|| {
            ConnectError::data(format!(
                "Cast transformation was passed a value of type {} which is not supported by Connect's data API",
                value.java_class()
            ))
        })?,
    };
    if !INPUT_TYPES.contains(&inferred) {
        return Err(ConnectError::data(format!(
            "Cast transformation does not support casting from {inferred}; supported types are {}",
            type_list(&INPUT_TYPES)
        )));
    }
    let value = match schema {
        Some(s) if s.name().is_some() && target != Type::String => encode_logical(s, value)?,
        _ => value,
    };
    let result = match target {
        Type::Int8 => integral(&value, 8, -128, 127).map(|v| Value::Int8(v as i8)),
        Type::Int16 => integral(&value, 16, -32_768, 32_767).map(|v| Value::Int16(v as i16)),
        Type::Int32 => integral(&value, 32, i64::from(i32::MIN), i64::from(i32::MAX))
            .map(|v| Value::Int32(v as i32)),
        Type::Int64 => integral(&value, 64, i64::MIN, i64::MAX).map(Value::Int64),
        Type::Float32 => to_float32(&value).map(Value::Float32),
        Type::Float64 => to_float64(&value).map(Value::Float64),
        Type::Boolean => to_boolean(&value).map(Value::Boolean),
        Type::String => return Ok(Value::String(into_text(value))),
        other => {
            return Err(ConnectError::data(format!(
                "{other} is not supported in the Cast transformation."
            )))
        }
    };
    match result {
        Ok(cast) => {
            value.discard();
            Ok(cast)
        }
        Err(CastFail::NumberFormat(cause)) => Err(ConnectError::data_with(
            format!("Value ({value}) was out of range for requested data type"),
            cause,
        )),
        Err(CastFail::Other(e)) => Err(e),
    }
}

#[cfg(test)]
#[path = "cast_tests.rs"]
mod tests;
