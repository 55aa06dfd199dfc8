//! Tests built from Debezium's documentation of the SMT (reference §9.1 and §9.5): a Postgres
//! `customers` table with `id`, `first_name`, `email` and `status` (default `active`).

use super::*;
use crate::debezium::config::*;
use crate::routing::test_support::config;
use connect_api::{Header, Headers, SinkMeta, SourceMeta};

fn row_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("dbserver1.inventory.customers.Value")
        .field("id", Schema::required(Type::Int32))
        .field("first_name", Schema::optional(Type::String))
        .field("email", Schema::optional(Type::String))
        .field(
            "status",
            SchemaBuilder::new(Type::String)
                .optional()
                .default_value(Value::from("active"))
                .build()
                .unwrap(),
        )
        .optional()
        .build()
        .unwrap()
}

fn source_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("io.debezium.connector.postgresql.Source")
        .field("version", Schema::required(Type::String))
        .field("connector", Schema::required(Type::String))
        .field("name", Schema::required(Type::String))
        .field("ts_ms", Schema::required(Type::Int64))
        .field("db", Schema::required(Type::String))
        .field("schema", Schema::required(Type::String))
        .field("table", Schema::required(Type::String))
        .field("lsn", Schema::optional(Type::Int64))
        .build()
        .unwrap()
}

fn transaction_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("event.block")
        .field("id", Schema::required(Type::String))
        .field("total_order", Schema::required(Type::Int64))
        .field("data_collection_order", Schema::required(Type::Int64))
        .optional()
        .build()
        .unwrap()
}

fn envelope_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("dbserver1.inventory.customers.Envelope")
        .version(1)
        .field("before", row_schema())
        .field("after", row_schema())
        .field("source", source_schema())
        .field("op", Schema::required(Type::String))
        .field("ts_ms", Schema::optional(Type::Int64))
        .field("transaction", transaction_schema())
        .build()
        .unwrap()
}

fn row(id: i32, name: &str, email: Option<&str>) -> Struct {
    let mut s = Struct::new(&row_schema()).unwrap();
    s.put("id", id).unwrap();
    s.put("first_name", name).unwrap();
    if let Some(e) = email {
        s.put("email", e).unwrap();
    }
    s
}

fn source() -> Struct {
    let mut s = Struct::new(&source_schema()).unwrap();
    s.put("version", "2.7.0.Final").unwrap();
    s.put("connector", "postgresql").unwrap();
    s.put("name", "dbserver1").unwrap();
    s.put("ts_ms", 1_700_000_000_000i64).unwrap();
    s.put("db", "postgres").unwrap();
    s.put("schema", "inventory").unwrap();
    s.put("table", "customers").unwrap();
    s.put("lsn", 24_023_128i64).unwrap();
    s
}

fn key_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("dbserver1.inventory.customers.Key")
        .field("id", Schema::required(Type::Int32))
        .build()
        .unwrap()
}

fn key(id: i32) -> SchemaAndValue {
    let mut k = Struct::new(&key_schema()).unwrap();
    k.put("id", id).unwrap();
    SchemaAndValue::new(Some(key_schema()), Value::Struct(k))
}

fn event(op: &str, before: Option<Struct>, after: Option<Struct>) -> Record<SourceMeta> {
    let mut env = Struct::new(&envelope_schema()).unwrap();
    if let Some(b) = before {
        env.put("before", b).unwrap();
    }
    if let Some(a) = after {
        env.put("after", a).unwrap();
    }
    env.put("source", source()).unwrap();
    env.put("op", op).unwrap();
    env.put("ts_ms", 1_700_000_000_500i64).unwrap();
    Record {
        topic: "dbserver1.inventory.customers".into(),
        kafka_partition: Some(0),
        key: key(1004),
        value: SchemaAndValue::new(Some(envelope_schema()), Value::Struct(env)),
        timestamp: Some(1_700_000_000_600),
        headers: Headers::new(),
        meta: SourceMeta::default(),
    }
}

fn create() -> Record<SourceMeta> {
    event(
        "c",
        None,
        Some(row(1004, "Anne", Some("annek@noanswer.org"))),
    )
}

