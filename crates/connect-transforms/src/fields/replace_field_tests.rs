use super::*;
use crate::fields::test_support::*;
use connect_api::Type;

fn value_rf(pairs: &[(&str, &str)]) -> ReplaceField {
    ReplaceField::new(Side::Value, &cfg(pairs)).unwrap()
}

fn with_schema(t: &ReplaceField, value: Struct) -> (Schema, Struct) {
    let out = run(t, source(struct_key(), sv(Some(user_schema()), value)));
    let schema = out.value.schema.clone().unwrap();
    (schema, as_struct(&out.value.value).clone())
}

fn schemaless(t: &ReplaceField, value: Value) -> Vec<(String, Value)> {
    let out = run(t, source(struct_key(), sv(None, value)));
    assert!(out.value.schema.is_none());
    sorted(&out.value.value)
}

#[test]
fn config_def_is_valid() {
    let def = ReplaceField::config_def();
    assert!(def.definition_errors().is_empty());
    let names: Vec<&str> = def.names().collect();
    assert_eq!(
        names,
        [
            "exclude",
            "blacklist",
            "include",
            "whitelist",
            "renames",
            "replace.null.with.default"
        ]
    );
}

// smt_replace_field-d9d530d7dd
#[test]
fn exclude_with_schema() {
    let (schema, value) = with_schema(&value_rf(&[("exclude", "id,k")]), user_full());
    assert_eq!(
        field_names(&schema),
        ["name", "age", "score", "active", "ts", "addr", "tags"]
    );
    assert_eq!(schema.name(), Some("com.example.User"));
    assert_eq!(schema.version(), Some(1));
    assert_eq!(value.get("name").unwrap(), &Value::from("alice"));
    assert_eq!(value.get("age").unwrap(), &Value::Int32(30));
}

// smt_replace_field-8dde93e670, smt_replace_field-1cec40b88a
#[test]
fn key_side_schemaless() {
    let t = ReplaceField::new(Side::Key, &cfg(&[("exclude", "id,k")])).unwrap();
    let key = map(vec![("k", Value::Int64(7)), ("region", "eu".into())]);
    let out = run(&t, source(sv(None, key.clone()), sv(None, user_map())));
    assert_eq!(sorted(&out.key.value), [("region".into(), "eu".into())]);
    assert_eq!(out.value.value, user_map());

    let t = ReplaceField::new(Side::Key, &cfg(&[("include", "name,region")])).unwrap();
    let out = run(&t, source(sv(None, key), sv(None, user_map())));
    assert_eq!(sorted(&out.key.value), [("region".into(), "eu".into())]);
}

// smt_replace_field-d508559f2c, smt_replace_field-e5869a7eba
#[test]
fn key_side_with_schema() {
    let t = ReplaceField::new(Side::Key, &cfg(&[("include", "name,region")])).unwrap();
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let ks = out.key.schema.clone().unwrap();
    assert_eq!(field_names(&ks), ["region"]);
    assert_eq!(ks.name(), Some("com.example.Key"));
    assert_eq!(
        as_struct(&out.key.value).get("region").unwrap(),
        &Value::from("eu")
    );
    assert_eq!(out.value.schema, Some(user_schema()));

    let t = ReplaceField::new(Side::Key, &cfg(&[("renames", "id:ident,k:key2,name:nm")])).unwrap();
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let ks = out.key.schema.clone().unwrap();
    assert_eq!(field_names(&ks), ["key2", "region"]);
    assert_eq!(
        as_struct(&out.key.value).get("key2").unwrap(),
        &Value::Int32(7)
    );
}

// smt_replace_field-c95db4ab59, smt_replace_field-291a61b101
#[test]
fn include_exclude_rename_together() {
    let pairs = [
        ("include", "id,name,k"),
        ("exclude", "name"),
        ("renames", "id:x,name:y,k:z"),
    ];
    let (schema, value) = with_schema(&value_rf(&pairs), user_full());
    assert_eq!(field_names(&schema), ["x"]);
    assert_eq!(value.get("x").unwrap(), &Value::Int64(42));
    assert_eq!(
        schemaless(&value_rf(&pairs), user_map()),
        [("x".into(), Value::Int64(42))]
    );
}

// smt_replace_field-a46b1ca6ae
#[test]
fn include_schemaless() {
    assert_eq!(
        schemaless(&value_rf(&[("include", "name,region")]), user_map()),
        [("name".into(), "alice".into())]
    );
}

// smt_replace_field-f63c95635a
#[test]
fn rename_collision_is_a_schema_builder_error() {
    let t = value_rf(&[("renames", "id:x,name:x")]);
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(user_schema()), user_sparse()))
        ),
        "Cannot create field because of field name duplication x"
    );
}

// smt_replace_field-feb019fcfb, smt_replace_field-962b5bb501
#[test]
fn swap_names() {
    let t = value_rf(&[("renames", "id:name,name:id")]);
    let (schema, value) = with_schema(&t, user_sparse());
    assert_eq!(
        field_names(&schema),
        ["name", "id", "age", "score", "active", "ts", "addr", "tags"]
    );
    assert_eq!(schema.fields()[0].schema().schema_type(), Type::Int64);
    assert_eq!(value.get("name").unwrap(), &Value::Int64(1));
    assert_eq!(value.get_without_default("id").unwrap(), &Value::Null);
    // age is null with default 18: replace.null.with.default (true) stores the default
    assert_eq!(value.get_without_default("age").unwrap(), &Value::Int32(18));

    let out = schemaless(&t, user_map());
    assert!(out.contains(&("name".into(), Value::Int64(42))));
    assert!(out.contains(&("id".into(), "alice".into())));
    assert_eq!(out.len(), 7);
}

