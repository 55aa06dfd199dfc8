//! Value JSON of the cases (README "Value JSON") → Ferry [`Value`].
//!
//! With a schema, the schema decides, logical name first (on the logical type's base type;
//! see [`logical_of`] for the others): a Decimal is a `BigDecimal` text or
//! a number (exact text kept, so `"1.50"` has scale 2), a Date/Time/Timestamp an integer or
//! `{"epochMillis": n}` (an arbitrary `java.util.Date`, held as `Value::Timestamp`), floats
//! accept `"NaN"`, `"Infinity"`, `"-Infinity"` and decimal text such as `"-0.0"`, bytes are
//! base64. A JSON shape the schema type does not take (a string under `int32`, a tag object
//! under a primitive schema) is read without the schema, as the Java value it names.
//!
//! Without a schema, values carry their Java type: integers are `Long`, other numbers
//! `Double`, objects `Map<String, ?>`, and single-key tag objects (`{"$int8": 1}`, …) name
//! the other types.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use connect_api::data::logical::Logical;
use connect_api::{Decimal, Schema, Struct, Type, Value};
use connect_converters::json::JsonNode;

use crate::outcome::Failure;
use crate::schema_json::Ctx;

/// Milliseconds in one day.
pub const MILLIS_PER_DAY: i64 = 86_400_000;

/// The tags a schemaless value may carry (`$java` is output-only).
pub const TAGS: &[&str] = &[
    "$int8", "$int16", "$int32", "$int64", "$float32", "$float64", "$bytes", "$decimal", "$date",
    "$map", "$struct", "$string",
];

/// Decodes a value JSON under an optional schema. Undecodable input is
/// [`Failure::Invalid`]; a `$struct` schema Ferry cannot parse is a Ferry error (stage parse).
pub fn decode(ctx: &Ctx, schema: Option<&Schema>, node: &JsonNode) -> Result<Value, Failure> {
    if let Some(inner) = single(node, "$mismatch") {
        return decode_schemaless(ctx, inner);
    }
    match schema {
        None => decode_schemaless(ctx, node),
        Some(s) => decode_with_schema(ctx, s, node),
    }
}

/// The value of a one-member object `{key: value}`.
fn single<'a>(node: &'a JsonNode, key: &str) -> Option<&'a JsonNode> {
    match node {
        JsonNode::Object(entries) if entries.len() == 1 && entries[0].0 == key => {
            Some(&entries[0].1)
        }
        _ => None,
    }
}

fn is_tag_object(node: &JsonNode) -> bool {
    match node {
        JsonNode::Object(entries) if entries.len() == 1 => TAGS.contains(&entries[0].0.as_str()),
        _ => false,
    }
}

fn bad(what: impl Into<String>) -> Failure {
    Failure::invalid(what)
}

fn int_in<T: TryFrom<i64>>(v: i64, type_name: &str) -> Result<T, Failure> {
    T::try_from(v).map_err(|_| bad(format!("{v} is out of range for {type_name}")))
}

fn decode_with_schema(ctx: &Ctx, schema: &Schema, node: &JsonNode) -> Result<Value, Failure> {
    if matches!(node, JsonNode::Null) {
        return Ok(Value::Null);
    }
    let on_base_type = logical_of(schema).is_some();
    if on_base_type {
        if let Some(v) = decode_logical(schema, node)? {
            return Ok(v);
        }
    }
    let ty = schema.schema_type();
    if is_tag_object(node) && !matches!(ty, Type::Map | Type::Struct) {
        return decode_schemaless(ctx, node);
    }
    if let Some(v) = decode_typed(ctx, schema, node)? {
        return Ok(v);
    }
    if !on_base_type {
        if let Some(v) = decode_logical(schema, node)? {
            return Ok(v);
        }
    }
    decode_schemaless(ctx, node)
}

