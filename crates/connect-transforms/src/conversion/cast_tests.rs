use super::*;
use connect_api::{Decimal, SourceMeta, SourceRecord};

fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn cast(spec: &str) -> Cast {
    Cast::new(Side::Value, &config(&[(SPEC_CONFIG, spec)])).unwrap()
}

fn config_error(pairs: &[(&str, &str)]) -> String {
    let e = Cast::new(Side::Value, &config(pairs)).unwrap_err();
    assert!(e.is_config(), "{e:?}");
    e.to_string()
}

fn record(schema: Option<Schema>, value: Value) -> SourceRecord {
    Record {
        topic: "orders".into(),
        kafka_partition: Some(0),
        key: SchemaAndValue::new(Some(Schema::required(Type::Int32)), Value::Int32(7)),
        value: SchemaAndValue::new(schema, value),
        timestamp: Some(1_700_000_000_000),
        headers: Default::default(),
        meta: SourceMeta::default(),
    }
}

fn apply(t: &Cast, schema: Option<Schema>, value: Value) -> Result<SchemaAndValue> {
    let out = Transformation::<SourceMeta>::apply_owned(t, record(schema, value))?;
    Ok(out.map(|r| r.value).unwrap_or_default())
}

fn whole(spec: &str, schema: Option<Schema>, value: Value) -> Result<Value> {
    apply(&cast(spec), schema, value).map(|sv| sv.value)
}

fn error(spec: &str, schema: Option<Schema>, value: Value) -> String {
    let e = whole(spec, schema, value).unwrap_err();
    assert!(e.is_data(), "{e:?}");
    e.to_string()
}

fn opt(ty: Type) -> Schema {
    Schema::optional(ty)
}

fn req(ty: Type) -> Schema {
    Schema::required(ty)
}

const INPUTS: &str =
    "supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]";
const OUTPUTS: &str =
    "supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]";

#[test]
fn config_errors_are_kafkas() {
    assert_eq!(
        config_error(&[]),
        "Missing required configuration \"spec\" which has no default value."
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "")]),
        "Must specify at least one field to cast."
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "i8")]),
        "Invalid value java.lang.IllegalArgumentException: No enum constant \
         org.apache.kafka.connect.data.Schema.Type.I8 for configuration Invalid type found in \
         casting spec: i8"
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "i8:")]),
        config_error(&[(SPEC_CONFIG, "i8")])
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "a:foo")]),
        "Invalid value java.lang.IllegalArgumentException: No enum constant \
         org.apache.kafka.connect.data.Schema.Type.FOO for configuration Invalid type found in \
         casting spec: foo"
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "i8:bytes")]),
        format!("Cast transformation does not support casting to BYTES; {OUTPUTS}")
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "struct")]),
        format!("Cast transformation does not support casting to STRUCT; {OUTPUTS}")
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "a:int8,i8:int32:x")]),
        "Invalid value [a:int8, i8:int32:x] for configuration renames: Invalid rename mapping: \
         i8:int32:x"
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "int32,a:int8")]),
        "Cast transformations that specify a type to cast the entire value to may ony specify a \
         single cast in their spec"
    );
    assert_eq!(
        config_error(&[(SPEC_CONFIG, "::")]),
        "Index 1 out of bounds for length 0"
    );
    assert_eq!(
        config_error(&[
            (SPEC_CONFIG, "int32"),
            (REPLACE_NULL_WITH_DEFAULT_CONFIG, "maybe")
        ]),
        "Invalid value maybe for configuration replace.null.with.default: Expected value to be \
         either true or false"
    );
    let def = Cast::config_def();
    assert!(def.definition_errors().is_empty());
    assert!(def.contains(SPEC_CONFIG) && def.contains(REPLACE_NULL_WITH_DEFAULT_CONFIG));
}

#[test]
fn spec_is_trimmed_and_case_insensitive() {
    let c = cast(" i8 : INT64 , f64:Float32 ,i8:string");
    assert_eq!(c.spec.whole, None);
    assert_eq!(
        c.spec.fields,
        vec![
            ("i8".to_string(), Type::String),
            ("f64".to_string(), Type::Float32)
        ]
    );
    assert_eq!(cast(" Boolean ").spec.whole, Some(Type::Boolean));
}

