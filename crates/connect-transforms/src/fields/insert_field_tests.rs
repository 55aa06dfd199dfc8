use super::*;
use crate::fields::test_support::*;

const ALL: &[(&str, &str)] = &[
    ("topic.field", "t"),
    ("partition.field", "p"),
    ("timestamp.field", "ts2"),
    ("static.field", "s"),
    ("static.value", "sv"),
];

fn insert(side: Side, pairs: &[(&str, &str)]) -> InsertField {
    InsertField::new(side, &cfg(pairs)).unwrap()
}

#[test]
fn config_def_is_valid() {
    assert!(InsertField::config_def().definition_errors().is_empty());
    assert_eq!(InsertField::config_def().len(), 7);
}

#[test]
fn insertion_spec_suffixes() {
    assert_eq!(InsertionSpec::parse(None), None);
    let s = InsertionSpec::parse(Some("a!")).unwrap();
    assert_eq!((s.name.as_str(), s.optional), ("a", false));
    let s = InsertionSpec::parse(Some("a?")).unwrap();
    assert_eq!((s.name.as_str(), s.optional), ("a", true));
    let s = InsertionSpec::parse(Some("a")).unwrap();
    assert_eq!((s.name.as_str(), s.optional), ("a", true));
    let s = InsertionSpec::parse(Some("!")).unwrap();
    assert_eq!((s.name.as_str(), s.optional), ("", false));
}

// smt_insert_field-0e206f1f91
#[test]
fn key_with_schema() {
    let out = run(
        &insert(Side::Key, ALL),
        source(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let schema = out.key.schema.clone().unwrap();
    assert_eq!(field_names(&schema), ["k", "region", "t", "p", "ts2", "s"]);
    assert_eq!(schema.name(), Some("com.example.Key"));
    assert!(schema.fields()[2].schema().is_optional());
    assert_eq!(
        schema.fields()[4].schema().name(),
        Some(logical::TIMESTAMP_NAME)
    );
    let key = as_struct(&out.key.value);
    assert_eq!(key.get("t").unwrap(), &Value::from("orders"));
    assert_eq!(key.get("p").unwrap(), &Value::Int32(0));
    assert_eq!(
        key.get("ts2").unwrap(),
        &Value::Timestamp(1_700_000_000_000)
    );
    assert_eq!(key.get("s").unwrap(), &Value::from("sv"));
    assert_eq!(key.get("k").unwrap(), &Value::Int32(7));
}

// smt_insert_field-2efadd19f3, smt_insert_field-e1fbb5557b
#[test]
fn schemaless() {
    let key = map(vec![("k", Value::Int64(1))]);
    let out = run(
        &insert(Side::Key, ALL),
        source(sv(None, key.clone()), sv(None, user_map())),
    );
    assert_eq!(
        sorted(&out.key.value),
        [
            ("k".into(), Value::Int64(1)),
            ("p".into(), Value::Int32(0)),
            ("s".into(), "sv".into()),
            ("t".into(), "orders".into()),
            ("ts2".into(), Value::Int64(1_700_000_000_000)),
        ]
    );
    let out = run(
        &insert(Side::Value, ALL),
        source(sv(None, key), sv(None, user_map())),
    );
    assert_eq!(sorted(&out.value.value).len(), 11);
}

// smt_insert_field-22ed169460, smt_insert_field-e0bb667c5e
#[test]
fn offset_on_sink_records() {
    let mut pairs = ALL.to_vec();
    pairs.push(("offset.field", "off"));
    let out = run(
        &insert(Side::Value, &pairs),
        sink(struct_key(), sv(Some(user_schema()), user_full())),
    );
    let schema = out.value.schema.clone().unwrap();
    assert_eq!(&field_names(&schema)[8..], ["t", "p", "off", "ts2", "s"]);
    assert_eq!(
        as_struct(&out.value.value).get("off").unwrap(),
        &Value::Int64(123)
    );
    let out = run(
        &insert(Side::Value, &[("offset.field", "off")]),
        sink(struct_key(), sv(None, map(vec![]))),
    );
    assert_eq!(
        sorted(&out.value.value),
        [("off".into(), Value::Int64(123))]
    );
}

// smt_insert_field-5c19a5635e
#[test]
fn offset_on_source_records_fails() {
    let t = insert(Side::Value, &[("offset.field", "off")]);
    let msg = "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord";
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(user_schema()), user_sparse()))
        ),
        msg
    );
    assert_eq!(
        run_err(&t, source(struct_key(), sv(None, map(vec![])))),
        msg
    );
}

