//! Fixtures shared by the unit tests of every transform family: configs and the golden cases'
//! key and address schemas.

use std::collections::BTreeMap;

use connect_api::{Schema, SchemaBuilder, Struct, Type};

/// A config map from pairs.
pub fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `com.example.Key`: `k` int32, `region` optional string.
pub fn key_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("com.example.Key")
        .field("k", Schema::required(Type::Int32))
        .field("region", Schema::optional(Type::String))
        .build()
        .unwrap()
}

/// The key struct `{k=7, region=eu}`.
pub fn key_struct() -> Struct {
    let mut s = Struct::new(&key_schema()).unwrap();
    s.put("k", 7i32).unwrap();
    s.put("region", "eu").unwrap();
    s
}

/// `com.example.Address` (optional): `street` string, `zip` optional string.
pub fn address_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .name("com.example.Address")
        .optional()
        .field("street", Schema::required(Type::String))
        .field("zip", Schema::optional(Type::String))
        .build()
        .unwrap()
}
