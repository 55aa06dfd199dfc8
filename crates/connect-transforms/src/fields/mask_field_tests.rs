use super::*;
use crate::fields::test_support::*;
use connect_api::data::logical;
use connect_api::{Schema, SchemaBuilder, Type};

/// The golden cases' all-types schema.
fn types_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .field("i8", Schema::optional(Type::Int8))
        .field("i32", Schema::required(Type::Int32))
        .field("i64", Schema::required(Type::Int64))
        .field("f32", Schema::required(Type::Float32))
        .field("f64", Schema::required(Type::Float64))
        .field("b", Schema::required(Type::Boolean))
        .field("s", Schema::required(Type::String))
        .field("by", Schema::optional(Type::Bytes))
        .field("d", logical::decimal_builder(2).optional().build().unwrap())
        .field("dt", logical::date_builder().optional().build().unwrap())
        .field(
            "ts",
            logical::timestamp_builder().optional().build().unwrap(),
        )
        .field(
            "arr",
            SchemaBuilder::array(Schema::required(Type::Int32))
                .optional()
                .build()
                .unwrap(),
        )
        .field(
            "m",
            SchemaBuilder::map(
                Schema::required(Type::String),
                Schema::required(Type::String),
            )
            .optional()
            .build()
            .unwrap(),
        )
        .field(
            "st",
            SchemaBuilder::struct_builder()
                .field("x", Schema::required(Type::Int32))
                .optional()
                .build()
                .unwrap(),
        )
        .field(
            "def",
            SchemaBuilder::new(Type::String)
                .optional()
                .default_value("dflt".into())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

fn types_struct() -> Struct {
    let schema = types_schema();
    let mut st = Struct::new(schema.field("st").unwrap().schema()).unwrap();
    st.put("x", 1i32).unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("i8", 5i8).unwrap();
    s.put("i32", 70000i32).unwrap();
    s.put("i64", 1i64).unwrap();
    s.put("f32", 1.5f32).unwrap();
    s.put("f64", 2.5f64).unwrap();
    s.put("b", true).unwrap();
    s.put("s", "secret").unwrap();
    s.put("by", vec![1u8, 2]).unwrap();
    s.put("d", Decimal::parse("1.23").unwrap()).unwrap();
    s.put("dt", Value::Date(19000)).unwrap();
    s.put("ts", Value::Timestamp(5)).unwrap();
    s.put("arr", Value::Array(vec![1i32.into(), 2i32.into()]))
        .unwrap();
    s.put("m", map(vec![("a", "b".into())])).unwrap();
    s.put("st", st).unwrap();
    s
}

fn mask(pairs: &[(&str, &str)]) -> MaskField {
    MaskField::new(Side::Value, &cfg(pairs)).unwrap()
}

fn masked_struct(pairs: &[(&str, &str)]) -> Result<Struct> {
    let out = mask(pairs).apply_owned(source(
        struct_key(),
        sv(Some(types_schema()), types_struct()),
    ))?;
    let out = out.unwrap();
    assert_eq!(out.value.schema, Some(types_schema()));
    Ok(as_struct(&out.value.value).clone())
}

fn field(pairs: &[(&str, &str)], name: &str) -> Value {
    masked_struct(pairs)
        .unwrap()
        .get_without_default(name)
        .unwrap()
        .clone()
}

fn err(pairs: &[(&str, &str)]) -> String {
    masked_struct(pairs).unwrap_err().to_string()
}

#[test]
fn config_def_is_valid() {
    assert!(MaskField::config_def().definition_errors().is_empty());
}

// smt_mask_field-70cab389de … smt_mask_field-a24abbd765, smt_mask_field-9d1d4841a9
#[test]
fn null_equivalents_with_schema() {
    assert_eq!(field(&[("fields", "i64")], "i64"), Value::Int64(0));
    assert_eq!(field(&[("fields", "i8")], "i8"), Value::Int8(0));
    assert_eq!(field(&[("fields", "f32")], "f32"), Value::Float32(0.0));
    assert_eq!(field(&[("fields", "f64")], "f64"), Value::Float64(0.0));
    assert_eq!(field(&[("fields", "b")], "b"), Value::Boolean(false));
    assert_eq!(field(&[("fields", "s")], "s"), Value::from(""));
    assert_eq!(
        field(&[("fields", "d")], "d"),
        Value::Decimal(Decimal::parse("0").unwrap())
    );
    assert_eq!(field(&[("fields", "dt")], "dt"), Value::Date(0));
    assert_eq!(field(&[("fields", "ts")], "ts"), Value::Timestamp(0));
    assert_eq!(field(&[("fields", "m")], "m"), Value::Map(vec![]));
    assert_eq!(field(&[("fields", "arr")], "arr"), Value::Array(vec![]));
    // a null with a default is replaced by the default, then masked
    assert_eq!(field(&[("fields", "def")], "def"), Value::from(""));
    let s = masked_struct(&[("fields", "i32,s,b")]).unwrap();
    assert_eq!(s.get("i32").unwrap(), &Value::Int32(0));
    assert_eq!(s.get("s").unwrap(), &Value::from(""));
    assert_eq!(s.get("b").unwrap(), &Value::Boolean(false));
    assert_eq!(s.get("i64").unwrap(), &Value::Int64(1));
    // unmasked null with a default takes the default (replace.null.with.default)
    assert_eq!(s.get_without_default("def").unwrap(), &Value::from("dflt"));
}

#[test]
fn replace_null_with_default_false() {
    let s = masked_struct(&[("fields", "def"), ("replace.null.with.default", "false")]).unwrap();
    assert_eq!(s.get_without_default("def").unwrap(), &Value::Null);
}

// smt_mask_field-4fc655a0d4
#[test]
fn bytes_and_structs_cannot_be_masked() {
    assert_eq!(
        err(&[("fields", "by")]),
        "Cannot mask value of type: class [B"
    );
    assert_eq!(
        err(&[("fields", "st")]),
        "Cannot mask value of type: class org.apache.kafka.connect.data.Struct"
    );
}

// smt_mask_field-04a9c54eca
#[test]
fn missing_field_with_schema_is_ignored() {
    let s = masked_struct(&[("fields", "missing")]).unwrap();
    assert_eq!(s.get("i64").unwrap(), &Value::Int64(1));
}

// smt_mask_field-8c56db7e26, -53a946c2e9, -3d4f8fd053, -699ab74c32, -fae037a6b1, -8e267a807e, -eaf443397a
#[test]
fn custom_replacement_with_schema() {
    assert_eq!(
        field(&[("fields", "i32"), ("replacement", "123")], "i32"),
        Value::Int32(123)
    );
    assert_eq!(
        err(&[("fields", "i32"), ("replacement", "abc")]),
        "Unable to convert abc (class java.lang.String) to a number"
    );
    assert_eq!(
        err(&[("fields", "f32"), ("replacement", "x")]),
        "Unable to convert x (class java.lang.String) to a number"
    );
    assert_eq!(
        field(&[("fields", "d"), ("replacement", "9.99")], "d"),
        Value::Decimal(Decimal::parse("9.99").unwrap())
    );
    assert_eq!(
        err(&[("fields", "d"), ("replacement", "abc")]),
        "Unable to convert abc (class java.lang.String) to number"
    );
    assert_eq!(
        err(&[("fields", "arr"), ("replacement", "x")]),
        "Cannot mask value of type class java.util.ArrayList with custom replacement."
    );
    assert_eq!(
        err(&[("fields", "b"), ("replacement", "x")]),
        "Cannot mask value of type class java.lang.Boolean with custom replacement."
    );
    assert_eq!(
        field(&[("fields", "i64"), ("replacement", "1.9")], "i64"),
        Value::Int64(1)
    );
    assert_eq!(
        field(&[("fields", "i8"), ("replacement", "7")], "i8"),
        Value::Int8(7)
    );
    assert_eq!(
        field(&[("fields", "f64"), ("replacement", "0.5")], "f64"),
        Value::Float64(0.5)
    );
    assert_eq!(
        field(&[("fields", "s"), ("replacement", "***")], "s"),
        Value::from("***")
    );
}

fn schemaless_value() -> Value {
    map(vec![
        ("a", "x".into()),
        ("b", Value::Int32(5)),
        ("c", Value::Array(vec![Value::Int64(1)])),
        ("d", map(vec![("k", Value::Int64(1))])),
        ("e", Value::Null),
        ("f", Value::Decimal(Decimal::parse("1.5").unwrap())),
        ("g", Value::Bytes(vec![1])),
        ("h", Value::Float64(2.5)),
        ("i", Value::Timestamp(5)),
    ])
}

fn schemaless(pairs: &[(&str, &str)]) -> Result<Vec<(String, Value)>> {
    let out = mask(pairs).apply_owned(source(struct_key(), sv(None, schemaless_value())))?;
    Ok(sorted(&out.unwrap().value.value))
}

fn schemaless_field(pairs: &[(&str, &str)], name: &str) -> Value {
    schemaless(pairs)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap()
}

// smt_mask_field-4a67ccf2a5 … smt_mask_field-c44bb1b43e
#[test]
fn schemaless_masks() {
    assert_eq!(schemaless_field(&[("fields", "a")], "a"), Value::from(""));
    assert_eq!(schemaless_field(&[("fields", "b")], "b"), Value::Int32(0));
    assert_eq!(
        schemaless_field(&[("fields", "d")], "d"),
        Value::Map(vec![])
    );
    assert_eq!(schemaless_field(&[("fields", "e")], "e"), Value::Null);
    assert_eq!(
        schemaless_field(&[("fields", "f")], "f"),
        Value::Decimal(Decimal::from_i64(0, 0))
    );
    assert_eq!(
        schemaless_field(&[("fields", "h")], "h"),
        Value::Float64(0.0)
    );
    assert_eq!(
        schemaless_field(&[("fields", "i")], "i"),
        Value::Timestamp(0)
    );
    assert_eq!(
        schemaless(&[("fields", "g")]).unwrap_err().to_string(),
        "Cannot mask value of type: class [B"
    );
    assert_eq!(
        schemaless_field(&[("fields", "a"), ("replacement", "***")], "a"),
        Value::from("***")
    );
    assert_eq!(
        schemaless_field(&[("fields", "b"), ("replacement", "9")], "b"),
        Value::Int32(9)
    );
    assert_eq!(
        schemaless_field(&[("fields", "f"), ("replacement", "2.5")], "f"),
        Value::Decimal(Decimal::parse("2.5").unwrap())
    );
    assert_eq!(
        schemaless(&[("fields", "c"), ("replacement", "x")])
            .unwrap_err()
            .to_string(),
        "Cannot mask value of type class java.util.ArrayList with custom replacement."
    );
    let all = schemaless(&[("fields", "a")]).unwrap();
    assert_eq!(all.len(), 9);
}

// NOTES item 9: a missing schemaless field is added with null
#[test]
fn schemaless_missing_field_is_added_as_null() {
    let out = schemaless(&[("fields", "zz")]).unwrap();
    assert_eq!(out.len(), 10);
    assert!(out.contains(&("zz".into(), Value::Null)));
}

// smt_mask_field-0ac15cc023
#[test]
fn key_side() {
    let t = MaskField::new(Side::Key, &cfg(&[("fields", "k,region")])).unwrap();
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let k = as_struct(&out.key.value);
    assert_eq!(k.get("k").unwrap(), &Value::Int32(0));
    assert_eq!(k.get("region").unwrap(), &Value::from(""));
    assert_eq!(out.value.value, Value::Struct(user_full()));
}

#[test]
fn null_values_fail() {
    let t = mask(&[("fields", "a")]);
    assert_eq!(
        run_err(&t, source(struct_key(), sv(None, Value::Null))),
        "Only Map objects supported in absence of schema for [mask fields], found: null"
    );
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(user_schema()), Value::Null))
        ),
        "Only Struct objects supported for [mask fields], found: null"
    );
}

#[test]
fn config_errors() {
    let e = MaskField::new(Side::Value, &cfg(&[])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Missing required configuration \"fields\" which has no default value."
    );
    let e = MaskField::new(Side::Value, &cfg(&[("fields", "")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value [] for configuration fields: Empty list"
    );
    let e = MaskField::new(Side::Value, &cfg(&[("fields", "a"), ("replacement", "")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value  for configuration replacement: String must be non-empty"
    );
}
