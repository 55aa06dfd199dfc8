use super::*;
use crate::routing::test_support::{config, key, key_schema, map, record, user, user_schema};
use connect_api::{Header, Headers, SourceMeta, Type};

fn hf(side: Side, fields: &str, headers: &str, op: &str) -> HeaderFrom {
    HeaderFrom::new(
        side,
        &config(&[(FIELDS, fields), (HEADERS, headers), (OPERATION, op)]),
    )
    .unwrap()
}

fn one_header() -> Headers {
    let mut h = Headers::new();
    h.add(
        "h1",
        Some(Schema::required(Type::String)),
        Value::from("v1"),
    );
    h
}

fn with_schema() -> Record<SourceMeta> {
    let mut r = record("orders");
    r.headers = one_header();
    r
}

fn schemaless_user() -> Value {
    map(&[
        ("id", Value::Int64(42)),
        ("name", Value::from("alice")),
        ("age", Value::Int32(30)),
        ("score", Value::Float64(9.5)),
        ("active", Value::Boolean(true)),
        (
            "addr",
            map(&[
                ("street", Value::from("Main St")),
                ("zip", Value::from("12345")),
            ]),
        ),
        (
            "tags",
            Value::Array(vec![Value::from("a"), Value::from("b")]),
        ),
    ])
}

fn schemaless() -> Record<SourceMeta> {
    let mut r = record("orders");
    r.headers = one_header();
    r.key = SchemaAndValue::new(
        None,
        map(&[("k", Value::Int64(7)), ("region", Value::from("eu"))]),
    );
    r.value = SchemaAndValue::new(None, schemaless_user());
    r
}

fn run(t: &HeaderFrom, r: Record<SourceMeta>) -> Result<Record<SourceMeta>> {
    Transformation::apply_owned(t, r).map(|o| o.unwrap())
}

fn added(r: &Record<SourceMeta>) -> Vec<Header> {
    r.headers.iter().skip(1).cloned().collect()
}

fn header(key: &str, schema: Option<Schema>, value: Value) -> Header {
    Header {
        key: key.to_string(),
        schema,
        value,
    }
}

fn keys_of(v: &Value) -> Vec<String> {
    let Value::Map(entries) = v else {
        panic!("{v:?}")
    };
    let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.to_string()).collect();
    keys.sort();
    keys
}

#[test]
fn key_copy_with_schema() {
    // smt_header_from-4e4b931a53
    let out = run(&hf(Side::Key, "k,region", "hk,hr", "copy"), with_schema()).unwrap();
    assert_eq!(
        added(&out),
        [
            header("hk", Some(Schema::required(Type::Int32)), Value::Int32(7)),
            header(
                "hr",
                Some(Schema::optional(Type::String)),
                Value::from("eu")
            ),
        ]
    );
    assert_eq!(
        out.key,
        SchemaAndValue::new(Some(key_schema()), Value::Struct(key()))
    );
    assert_eq!(out.headers.iter().next().unwrap().key, "h1");
}

#[test]
fn key_copy_and_move_schemaless() {
    // smt_header_from-a13b92499f
    let out = run(&hf(Side::Key, "k,region", "hk,hr", "copy"), schemaless()).unwrap();
    assert_eq!(
        added(&out),
        [
            header("hk", None, Value::Int64(7)),
            header("hr", None, Value::from("eu")),
        ]
    );
    assert_eq!(keys_of(&out.key.value), ["k", "region"]);
    // smt_header_from-80950018df
    let out = run(&hf(Side::Key, "k,region", "hk,hr", "move"), schemaless()).unwrap();
    assert_eq!(out.key, SchemaAndValue::new(None, Value::Map(vec![])));
    assert_eq!(added(&out).len(), 2);
    assert_eq!(out.value.value, schemaless_user());
}