#[test]
fn whole_value_with_schema() {
    let t = cast("int32");
    let out = apply(&t, Some(req(Type::Int64)), Value::Int64(12345)).unwrap();
    assert_eq!(out.schema, Some(req(Type::Int32)));
    assert_eq!(out.value, Value::Int32(12345));
    assert_eq!(
        whole("boolean", Some(req(Type::Int64)), Value::Int64(12345)).unwrap(),
        Value::Boolean(true)
    );
    assert_eq!(
        whole("float32", Some(req(Type::Int64)), Value::Int64(i64::MAX)).unwrap(),
        Value::Float32(9.223372e18)
    );
    assert_eq!(
        whole("int8", Some(req(Type::Float64)), Value::Float64(1.9)).unwrap(),
        Value::Int8(1)
    );
    assert_eq!(
        whole("string", Some(req(Type::Float64)), Value::Float64(100.0)).unwrap(),
        Value::String("100.0".into())
    );
    assert_eq!(
        whole("int32", Some(req(Type::Boolean)), Value::Boolean(false)).unwrap(),
        Value::Int32(0)
    );
    assert_eq!(
        error("int8", Some(req(Type::String)), Value::String("x".into())),
        "Value (x) was out of range for requested data type"
    );
    assert_eq!(
        error("int8", Some(req(Type::String)), Value::String("300".into())),
        "Value (300) was out of range for requested data type"
    );
}

#[test]
fn whole_value_null_passes_through() {
    let out = apply(&cast("string"), Some(opt(Type::Int32)), Value::Null).unwrap();
    assert_eq!(
        out,
        SchemaAndValue::new(Some(opt(Type::Int32)), Value::Null)
    );
    let out = apply(&cast("string"), None, Value::Null).unwrap();
    assert_eq!(out, SchemaAndValue::null());
}

#[test]
fn whole_value_defaults_and_basics() {
    let schema = SchemaBuilder::new(Type::Int32)
        .default_value(Value::Int32(5))
        .doc("d")
        .build()
        .unwrap();
    let out = apply(&cast("float32"), Some(schema.clone()), Value::Int32(6)).unwrap();
    let s = out.schema.unwrap();
    assert_eq!(s.schema_type(), Type::Float32);
    assert_eq!(s.default_value(), Some(&Value::Float32(5.0)));
    assert_eq!(s.doc(), Some("d"));
    assert!(!s.is_optional());
    assert_eq!(out.value, Value::Float32(6.0));
    let s = apply(&cast("boolean"), Some(schema), Value::Int32(6))
        .unwrap()
        .schema
        .unwrap();
    assert_eq!(s.default_value(), Some(&Value::Boolean(true)));
    // The logical name stays on the new type.
    let decimal = logical::decimal_builder(2).build().unwrap();
    let d = Value::Decimal(Decimal::parse("1.50").unwrap());
    let out = apply(&cast("int32"), Some(decimal.clone()), d.clone()).unwrap();
    let s = out.schema.unwrap();
    assert_eq!(
        (s.schema_type(), s.name(), s.version(), s.parameter("scale")),
        (Type::Int32, Some(logical::DECIMAL_NAME), Some(1), Some("2"))
    );
    assert_eq!(out.value, Value::Int32(1));
    assert_eq!(
        whole("string", Some(decimal.clone()), d.clone()).unwrap(),
        Value::String("1.50".into())
    );
    assert_eq!(
        whole("float32", Some(decimal.clone()), d.clone()).unwrap(),
        Value::Float32(1.5)
    );
    assert_eq!(
        whole("boolean", Some(decimal), d).unwrap(),
        Value::Boolean(true)
    );
}

#[test]
fn whole_value_logical_and_bytes() {
    let ts = logical::schema_of(Logical::Timestamp, false, 0);
    assert_eq!(
        whole("int8", Some(ts.clone()), Value::Timestamp(0)).unwrap(),
        Value::Int8(0)
    );
    assert_eq!(
        whole("string", Some(ts.clone()), Value::Timestamp(0)).unwrap(),
        Value::String("00:00:00.000Z".into())
    );
    assert_eq!(
        whole("float32", Some(ts.clone()), Value::Timestamp(0)).unwrap(),
        Value::Float32(0.0)
    );
    assert_eq!(
        whole("boolean", Some(ts), Value::Timestamp(0)).unwrap(),
        Value::Boolean(false)
    );
    let bytes = Value::Bytes(vec![1, 2]);
    assert_eq!(
        whole("string", Some(req(Type::Bytes)), bytes.clone()).unwrap(),
        Value::String("AQI=".into())
    );
    assert_eq!(
        error("int8", Some(req(Type::Bytes)), bytes.clone()),
        "Unexpected type in Cast transformation: class [B"
    );
    assert_eq!(
        error("boolean", Some(req(Type::Bytes)), bytes),
        "Unexpected type in Cast transformation: class [B"
    );
    let array = SchemaBuilder::array(req(Type::Int32)).build().unwrap();
    assert_eq!(
        error("int32", Some(array), Value::Array(vec![Value::Int32(1)])),
        format!("Cast transformation does not support casting from ARRAY; {INPUTS}")
    );
}