/// A value of the schema's type; `None` when the JSON shape is not one the type takes.
fn decode_typed(ctx: &Ctx, schema: &Schema, node: &JsonNode) -> Result<Option<Value>, Failure> {
    let value = match (schema.schema_type(), node) {
        (Type::Int8, JsonNode::Int(v)) => Value::Int8(int_in(*v, "int8")?),
        (Type::Int16, JsonNode::Int(v)) => Value::Int16(int_in(*v, "int16")?),
        (Type::Int32, JsonNode::Int(v)) => Value::Int32(int_in(*v, "int32")?),
        (Type::Int64, JsonNode::Int(v)) => Value::Int64(*v),
        (Type::Float32, n) if is_float_input(n) => Value::Float32(float_input(n)? as f32),
        (Type::Float64, n) if is_float_input(n) => Value::Float64(float_input(n)?),
        (Type::Boolean, JsonNode::Bool(b)) => Value::Boolean(*b),
        (Type::String, JsonNode::String(s)) => Value::String(s.clone()),
        (Type::Bytes, JsonNode::String(s)) => Value::Bytes(base64_input(s)?),
        (Type::Array, JsonNode::Array(items)) => {
            let item_schema = schema.value_schema();
            Value::Array(
                items
                    .iter()
                    .map(|i| decode(ctx, item_schema, i))
                    .collect::<Result<_, _>>()?,
            )
        }
        (Type::Map, JsonNode::Object(entries)) if string_keys(schema) => Value::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    Ok((
                        Value::String(k.clone()),
                        decode(ctx, schema.value_schema(), v)?,
                    ))
                })
                .collect::<Result<_, Failure>>()?,
        ),
        (Type::Map, JsonNode::Array(pairs)) => Value::Map(decode_pairs(
            ctx,
            schema.key_schema(),
            schema.value_schema(),
            pairs,
        )?),
        (Type::Struct, JsonNode::Object(entries)) => {
            Value::Struct(decode_struct(ctx, schema, entries)?)
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}

/// The logical type of a schema whose type is that logical type's base type (`Decimal` on
/// bytes, `Date`/`Time` on int32, `Timestamp` on int64). On another type the type decides
/// first (Cast to int32 keeps a Decimal schema's name, and its value is an `Integer`), the
/// logical type only when the JSON shape does not fit the type.
pub fn logical_of(schema: &Schema) -> Option<Logical> {
    let logical = schema.logical()?;
    let base = match logical {
        Logical::Decimal => Type::Bytes,
        Logical::Date | Logical::Time => Type::Int32,
        Logical::Timestamp => Type::Int64,
    };
    (schema.schema_type() == base).then_some(logical)
}

/// Logical types by schema name; `None` when the JSON shape is not one they take.
fn decode_logical(schema: &Schema, node: &JsonNode) -> Result<Option<Value>, Failure> {
    let Some(logical) = schema.logical() else {
        return Ok(None);
    };
    let epoch_millis = match (logical, single(node, "epochMillis")) {
        (Logical::Decimal, _) | (_, None) => None,
        (_, Some(JsonNode::Int(ms))) => Some(*ms),
        (_, Some(other)) => {
            return Err(bad(format!("epochMillis must be an integer, got {other}")))
        }
    };
    let v = match (logical, node, epoch_millis) {
        (_, _, Some(ms)) => Value::Timestamp(ms),
        (Logical::Decimal, JsonNode::String(t) | JsonNode::BigInt(t) | JsonNode::Float(t), _) => {
            Value::Decimal(decimal_input(t)?)
        }
        (Logical::Decimal, JsonNode::Int(v), _) => Value::Decimal(Decimal::from_i64(*v, 0)),
        (Logical::Date, JsonNode::Int(days), _) => Value::Date(int_in(*days, "a Date (days)")?),
        (Logical::Time, JsonNode::Int(ms), _) => {
            if (0..=MILLIS_PER_DAY).contains(ms) {
                Value::Time(int_in(*ms, "a Time")?)
            } else {
                Value::Timestamp(*ms)
            }
        }
        (Logical::Timestamp, JsonNode::Int(ms), _) => Value::Timestamp(*ms),
        _ => return Ok(None),
    };
    Ok(Some(v))
}

fn string_keys(schema: &Schema) -> bool {
    schema
        .key_schema()
        .is_none_or(|k| k.schema_type() == Type::String)
}

