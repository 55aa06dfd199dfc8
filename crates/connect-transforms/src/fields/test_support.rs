//! Fixtures for the unit tests of the field transforms: the records of the golden cases.

pub use crate::test_support::{address_schema, config as cfg, key_schema, key_struct};
use connect_api::data::logical;
use connect_api::{
    Headers, Record, Schema, SchemaAndValue, SchemaBuilder, SinkMeta, SourceMeta, Struct,
    Transformation, Type, Value,
};

/// `com.example.User` version 1 (the golden cases' value schema).
pub fn user_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("com.example.User")
        .version(1)
        .field("id", Schema::required(Type::Int64))
        .field("name", Schema::optional(Type::String))
        .field(
            "age",
            SchemaBuilder::new(Type::Int32)
                .optional()
                .default_value(Value::Int32(18))
                .build()
                .unwrap(),
        )
        .field("score", Schema::optional(Type::Float64))
        .field("active", Schema::required(Type::Boolean))
        .field(
            "ts",
            logical::timestamp_builder().optional().build().unwrap(),
        )
        .field("addr", address_schema())
        .field(
            "tags",
            SchemaBuilder::array(Schema::required(Type::String))
                .optional()
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// The full user struct: id 42, alice, age 30, …
pub fn user_full() -> Struct {
    let mut addr = Struct::new(&address_schema()).unwrap();
    addr.put("street", "Main St").unwrap();
    addr.put("zip", "12345").unwrap();
    let mut s = Struct::new(&user_schema()).unwrap();
    s.put("id", 42i64).unwrap();
    s.put("name", "alice").unwrap();
    s.put("age", 30i32).unwrap();
    s.put("score", 9.5f64).unwrap();
    s.put("active", true).unwrap();
    s.put("ts", Value::Timestamp(1_700_000_000_123)).unwrap();
    s.put("addr", addr).unwrap();
    s.put("tags", Value::Array(vec!["a".into(), "b".into()]))
        .unwrap();
    s
}

/// The sparse user struct: id 1, active false, everything else null.
pub fn user_sparse() -> Struct {
    let mut s = Struct::new(&user_schema()).unwrap();
    s.put("id", 1i64).unwrap();
    s.put("active", false).unwrap();
    s
}

/// A schemaless map from pairs.
pub fn map(pairs: Vec<(&str, Value)>) -> Value {
    Value::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Value::String(k.to_string()), v))
            .collect(),
    )
}

/// The schemaless user map of the golden cases.
pub fn user_map() -> Value {
    map(vec![
        ("id", Value::Int64(42)),
        ("name", "alice".into()),
        ("age", Value::Int32(30)),
        ("score", Value::Float64(9.5)),
        ("active", Value::Boolean(true)),
        (
            "addr",
            map(vec![("street", "Main St".into()), ("zip", "12345".into())]),
        ),
        ("tags", Value::Array(vec!["a".into(), "b".into()])),
    ])
}

/// A source record on topic `orders`, partition 0, timestamp 1700000000000.
pub fn source(key: SchemaAndValue, value: SchemaAndValue) -> Record<SourceMeta> {
    Record {
        topic: "orders".into(),
        kafka_partition: Some(0),
        key,
        value,
        timestamp: Some(1_700_000_000_000),
        headers: Headers::new(),
        meta: SourceMeta::default(),
    }
}

/// A sink record like [`source`], at offset 123.
pub fn sink(key: SchemaAndValue, value: SchemaAndValue) -> Record<SinkMeta> {
    let r = source(key, value);
    Record {
        topic: r.topic,
        kafka_partition: r.kafka_partition,
        key: r.key,
        value: r.value,
        timestamp: r.timestamp,
        headers: r.headers,
        meta: SinkMeta {
            kafka_offset: 123,
            ..SinkMeta::default()
        },
    }
}

/// Schema and value.
pub fn sv(schema: Option<Schema>, value: impl Into<Value>) -> SchemaAndValue {
    SchemaAndValue::new(schema, value.into())
}

/// The golden cases' usual key: the `com.example.Key` struct.
pub fn struct_key() -> SchemaAndValue {
    sv(Some(key_schema()), key_struct())
}

/// Applies `t` and unwraps the surviving record.
pub fn run<M, T: Transformation<M>>(t: &T, record: Record<M>) -> Record<M> {
    t.apply_owned(record).unwrap().unwrap()
}

/// Applies `t` and returns the error text.
pub fn run_err<M: std::fmt::Debug, T: Transformation<M>>(t: &T, record: Record<M>) -> String {
    t.apply_owned(record).unwrap_err().to_string()
}

/// Sorts map entries by their key's text, for order-insensitive comparisons.
pub fn sorted(value: &Value) -> Vec<(String, Value)> {
    match value {
        Value::Map(entries) => {
            let mut out: Vec<(String, Value)> = entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            out.sort_by(|a, b| a.0.cmp(&b.0));
            out
        }
        other => panic!("not a map: {other:?}"),
    }
}

/// The struct in a value.
pub fn as_struct(value: &Value) -> &Struct {
    match value {
        Value::Struct(s) => s,
        other => panic!("not a struct: {other:?}"),
    }
}

/// The field names of a struct schema.
pub fn field_names(schema: &Schema) -> Vec<&str> {
    schema.fields().iter().map(|f| f.name()).collect()
}