fn update() -> Record<SourceMeta> {
    event(
        "u",
        Some(row(1004, "Anne", Some("annek@noanswer.org"))),
        Some(row(1004, "Anne Marie", Some("annek@noanswer.org"))),
    )
}

fn delete() -> Record<SourceMeta> {
    event("d", Some(row(1004, "Anne Marie", None)), None)
}

fn tombstone() -> Record<SourceMeta> {
    let mut r = create();
    r.value = SchemaAndValue::null();
    r
}

fn smt(pairs: &[(&str, &str)]) -> ExtractNewRecordState {
    ExtractNewRecordState::new(&config(pairs)).unwrap()
}

fn run(t: &ExtractNewRecordState, r: Record<SourceMeta>) -> Option<Record<SourceMeta>> {
    Transformation::apply_owned(t, r).unwrap()
}

fn field_names(schema: &Schema) -> Vec<String> {
    schema
        .fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect()
}

/// The value struct and its schema of an output record.
fn row_of(r: &Record<SourceMeta>) -> (&Schema, &Struct) {
    let Value::Struct(s) = &r.value.value else {
        panic!("not a struct: {:?}", r.value.value)
    };
    (r.value.schema.as_ref().unwrap(), s)
}

#[test]
fn create_update_and_read_become_the_after_row() {
    let t = smt(&[]);
    for (input, name) in [
        (create(), "Anne"),
        (update(), "Anne Marie"),
        (event("r", None, Some(row(1004, "Anne", None))), "Anne"),
    ] {
        let expected_key = input.key.clone();
        let out = run(&t, input).unwrap();
        let (schema, s) = row_of(&out);
        assert_eq!(field_names(schema), ["id", "first_name", "email", "status"]);
        assert_eq!(schema.name(), Some("dbserver1.inventory.customers.Value"));
        // rebuilt by copySchemaBasics: no longer optional
        assert!(!schema.is_optional());
        assert_eq!(s.get("first_name").unwrap(), &Value::from(name));
        assert_eq!(s.get("id").unwrap(), &Value::Int32(1004));
        assert_eq!(out.key, expected_key);
        assert_eq!(out.topic, "dbserver1.inventory.customers".into());
        assert_eq!(out.timestamp, Some(1_700_000_000_600));
        assert!(out.headers.is_empty());
        // the stored null stays null (no rewrite: defaults are not applied)
        assert_eq!(s.get_without_default("status").unwrap(), &Value::Null);
    }
    // the derived schema is cached
    let a = run(&t, create()).unwrap().value.schema.unwrap();
    let b = run(&t, update()).unwrap().value.schema.unwrap();
    assert!(a.ptr_eq(&b));
}

#[test]
fn default_mode_is_tombstone() {
    let t = smt(&[]);
    assert_eq!(t.settings().handling, Mode::Tombstone.handling());
    // a delete keeps only a null value (with the row schema, as Debezium does for the JDBC sink)
    let out = run(&t, delete()).unwrap();
    assert_eq!(out.value.value, Value::Null);
    assert_eq!(out.value.schema, Some(row_schema()));
    assert_eq!(out.key, key(1004));
    // the original tombstone is dropped
    assert!(run(&t, tombstone()).is_none());
}

#[test]
fn mode_drop() {
    let t = smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, "drop")]);
    assert!(run(&t, delete()).is_none());
    assert!(run(&t, tombstone()).is_none());
    assert!(run(&t, create()).is_some());
}

#[test]
fn mode_rewrite() {
    let t = smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, "rewrite")]);
    let out = run(&t, create()).unwrap();
    let (schema, s) = row_of(&out);
    assert_eq!(
        field_names(schema),
        ["id", "first_name", "email", "status", "__deleted"]
    );
    assert_eq!(
        schema.field("__deleted").unwrap().schema(),
        &Schema::optional(Type::String)
    );
    assert_eq!(s.get("__deleted").unwrap(), &Value::from("false"));
    // rewriting reads fields with their defaults
    assert_eq!(
        s.get_without_default("status").unwrap(),
        &Value::from("active")
    );

    let out = run(&t, delete()).unwrap();
    let (schema, s) = row_of(&out);
    assert_eq!(
        field_names(schema),
        ["id", "first_name", "email", "status", "__deleted"]
    );
    assert_eq!(s.get("first_name").unwrap(), &Value::from("Anne Marie"));
    assert_eq!(s.get("__deleted").unwrap(), &Value::from("true"));
    assert!(run(&t, tombstone()).is_none());
}