fn decode_struct(
    ctx: &Ctx,
    schema: &Schema,
    entries: &[(String, JsonNode)],
) -> Result<Struct, Failure> {
    if let Some((k, _)) = entries.iter().find(|(k, _)| schema.field(k).is_none()) {
        return Err(bad(format!(
            "struct value has a member \"{k}\" that is not a field of its schema"
        )));
    }
    let values = schema
        .fields()
        .iter()
        .map(|f| match entries.iter().find(|(k, _)| k == f.name()) {
            Some((_, v)) => decode(ctx, Some(f.schema()), v),
            None => Ok(Value::Null),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Struct::from_values_unchecked(schema, values))
}

fn decode_pairs(
    ctx: &Ctx,
    key_schema: Option<&Schema>,
    value_schema: Option<&Schema>,
    pairs: &[JsonNode],
) -> Result<Vec<(Value, Value)>, Failure> {
    pairs
        .iter()
        .map(|p| match p {
            JsonNode::Array(kv) if kv.len() == 2 => Ok((
                decode(ctx, key_schema, &kv[0])?,
                decode(ctx, value_schema, &kv[1])?,
            )),
            other => Err(bad(format!("map entry {other} is not a [key, value] pair"))),
        })
        .collect()
}

fn is_float_input(node: &JsonNode) -> bool {
    matches!(
        node,
        JsonNode::Int(_) | JsonNode::BigInt(_) | JsonNode::Float(_) | JsonNode::String(_)
    )
}

/// A `double` from a JSON number or from text (`"NaN"`, `"Infinity"`, `"-Infinity"`, `"-0.0"`).
fn float_input(node: &JsonNode) -> Result<f64, Failure> {
    let text = match node {
        JsonNode::Int(v) => return Ok(*v as f64),
        JsonNode::BigInt(t) | JsonNode::Float(t) => t.as_str(),
        JsonNode::String(t) => match t.as_str() {
            "NaN" => return Ok(f64::NAN),
            "Infinity" => return Ok(f64::INFINITY),
            "-Infinity" => return Ok(f64::NEG_INFINITY),
            t if Decimal::parse(t).is_ok() => t,
            t => return Err(bad(format!("\"{t}\" is not a floating-point number"))),
        },
        other => return Err(bad(format!("{other} is not a floating-point number"))),
    };
    text.parse::<f64>()
        .map_err(|_| bad(format!("\"{text}\" is not a floating-point number")))
}

fn decimal_input(text: &str) -> Result<Decimal, Failure> {
    Decimal::parse(text).map_err(|e| bad(format!("\"{text}\" is not a BigDecimal text: {e}")))
}

fn base64_input(text: &str) -> Result<Vec<u8>, Failure> {
    STANDARD
        .decode(text)
        .map_err(|e| bad(format!("\"{text}\" is not standard base64: {e}")))
}

/// Decodes a value JSON without a schema.
pub fn decode_schemaless(ctx: &Ctx, node: &JsonNode) -> Result<Value, Failure> {
    Ok(match node {
        JsonNode::Null => Value::Null,
        JsonNode::Bool(b) => Value::Boolean(*b),
        JsonNode::Int(v) => Value::Int64(*v),
        JsonNode::BigInt(t) => {
            return Err(bad(format!(
                "integer {t} does not fit a Long (use {{\"$decimal\": \"{t}\"}})"
            )))
        }
        JsonNode::Float(_) => Value::Float64(float_input(node)?),
        JsonNode::String(s) => Value::String(s.clone()),
        JsonNode::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| decode_schemaless(ctx, i))
                .collect::<Result<_, _>>()?,
        ),
        JsonNode::Object(entries) => {
            if let [(key, inner)] = entries.as_slice() {
                if key.starts_with('$') {
                    return decode_tag(ctx, key, inner);
                }
            }
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| Ok((Value::String(k.clone()), decode_schemaless(ctx, v)?)))
                    .collect::<Result<_, Failure>>()?,
            )
        }
    })
}

