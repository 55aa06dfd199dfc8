//! Records and configs for the unit tests of the routing transforms and predicates.

use crate::test_support::address_schema;
pub use crate::test_support::{config, key_schema, key_struct as key};
use connect_api::{
    Headers, Record, Schema, SchemaAndValue, SchemaBuilder, SourceMeta, Struct, Type, Value,
};

/// The value schema of the golden cases (`com.example.User`, reduced).
pub fn user_schema() -> Schema {
    let addr = address_schema();
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
        .field("active", Schema::required(Type::Boolean))
        .field("addr", addr)
        .build()
        .unwrap()
}

/// A user struct: id 42, name alice, age 30, active, with an address.
pub fn user() -> Struct {
    let schema = user_schema();
    let addr_schema = schema.field("addr").unwrap().schema().clone();
    let mut addr = Struct::new(&addr_schema).unwrap();
    addr.put("street", "Main St").unwrap();
    addr.put("zip", "12345").unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("id", 42i64).unwrap();
    s.put("name", "alice").unwrap();
    s.put("age", 30i32).unwrap();
    s.put("active", true).unwrap();
    s.put("addr", addr).unwrap();
    s
}

/// The headers `h1=v1, h2=2, h1=null, bin=[1,2]`.
pub fn headers() -> Headers {
    let mut h = Headers::new();
    h.add(
        "h1",
        Some(Schema::required(Type::String)),
        Value::from("v1"),
    );
    h.add("h2", Some(Schema::required(Type::Int32)), Value::Int32(2));
    h.add("h1", Some(Schema::optional(Type::String)), Value::Null);
    h.add(
        "bin",
        Some(Schema::required(Type::Bytes)),
        Value::Bytes(vec![1, 2]),
    );
    h
}

/// A source record on `topic` with a struct key and value and the standard headers.
pub fn record(topic: &str) -> Record<SourceMeta> {
    Record {
        topic: topic.into(),
        kafka_partition: Some(0),
        key: SchemaAndValue::new(Some(key_schema()), Value::Struct(key())),
        value: SchemaAndValue::new(Some(user_schema()), Value::Struct(user())),
        timestamp: Some(1_700_000_000_000),
        headers: headers(),
        meta: SourceMeta::default(),
    }
}

/// A string-keyed schemaless map.
pub fn map(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (Value::from(*k), v.clone()))
            .collect(),
    )
}

/// The header keys of a record, in order.
pub fn header_keys<M>(r: &Record<M>) -> Vec<String> {
    r.headers.iter().map(|h| h.key.clone()).collect()
}