#[test]
fn mode_rewrite_with_tombstone() {
    let t = smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, "rewrite-with-tombstone")]);
    let out = run(&t, delete()).unwrap();
    assert_eq!(
        row_of(&out).1.get("__deleted").unwrap(),
        &Value::from("true")
    );
    let out = run(&t, tombstone()).unwrap();
    assert_eq!(out.value, SchemaAndValue::null());
    assert_eq!(out.key, key(1004));
}

#[test]
fn mode_delete_to_tombstone() {
    let t = smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, " Delete-To-Tombstone ")]);
    let out = run(&t, delete()).unwrap();
    assert_eq!(out.value, SchemaAndValue::null());
    assert_eq!(out.key, key(1004));
    assert!(run(&t, tombstone()).is_none());
}

#[test]
fn modes_parse_ignoring_case_and_reject_others() {
    assert_eq!(
        smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, "REWRITE")])
            .settings()
            .handling,
        Mode::Rewrite.handling()
    );
    assert_eq!(Mode::parse("tombstone"), Some(Mode::Tombstone));
    assert_eq!(Mode::parse("bogus"), None);
    let e = ExtractNewRecordState::new(&config(&[(DELETE_TOMBSTONE_HANDLING_MODE, "bogus")]))
        .unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "Invalid value bogus for configuration delete.tombstone.handling.mode: Value must be one of \
drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone"
    );
    let e = ExtractNewRecordState::new(&config(&[(DELETE_HANDLING_MODE, "x")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value x for configuration delete.handling.mode: Value must be one of none, drop, rewrite"
    );
    let e = ExtractNewRecordState::new(&config(&[(DROP_TOMBSTONES, "x")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value x for configuration drop.tombstones: Expected value to be either true or false"
    );
}

#[test]
fn legacy_keys_map_onto_the_handling() {
    let handling = |pairs: &[(&str, &str)]| smt(pairs).settings().handling;
    let h = |delete, keep_tombstones| DeleteHandling {
        delete,
        keep_tombstones,
    };
    // either legacy key switches to the legacy defaults (drop.tombstones=true, drop)
    assert_eq!(
        handling(&[(DROP_TOMBSTONES, "true")]),
        Mode::Drop.handling()
    );
    assert_eq!(
        handling(&[(DROP_TOMBSTONES, "false")]),
        h(DeleteAction::Drop, true)
    );
    assert_eq!(
        handling(&[(DELETE_HANDLING_MODE, "none")]),
        Mode::Tombstone.handling()
    );
    assert_eq!(
        handling(&[(DELETE_HANDLING_MODE, "rewrite")]),
        Mode::Rewrite.handling()
    );
    assert_eq!(
        handling(&[
            (DELETE_HANDLING_MODE, "rewrite"),
            (DROP_TOMBSTONES, "false")
        ]),
        Mode::RewriteWithTombstone.handling()
    );
    assert_eq!(
        handling(&[(DELETE_HANDLING_MODE, "NONE"), (DROP_TOMBSTONES, "false")]),
        h(DeleteAction::NullValue, true)
    );
    // the new key wins
    assert_eq!(
        handling(&[
            (DELETE_HANDLING_MODE, "rewrite"),
            (DELETE_TOMBSTONE_HANDLING_MODE, "drop")
        ]),
        Mode::Drop.handling()
    );
    // a blank new key defers to the legacy ones
    assert_eq!(
        handling(&[
            (DELETE_TOMBSTONE_HANDLING_MODE, " "),
            (DROP_TOMBSTONES, "false")
        ]),
        h(DeleteAction::Drop, true)
    );
    assert_eq!(
        handling(&[(DELETE_TOMBSTONE_HANDLING_MODE, "")]),
        Mode::Tombstone.handling()
    );
    // drop.tombstones=false with delete.handling.mode=drop: deletes go, tombstones stay
    let t = smt(&[(DROP_TOMBSTONES, "false")]);
    assert!(run(&t, delete()).is_none());
    assert!(run(&t, tombstone()).is_some());
    // none: the delete passes with a null value
    let t = smt(&[(DELETE_HANDLING_MODE, "none"), (DROP_TOMBSTONES, "false")]);
    assert_eq!(run(&t, delete()).unwrap().value.value, Value::Null);
}

#[test]
fn add_fields() {
    let t = smt(&[(ADD_FIELDS, "op,table,source.ts_ms,ts_ms,lsn:LSN,xmin")]);
    let out = run(&t, create()).unwrap();
    let (schema, s) = row_of(&out);
    assert_eq!(
        field_names(schema),
        [
            "id",
            "first_name",
            "email",
            "status",
            "__op",
            "__table",
            "__source_ts_ms",
            "__ts_ms",
            "__LSN"
        ]
    );
    assert_eq!(
        schema.field("__op").unwrap().schema(),
        &Schema::optional(Type::String)
    );
    assert_eq!(
        schema.field("__source_ts_ms").unwrap().schema(),
        &Schema::optional(Type::Int64)
    );
    assert_eq!(s.get("__op").unwrap(), &Value::from("c"));
    assert_eq!(s.get("__table").unwrap(), &Value::from("customers"));
    assert_eq!(
        s.get("__source_ts_ms").unwrap(),
        &Value::Int64(1_700_000_000_000)
    );
    assert_eq!(s.get("__ts_ms").unwrap(), &Value::Int64(1_700_000_000_500));
    assert_eq!(s.get("__LSN").unwrap(), &Value::Int64(24_023_128));
    s.validate().unwrap();
    // the update gets its own op
    let out = run(&t, update()).unwrap();
    assert_eq!(row_of(&out).1.get("__op").unwrap(), &Value::from("u"));
}

#[test]
fn add_fields_prefix_transaction_and_rewrite() {
    let t = smt(&[
        (ADD_FIELDS, "op,id,transaction.total_order"),
        (ADD_FIELDS_PREFIX, "dbz_"),
        (DELETE_TOMBSTONE_HANDLING_MODE, "rewrite"),
    ]);
    let out = run(&t, delete()).unwrap();
    let (schema, s) = row_of(&out);
    assert_eq!(
        field_names(schema),
        [
            "id",
            "first_name",
            "email",
            "status",
            "dbz_op",
            "dbz_id",
            "dbz_transaction_total_order",
            "__deleted"
        ]
    );
    assert_eq!(s.get("dbz_op").unwrap(), &Value::from("d"));
    // no transaction metadata: null
    assert_eq!(s.get("dbz_id").unwrap(), &Value::Null);
    assert_eq!(s.get("__deleted").unwrap(), &Value::from("true"));
}

#[test]
fn add_fields_from_a_missing_struct_fail() {
    let slim = SchemaBuilder::struct_builder()
        .name("x.Envelope")
        .field("before", row_schema())
        .field("after", row_schema())
        .field("op", Schema::required(Type::String))
        .build()
        .unwrap();
    let mut env = Struct::new(&slim).unwrap();
    env.put("after", row(1, "a", None)).unwrap();
    env.put("op", "c").unwrap();
    let mut r = create();
    r.value = SchemaAndValue::new(Some(slim), Value::Struct(env));
    let t = smt(&[(ADD_FIELDS, "table")]);
    let e = Transformation::apply_owned(&t, r.clone()).unwrap_err();
    assert!(e.is_data());
    assert!(e.to_string().contains("has no field 'source'"), "{e}");
    // `op` lives in the envelope itself
    let out = run(&smt(&[(ADD_FIELDS, "op")]), r).unwrap();
    assert_eq!(row_of(&out).1.get("__op").unwrap(), &Value::from("c"));
}

#[test]
fn add_fields_config_errors() {
    let e = ExtractNewRecordState::new(&config(&[(ADD_FIELDS, "op,a:b:c")])).unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "Invalid value op,a:b:c for configuration add.fields: Unexpected field name: a:b:c"
    );
    let e = ExtractNewRecordState::new(&config(&[(ADD_HEADERS, "::")])).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value :: for configuration add.headers: Unexpected field name: ::"
    );
}

fn header(key: &str, schema: Option<Schema>, value: Value) -> Header {
    Header {
        key: key.to_string(),
        schema,
        value,
    }
}

#[test]
fn add_headers() {
    let t = smt(&[(ADD_HEADERS, "op,source.ts_ms,db,nope")]);
    let out = run(&t, create()).unwrap();
    let headers: Vec<Header> = out.headers.iter().cloned().collect();
    assert_eq!(
        headers,
        [
            header(
                "__op",
                Some(Schema::optional(Type::String)),
                Value::from("c")
            ),
            header(
                "__source_ts_ms",
                Some(Schema::optional(Type::Int64)),
                Value::Int64(1_700_000_000_000)
            ),
            header(
                "__db",
                Some(Schema::optional(Type::String)),
                Value::from("postgres")
            ),
        ]
    );
    // the row is untouched by add.headers
    assert_eq!(
        field_names(row_of(&out).0),
        ["id", "first_name", "email", "status"]
    );
    // a delete in the default mode keeps its headers on the null value
    let out = run(&t, delete()).unwrap();
    assert_eq!(out.headers.iter().next().unwrap().value, Value::from("d"));
    assert_eq!(out.value.value, Value::Null);
}

#[test]
fn add_headers_on_tombstones_and_prefix() {
    let t = smt(&[
        (ADD_HEADERS, "op,table"),
        (ADD_HEADERS_PREFIX, "dbz."),
        (DELETE_TOMBSTONE_HANDLING_MODE, "rewrite-with-tombstone"),
    ]);
    let out = run(&t, tombstone()).unwrap();
    let headers: Vec<Header> = out.headers.iter().cloned().collect();
    assert_eq!(
        headers,
        [header(
            "dbz.op",
            Some(Schema::required(Type::String)),
            Value::from("d")
        )]
    );
    let out = run(&t, create()).unwrap();
    let keys: Vec<_> = out.headers.iter().map(|h| h.key.as_str()).collect();
    assert_eq!(keys, ["dbz.op", "dbz.table"]);
}

#[test]
fn route_by_field() {
    let t = smt(&[
        (ROUTE_BY_FIELD, "first_name"),
        (DELETE_TOMBSTONE_HANDLING_MODE, "rewrite"),
    ]);
    assert_eq!(run(&t, create()).unwrap().topic, "Anne".into());
    assert_eq!(run(&t, update()).unwrap().topic, "Anne Marie".into());
    assert_eq!(run(&t, delete()).unwrap().topic, "Anne Marie".into());
    // a null value keeps the topic
    let t = smt(&[(ROUTE_BY_FIELD, "email")]);
    assert_eq!(
        run(&t, event("c", None, Some(row(1, "x", None))))
            .unwrap()
            .topic,
        "dbserver1.inventory.customers".into()
    );
    // wrong type or missing field
    let e = Transformation::apply_owned(&smt(&[(ROUTE_BY_FIELD, "id")]), create()).unwrap_err();
    assert_eq!(e.to_string(), "Field 'id' is not of type STRING");
    let e = Transformation::apply_owned(&smt(&[(ROUTE_BY_FIELD, "nope")]), create()).unwrap_err();
    assert_eq!(e.to_string(), "nope is not a valid field name");
}

#[test]
fn replace_null_with_default_only_matters_when_rewriting() {
    let t = smt(&[
        (DELETE_TOMBSTONE_HANDLING_MODE, "rewrite"),
        (REPLACE_NULL_WITH_DEFAULT, "false"),
    ]);
    let out = run(&t, create()).unwrap();
    assert_eq!(
        row_of(&out).1.get_without_default("status").unwrap(),
        &Value::Null
    );
}

#[test]
fn other_records_pass_unchanged() {
    let t = smt(&[(DELETE_TOMBSTONE_HANDLING_MODE, "rewrite")]);
    // not an envelope schema
    let mut r = create();
    r.value = SchemaAndValue::new(Some(row_schema()), Value::Struct(row(1, "a", None)));
    assert_eq!(run(&t, r.clone()).unwrap(), r);
    // schemaless, not an envelope
    r.value = SchemaAndValue::new(None, Value::from("text"));
    assert_eq!(run(&t, r.clone()).unwrap(), r);
    r.value = SchemaAndValue::new(None, Value::Map(vec![(Value::from("a"), Value::Int8(1))]));
    assert_eq!(run(&t, r.clone()).unwrap(), r);
}

#[test]
fn truncates_are_dropped_and_broken_envelopes_fail() {
    let t = smt(&[]);
    assert!(run(&t, event("t", None, None)).is_none());
    let no_after = SchemaBuilder::struct_builder()
        .name("x.Envelope")
        .field("before", row_schema())
        .field("op", Schema::required(Type::String))
        .build()
        .unwrap();
    let mut env = Struct::new(&no_after).unwrap();
    env.put("op", "c").unwrap();
    let mut r = create();
    r.value = SchemaAndValue::new(Some(no_after.clone()), Value::Struct(env));
    let e = Transformation::apply_owned(&t, r.clone()).unwrap_err();
    assert!(e.is_data());
    assert_eq!(e.to_string(), "Unknown field: after");
    r.value = SchemaAndValue::new(Some(no_after), Value::from("x"));
    let e = Transformation::apply_owned(&t, r).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Only Struct objects supported for [Debezium envelope], found: java.lang.String"
    );
}

