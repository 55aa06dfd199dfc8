//! The JSON/SMT benchmark record of shared/bench/README.md: a required struct `bench.Value`
//! with ten fields, records i = 0…9999. Shared by the byte-check test and the benchmarks.

use connect_api::data::logical;
use connect_api::{Decimal, Schema, SchemaBuilder, Struct, Type, Value};

/// Number of distinct benchmark records.
pub const RECORDS: usize = 10_000;

/// The `bench.Value` schema.
pub fn schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("bench.Value")
        .field("id", Schema::required(Type::Int64))
        .field("qty", Schema::required(Type::Int32))
        .field("price", logical::decimal_builder(2).build().unwrap())
        .field("name", Schema::required(Type::String))
        .field("city", Schema::required(Type::String))
        .field("active", Schema::required(Type::Boolean))
        .field("score", Schema::required(Type::Float64))
        .field("created", logical::timestamp_builder().build().unwrap())
        .field("note", Schema::optional(Type::String))
        .field(
            "tags",
            SchemaBuilder::array(Schema::required(Type::String))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap()
}

/// Record `i` of the benchmark, as a validated struct value.
pub fn value(schema: &Schema, i: usize) -> Value {
    let i64v = i as i64;
    let mut s = Struct::new(schema).unwrap();
    s.put("id", 1_000_000_000_000i64 + i64v).unwrap();
    s.put("qty", ((7 * i64v) % 1000) as i32).unwrap();
    s.put("price", Decimal::from_i64(100 + (37 * i64v) % 100_000, 2))
        .unwrap();
    s.put("name", format!("customer-name-{i:06}")).unwrap();
    s.put("city", format!("city-{:05}", i % 1000)).unwrap();
    s.put("active", i.is_multiple_of(2)).unwrap();
    s.put("score", i as f64 / 16.0 + 0.5).unwrap();
    s.put("created", Value::Timestamp(1_700_000_000_000 + 1000 * i64v))
        .unwrap();
    s.put(
        "tags",
        Value::Array(vec![
            format!("tag-{}", i % 5).into(),
            format!("tag-{}", i % 7).into(),
            format!("tag-{}", i % 11).into(),
        ]),
    )
    .unwrap();
    s.validate().unwrap();
    Value::Struct(s)
}

/// All benchmark records in order.
pub fn values(schema: &Schema) -> Vec<Value> {
    (0..RECORDS).map(|i| value(schema, i)).collect()
}