#[test]
fn whole_value_schemaless() {
    assert_eq!(
        whole("int64", None, Value::Int64(5)).unwrap(),
        Value::Int64(5)
    );
    assert_eq!(
        whole("string", None, Value::Int64(5)).unwrap(),
        Value::String("5".into())
    );
    assert_eq!(
        whole("int64", None, Value::String("12".into())).unwrap(),
        Value::Int64(12)
    );
    assert_eq!(
        whole("int64", None, Value::Float64(2.5)).unwrap(),
        Value::Int64(2)
    );
    assert_eq!(
        whole("string", None, Value::Float64(2.5)).unwrap(),
        Value::String("2.5".into())
    );
    assert_eq!(
        whole("int64", None, Value::Boolean(true)).unwrap(),
        Value::Int64(1)
    );
    assert_eq!(
        whole("string", None, Value::Boolean(true)).unwrap(),
        Value::String("true".into())
    );
    assert_eq!(
        whole("string", None, Value::Bytes(vec![1, 2])).unwrap(),
        Value::String("AQI=".into())
    );
    assert_eq!(
        error("int64", None, Value::Bytes(vec![1, 2])),
        "Unexpected type in Cast transformation: class [B"
    );
    assert_eq!(
        error("string", None, Value::Timestamp(1000)),
        "Cast transformation was passed a value of type class java.util.Date which is not \
         supported by Connect's data API"
    );
    assert_eq!(
        error(
            "int64",
            None,
            Value::Decimal(Decimal::parse("1.5").unwrap())
        ),
        "Cast transformation was passed a value of type class java.math.BigDecimal which is not \
         supported by Connect's data API"
    );
    assert_eq!(
        error("int64", None, Value::Array(vec![Value::Int64(1)])),
        format!("Cast transformation does not support casting from ARRAY; {INPUTS}")
    );
    assert_eq!(
        error(
            "string",
            None,
            Value::Map(vec![("a".into(), Value::Int64(1))])
        ),
        format!("Cast transformation does not support casting from MAP; {INPUTS}")
    );
}

#[test]
fn java_number_semantics() {
    let f64s = Some(req(Type::Float64));
    assert_eq!(
        whole("int32", f64s.clone(), Value::Float64(f64::NAN)).unwrap(),
        Value::Int32(0)
    );
    assert_eq!(
        whole("int64", f64s.clone(), Value::Float64(1e20)).unwrap(),
        Value::Int64(i64::MAX)
    );
    // (byte) of a double goes through (int): 1e20 → Integer.MAX_VALUE → -1.
    assert_eq!(
        whole("int8", f64s.clone(), Value::Float64(1e20)).unwrap(),
        Value::Int8(-1)
    );
    assert_eq!(
        whole("boolean", f64s.clone(), Value::Float64(0.5)).unwrap(),
        Value::Boolean(false)
    );
    assert_eq!(
        whole("int8", Some(req(Type::Int32)), Value::Int32(70_000)).unwrap(),
        Value::Int8(112)
    );
    assert_eq!(
        whole("int16", Some(req(Type::Int32)), Value::Int32(70_000)).unwrap(),
        Value::Int16(4464)
    );
    assert_eq!(
        whole("int8", Some(req(Type::Int64)), Value::Int64(i64::MAX)).unwrap(),
        Value::Int8(-1)
    );
    let strings = Some(req(Type::String));
    let s = |v: &str| Value::String(v.to_string());
    assert_eq!(
        whole("boolean", strings.clone(), s("yes")).unwrap(),
        Value::Boolean(false)
    );
    assert_eq!(
        whole("boolean", strings.clone(), s("TRUE")).unwrap(),
        Value::Boolean(true)
    );
    assert_eq!(
        whole("float64", strings.clone(), s("1e3")).unwrap(),
        Value::Float64(1000.0)
    );
    assert_eq!(
        whole("int16", strings.clone(), s("+42")).unwrap(),
        Value::Int16(42)
    );
    assert_eq!(
        error("int32", strings.clone(), s("1.5")),
        "Value (1.5) was out of range for requested data type"
    );
    assert_eq!(
        error("float32", strings, s("inf")),
        "Value (inf) was out of range for requested data type"
    );
}