#[test]
fn key_move_with_schema_leaves_an_empty_struct() {
    // smt_header_from-4f99b01ea3
    let out = run(&hf(Side::Key, "k,region", "hk,hr", "move"), with_schema()).unwrap();
    let schema = out.key.schema.clone().unwrap();
    assert_eq!(schema.name(), Some("com.example.Key"));
    assert!(schema.fields().is_empty());
    assert!(!schema.is_optional());
    assert_eq!(
        out.key.value,
        Value::Struct(Struct::from_values_unchecked(&schema, vec![]))
    );
    assert_eq!(added(&out).len(), 2);
}

#[test]
fn value_copy_and_move_schemaless() {
    // smt_header_from-5b62a50804
    let out = run(
        &hf(Side::Value, "id,name,addr", "hid,hname,haddr", "copy"),
        schemaless(),
    )
    .unwrap();
    let addr = map(&[
        ("street", Value::from("Main St")),
        ("zip", Value::from("12345")),
    ]);
    assert_eq!(
        added(&out),
        [
            header("hid", None, Value::Int64(42)),
            header("hname", None, Value::from("alice")),
            header("haddr", None, addr.clone()),
        ]
    );
    assert_eq!(out.value.value, schemaless_user());
    // smt_header_from-c9e0b5ea56
    let out = run(
        &hf(Side::Value, "id,name,addr", "hid,hname,haddr", "move"),
        schemaless(),
    )
    .unwrap();
    assert_eq!(
        keys_of(&out.value.value),
        ["active", "age", "score", "tags"]
    );
    assert_eq!(added(&out)[2], header("haddr", None, addr));
}

#[test]
fn value_move_with_schema() {
    // smt_header_from-fc1ba42484
    let out = run(
        &hf(Side::Value, "id,name,addr", "hid,hname,haddr", "move"),
        with_schema(),
    )
    .unwrap();
    let schema = out.value.schema.clone().unwrap();
    let names: Vec<_> = schema.fields().iter().map(|f| f.name()).collect();
    assert_eq!(names, ["age", "active"]);
    assert_eq!(schema.name(), Some("com.example.User"));
    assert_eq!(schema.version(), Some(1));
    let Value::Struct(s) = &out.value.value else {
        panic!()
    };
    assert_eq!(s.values(), [Value::Int32(30), Value::Boolean(true)]);
    let h = added(&out);
    assert_eq!(
        h[0],
        header("hid", Some(Schema::required(Type::Int64)), Value::Int64(42))
    );
    assert_eq!(
        h[1],
        header(
            "hname",
            Some(Schema::optional(Type::String)),
            Value::from("alice")
        )
    );
    let addr_schema = user_schema().field("addr").unwrap().schema().clone();
    assert_eq!(h[2].schema, Some(addr_schema));
    assert_eq!(h[2].value, user().get("addr").unwrap().clone());
    // the move schema is cached and reused
    let t = hf(Side::Value, "id", "hid", "move");
    let a = run(&t, with_schema()).unwrap().value.schema.unwrap();
    let b = run(&t, with_schema()).unwrap().value.schema.unwrap();
    assert!(a.ptr_eq(&b));
}

fn sparse() -> Record<SourceMeta> {
    let mut r = with_schema();
    let mut s = Struct::new(&user_schema()).unwrap();
    s.put("id", 1i64).unwrap();
    s.put("active", false).unwrap();
    r.value = SchemaAndValue::new(Some(user_schema()), Value::Struct(s));
    r
}

#[test]
fn defaults_apply_unless_disabled() {
    // smt_header_from-522ced2acb
    let out = run(&hf(Side::Value, "age", "hage", "copy"), sparse()).unwrap();
    let age_schema = user_schema().field("age").unwrap().schema().clone();
    assert_eq!(
        added(&out),
        [header("hage", Some(age_schema.clone()), Value::Int32(18))]
    );
    let t = HeaderFrom::new(
        Side::Value,
        &config(&[
            (FIELDS, "age"),
            (HEADERS, "hage"),
            (OPERATION, "copy"),
            (REPLACE_NULL_WITH_DEFAULT, "false"),
        ]),
    )
    .unwrap();
    let out = run(&t, sparse()).unwrap();
    assert_eq!(added(&out), [header("hage", Some(age_schema), Value::Null)]);
    // move: the remaining fields get their defaults too
    let out = run(&hf(Side::Value, "id", "hid", "move"), sparse()).unwrap();
    let Value::Struct(s) = &out.value.value else {
        panic!()
    };
    assert_eq!(s.get_without_default("age").unwrap(), &Value::Int32(18));
}

