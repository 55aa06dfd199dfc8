use super::*;
use crate::fields::test_support::*;
use connect_api::{Schema, SchemaBuilder, Struct, Type};

fn extract(side: Side, pairs: &[(&str, &str)]) -> ExtractField {
    ExtractField::new(side, &cfg(pairs)).unwrap()
}

/// The nested schema of the V2 cases: `a{b{c, d.e}, x.y}`, `a.b`, `top`.
fn nested_schema() -> Schema {
    let b = SchemaBuilder::struct_builder()
        .field("c", Schema::required(Type::Int32))
        .field("d.e", Schema::optional(Type::String))
        .build()
        .unwrap();
    let a = SchemaBuilder::struct_builder()
        .field("b", b)
        .field("x.y", Schema::required(Type::Int32))
        .build()
        .unwrap();
    SchemaBuilder::struct_builder()
        .field("a", a)
        .field("a.b", Schema::required(Type::String))
        .field("top", Schema::optional(Type::Int32))
        .build()
        .unwrap()
}

fn nested_struct() -> Struct {
    let schema = nested_schema();
    let a_schema = schema.field("a").unwrap().schema().clone();
    let mut b = Struct::new(a_schema.field("b").unwrap().schema()).unwrap();
    b.put("c", 1i32).unwrap();
    b.put("d.e", "de").unwrap();
    let mut a = Struct::new(&a_schema).unwrap();
    a.put("b", b).unwrap();
    a.put("x.y", 5i32).unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("a", a).unwrap();
    s.put("a.b", "dotted").unwrap();
    s
}

fn nested_map() -> Value {
    map(vec![
        (
            "a",
            map(vec![
                ("b", map(vec![("c", Value::Int64(1)), ("d.e", "de".into())])),
                ("x.y", Value::Int64(5)),
            ]),
        ),
        ("a.b", "dotted".into()),
        ("top", Value::Null),
    ])
}

fn v2_struct(field: &str) -> std::result::Result<SchemaAndValue, String> {
    let t = extract(
        Side::Value,
        &[("field", field), ("field.syntax.version", "V2")],
    );
    t.apply_owned(source(
        struct_key(),
        sv(Some(nested_schema()), nested_struct()),
    ))
    .map(|r| r.unwrap().value)
    .map_err(|e| e.to_string())
}

fn v2_map(field: &str) -> std::result::Result<Value, String> {
    let t = extract(
        Side::Value,
        &[("field", field), ("field.syntax.version", "V2")],
    );
    t.apply_owned(source(struct_key(), sv(None, nested_map())))
        .map(|r| r.unwrap().value.value)
        .map_err(|e| e.to_string())
}

#[test]
fn config_def_is_valid() {
    let def = ExtractField::config_def();
    assert!(def.definition_errors().is_empty());
    assert_eq!(
        def.names().collect::<Vec<_>>(),
        ["field", "replace.null.with.default", "field.syntax.version"]
    );
}

// smt_extract_field-1cd2b0538c … smt_extract_field-ef9e50a7a6
#[test]
fn v1_with_schema() {
    let key = extract(Side::Key, &[("field", "region")]);
    let out = run(
        &key,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    assert_eq!(out.key, sv(Some(Schema::optional(Type::String)), "eu"));
    for missing in ["id", "name", "addr", "tags", "missing"] {
        let t = extract(Side::Key, &[("field", missing)]);
        assert_eq!(
            run_err(
                &t,
                source(struct_key(), sv(Some(user_schema()), user_full()))
            ),
            format!("Unknown field: {missing}")
        );
    }
    let t = extract(Side::Value, &[("field", "id")]);
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    assert_eq!(out.value, sv(Some(Schema::required(Type::Int64)), 42i64));
    let t = extract(Side::Value, &[("field", "age")]);
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    assert_eq!(out.value.value, Value::Int32(30));
    assert_eq!(
        out.value.schema.unwrap().default_value(),
        Some(&Value::Int32(18))
    );
    let t = extract(Side::Value, &[("field", "region")]);
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(user_schema()), user_full()))
        ),
        "Unknown field: region"
    );
}

// smt_extract_field-c30c6896f8
#[test]
fn default_replaces_null() {
    let t = extract(Side::Value, &[("field", "age")]);
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    assert_eq!(out.value.value, Value::Int32(18));
    let t = extract(
        Side::Value,
        &[("field", "age"), ("replace.null.with.default", "false")],
    );
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    assert_eq!(out.value.value, Value::Null);
}