fn drop_header(names: &[&str]) -> Headers {
    let mut h = Headers::new();
    h.add(
        "dropped",
        None,
        Value::Array(names.iter().map(|n| Value::from(*n)).collect()),
    );
    h
}

#[test]
fn drop_fields_from_a_header() {
    let names = ["email", "id", "nope"];
    // keep the schema compatible: only optional fields go
    let t = smt(&[(DROP_FIELDS_HEADER_NAME, "dropped")]);
    let mut r = create();
    r.headers = drop_header(&names);
    let out = run(&t, r.clone()).unwrap();
    assert_eq!(field_names(row_of(&out).0), ["id", "first_name", "status"]);
    assert_eq!(out.key, key(1004));
    // everything named, from the key too
    let t = smt(&[
        (DROP_FIELDS_HEADER_NAME, "dropped"),
        (DROP_FIELDS_KEEP_SCHEMA_COMPATIBLE, "false"),
        (DROP_FIELDS_FROM_KEY, "true"),
    ]);
    let out = run(&t, r.clone()).unwrap();
    let (schema, s) = row_of(&out);
    assert_eq!(field_names(schema), ["first_name", "status"]);
    assert_eq!(s.get("first_name").unwrap(), &Value::from("Anne"));
    assert!(out.key.schema.unwrap().fields().is_empty());
    // no header, an empty or null list: nothing dropped
    for headers in [Headers::new(), drop_header(&[])] {
        let mut r2 = create();
        r2.headers = headers;
        assert_eq!(field_names(row_of(&run(&t, r2).unwrap()).0).len(), 4);
    }
    // not a list
    let mut bad = create();
    bad.headers.add("dropped", None, Value::from("email"));
    let e = Transformation::apply_owned(&t, bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Header dropped must list field names, found: java.lang.String"
    );
    // a delete kept as a null value gets the reduced schema
    let t = smt(&[(DROP_FIELDS_HEADER_NAME, "dropped")]);
    let mut d = delete();
    d.headers = drop_header(&names);
    let out = run(&t, d).unwrap();
    assert_eq!(
        field_names(out.value.schema.as_ref().unwrap()),
        ["id", "first_name", "status"]
    );
    assert_eq!(out.value.value, Value::Null);
}