fn decode_tag(ctx: &Ctx, tag: &str, inner: &JsonNode) -> Result<Value, Failure> {
    let wrong = || bad(format!("bad {tag} value: {inner}"));
    Ok(match (tag, inner) {
        ("$int8", JsonNode::Int(v)) => Value::Int8(int_in(*v, "int8")?),
        ("$int16", JsonNode::Int(v)) => Value::Int16(int_in(*v, "int16")?),
        ("$int32", JsonNode::Int(v)) => Value::Int32(int_in(*v, "int32")?),
        ("$int64", JsonNode::Int(v)) => Value::Int64(*v),
        ("$float32", n) if is_float_input(n) => Value::Float32(float_input(n)? as f32),
        ("$float64", n) if is_float_input(n) => Value::Float64(float_input(n)?),
        ("$bytes", JsonNode::String(s)) => Value::Bytes(base64_input(s)?),
        ("$decimal", JsonNode::String(t) | JsonNode::Float(t) | JsonNode::BigInt(t)) => {
            Value::Decimal(decimal_input(t)?)
        }
        ("$decimal", JsonNode::Int(v)) => Value::Decimal(Decimal::from_i64(*v, 0)),
        ("$date", JsonNode::Int(ms)) => Value::Timestamp(*ms),
        ("$string", JsonNode::String(s)) => Value::String(s.clone()),
        ("$map", JsonNode::Array(pairs)) => Value::Map(decode_pairs(ctx, None, None, pairs)?),
        ("$struct", JsonNode::Object(_)) => {
            let (Some(schema_node), Some(value_node)) = (inner.get("schema"), inner.get("value"))
            else {
                return Err(bad("$struct needs \"schema\" and \"value\""));
            };
            let Some(schema) = ctx.parse_schema(schema_node)? else {
                return Err(bad("$struct has a null schema"));
            };
            if schema.schema_type() != Type::Struct {
                return Err(bad(format!(
                    "$struct schema is not a struct: {schema_node}"
                )));
            }
            match value_node {
                JsonNode::Object(entries) => Value::Struct(decode_struct(ctx, &schema, entries)?),
                _ => return Err(bad("$struct value must be an object")),
            }
        }
        ("$java", _) => return Err(bad("$java values are output-only")),
        (t, _) if TAGS.contains(&t) => return Err(wrong()),
        (t, _) => return Err(bad(format!("unknown tag {t}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::data::logical::{decimal_builder, schema_of};
    use connect_api::SchemaBuilder;

    fn node(text: &str) -> JsonNode {
        JsonNode::parse(text.as_bytes()).unwrap()
    }

    fn schemaless(text: &str) -> Result<Value, Failure> {
        decode(&Ctx::new(), None, &node(text))
    }

    fn with(schema: &Schema, text: &str) -> Result<Value, Failure> {
        decode(&Ctx::new(), Some(schema), &node(text))
    }

    fn dec(text: &str) -> Value {
        Value::Decimal(Decimal::parse(text).unwrap())
    }

    #[test]
    fn schemaless_values_carry_their_java_type() {
        assert_eq!(schemaless("5").unwrap(), Value::Int64(5));
        assert_eq!(schemaless("1.5").unwrap(), Value::Float64(1.5));
        assert_eq!(schemaless(r#"{"$int8":-1}"#).unwrap(), Value::Int8(-1));
        assert_eq!(schemaless(r#"{"$int16":300}"#).unwrap(), Value::Int16(300));
        assert_eq!(schemaless(r#"{"$int32":7}"#).unwrap(), Value::Int32(7));
        assert_eq!(schemaless(r#"{"$int64":7}"#).unwrap(), Value::Int64(7));
        assert_eq!(
            schemaless(r#"{"$float32":0.1}"#).unwrap(),
            Value::Float32(0.1)
        );
        assert!(
            matches!(schemaless(r#"{"$float64":"NaN"}"#).unwrap(), Value::Float64(v) if v.is_nan())
        );
        assert_eq!(
            schemaless(r#"{"$bytes":"AQI="}"#).unwrap(),
            Value::Bytes(vec![1, 2])
        );
        let d = schemaless(r#"{"$decimal":"1.50"}"#).unwrap();
        assert!(matches!(&d, Value::Decimal(d) if d.scale() == 2));
        assert_eq!(schemaless(r#"{"$date":-1}"#).unwrap(), Value::Timestamp(-1));
        assert_eq!(
            schemaless(r#"{"$string":"$x"}"#).unwrap(),
            Value::String("$x".into())
        );
        assert_eq!(
            schemaless(r#"{"$map":[[1,"a"],[{"$int8":2},null]]}"#).unwrap(),
            Value::Map(vec![
                (Value::Int64(1), Value::String("a".into())),
                (Value::Int8(2), Value::Null)
            ])
        );
        assert_eq!(
            schemaless(r#"{"b":[true,null],"a":{}}"#).unwrap(),
            Value::Map(vec![
                (
                    Value::String("b".into()),
                    Value::Array(vec![Value::Boolean(true), Value::Null])
                ),
                (Value::String("a".into()), Value::Map(vec![])),
            ])
        );
    }

    #[test]
    fn bad_schemaless_input_is_invalid_not_a_panic() {
        for bad in [
            r#"{"$int8":300}"#,
            r#"{"$int8":"1"}"#,
            r#"{"$bytes":"not base64!"}"#,
            r#"{"$decimal":"abc"}"#,
            r#"{"$nope":1}"#,
            r#"{"$java":{"class":"X","toString":"x"}}"#,
            r#"{"$map":[[1]]}"#,
            r#"{"$struct":{"schema":null}}"#,
            "123456789012345678901234567890",
        ] {
            assert!(
                matches!(schemaless(bad), Err(Failure::Invalid(_))),
                "{bad}: {:?}",
                schemaless(bad)
            );
        }
    }

    #[test]
    fn schema_decides_with_logical_names_first() {
        let f32s = Schema::required(Type::Float32);
        let f64s = Schema::required(Type::Float64);
        assert!(
            matches!(with(&f32s, r#""-0.0""#).unwrap(), Value::Float32(v) if v == 0.0 && v.is_sign_negative())
        );
        assert_eq!(with(&f32s, "1").unwrap(), Value::Float32(1.0));
        assert_eq!(
            with(&f64s, r#""-Infinity""#).unwrap(),
            Value::Float64(f64::NEG_INFINITY)
        );
        assert_eq!(with(&f64s, "1e400").unwrap(), Value::Float64(f64::INFINITY));
        assert_eq!(
            with(&Schema::required(Type::Int8), "-128").unwrap(),
            Value::Int8(-128)
        );
        assert!(matches!(
            with(&Schema::required(Type::Int8), "300"),
            Err(Failure::Invalid(_))
        ));
        assert_eq!(
            with(&Schema::required(Type::Bytes), r#""AJY=""#).unwrap(),
            Value::Bytes(vec![0, 0x96])
        );

        let decimal = decimal_builder(2).build().unwrap();
        assert_eq!(with(&decimal, r#""1.50""#).unwrap(), dec("1.50"));
        assert_eq!(with(&decimal, "1.500").unwrap(), dec("1.500"));
        assert_eq!(with(&decimal, r#""1.2E+3""#).unwrap(), dec("1.2E+3"));
        assert_eq!(with(&decimal, "1e400").unwrap(), dec("1E+400"));
        let date = schema_of(Logical::Date, false, 0);
        let time = schema_of(Logical::Time, false, 0);
        let ts = schema_of(Logical::Timestamp, false, 0);
        assert_eq!(with(&date, "19000").unwrap(), Value::Date(19000));
        assert_eq!(
            with(&date, r#"{"epochMillis":1000}"#).unwrap(),
            Value::Timestamp(1000)
        );
        assert_eq!(with(&time, "86400000").unwrap(), Value::Time(86_400_000));
        assert_eq!(with(&time, "-1").unwrap(), Value::Timestamp(-1));
        assert_eq!(
            with(&ts, "1700000000123").unwrap(),
            Value::Timestamp(1_700_000_000_123)
        );

        // A logical name on another type: the type first, the logical type as a fallback.
        let int_decimal = SchemaBuilder::new(Type::Int32)
            .name(connect_api::data::logical::DECIMAL_NAME)
            .parameter("scale", "2")
            .build()
            .unwrap();
        assert_eq!(with(&int_decimal, "1").unwrap(), Value::Int32(1));
        assert_eq!(with(&int_decimal, r#""5""#).unwrap(), dec("5"));
        // A shape the type does not take is read without the schema.
        assert_eq!(
            with(&Schema::required(Type::Int32), r#""abc""#).unwrap(),
            Value::String("abc".into())
        );
        assert_eq!(
            with(&Schema::required(Type::Int32), r#"{"$int8":3}"#).unwrap(),
            Value::Int8(3)
        );
        assert_eq!(
            with(&Schema::required(Type::Int32), r#"{"$mismatch":5}"#).unwrap(),
            Value::Int64(5)
        );
        assert_eq!(
            with(&Schema::required(Type::Int32), "null").unwrap(),
            Value::Null
        );
    }

    #[test]
    fn containers_follow_their_schemas() {
        let s = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .field("b", Schema::optional(Type::String))
            .field(
                "m",
                SchemaBuilder::map(Schema::required(Type::Int8), Schema::optional(Type::Int16))
                    .optional()
                    .build()
                    .unwrap(),
            )
            .field(
                "arr",
                SchemaBuilder::array(Schema::required(Type::Int64))
                    .optional()
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let v = with(&s, r#"{"m":[[1,2],[3,null]],"a":1,"arr":[5]}"#).unwrap();
        let Value::Struct(st) = v else {
            panic!("{v:?}")
        };
        assert_eq!(
            st.values(),
            &[
                Value::Int32(1),
                Value::Null,
                Value::Map(vec![
                    (Value::Int8(1), Value::Int16(2)),
                    (Value::Int8(3), Value::Null)
                ]),
                Value::Array(vec![Value::Int64(5)]),
            ]
        );
        // A required field may be left unset (converters must then fail, not the runner).
        assert!(with(&s, "{}").is_ok());
        assert!(matches!(with(&s, r#"{"zz":1}"#), Err(Failure::Invalid(_))));
        let m = SchemaBuilder::map(
            Schema::required(Type::String),
            Schema::required(Type::Int32),
        )
        .build()
        .unwrap();
        assert_eq!(
            with(&m, r#"{"$x":1}"#).unwrap(),
            Value::Map(vec![(Value::String("$x".into()), Value::Int32(1))])
        );
    }
}
