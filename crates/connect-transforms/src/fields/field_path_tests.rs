use super::*;
use connect_api::SchemaBuilder;

fn v2(path: &str) -> Vec<String> {
    SingleFieldPath::new(path, FieldSyntaxVersion::V2)
        .unwrap()
        .steps()
        .to_vec()
}

#[test]
fn v2_steps_match_kafka() {
    assert_eq!(v2("a.b.c"), ["a", "b", "c"]);
    assert_eq!(v2("`a.b`"), ["a.b"]);
    assert_eq!(v2("a.`x.y`"), ["a", "x.y"]);
    assert_eq!(v2("a.b.`d.e`"), ["a", "b", "d.e"]);
    assert_eq!(v2("`foo.bar`.baz"), ["foo.bar", "baz"]);
    assert_eq!(v2("a."), ["a", ""]);
    assert_eq!(v2(".a"), ["", "a"]);
    assert_eq!(v2("``"), [""]);
    assert_eq!(v2("`a\\`.b`"), ["a`.b"]);
    assert_eq!(v2("`a`b`.c"), ["a`b", "c"]);
    assert_eq!(v2("`a`."), ["a", ""]);
    assert_eq!(v2("top"), ["top"]);
    assert!(v2("").is_empty());
}

#[test]
fn v1_is_one_step() {
    let p = SingleFieldPath::new("a.b.c", FieldSyntaxVersion::V1).unwrap();
    assert_eq!(p.steps(), ["a.b.c"]);
    assert_eq!(p.original(), "a.b.c");
    assert_eq!(p.version(), FieldSyntaxVersion::V1);
    assert_eq!(p.to_string(), "a.b.c");
}

#[test]
fn unpaired_backticks_are_config_errors() {
    let e = SingleFieldPath::new("`a.b", FieldSyntaxVersion::V2).unwrap_err();
    assert!(e.is_config());
    assert_eq!(
        e.to_string(),
        "Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it"
    );
    let e = SingleFieldPath::new("x.`a\\`", FieldSyntaxVersion::V2).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Incomplete backtick pair in path: [x.`a\\`], consider adding a backslash before backtick at position 2 to escape it"
    );
}

#[test]
fn syntax_version_config() {
    let def = FieldSyntaxVersion::append_config_to(ConfigDef::new());
    assert!(def.definition_errors().is_empty());
    let raw = BTreeMap::from([(FIELD_SYNTAX_VERSION_CONFIG.to_string(), "v2".to_string())]);
    assert_eq!(version_of(&raw).unwrap(), FieldSyntaxVersion::V2);
    assert_eq!(
        version_of(&BTreeMap::new()).unwrap(),
        FieldSyntaxVersion::V1
    );
    let raw = BTreeMap::from([(FIELD_SYNTAX_VERSION_CONFIG.to_string(), "V3".to_string())]);
    assert_eq!(
        version_of(&raw).unwrap_err().to_string(),
        "Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2"
    );
}

fn nested() -> (Schema, Struct) {
    let inner = SchemaBuilder::struct_builder()
        .field("c", Schema::required(Type::Int32))
        .field(
            "d",
            SchemaBuilder::new(Type::Int32)
                .optional()
                .default_value(Value::Int32(9))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let outer = SchemaBuilder::struct_builder()
        .field("b", inner.clone())
        .field("n", Schema::optional(Type::Int32))
        .build()
        .unwrap();
    let mut i = Struct::new(&inner).unwrap();
    i.put("c", 1i32).unwrap();
    let mut o = Struct::new(&outer).unwrap();
    o.put("b", i).unwrap();
    (outer, o)
}

#[test]
fn struct_access() {
    let (schema, value) = nested();
    let p = SingleFieldPath::new("b.c", FieldSyntaxVersion::V2).unwrap();
    assert_eq!(p.field_from(&schema).unwrap().unwrap().name(), "c");
    assert_eq!(
        p.value_from_struct(value.clone(), true).unwrap(),
        Value::Int32(1)
    );
    let p = SingleFieldPath::new("b.d", FieldSyntaxVersion::V2).unwrap();
    assert_eq!(
        p.value_from_struct(value.clone(), true).unwrap(),
        Value::Int32(9)
    );
    assert_eq!(
        p.value_from_struct(value.clone(), false).unwrap(),
        Value::Null
    );
    let p = SingleFieldPath::new("b.zz", FieldSyntaxVersion::V2).unwrap();
    assert!(p.field_from(&schema).unwrap().is_none());
    assert_eq!(
        p.value_from_struct(value.clone(), true).unwrap(),
        Value::Null
    );
    let p = SingleFieldPath::new("n.x", FieldSyntaxVersion::V2).unwrap();
    assert_eq!(
        p.field_from(&schema).unwrap_err().to_string(),
        "Cannot look up fields on non-struct type"
    );
    assert_eq!(
        p.value_from_struct(value.clone(), true).unwrap(),
        Value::Null
    );
    let p = SingleFieldPath::new("", FieldSyntaxVersion::V2).unwrap();
    assert_eq!(
        p.field_from(&schema).unwrap_err().to_string(),
        "fromIndex(0) > toIndex(-1)"
    );
    assert!(p.value_from_struct(value, true).is_err());
}

#[test]
fn map_access() {
    let map = vec![
        (
            Value::from("a"),
            Value::Map(vec![(Value::from("b"), Value::from(1i64))]),
        ),
        (Value::from("a.b"), Value::from("dotted")),
        (Value::from("n"), Value::Null),
    ];
    let get = |p: &str| {
        let p = SingleFieldPath::new(p, FieldSyntaxVersion::V2).unwrap();
        let owned = p.value_from_map(map.clone());
        let borrowed = p.value_from_map_ref(&map);
        match (&owned, &borrowed) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            _ => panic!("owned and borrowed differ: {owned:?} / {borrowed:?}"),
        }
        owned
    };
    assert_eq!(get("a.b").unwrap(), Value::Int64(1));
    assert_eq!(get("`a.b`").unwrap(), Value::from("dotted"));
    assert_eq!(get("a.zz").unwrap(), Value::Null);
    assert_eq!(get("n.x").unwrap(), Value::Null);
    assert_eq!(get("zz.x").unwrap(), Value::Null);
    assert_eq!(
        get("a.b.c").unwrap_err().to_string(),
        "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Long"
    );
    assert_eq!(
        get("").unwrap_err().to_string(),
        "fromIndex(0) > toIndex(-1)"
    );
}