// smt_extract_field-e9c02260f7 … smt_extract_field-2a704f4c98
#[test]
fn v2_paths() {
    assert_eq!(
        v2_struct("a.b.c").unwrap(),
        sv(Some(Schema::required(Type::Int32)), 1i32)
    );
    assert_eq!(
        v2_struct("a.`x.y`").unwrap(),
        sv(Some(Schema::required(Type::Int32)), 5i32)
    );
    assert_eq!(
        v2_struct("a.b.`d.e`").unwrap(),
        sv(Some(Schema::optional(Type::String)), "de")
    );
    assert_eq!(v2_map("`a.b`").unwrap(), Value::from("dotted"));
    assert_eq!(v2_map("a.b.`d.e`").unwrap(), Value::from("de"));
    assert_eq!(v2_map("a.b.missing").unwrap(), Value::Null);
    assert_eq!(v2_struct("a.").unwrap_err(), "Unknown field: a.");
    assert_eq!(v2_map("a.").unwrap(), Value::Null);
    assert_eq!(v2_struct(".a").unwrap_err(), "Unknown field: .a");
    assert_eq!(v2_map(".a").unwrap(), Value::Null);
    assert_eq!(v2_struct("``").unwrap_err(), "Unknown field: ``");
    assert_eq!(v2_map("``").unwrap(), Value::Null);
    assert_eq!(
        v2_struct("`a\\`.b`").unwrap_err(),
        "Unknown field: `a\\`.b`"
    );
    assert_eq!(v2_map("`a\\`.b`").unwrap(), Value::Null);
    assert_eq!(v2_map("").unwrap_err(), "fromIndex(0) > toIndex(-1)");
    assert_eq!(
        v2_map("a.b.c.d").unwrap_err(),
        "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Long"
    );
}

// smt_extract_field-0ec90e3c97
#[test]
fn v1_does_not_split() {
    let t = extract(
        Side::Value,
        &[("field", "a.b.c"), ("field.syntax.version", "V1")],
    );
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(nested_schema()), nested_struct()))
        ),
        "Unknown field: a.b.c"
    );
    let t = extract(Side::Value, &[("field", "a.b")]);
    let out = run(&t, source(struct_key(), sv(None, nested_map())));
    assert_eq!(out.value.value, Value::from("dotted"));
}

// smt_extract_field-02f6f11e0c, smt_extract_field-4029888f1f (lower-case v2)
#[test]
fn version_is_case_insensitive() {
    let t = extract(
        Side::Value,
        &[("field", "top"), ("field.syntax.version", "v2")],
    );
    let out = run(
        &t,
        source(struct_key(), sv(Some(nested_schema()), nested_struct())),
    );
    assert_eq!(
        out.value,
        sv(Some(Schema::optional(Type::Int32)), Value::Null)
    );
    let out = run(&t, source(struct_key(), sv(None, nested_map())));
    assert_eq!(out.value.value, Value::Null);
}

// smt_extract_field-f7cb0f0833, -d34142eace, -57c2e1fddc
#[test]
fn config_errors() {
    let e = ExtractField::new(
        Side::Value,
        &cfg(&[("field", "`a.b"), ("field.syntax.version", "V2")]),
    )
    .unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it"
    );
    let e = ExtractField::new(
        Side::Value,
        &cfg(&[("field", "a.b"), ("field.syntax.version", "V3")]),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2"
    );
    let e = ExtractField::new(Side::Value, &cfg(&[])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Missing required configuration \"field\" which has no default value."
    );
}

// smt_extract_field-cd42cbcb21, -a35642ee44, -32bd98015a, -fdd99dc2d9
#[test]
fn schemaless_top_level() {
    let t = extract(Side::Value, &[("field", "age")]);
    let out = run(&t, source(struct_key(), sv(None, user_map())));
    assert_eq!(out.value, sv(None, Value::Int32(30)));
    let t = extract(Side::Value, &[("field", "nope")]);
    let out = run(&t, source(struct_key(), sv(None, user_map())));
    assert_eq!(out.value, sv(None, Value::Null));
    let t = extract(Side::Value, &[("field", "x")]);
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(None, Value::Array(vec![Value::Int64(1)])))
        ),
        "Only Map objects supported in absence of schema for [field extraction], found: java.util.ArrayList"
    );
    let out = run(&t, source(struct_key(), sv(None, Value::Null)));
    assert_eq!(out.value, sv(None, Value::Null));
}

// smt_extract_field-19629c3449, smt_extract_field-fd62098c08
#[test]
fn null_and_non_struct_with_schema() {
    let optional_user = SchemaBuilder::struct_builder()
        .field("id", Schema::required(Type::Int64))
        .optional()
        .build()
        .unwrap();
    let t = extract(Side::Value, &[("field", "id")]);
    let out = run(
        &t,
        source(struct_key(), sv(Some(optional_user), Value::Null)),
    );
    assert_eq!(
        out.value,
        sv(Some(Schema::required(Type::Int64)), Value::Null)
    );
    let t = extract(Side::Value, &[("field", "x")]);
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(Schema::required(Type::Int32)), 5i32))
        ),
        "Only Struct objects supported for [field extraction], found: java.lang.Integer"
    );
    // a null under a non-struct schema fails on the field look-up, as in Java
    assert_eq!(
        run_err(
            &t,
            source(
                struct_key(),
                sv(Some(Schema::optional(Type::Int32)), Value::Null)
            )
        ),
        "Cannot look up fields on non-struct type"
    );
}