#[test]
fn missing_fields() {
    // With a schema: the JDK's NullPointerException (a data error in Ferry).
    for op in ["copy", "move"] {
        let e = run(&hf(Side::Value, "nope", "h", op), with_schema()).unwrap_err();
        assert!(e.is_data(), "{e}");
        assert!(e
            .to_string()
            .starts_with("Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\""));
    }
    // Without: a null header.
    let out = run(&hf(Side::Value, "nope", "h", "move"), schemaless()).unwrap();
    assert_eq!(added(&out), [header("h", None, Value::Null)]);
    assert_eq!(out.value.value, schemaless_user());
}

#[test]
fn null_and_wrong_values() {
    // smt_header_from-c2db6d9b3c
    let mut r = record("orders");
    r.value = SchemaAndValue::null();
    let e = run(&hf(Side::Value, "a", "h", "copy"), r).unwrap_err();
    assert!(e.is_data());
    assert_eq!(
        e.to_string(),
        "Only Map objects supported in absence of schema for [header copy], found: null"
    );
    let mut r = record("orders");
    r.value = SchemaAndValue::new(Some(user_schema()), Value::Null);
    assert_eq!(
        run(&hf(Side::Value, "id", "h", "move"), r)
            .unwrap_err()
            .to_string(),
        "Only Struct objects supported for [header move], found: null"
    );
    // A required field left unset cannot become a header (ConnectHeaders' check) nor stay in a
    // rebuilt struct.
    let mut r = record("orders");
    let unset = Struct::new(&user_schema()).unwrap();
    r.value = SchemaAndValue::new(Some(user_schema()), Value::Struct(unset.clone()));
    assert_eq!(
        run(&hf(Side::Value, "id", "h", "copy"), r.clone())
            .unwrap_err()
            .to_string(),
        "A null value requires an optional schema but was Schema{INT64}"
    );
    assert_eq!(
        run(&hf(Side::Value, "name", "h", "move"), r)
            .unwrap_err()
            .to_string(),
        "Invalid value: null used for required field: \"id\", schema type: INT64"
    );
}

#[test]
fn config_errors() {
    // smt_header_from-0209819a8f
    let e = HeaderFrom::new(
        Side::Value,
        &config(&[(FIELDS, "id"), (HEADERS, "a,b"), (OPERATION, "copy")]),
    )
    .unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "'fields' config must have the same number of elements as 'headers' config."
    );
    // smt_header_from-aa00800d68
    let e = HeaderFrom::new(
        Side::Value,
        &config(&[(FIELDS, ""), (HEADERS, ""), (OPERATION, "copy")]),
    )
    .unwrap_err();
    assert!(e
        .to_string()
        .starts_with("Invalid value [] for configuration fields: Empty list"));
    // smt_header_from-f835431732
    let e = HeaderFrom::new(
        Side::Value,
        &config(&[(FIELDS, "id"), (HEADERS, "h1"), (OPERATION, "MOVE")]),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value MOVE for configuration operation: String must be one of: move, copy"
    );
    let e = HeaderFrom::new(Side::Value, &config(&[(FIELDS, "id"), (HEADERS, "h1")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Missing required configuration \"operation\" which has no default value."
    );
    let e = HeaderFrom::new(
        Side::Value,
        &config(&[
            (FIELDS, "id"),
            (HEADERS, "h1"),
            (OPERATION, "copy"),
            (REPLACE_NULL_WITH_DEFAULT, "maybe"),
        ]),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false"
    );
    assert!(HeaderFrom::config_def().definition_errors().is_empty());
    assert!(OVERVIEW_DOC.contains("HeaderFrom$Key"));
}