fn wide_schema() -> Schema {
    let with_default = SchemaBuilder::new(Type::Int32)
        .optional()
        .default_value(Value::Int32(7))
        .build()
        .unwrap();
    SchemaBuilder::struct_builder()
        .field("i32", req(Type::Int32))
        .field("f64", req(Type::Float64))
        .field("s", req(Type::String))
        .field("d", logical::decimal_builder(2).optional().build().unwrap())
        .field("dt", logical::schema_of(Logical::Date, true, 0))
        .field("t", logical::schema_of(Logical::Time, true, 0))
        .field("ts", logical::schema_of(Logical::Timestamp, true, 0))
        .field("o", with_default)
        .build()
        .unwrap()
}

fn wide_value(schema: &Schema) -> Value {
    Value::Struct(Struct::from_values_unchecked(
        schema,
        vec![
            Value::Int32(70_000),
            Value::Float64(-2.75),
            Value::String("42".into()),
            Value::Decimal(Decimal::parse("12.34").unwrap()),
            Value::Date(19_000),
            Value::Time(3_723_004),
            Value::Timestamp(1_700_000_000_123),
            Value::Null,
        ],
    ))
}

fn fields(t: &Cast) -> (Schema, Vec<Value>) {
    let schema = wide_schema();
    let out = apply(t, Some(schema.clone()), wide_value(&schema)).unwrap();
    let Value::Struct(s) = out.value else {
        panic!("not a struct")
    };
    assert_eq!(s.schema(), out.schema.as_ref().unwrap());
    (out.schema.unwrap(), s.into_values())
}

#[test]
fn struct_fields_are_cast() {
    let (schema, values) = fields(&cast(
        "i32:int8,f64:int32,s:int64,d:int16,dt:int64,t:int8,ts:string",
    ));
    let types: Vec<Type> = schema
        .fields()
        .iter()
        .map(|f| f.schema().schema_type())
        .collect();
    assert_eq!(
        types,
        vec![
            Type::Int8,
            Type::Int32,
            Type::Int64,
            Type::Int16,
            Type::Int64,
            Type::Int8,
            Type::String,
            Type::Int32
        ]
    );
    // Cast fields lose their name but keep optionality.
    assert_eq!(schema.field("d").unwrap().schema(), &opt(Type::Int16));
    assert_eq!(schema.field("i32").unwrap().schema(), &req(Type::Int8));
    assert_eq!(
        values,
        vec![
            Value::Int8(112),
            Value::Int32(-2),
            Value::Int64(42),
            Value::Int16(12),
            Value::Int64(19_000),
            Value::Int8(-4),
            Value::String("2023-11-14T22:13:20.123Z".into()),
            // An unset field with a default is read as the default.
            Value::Int32(7),
        ]
    );
    let (_, values) = fields(&cast("d:float32,t:string"));
    assert_eq!(values[3], Value::Float32(12.34));
    assert_eq!(values[5], Value::String("01:02:03.004Z".into()));
}

#[test]
fn defaults_are_cast_and_optionally_applied() {
    let (schema, values) = fields(&cast("o:string"));
    let o = schema.field("o").unwrap().schema();
    assert_eq!(o.default_value(), Some(&Value::String("7".into())));
    assert!(o.is_optional());
    assert_eq!(values[7], Value::String("7".into()));
    let no_default = Cast::new(
        Side::Value,
        &config(&[
            (SPEC_CONFIG, "o:string"),
            (REPLACE_NULL_WITH_DEFAULT_CONFIG, "false"),
        ]),
    )
    .unwrap();
    let (_, values) = fields(&no_default);
    assert_eq!(values[7], Value::Null);
}