#[test]
fn replace_null_with_default_false_keeps_null() {
    let t = value_rf(&[("exclude", "id"), ("replace.null.with.default", "false")]);
    let (_, value) = with_schema(&t, user_sparse());
    assert_eq!(value.get_without_default("age").unwrap(), &Value::Null);
}

// smt_replace_field-d2af938b3f, smt_replace_field-a05ff7ddcd, smt_replace_field-61637d2961
#[test]
fn deprecated_aliases() {
    let (schema, value) = with_schema(&value_rf(&[("blacklist", "id")]), user_sparse());
    assert_eq!(field_names(&schema)[0], "name");
    assert_eq!(value.get_without_default("age").unwrap(), &Value::Int32(18));
    let out = schemaless(&value_rf(&[("blacklist", "id")]), user_map());
    assert_eq!(out.len(), 6);
    assert!(!out.iter().any(|(k, _)| k == "id"));

    let (schema, value) = with_schema(&value_rf(&[("whitelist", "id")]), user_sparse());
    assert_eq!(field_names(&schema), ["id"]);
    assert_eq!(value.get("id").unwrap(), &Value::Int64(1));
}

// smt_replace_field-9bf9e0893d, smt_replace_field-e8dcda5a44
#[test]
fn new_key_wins_over_alias() {
    let t = value_rf(&[("whitelist", "id"), ("include", "name")]);
    let (schema, value) = with_schema(&t, user_sparse());
    assert_eq!(field_names(&schema), ["name"]);
    assert_eq!(value.get("name").unwrap(), &Value::Null);
    assert_eq!(
        schemaless(&t, user_map()),
        [("name".into(), "alice".into())]
    );
}

// smt_replace_field-6202947c05, smt_replace_field-1beeadfede, smt_replace_field-6717ea3604
#[test]
fn missing_fields_are_ignored() {
    let (schema, _) = with_schema(&value_rf(&[("exclude", "missing")]), user_sparse());
    assert_eq!(schema.fields().len(), 8);
    assert_eq!(
        schemaless(&value_rf(&[("exclude", "missing")]), user_map()).len(),
        7
    );
    assert_eq!(
        schemaless(&value_rf(&[("renames", "missing:x")]), user_map()).len(),
        7
    );
}

// smt_replace_field-6a6787f0be, smt_replace_field-6316b129ce
#[test]
fn bad_rename_is_a_config_error() {
    let e = ReplaceField::new(Side::Value, &cfg(&[("renames", "id:")])).unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "Invalid value [id:] for configuration renames: Invalid rename mapping: id:"
    );
    let e = ReplaceField::new(Side::Value, &cfg(&[("renames", "a:b,c:d:e")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value [a:b, c:d:e] for configuration renames: Invalid rename mapping: c:d:e"
    );
    assert!(ReplaceField::new(Side::Value, &cfg(&[("renames", ":")])).is_err());
    assert!(ReplaceField::new(Side::Value, &cfg(&[("replace.null.with.default", "x")])).is_err());
}

// smt_replace_field-ede778c2ac: ":x" renames the (absent) empty field name
#[test]
fn rename_of_empty_name_is_accepted() {
    let (schema, _) = with_schema(&value_rf(&[("renames", ":x")]), user_sparse());
    assert_eq!(schema.fields().len(), 8);
}

// smt_replace_field-2cb9d51c42, smt_replace_field-2b91703494, smt_replace_field-d5492c1f52
#[test]
fn empty_lists_keep_everything() {
    let t = value_rf(&[("exclude", ""), ("include", "")]);
    let (schema, _) = with_schema(&t, user_sparse());
    assert_eq!(schema.fields().len(), 8);
    assert_eq!(schemaless(&t, user_map()).len(), 7);
    let out = schemaless(&value_rf(&[("renames", "addr:address")]), user_map());
    assert!(out.iter().any(|(k, _)| k == "address"));
    assert!(!out.iter().any(|(k, _)| k == "addr"));
}

#[test]
fn nulls_pass_and_wrong_types_fail() {
    let t = value_rf(&[("exclude", "id")]);
    let out = run(&t, source(struct_key(), sv(None, Value::Null)));
    assert_eq!(out.value.value, Value::Null);
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), Value::Null)),
    );
    assert_eq!(out.value.value, Value::Null);
    assert_eq!(
        run_err(&t, source(struct_key(), sv(None, "str"))),
        "Only Map objects supported in absence of schema for [field replacement], found: java.lang.String"
    );
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(Schema::required(Type::Int32)), 5i32))
        ),
        "Only Struct objects supported for [field replacement], found: java.lang.Integer"
    );
    let bad = Value::Map(vec![(Value::Int32(1), Value::Null)]);
    assert_eq!(
        run_err(&t, source(struct_key(), sv(None, bad))),
        "class java.lang.Integer cannot be cast to class java.lang.String"
    );
}

#[test]
fn required_null_fails_like_struct_put() {
    let t = value_rf(&[("exclude", "name")]);
    let mut s = Struct::new(&user_schema()).unwrap();
    s.put("active", true).unwrap();
    assert_eq!(
        run_err(&t, source(struct_key(), sv(Some(user_schema()), s))),
        "Invalid value: null used for required field: \"id\", schema type: INT64"
    );
}

#[test]
fn schema_is_cached() {
    let t = value_rf(&[("exclude", "id")]);
    let a = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let b = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    assert!(a
        .value
        .schema
        .unwrap()
        .ptr_eq(b.value.schema.as_ref().unwrap()));
}

#[test]
fn sink_records_work_too() {
    let t = value_rf(&[("include", "id")]);
    let out = run(&t, sink(struct_key(), sv(None, user_map())));
    assert_eq!(sorted(&out.value.value), [("id".into(), Value::Int64(42))]);
    assert_eq!(out.meta.kafka_offset, 123);
}
