//! Ferry [`Value`] → value JSON of the cases (README "Value JSON"), the inverse of
//! [`crate::value_json`].
//!
//! With a schema, the logical name decides first when the value is of the logical type's Java
//! class, whatever the schema type (JsonConverter reads `5` under an int32 schema named Decimal
//! as a `BigDecimal`): a `Decimal` is its `BigDecimal.toString()`, a Date its days or
//! `{"$date": ms}` when not at midnight UTC, a Time its milliseconds or `{"$date": ms}` outside
//! `[0, 86400000]`, a Timestamp its epoch milliseconds. Otherwise the schema type decides. A value that does not fit its
//! schema is `{"$mismatch": <schemaless>}`, a struct of another schema
//! `{"$structSchemaMismatch": {"structSchema", "value"}}`. Without a schema, values carry
//! their Java type with the `$int8`… tags.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use connect_api::data::logical::Logical;
use connect_api::{Schema, Struct, Type, Value};

use crate::out::Out;
use crate::outcome::Failure;
use crate::schema_json::Ctx;
use crate::value_json::MILLIS_PER_DAY;

/// Renders a value under an optional schema. Fails only when a schema cannot be rendered
/// (a Ferry error at stage `render`).
pub fn render(ctx: &Ctx, schema: Option<&Schema>, value: &Value) -> Result<Out, Failure> {
    match schema {
        None => render_schemaless(ctx, value),
        Some(_) if value.is_null() => Ok(Out::Null),
        Some(s) => render_with_schema(ctx, s, value),
    }
}

fn render_with_schema(ctx: &Ctx, schema: &Schema, value: &Value) -> Result<Out, Failure> {
    if let Some(out) = schema.logical().and_then(|l| render_logical(l, value)) {
        return Ok(out);
    }
    let out = match (schema.schema_type(), value) {
        (Type::Int8, Value::Int8(v)) => Out::Int(i64::from(*v)),
        (Type::Int16, Value::Int16(v)) => Out::Int(i64::from(*v)),
        (Type::Int32, Value::Int32(v)) => Out::Int(i64::from(*v)),
        (Type::Int64, Value::Int64(v)) => Out::Int(*v),
        (Type::Float32, Value::Float32(v)) => Out::f32(*v),
        (Type::Float64, Value::Float64(v)) => Out::f64(*v),
        (Type::Boolean, Value::Boolean(b)) => Out::Bool(*b),
        (Type::String, Value::String(s)) => Out::Str(s.clone()),
        (Type::Bytes, Value::Bytes(b)) => Out::Str(STANDARD.encode(b)),
        (Type::Array, Value::Array(items)) => Out::Arr(
            items
                .iter()
                .map(|i| render(ctx, schema.value_schema(), i))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map, Value::Map(entries)) => match render_map(ctx, schema, entries)? {
            Some(out) => out,
            None => mismatch(ctx, value)?,
        },
        (Type::Struct, Value::Struct(s)) if s.schema() == schema => render_struct(ctx, s)?,
        (Type::Struct, Value::Struct(s)) => Out::tag(
            "$structSchemaMismatch",
            Out::obj([
                ("structSchema", ctx.schema_out(Some(s.schema()))?),
                ("value", render_struct(ctx, s)?),
            ]),
        ),
        _ => mismatch(ctx, value)?,
    };
    Ok(out)
}

fn mismatch(ctx: &Ctx, value: &Value) -> Result<Out, Failure> {
    Ok(Out::tag("$mismatch", render_schemaless(ctx, value)?))
}

/// A logical value; `None` when the value is not of the logical type's Java class.
fn render_logical(logical: Logical, value: &Value) -> Option<Out> {
    if let (Logical::Decimal, Value::Decimal(d)) = (logical, value) {
        return Some(Out::Str(d.to_string()));
    }
    let ms = value.as_epoch_millis()?;
    Some(match (logical, value) {
        (Logical::Date, Value::Date(days)) => Out::Int(i64::from(*days)),
        (Logical::Date, _) if ms.rem_euclid(MILLIS_PER_DAY) == 0 => {
            Out::Int(ms.div_euclid(MILLIS_PER_DAY))
        }
        (Logical::Time, _) if (0..=MILLIS_PER_DAY).contains(&ms) => Out::Int(ms),
        (Logical::Timestamp, _) => Out::Int(ms),
        (Logical::Date | Logical::Time, _) => Out::tag("$date", Out::Int(ms)),
        (Logical::Decimal, _) => return None,
    })
}