fn map(entries: &[(&str, Value)]) -> Value {
    crate::routing::test_support::map(entries)
}

fn schemaless(op: &str, before: Value, after: Value) -> Record<SourceMeta> {
    let mut r = create();
    r.key = SchemaAndValue::new(None, map(&[("id", Value::Int64(1004))]));
    r.value = SchemaAndValue::new(
        None,
        map(&[
            ("before", before),
            ("after", after),
            (
                "source",
                map(&[
                    ("table", Value::from("customers")),
                    ("ts_ms", Value::Int64(5)),
                ]),
            ),
            ("op", Value::from(op)),
            ("ts_ms", Value::Int64(6)),
        ]),
    );
    r
}

fn json_row(name: &str) -> Value {
    map(&[
        ("id", Value::Int64(1004)),
        ("first_name", Value::from(name)),
    ])
}

#[test]
fn schemaless_envelopes() {
    let t = smt(&[]);
    let out = run(&t, schemaless("c", Value::Null, json_row("Anne"))).unwrap();
    assert_eq!(out.value, SchemaAndValue::new(None, json_row("Anne")));
    let out = run(&t, schemaless("d", json_row("Anne"), Value::Null)).unwrap();
    assert_eq!(out.value, SchemaAndValue::null());
    assert!(run(&t, schemaless("t", Value::Null, Value::Null)).is_none());

    let t = smt(&[
        (DELETE_TOMBSTONE_HANDLING_MODE, "rewrite"),
        (ADD_FIELDS, "op,source.ts_ms,lsn"),
        (ADD_HEADERS, "table"),
        (ROUTE_BY_FIELD, "first_name"),
    ]);
    let out = run(&t, schemaless("u", json_row("A"), json_row("B"))).unwrap();
    assert_eq!(out.topic, "B".into());
    assert_eq!(
        out.value.value,
        map(&[
            ("id", Value::Int64(1004)),
            ("first_name", Value::from("B")),
            ("__op", Value::from("u")),
            ("__source_ts_ms", Value::Int64(5)),
            ("__deleted", Value::from("false")),
        ])
    );
    let headers: Vec<Header> = out.headers.iter().cloned().collect();
    assert_eq!(headers, [header("__table", None, Value::from("customers"))]);
    let out = run(&t, schemaless("d", json_row("A"), Value::Null)).unwrap();
    assert_eq!(out.topic, "A".into());
    let Value::Map(entries) = &out.value.value else {
        panic!()
    };
    assert_eq!(
        entries.last().unwrap(),
        &(Value::from("__deleted"), Value::from("true"))
    );
    // a non-map row cannot take fields
    let e = Transformation::apply_owned(&t, schemaless("c", Value::Null, Value::from("x")))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Only Map objects supported in absence of schema for [source field insertion], found: java.lang.String"
    );
}