// smt_insert_field-9754d4ec84, smt_insert_field-e2848c1d42, smt_insert_field-4a53ef5570
#[test]
fn required_and_optional_suffixes() {
    let out = run(
        &insert(Side::Value, &[("topic.field", "t!")]),
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    let schema = out.value.schema.clone().unwrap();
    let t = schema.field("t").unwrap();
    assert!(!t.schema().is_optional());
    let v = as_struct(&out.value.value);
    assert_eq!(v.get("t").unwrap(), &Value::from("orders"));
    // the null age took its default
    assert_eq!(v.get_without_default("age").unwrap(), &Value::Int32(18));

    let out = run(
        &insert(Side::Value, &[("topic.field", "t?")]),
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    assert!(out
        .value
        .schema
        .unwrap()
        .field("t")
        .unwrap()
        .schema()
        .is_optional());

    let out = run(
        &insert(
            Side::Value,
            &[("partition.field", "p!"), ("timestamp.field", "ts2!")],
        ),
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    let schema = out.value.schema.clone().unwrap();
    assert!(!schema.field("p").unwrap().schema().is_optional());
    assert!(!schema.field("ts2").unwrap().schema().is_optional());
    assert_eq!(
        as_struct(&out.value.value).get("ts2").unwrap(),
        &Value::Timestamp(1_700_000_000_000)
    );
}

#[test]
fn replace_null_with_default_false() {
    let t = insert(
        Side::Value,
        &[("topic.field", "t"), ("replace.null.with.default", "false")],
    );
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), user_sparse())),
    );
    assert_eq!(
        as_struct(&out.value.value)
            .get_without_default("age")
            .unwrap(),
        &Value::Null
    );
}

// smt_insert_field-ef0b44e7f5
#[test]
fn config_errors() {
    let e = InsertField::new(Side::Value, &cfg(&[("static.field", "s")])).unwrap_err();
    assert!(e.is_config());
    assert!(e.to_string().starts_with(
        "Invalid value null for configuration static.value: No value specified for static field: org.apache.kafka.connect.transforms.InsertField$InsertionSpec@"
    ));
    let e = InsertField::new(Side::Value, &cfg(&[])).unwrap_err();
    assert_eq!(e.to_string(), "No field insertion configured");
    let e = InsertField::new(Side::Value, &cfg(&[("static.value", "x")])).unwrap_err();
    assert_eq!(e.to_string(), "No field insertion configured");
}

// smt_insert_field-1464ef1252, smt_insert_field-d2dd2fa5b8
#[test]
fn duplicate_field_name_fails() {
    for name in ["name", "id"] {
        let t = insert(Side::Value, &[("topic.field", name)]);
        assert_eq!(
            run_err(
                &t,
                source(struct_key(), sv(Some(user_schema()), user_sparse()))
            ),
            format!("Cannot create field because of field name duplication {name}")
        );
    }
}

// smt_insert_field-450dfa89e8
#[test]
fn missing_partition_and_timestamp_are_skipped() {
    let mut r = source(struct_key(), sv(None, map(vec![("a", Value::Int64(1))])));
    r.kafka_partition = None;
    r.timestamp = None;
    let out = run(&insert(Side::Value, ALL), r);
    assert_eq!(
        sorted(&out.value.value),
        [
            ("a".into(), Value::Int64(1)),
            ("s".into(), "sv".into()),
            ("t".into(), "orders".into())
        ]
    );
    let mut r = source(struct_key(), sv(Some(user_schema()), user_full()));
    r.kafka_partition = None;
    r.timestamp = None;
    let out = run(&insert(Side::Value, ALL), r);
    let v = as_struct(&out.value.value);
    assert_eq!(v.get("p").unwrap(), &Value::Null);
    assert_eq!(v.get("ts2").unwrap(), &Value::Null);
}

// smt_insert_field-a159be632d, smt_insert_field-10e4eb1044
#[test]
fn null_passes_and_non_maps_fail() {
    let t = insert(Side::Value, ALL);
    let out = run(&t, source(struct_key(), sv(None, Value::Null)));
    assert_eq!(out.value, sv(None, Value::Null));
    let out = run(
        &t,
        source(struct_key(), sv(Some(user_schema()), Value::Null)),
    );
    assert_eq!(out.value.value, Value::Null);
    assert_eq!(
        run_err(&t, source(struct_key(), sv(None, "str"))),
        "Only Map objects supported in absence of schema for [field insertion], found: java.lang.String"
    );
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(Schema::required(Type::String)), "x"))
        ),
        "Only Struct objects supported for [field insertion], found: java.lang.String"
    );
}

#[test]
fn existing_schemaless_key_is_overwritten() {
    let t = insert(Side::Value, &[("topic.field", "a")]);
    let out = run(
        &t,
        source(struct_key(), sv(None, map(vec![("a", Value::Int64(1))]))),
    );
    assert_eq!(sorted(&out.value.value), [("a".into(), "orders".into())]);
}

#[test]
fn empty_field_name_fails_with_schema() {
    let t = insert(Side::Value, &[("topic.field", "")]);
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(user_schema()), user_full()))
        ),
        "fieldName cannot be null."
    );
}