/// A map under a map schema: an object when the keys are strings, else `[key, value]` pairs.
/// `None` when a key does not fit a string key schema.
fn render_map(
    ctx: &Ctx,
    schema: &Schema,
    entries: &[(Value, Value)],
) -> Result<Option<Out>, Failure> {
    let key_schema = schema.key_schema();
    let value_schema = schema.value_schema();
    let all_strings = entries.iter().all(|(k, _)| matches!(k, Value::String(_)));
    let as_object = match key_schema {
        Some(k) if k.schema_type() == Type::String && k.logical().is_none() => {
            if !all_strings {
                return Ok(None);
            }
            true
        }
        Some(_) => false,
        None => all_strings,
    };
    if as_object {
        let mut members = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            if let Value::String(k) = k {
                members.push((k.clone(), render(ctx, value_schema, v)?));
            }
        }
        return Ok(Some(Out::Obj {
            entries: members,
            ordered: false,
        }));
    }
    let pairs = entries
        .iter()
        .map(|(k, v)| Ok((render(ctx, key_schema, k)?, render(ctx, value_schema, v)?)))
        .collect::<Result<_, Failure>>()?;
    Ok(Some(Out::Pairs(pairs)))
}

/// A struct's fields in schema order, raw stored values (defaults not applied).
fn render_struct(ctx: &Ctx, s: &Struct) -> Result<Out, Failure> {
    let entries = s
        .schema()
        .fields()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let v = s.get_index(i).unwrap_or(&Value::Null);
            Ok((f.name().to_string(), render(ctx, Some(f.schema()), v)?))
        })
        .collect::<Result<_, Failure>>()?;
    Ok(Out::Obj {
        entries,
        ordered: true,
    })
}