#[test]
fn sink_records_keep_their_metadata() {
    let t = smt(&[]);
    let r = create();
    let meta = SinkMeta {
        kafka_offset: 7,
        ..SinkMeta::default()
    };
    let sink = Record {
        topic: r.topic,
        kafka_partition: r.kafka_partition,
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: r.headers,
        meta: meta.clone(),
    };
    let out = Transformation::apply_owned(&t, sink).unwrap().unwrap();
    assert_eq!(out.meta, meta);
}

#[test]
fn registration_and_config_def() {
    assert!(ExtractNewRecordState::config_def()
        .definition_errors()
        .is_empty());
    let t = crate::registry::transformation::<SourceMeta>(
        "io.debezium.transforms.ExtractNewRecordState",
        &config(&[]),
    )
    .unwrap();
    assert!(t.apply_owned(create()).unwrap().is_some());
    assert!(
        crate::registry::transformation::<SourceMeta>("ExtractNewRecordState", &config(&[]))
            .is_ok()
    );
    assert!(crate::registry::transformation::<SourceMeta>("unwrap", &config(&[])).is_err());
    assert!(crate::debezium::create_predicate::<SourceMeta>("x", &config(&[])).is_none());
    assert!(is_envelope_schema(&envelope_schema()));
    assert!(!is_envelope_schema(&row_schema()));
}
