use super::*;
use crate::fields::test_support::*;
use connect_api::data::logical;
use connect_api::Decimal;

fn flatten(pairs: &[(&str, &str)]) -> Flatten {
    Flatten::new(Side::Value, &cfg(pairs)).unwrap()
}

/// `com.example.Deep` of the golden cases.
fn deep_schema(optional: bool) -> Schema {
    let b = SchemaBuilder::struct_builder()
        .field("c", Schema::required(Type::Int32))
        .field("d", Schema::optional(Type::String))
        .build()
        .unwrap();
    let a = SchemaBuilder::struct_builder()
        .field("b", b)
        .field(
            "e",
            SchemaBuilder::array(Schema::required(Type::Int32))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let o = SchemaBuilder::struct_builder()
        .field("x", Schema::required(Type::Int32))
        .field(
            "y",
            SchemaBuilder::new(Type::String)
                .optional()
                .default_value("dy".into())
                .build()
                .unwrap(),
        )
        .optional()
        .build()
        .unwrap();
    SchemaBuilder::struct_builder()
        .name("com.example.Deep")
        .doc("deep doc")
        .set_optional(optional)
        .field("id", Schema::required(Type::Int32))
        .field("a", a)
        .field("o", o)
        .field("by", Schema::optional(Type::Bytes))
        .build()
        .unwrap()
}

fn deep_struct(with_o: bool) -> Struct {
    let schema = deep_schema(false);
    let a_schema = schema.field("a").unwrap().schema().clone();
    let mut b = Struct::new(a_schema.field("b").unwrap().schema()).unwrap();
    b.put("c", 2i32).unwrap();
    b.put("d", "dd").unwrap();
    let mut a = Struct::new(&a_schema).unwrap();
    a.put("b", b).unwrap();
    a.put("e", Value::Array(vec![1i32.into(), 2i32.into()]))
        .unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("id", 1i32).unwrap();
    s.put("a", a).unwrap();
    s.put("by", vec![1u8]).unwrap();
    if with_o {
        let mut o = Struct::new(schema.field("o").unwrap().schema()).unwrap();
        o.put("x", 5i32).unwrap();
        s.put("o", o).unwrap();
    }
    s
}

fn flat(t: &Flatten, value: Struct) -> (Schema, Struct) {
    let out = run(t, source(struct_key(), sv(Some(deep_schema(false)), value)));
    (
        out.value.schema.clone().unwrap(),
        as_struct(&out.value.value).clone(),
    )
}

#[test]
fn config_def_is_valid() {
    assert!(Flatten::config_def().definition_errors().is_empty());
}

// smt_flatten-aab43159a0, smt_flatten-a563552f59
#[test]
fn with_schema() {
    let (schema, value) = flat(&flatten(&[]), deep_struct(false));
    assert_eq!(
        field_names(&schema),
        ["id", "a.b.c", "a.b.d", "a.e", "o.x", "o.y", "by"]
    );
    assert_eq!(schema.name(), Some("com.example.Deep"));
    assert_eq!(schema.doc(), Some("deep doc"));
    assert!(!schema.is_optional());
    let f = |n: &str| schema.field(n).unwrap().schema().clone();
    assert!(!f("a.b.c").is_optional());
    assert!(f("a.b.d").is_optional());
    assert!(!f("a.e").is_optional());
    assert_eq!(
        f("a.e").value_schema(),
        Some(&Schema::required(Type::Int32))
    );
    assert!(f("o.x").is_optional());
    assert_eq!(f("o.y").default_value(), Some(&Value::from("dy")));
    assert_eq!(value.get("a.b.c").unwrap(), &Value::Int32(2));
    assert_eq!(value.get("a.b.d").unwrap(), &Value::from("dd"));
    assert_eq!(value.get_without_default("o.x").unwrap(), &Value::Null);
    assert_eq!(value.get_without_default("o.y").unwrap(), &Value::Null);
    assert_eq!(value.get("by").unwrap(), &Value::Bytes(vec![1]));

    let t = Flatten::new(Side::Key, &cfg(&[])).unwrap();
    let out = run(
        &t,
        source(
            sv(Some(deep_schema(false)), deep_struct(false)),
            sv(None, Value::Null),
        ),
    );
    assert_eq!(field_names(out.key.schema.as_ref().unwrap()).len(), 7);
}

// smt_flatten-e23be02312
#[test]
fn nested_defaults_apply_to_values() {
    let (_, value) = flat(&flatten(&[]), deep_struct(true));
    assert_eq!(value.get("o.x").unwrap(), &Value::Int32(5));
    assert_eq!(
        value.get_without_default("o.y").unwrap(),
        &Value::from("dy")
    );
}

// smt_flatten-28e0beaf2d, smt_flatten-266f0841bd, smt_flatten-d843c1ab79
#[test]
fn delimiters() {
    for (d, name) in [
        ("", "abc"),
        ("::", "a::b::c"),
        ("\u{e9}", "a\u{e9}b\u{e9}c"),
    ] {
        let (schema, _) = flat(&flatten(&[("delimiter", d)]), deep_struct(false));
        assert_eq!(field_names(&schema)[1], name);
    }
}

// smt_flatten-bbc4c6abef
#[test]
fn map_with_schema_fails() {
    let schema = SchemaBuilder::struct_builder()
        .field(
            "m",
            SchemaBuilder::map(
                Schema::required(Type::String),
                Schema::required(Type::Int32),
            )
            .build()
            .unwrap(),
        )
        .build()
        .unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("m", map(vec![("a", Value::Int32(1))])).unwrap();
    assert_eq!(
        run_err(&flatten(&[]), source(struct_key(), sv(Some(schema), s))),
        "Flatten transformation does not support MAP for record with schemas (for field m)."
    );
}

// smt_flatten-df2c526061
#[test]
fn name_collision_with_schema_fails() {
    let inner = SchemaBuilder::struct_builder()
        .field("b", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let schema = SchemaBuilder::struct_builder()
        .field("a", inner.clone())
        .field("a.b", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let mut i = Struct::new(&inner).unwrap();
    i.put("b", 1i32).unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("a", i).unwrap();
    s.put("a.b", 2i32).unwrap();
    assert_eq!(
        run_err(&flatten(&[]), source(struct_key(), sv(Some(schema), s))),
        "Cannot create field because of field name duplication a.b"
    );
}

// smt_flatten-4a31add273, smt_flatten-2a02b32378
#[test]
fn null_passes_through() {
    let out = run(
        &flatten(&[]),
        source(struct_key(), sv(Some(deep_schema(true)), Value::Null)),
    );
    assert_eq!(out.value, sv(Some(deep_schema(true)), Value::Null));
    let out = run(&flatten(&[]), source(struct_key(), sv(None, Value::Null)));
    assert_eq!(out.value, sv(None, Value::Null));
}

fn p_schema() -> Schema {
    let p = SchemaBuilder::struct_builder()
        .field(
            "q",
            SchemaBuilder::new(Type::Int32)
                .default_value(Value::Int32(3))
                .build()
                .unwrap(),
        )
        .field(
            "r",
            SchemaBuilder::new(Type::Int32)
                .optional()
                .default_value(Value::Int32(4))
                .build()
                .unwrap(),
        )
        .optional()
        .build()
        .unwrap();
    SchemaBuilder::struct_builder()
        .field("p", p)
        .build()
        .unwrap()
}

// smt_flatten-e2c29eff36, smt_flatten-7fd311f1a6
#[test]
fn optional_parent_and_leaf_defaults() {
    let schema = p_schema();
    let s = Struct::new(&schema).unwrap();
    let out = run(
        &flatten(&[]),
        source(struct_key(), sv(Some(schema.clone()), s)),
    );
    let os = out.value.schema.clone().unwrap();
    let q = os.field("p.q").unwrap().schema();
    assert!(q.is_optional());
    assert_eq!(q.default_value(), Some(&Value::Int32(3)));
    let v = as_struct(&out.value.value);
    assert_eq!(v.get_without_default("p.q").unwrap(), &Value::Null);
    assert_eq!(v.get_without_default("p.r").unwrap(), &Value::Null);

    let p = Struct::new(schema.field("p").unwrap().schema()).unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("p", p).unwrap();
    let out = run(&flatten(&[]), source(struct_key(), sv(Some(schema), s)));
    let v = as_struct(&out.value.value);
    assert_eq!(v.get_without_default("p.q").unwrap(), &Value::Int32(3));
    assert_eq!(v.get_without_default("p.r").unwrap(), &Value::Int32(4));
}

#[test]
fn parent_struct_default_feeds_leaf_defaults() {
    let inner = SchemaBuilder::struct_builder()
        .field("x", Schema::optional(Type::Int32))
        .optional()
        .build()
        .unwrap();
    let mut d = Struct::new(&inner).unwrap();
    d.put("x", 9i32).unwrap();
    let with_default = SchemaBuilder::struct_builder()
        .field("x", Schema::optional(Type::Int32))
        .optional()
        .default_value(Value::Struct(d))
        .build()
        .unwrap();
    let schema = SchemaBuilder::struct_builder()
        .field("n", with_default)
        .build()
        .unwrap();
    let s = Struct::new(&schema).unwrap();
    let out = run(&flatten(&[]), source(struct_key(), sv(Some(schema), s)));
    let os = out.value.schema.clone().unwrap();
    assert_eq!(
        os.field("n.x").unwrap().schema().default_value(),
        Some(&Value::Int32(9))
    );
    // the null nested struct is replaced by its default, as Java's getStruct does
    assert_eq!(
        as_struct(&out.value.value)
            .get_without_default("n.x")
            .unwrap(),
        &Value::Int32(9)
    );
}

// smt_flatten-dbbe2b6b6f
#[test]
fn logical_types_with_schema() {
    let n = SchemaBuilder::struct_builder()
        .field("dt", logical::date_builder().build().unwrap())
        .build()
        .unwrap();
    let schema = SchemaBuilder::struct_builder()
        .field("d", logical::decimal_builder(2).build().unwrap())
        .field("t", logical::timestamp_builder().build().unwrap())
        .field("n", n.clone())
        .build()
        .unwrap();
    let mut ns = Struct::new(&n).unwrap();
    ns.put("dt", Value::Date(1)).unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("d", Decimal::parse("1.00").unwrap()).unwrap();
    s.put("t", Value::Timestamp(5)).unwrap();
    s.put("n", ns).unwrap();
    let out = run(&flatten(&[]), source(struct_key(), sv(Some(schema), s)));
    let os = out.value.schema.clone().unwrap();
    assert_eq!(field_names(&os), ["d", "t", "n.dt"]);
    assert_eq!(
        os.field("d").unwrap().schema().parameter("scale"),
        Some("2")
    );
    assert_eq!(
        os.field("n.dt").unwrap().schema().name(),
        Some(logical::DATE_NAME)
    );
    let v = as_struct(&out.value.value);
    assert_eq!(v.get("n.dt").unwrap(), &Value::Date(1));
    assert_eq!(
        v.get("d").unwrap(),
        &Value::Decimal(Decimal::parse("1.00").unwrap())
    );
}

fn flat_map(t: &Flatten, value: Value) -> std::result::Result<Value, String> {
    t.apply_owned(source(struct_key(), sv(None, value)))
        .map(|r| r.unwrap().value.value)
        .map_err(|e| e.to_string())
}

// smt_flatten-7b8fad31b5, -3ec69f8671, -3858d91677, -e69b768aba
#[test]
fn schemaless() {
    let input = map(vec![
        ("a", map(vec![("b", map(vec![("c", Value::Int64(1))]))])),
        (
            "x",
            Value::Array(vec![Value::Int64(1), map(vec![("y", Value::Int64(2))])]),
        ),
        ("n", Value::Null),
    ]);
    assert_eq!(
        flat_map(&flatten(&[]), input).unwrap(),
        map(vec![
            ("a.b.c", Value::Int64(1)),
            (
                "x",
                Value::Array(vec![Value::Int64(1), map(vec![("y", Value::Int64(2))])])
            ),
            ("n", Value::Null),
        ])
    );
    let dup = map(vec![
        ("a", map(vec![("b", Value::Int64(1))])),
        ("a.b", Value::Int64(2)),
    ]);
    assert_eq!(
        flat_map(&flatten(&[]), dup).unwrap(),
        map(vec![("a.b", Value::Int64(2))])
    );
    assert_eq!(flat_map(&flatten(&[]), map(vec![])).unwrap(), map(vec![]));
    assert_eq!(
        flat_map(
            &flatten(&[("delimiter", "/")]),
            map(vec![("a", map(vec![("b", Value::Int64(1))]))])
        )
        .unwrap(),
        map(vec![("a/b", Value::Int64(1))])
    );
}

// smt_flatten-912a83bb0a, -9b26e972ea, -d806d5e091, -813a06749c
#[test]
fn errors() {
    let t = flatten(&[]);
    assert_eq!(
        flat_map(
            &t,
            map(vec![("a", Value::Decimal(Decimal::parse("1.5").unwrap()))])
        )
        .unwrap_err(),
        "Flatten transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API"
    );
    assert_eq!(
        flat_map(&t, map(vec![("a", Value::Timestamp(5))])).unwrap_err(),
        "Flatten transformation was passed a value of type class java.util.Date which is not supported by Connect's data API"
    );
    let z = SchemaBuilder::struct_builder()
        .field("z", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let mut zs = Struct::new(&z).unwrap();
    zs.put("z", 1i32).unwrap();
    assert_eq!(
        flat_map(&t, map(vec![("s", Value::Struct(zs))])).unwrap_err(),
        "Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field s)."
    );
    assert_eq!(
        flat_map(&t, "str".into()).unwrap_err(),
        "Only Map objects supported in absence of schema for [flattening], found: java.lang.String"
    );
    assert_eq!(
        flat_map(&t, Value::Map(vec![(Value::Int32(1), Value::Null)])).unwrap_err(),
        "class java.lang.Integer cannot be cast to class java.lang.String"
    );
    assert_eq!(
        run_err(
            &t,
            source(struct_key(), sv(Some(Schema::required(Type::Int32)), 5i32))
        ),
        "Only Struct objects supported for [flattening], found: java.lang.Integer"
    );
}

#[test]
fn required_leaf_null_fails_like_put() {
    let schema = SchemaBuilder::struct_builder()
        .field("a", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let s = Struct::new(&schema).unwrap();
    assert_eq!(
        run_err(&flatten(&[]), source(struct_key(), sv(Some(schema), s))),
        "Invalid value: null used for required field: \"a\", schema type: INT32"
    );
}