/// Renders a value without a schema: its Java type decides.
pub fn render_schemaless(ctx: &Ctx, value: &Value) -> Result<Out, Failure> {
    Ok(match value {
        Value::Null => Out::Null,
        Value::Boolean(b) => Out::Bool(*b),
        Value::Int8(v) => Out::tag("$int8", Out::Int(i64::from(*v))),
        Value::Int16(v) => Out::tag("$int16", Out::Int(i64::from(*v))),
        Value::Int32(v) => Out::tag("$int32", Out::Int(i64::from(*v))),
        Value::Int64(v) => Out::Int(*v),
        Value::Float32(v) => Out::tag("$float32", Out::f32(*v)),
        Value::Float64(v) if v.is_finite() => Out::F64(*v),
        Value::Float64(v) => Out::tag("$float64", Out::f64(*v)),
        Value::String(s) => Out::Str(s.clone()),
        Value::Bytes(b) => Out::tag("$bytes", Out::Str(STANDARD.encode(b))),
        Value::Decimal(d) => Out::tag("$decimal", Out::Str(d.to_string())),
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => Out::tag(
            "$date",
            Out::Int(value.as_epoch_millis().unwrap_or_default()),
        ),
        Value::Array(items) => Out::Arr(
            items
                .iter()
                .map(|i| render_schemaless(ctx, i))
                .collect::<Result<_, _>>()?,
        ),
        Value::Map(entries) => {
            let plain = entries.iter().all(|(k, _)| matches!(k, Value::String(_)))
                && !matches!(entries.as_slice(), [(Value::String(k), _)] if k.starts_with('$'));
            if plain {
                let mut members = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    if let Value::String(k) = k {
                        members.push((k.clone(), render_schemaless(ctx, v)?));
                    }
                }
                Out::Obj {
                    entries: members,
                    ordered: false,
                }
            } else {
                let pairs = entries
                    .iter()
                    .map(|(k, v)| Ok((render_schemaless(ctx, k)?, render_schemaless(ctx, v)?)))
                    .collect::<Result<_, Failure>>()?;
                Out::tag("$map", Out::Pairs(pairs))
            }
        }
        Value::Struct(s) => Out::tag(
            "$struct",
            Out::obj([
                ("schema", ctx.schema_out(Some(s.schema()))?),
                ("value", render_struct(ctx, s)?),
            ]),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::data::logical::{decimal_builder, schema_of};
    use connect_api::{Decimal, SchemaBuilder};

    fn text(schema: Option<&Schema>, v: &Value) -> String {
        render(&Ctx::new(), schema, v).unwrap().to_string()
    }

    #[test]
    fn schemaless_rendering_tags_java_types() {
        let v = Value::Array(vec![
            Value::Int8(1),
            Value::Int16(2),
            Value::Int32(3),
            Value::Int64(4),
            Value::Float32(0.5),
            Value::Float64(1.0e7),
            Value::Float64(f64::NAN),
            Value::Bytes(vec![1]),
            Value::Decimal(Decimal::parse("1.50").unwrap()),
            Value::Date(1),
            Value::Null,
        ]);
        assert_eq!(
            text(None, &v),
            r#"[{"$int8":1},{"$int16":2},{"$int32":3},4,{"$float32":0.5},1.0E7,{"$float64":"NaN"},{"$bytes":"AQ=="},{"$decimal":"1.50"},{"$date":86400000},null]"#
        );
        let m = Value::Map(vec![(Value::String("$k".into()), Value::Boolean(true))]);
        assert_eq!(text(None, &m), r#"{"$map":[["$k",true]]}"#);
        let m = Value::Map(vec![
            (Value::String("$k".into()), Value::Boolean(true)),
            (Value::String("b".into()), Value::Null),
        ]);
        assert_eq!(text(None, &m), r#"{"$k":true,"b":null}"#);
        let m = Value::Map(vec![(Value::Int64(1), Value::String("a".into()))]);
        assert_eq!(text(None, &m), r#"{"$map":[[1,"a"]]}"#);
    }

    #[test]
    fn logical_values_under_their_schemas() {
        let date = schema_of(Logical::Date, true, 0);
        let time = schema_of(Logical::Time, true, 0);
        let ts = schema_of(Logical::Timestamp, true, 0);
        assert_eq!(text(Some(&date), &Value::Date(19000)), "19000");
        assert_eq!(text(Some(&date), &Value::Timestamp(86_400_000)), "1");
        assert_eq!(
            text(Some(&date), &Value::Timestamp(1000)),
            r#"{"$date":1000}"#
        );
        assert_eq!(text(Some(&time), &Value::Timestamp(86_400_000)), "86400000");
        assert_eq!(
            text(Some(&time), &Value::Time(93_721_000)),
            r#"{"$date":93721000}"#
        );
        assert_eq!(text(Some(&time), &Value::Timestamp(-1)), r#"{"$date":-1}"#);
        assert_eq!(text(Some(&ts), &Value::Date(1)), "86400000");
        let decimal = decimal_builder(-2).build().unwrap();
        let d = Value::Decimal(Decimal::parse("1.2E+3").unwrap());
        assert_eq!(text(Some(&decimal), &d), r#""1.2E+3""#);
        assert_eq!(text(Some(&date), &Value::Null), "null");
        // A BigDecimal under an int32 schema named Decimal is still a BigDecimal.
        let int_decimal = SchemaBuilder::new(Type::Int32)
            .name(connect_api::data::logical::DECIMAL_NAME)
            .build()
            .unwrap();
        assert_eq!(text(Some(&int_decimal), &d), r#""1.2E+3""#);
        assert_eq!(text(Some(&int_decimal), &Value::Int32(1)), "1");
    }

    #[test]
    fn typed_rendering_and_mismatches() {
        let f32s = Schema::required(Type::Float32);
        assert_eq!(
            text(Some(&f32s), &Value::Float32(f32::INFINITY)),
            r#""Infinity""#
        );
        assert_eq!(
            text(Some(&f32s), &Value::Int32(1)),
            r#"{"$mismatch":{"$int32":1}}"#
        );
        let bytes = Schema::required(Type::Bytes);
        assert_eq!(
            text(Some(&bytes), &Value::Bytes(vec![0, 0x96])),
            r#""AJY=""#
        );
        let s = SchemaBuilder::struct_builder()
            .field("b", Schema::optional(Type::Int8))
            .field("a", Schema::optional(Type::String))
            .build()
            .unwrap();
        let v = Value::Struct(Struct::from_values_unchecked(&s, vec![Value::Int8(1)]));
        let out = render(&Ctx::new(), Some(&s), &v).unwrap();
        assert!(matches!(&out, Out::Obj { ordered: true, .. }));
        assert_eq!(out.to_string(), r#"{"b":1,"a":null}"#);
        let m = SchemaBuilder::map(Schema::required(Type::Int8), Schema::required(Type::Int8))
            .build()
            .unwrap();
        let mv = Value::Map(vec![(Value::Int8(1), Value::Int8(2))]);
        assert!(matches!(
            render(&Ctx::new(), Some(&m), &mv).unwrap(),
            Out::Pairs(_)
        ));
        let sm = SchemaBuilder::map(Schema::required(Type::String), Schema::required(Type::Int8))
            .build()
            .unwrap();
        assert_eq!(
            text(Some(&sm), &mv),
            r#"{"$mismatch":{"$map":[[{"$int8":1},{"$int8":2}]]}}"#
        );
    }
}