#[test]
fn missing_fields_and_errors() {
    let schema = wide_schema();
    let (out_schema, values) = fields(&cast("missing:int32"));
    assert_eq!(out_schema.fields().len(), schema.fields().len());
    assert_eq!(values[0], Value::Int32(70_000));
    let bad = {
        let mut v = match wide_value(&schema) {
            Value::Struct(s) => s.into_values(),
            _ => unreachable!(),
        };
        v[2] = Value::String("abc".into());
        Value::Struct(Struct::from_values_unchecked(&schema, v))
    };
    let e = apply(&cast("s:int32"), Some(schema.clone()), bad).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Value (abc) was out of range for requested data type"
    );
    let nested = SchemaBuilder::struct_builder()
        .field(
            "n",
            SchemaBuilder::struct_builder()
                .field("x", req(Type::Int32))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let inner = Struct::from_values_unchecked(nested.fields()[0].schema(), vec![Value::Int32(1)]);
    let value = Value::Struct(Struct::from_values_unchecked(
        &nested,
        vec![Value::Struct(inner)],
    ));
    let e = apply(&cast("n:string"), Some(nested.clone()), value.clone()).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Cast transformation does not support casting from STRUCT; {INPUTS}")
    );
    let e = apply(&cast("int32"), Some(nested), value).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Cast transformation does not support casting from STRUCT; {INPUTS}")
    );
    let e = apply(&cast("a:int32"), Some(req(Type::Int64)), Value::Int64(1)).unwrap_err();
    assert_eq!(e.to_string(), "Cannot list fields on non-struct type");
}

#[test]
fn required_field_without_default_replacement_fails() {
    let schema = SchemaBuilder::struct_builder()
        .field(
            "r",
            SchemaBuilder::new(Type::Int32)
                .default_value(Value::Int32(3))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let value = Value::Struct(Struct::from_values_unchecked(&schema, vec![Value::Null]));
    let t = Cast::new(
        Side::Value,
        &config(&[
            (SPEC_CONFIG, "r:int64"),
            (REPLACE_NULL_WITH_DEFAULT_CONFIG, "false"),
        ]),
    )
    .unwrap();
    let e = apply(&t, Some(schema.clone()), value.clone()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Invalid value: null used for required field: \"r\", schema type: INT64"
    );
    let out = apply(&cast("r:int64"), Some(schema), value).unwrap();
    let Value::Struct(s) = out.value else {
        panic!("not a struct")
    };
    assert_eq!(s.values(), &[Value::Int64(3)]);
}

#[test]
fn schemaless_fields() {
    let t = cast("a:int32,b:string,missing:int8");
    let value = Value::Map(vec![
        ("a".into(), Value::String("5".into())),
        ("b".into(), Value::Float64(1.5)),
        ("c".into(), Value::Boolean(true)),
    ]);
    let out = apply(&t, None, value).unwrap();
    assert_eq!(out.schema, None);
    assert_eq!(
        out.value,
        Value::Map(vec![
            ("a".into(), Value::Int32(5)),
            ("b".into(), Value::String("1.5".into())),
            ("c".into(), Value::Boolean(true)),
            ("missing".into(), Value::Null),
        ])
    );
    let e = apply(&t, None, Value::String("not a map".into())).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Only Map objects supported in absence of schema for [cast types], found: java.lang.String"
    );
    let e = apply(&t, Some(req(Type::String)), Value::String("x".into())).unwrap_err();
    assert_eq!(e.to_string(), "Cannot list fields on non-struct type");
}

#[test]
fn key_side_and_schema_cache() {
    let t = Cast::new(Side::Key, &config(&[(SPEC_CONFIG, "int16")])).unwrap();
    let out = Transformation::<SourceMeta>::apply_owned(&t, record(None, Value::Null))
        .unwrap()
        .unwrap();
    assert_eq!(
        out.key,
        SchemaAndValue::new(Some(req(Type::Int16)), Value::Int16(7))
    );
    assert_eq!(out.value, SchemaAndValue::null());
    // The derived schema is built once per input schema.
    let t = cast("i32:int8");
    let schema = wide_schema();
    let a = apply(&t, Some(schema.clone()), wide_value(&schema)).unwrap();
    let b = apply(&t, Some(schema.clone()), wide_value(&schema)).unwrap();
    assert!(a.schema.unwrap().ptr_eq(&b.schema.unwrap()));
}

#[test]
fn struct_with_struct_default_cannot_be_cast() {
    let plain = SchemaBuilder::struct_builder()
        .field("a", req(Type::Int32))
        .build()
        .unwrap();
    let default = Struct::from_values_unchecked(&plain, vec![Value::Int32(1)]);
    let schema = plain
        .to_builder()
        .default_value_unchecked(Value::Struct(default.clone()))
        .build()
        .unwrap();
    let e = apply(&cast("a:int64"), Some(schema), Value::Struct(default)).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("Cast transformation does not support casting from STRUCT; {INPUTS}")
    );
}
