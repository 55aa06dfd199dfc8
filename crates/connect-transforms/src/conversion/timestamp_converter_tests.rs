use super::*;
use connect_api::{SourceMeta, SourceRecord};

/// 2023-11-14T22:13:20.123Z.
const T: i64 = 1_700_000_000_123;
/// 2023-11-14 (epoch day 19675).
const DAY: i32 = 19_675;

fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn converter(pairs: &[(&str, &str)]) -> TimestampConverter {
    TimestampConverter::new(Side::Value, &config(pairs)).unwrap()
}

fn config_error(pairs: &[(&str, &str)]) -> String {
    let e = TimestampConverter::new(Side::Value, &config(pairs)).unwrap_err();
    assert!(e.is_config(), "{e:?}");
    e.to_string()
}

fn record(schema: Option<Schema>, value: Value) -> SourceRecord {
    Record {
        topic: "t".into(),
        kafka_partition: None,
        key: SchemaAndValue::new(schema.clone(), value.clone()),
        value: SchemaAndValue::new(schema, value),
        timestamp: None,
        headers: Default::default(),
        meta: SourceMeta::default(),
    }
}

fn apply(t: &TimestampConverter, schema: Option<Schema>, value: Value) -> Result<SchemaAndValue> {
    let out = Transformation::<SourceMeta>::apply_owned(t, record(schema, value))?;
    Ok(out.map(|r| r.value).unwrap_or_default())
}

fn to(target: &str, format: &str, schema: Option<Schema>, value: Value) -> Result<SchemaAndValue> {
    let mut pairs = vec![(TARGET_TYPE_CONFIG, target)];
    if !format.is_empty() {
        pairs.push((FORMAT_CONFIG, format));
    }
    apply(&converter(&pairs), schema, value)
}

fn logical_schema(l: Logical, optional: bool) -> Schema {
    logical::schema_of(l, optional, 0)
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

#[test]
fn config_errors_are_kafkas() {
    assert_eq!(
        config_error(&[(FIELD_CONFIG, "ts")]),
        "Missing required configuration \"target.type\" which has no default value."
    );
    assert_eq!(
        config_error(&[(TARGET_TYPE_CONFIG, "timestamp")]),
        "Invalid value timestamp for configuration target.type: String must be one of: string, \
         unix, Date, Time, Timestamp"
    );
    assert_eq!(
        config_error(&[
            (TARGET_TYPE_CONFIG, "unix"),
            (UNIX_PRECISION_CONFIG, "minutes")
        ]),
        "Invalid value minutes for configuration unix.precision: String must be one of: \
         nanoseconds, microseconds, milliseconds, seconds"
    );
    let no_format = "TimestampConverter requires format option to be specified when using string \
                     timestamps";
    assert_eq!(config_error(&[(TARGET_TYPE_CONFIG, "string")]), no_format);
    assert_eq!(
        config_error(&[(TARGET_TYPE_CONFIG, "string"), (FORMAT_CONFIG, " ")]),
        no_format
    );
    assert_eq!(
        config_error(&[(TARGET_TYPE_CONFIG, "unix"), (FORMAT_CONFIG, "yyyy-xx")]),
        "Invalid value java.lang.IllegalArgumentException: Illegal pattern character 'x' for \
         configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for \
         string timestamps: yyyy-xx"
    );
    assert_eq!(
        config_error(&[
            (TARGET_TYPE_CONFIG, "unix"),
            (REPLACE_NULL_WITH_DEFAULT_CONFIG, "x")
        ]),
        "Invalid value x for configuration replace.null.with.default: Expected value to be \
         either true or false"
    );
    assert!(TimestampConverter::config_def()
        .definition_errors()
        .is_empty());
}

#[test]
fn whole_value_schemaless() {
    let conv = |target: &str, v: Value| to(target, "yyyy-MM-dd", None, v).map(|sv| sv.value);
    assert_eq!(
        conv("string", Value::Int64(T)).unwrap(),
        string("2023-11-14")
    );
    assert_eq!(
        conv("Timestamp", Value::Int64(T)).unwrap(),
        Value::Timestamp(T)
    );
    assert_eq!(
        conv("string", Value::Timestamp(T)).unwrap(),
        string("2023-11-14")
    );
    assert_eq!(
        conv("Time", Value::Timestamp(T)).unwrap(),
        Value::Time(80_000_123)
    );
    assert_eq!(conv("Date", Value::Timestamp(T)).unwrap(), Value::Date(DAY));
    assert_eq!(
        conv("unix", Value::Date(DAY)).unwrap(),
        Value::Int64(1_699_920_000_000)
    );
    assert_eq!(
        conv("string", string("2023-11-14")).unwrap(),
        string("2023-11-14")
    );
    assert_eq!(conv("Time", string("2023-11-14")).unwrap(), Value::Time(0));
    assert_eq!(
        conv("Timestamp", string("2023-11-14")).unwrap(),
        Value::Timestamp(1_699_920_000_000)
    );
    assert_eq!(conv("unix", Value::Null).unwrap(), Value::Null);
    let e = conv("Date", Value::Int32(5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "TimestampConverter does not support class java.lang.Integer objects as timestamps"
    );
    let e = conv("unix", Value::Float64(2.5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "TimestampConverter does not support class java.lang.Double objects as timestamps"
    );
}

#[test]
fn whole_value_with_schema() {
    let ts = Some(logical_schema(Logical::Timestamp, false));
    let out = to("unix", "", ts.clone(), Value::Timestamp(-1)).unwrap();
    assert_eq!(
        out,
        SchemaAndValue::new(Some(Schema::required(Type::Int64)), Value::Int64(-1))
    );
    let out = to("Date", "", ts, Value::Timestamp(-1)).unwrap();
    assert_eq!(
        out,
        SchemaAndValue::new(Some(logical_schema(Logical::Date, false)), Value::Date(-1))
    );
    let out = to(
        "Date",
        "",
        Some(logical_schema(Logical::Timestamp, true)),
        Value::Null,
    )
    .unwrap();
    assert_eq!(
        out,
        SchemaAndValue::new(Some(logical_schema(Logical::Date, true)), Value::Null)
    );
    let long = Some(Schema::required(Type::Int64));
    let v = Value::Int64(-86_400_001);
    assert_eq!(
        to("Date", "", long.clone(), v.clone()).unwrap().value,
        Value::Date(-2)
    );
    assert_eq!(
        to("string", "yyyy-MM-dd", long, v).unwrap(),
        SchemaAndValue::new(Some(Schema::required(Type::String)), string("1969-12-30"))
    );
    let date = Some(logical_schema(Logical::Date, false));
    assert_eq!(
        to("unix", "", date.clone(), Value::Date(-1)).unwrap().value,
        Value::Int64(-86_400_000)
    );
    assert_eq!(
        to("string", "yyyy-MM-dd", date, Value::Date(-1))
            .unwrap()
            .value,
        string("1969-12-31")
    );
    let time = Some(logical_schema(Logical::Time, false));
    assert_eq!(
        to("Date", "", time.clone(), Value::Time(86_399_999))
            .unwrap()
            .value,
        Value::Date(0)
    );
    assert_eq!(
        to("string", "yyyy-MM-dd", time, Value::Time(86_399_999))
            .unwrap()
            .value,
        string("1970-01-01")
    );
    let text = Some(Schema::required(Type::String));
    assert_eq!(
        to("Date", "yyyy-MM-dd", text.clone(), string("2023-11-14"))
            .unwrap()
            .value,
        Value::Date(DAY)
    );
    assert_eq!(
        to("unix", "yyyy-MM-dd", text, string("2023-11-14"))
            .unwrap()
            .value,
        Value::Int64(1_699_920_000_000)
    );
    let e = to(
        "unix",
        "",
        Some(Schema::required(Type::Int32)),
        Value::Int32(5),
    )
    .unwrap_err();
    assert!(e.is_data());
    assert_eq!(
        e.to_string(),
        "Schema Schema{INT32} does not correspond to a known timestamp type format"
    );
    // A default is not applied to a null whole value.
    let with_default = logical_schema(Logical::Timestamp, true)
        .to_builder()
        .default_value(Value::Timestamp(1000))
        .build()
        .unwrap();
    let out = to("string", "yyyy-MM-dd", Some(with_default), Value::Null).unwrap();
    assert_eq!(
        out,
        SchemaAndValue::new(Some(Schema::optional(Type::String)), Value::Null)
    );
}

#[test]
fn key_side() {
    let t = TimestampConverter::new(
        Side::Key,
        &config(&[(TARGET_TYPE_CONFIG, "string"), (FORMAT_CONFIG, "yyyy")]),
    )
    .unwrap();
    let out = Transformation::<SourceMeta>::apply_owned(
        &t,
        record(
            Some(logical_schema(Logical::Timestamp, false)),
            Value::Timestamp(T),
        ),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        out.key,
        SchemaAndValue::new(Some(Schema::required(Type::String)), string("2023"))
    );
    assert_eq!(out.value.value, Value::Timestamp(T));
}

fn struct_schema() -> Schema {
    SchemaBuilder::struct_builder()
        .field("id", Schema::required(Type::Int32))
        .field("ts", logical_schema(Logical::Timestamp, false))
        .field("unix", Schema::required(Type::Int64))
        .field("str", Schema::required(Type::String))
        .field("dt", logical_schema(Logical::Date, false))
        .field("ots", logical_schema(Logical::Timestamp, true))
        .field("i32", Schema::required(Type::Int32))
        .build()
        .unwrap()
}

fn struct_value(schema: &Schema) -> Value {
    Value::Struct(Struct::from_values_unchecked(
        schema,
        vec![
            Value::Int32(1),
            Value::Timestamp(T),
            Value::Int64(T),
            string("2023-11-14 22:13:20.123"),
            Value::Date(DAY),
            Value::Null,
            Value::Int32(5),
        ],
    ))
}

/// Converts `field` of the test struct; the converted field's schema and value.
fn field(field: &str, target: &str) -> Result<(Schema, Value)> {
    let t = converter(&[
        (FIELD_CONFIG, field),
        (TARGET_TYPE_CONFIG, target),
        (FORMAT_CONFIG, "yyyy-MM-dd HH:mm:ss.SSS"),
    ]);
    let schema = struct_schema();
    let out = apply(&t, Some(schema.clone()), struct_value(&schema))?;
    let out_schema = out.schema.unwrap();
    let Value::Struct(s) = out.value else {
        panic!("not a struct")
    };
    assert_eq!(s.schema(), &out_schema);
    let (f, v) = match out_schema.field(field) {
        Some(f) => (f.schema().clone(), s.get(field).unwrap().clone()),
        None => (out_schema.clone(), Value::Struct(s)),
    };
    Ok((f, v))
}

#[test]
fn struct_fields() {
    assert_eq!(
        field("ts", "unix").unwrap(),
        (Schema::required(Type::Int64), Value::Int64(T))
    );
    assert_eq!(
        field("unix", "Date").unwrap(),
        (logical_schema(Logical::Date, false), Value::Date(DAY))
    );
    assert_eq!(
        field("unix", "Time").unwrap(),
        (
            logical_schema(Logical::Time, false),
            Value::Time(80_000_123)
        )
    );
    assert_eq!(
        field("str", "Timestamp").unwrap(),
        (
            logical_schema(Logical::Timestamp, false),
            Value::Timestamp(T)
        )
    );
    assert_eq!(
        field("dt", "string").unwrap(),
        (
            Schema::required(Type::String),
            string("2023-11-14 00:00:00.000")
        )
    );
    assert_eq!(
        field("ots", "string").unwrap(),
        (Schema::optional(Type::String), Value::Null)
    );
    let e = field("i32", "string").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Schema Schema{INT32} does not correspond to a known timestamp type format"
    );
    // A missing field leaves the struct as it was.
    let (schema, value) = field("missing", "string").unwrap();
    assert_eq!(schema, struct_schema());
    assert_eq!(value, struct_value(&struct_schema()));
}

#[test]
fn struct_edge_cases() {
    let t = converter(&[(FIELD_CONFIG, "ts"), (TARGET_TYPE_CONFIG, "unix")]);
    let optional = struct_schema().to_builder().optional().build().unwrap();
    let out = apply(&t, Some(optional), Value::Null).unwrap();
    assert_eq!(out.value, Value::Null);
    assert!(out.schema.unwrap().is_optional());
    let e = apply(&t, Some(Schema::required(Type::Int64)), Value::Int64(5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Only Struct objects supported for [converting timestamp formats], found: java.lang.Long"
    );
    let e = apply(&t, Some(Schema::optional(Type::Int64)), Value::Null).unwrap_err();
    assert_eq!(e.to_string(), "Cannot list fields on non-struct type");

    let with_default = SchemaBuilder::struct_builder()
        .field(
            "ts",
            logical_schema(Logical::Timestamp, true)
                .to_builder()
                .default_value(Value::Timestamp(5))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let value = Value::Struct(Struct::from_values_unchecked(
        &with_default,
        vec![Value::Null],
    ));
    let out = apply(&t, Some(with_default.clone()), value.clone()).unwrap();
    let Value::Struct(s) = out.value else {
        panic!("not a struct")
    };
    assert_eq!(s.values(), &[Value::Int64(5)]);
    assert_eq!(
        s.schema().fields()[0].schema(),
        &Schema::optional(Type::Int64)
    );
    let keep_null = converter(&[
        (FIELD_CONFIG, "ts"),
        (TARGET_TYPE_CONFIG, "unix"),
        (REPLACE_NULL_WITH_DEFAULT_CONFIG, "false"),
    ]);
    let out = apply(&keep_null, Some(with_default), value).unwrap();
    let Value::Struct(s) = out.value else {
        panic!("not a struct")
    };
    assert_eq!(s.values(), &[Value::Null]);
}

#[test]
fn schemaless_fields() {
    let t = converter(&[
        (FIELD_CONFIG, "f"),
        (TARGET_TYPE_CONFIG, "unix"),
        (FORMAT_CONFIG, "yyyy-MM-dd"),
    ]);
    let map = |v: Value| Value::Map(vec![(string("f"), v), (string("x"), Value::Int64(1))]);
    let out = apply(&t, None, map(string("2023-11-14"))).unwrap();
    assert_eq!(out.value, map(Value::Int64(1_699_920_000_000)));
    let out = apply(&t, None, map(string("2023-13-45"))).unwrap();
    assert_eq!(out.value, map(Value::Int64(1_707_868_800_000)));
    let out = apply(&t, None, map(string("2023-11-14 extra"))).unwrap();
    assert_eq!(out.value, map(Value::Int64(1_699_920_000_000)));
    let e = apply(&t, None, map(string("not a date"))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Could not parse timestamp: value (not a date) does not match pattern (yyyy-MM-dd)"
    );
    // A missing field is added with null; a null value passes.
    let out = apply(&t, None, Value::Map(vec![])).unwrap();
    assert_eq!(out.value, Value::Map(vec![(string("f"), Value::Null)]));
    assert_eq!(apply(&t, None, Value::Null).unwrap().value, Value::Null);
    let e = apply(&t, None, string("x")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Only Map objects supported in absence of schema for [converting timestamp formats], \
         found: java.lang.String"
    );
    let other = converter(&[
        (FIELD_CONFIG, "f"),
        (TARGET_TYPE_CONFIG, "unix"),
        (FORMAT_CONFIG, "dd/MM/yyyy"),
    ]);
    let out = apply(&other, None, map(string("14/11/2023"))).unwrap();
    assert_eq!(out.value, map(Value::Int64(1_699_920_000_000)));
}

#[test]
fn unix_precision() {
    let with = |target: &str, precision: &str, v: Value| {
        let t = converter(&[
            (TARGET_TYPE_CONFIG, target),
            (UNIX_PRECISION_CONFIG, precision),
        ]);
        apply(&t, None, v).map(|sv| sv.value)
    };
    assert_eq!(
        with("Timestamp", "seconds", Value::Int64(-1500)).unwrap(),
        Value::Timestamp(-1_500_000)
    );
    assert_eq!(
        with("Timestamp", "milliseconds", Value::Int64(-1500)).unwrap(),
        Value::Timestamp(-1500)
    );
    // Truncation toward zero.
    assert_eq!(
        with("Timestamp", "microseconds", Value::Int64(-1500)).unwrap(),
        Value::Timestamp(-1)
    );
    assert_eq!(
        with("Timestamp", "nanoseconds", Value::Int64(T)).unwrap(),
        Value::Timestamp(1_700_000)
    );
    assert_eq!(
        with("unix", "microseconds", Value::Timestamp(T)).unwrap(),
        Value::Int64(T * 1000)
    );
    assert_eq!(
        with("unix", "nanoseconds", Value::Timestamp(T)).unwrap(),
        Value::Int64(T * 1_000_000)
    );
    assert_eq!(
        with("unix", "seconds", Value::Timestamp(-1500)).unwrap(),
        Value::Int64(-1)
    );
    // Kafka clamps these to Long.MAX_VALUE; Ferry refuses them.
    let e = with("unix", "nanoseconds", Value::Timestamp(i64::MAX / 1000)).unwrap_err();
    assert!(e.is_data());
    let e = with("Timestamp", "seconds", Value::Int64(i64::MAX / 10)).unwrap_err();
    assert!(e.is_data());
}

#[test]
fn formats_and_type_errors() {
    let text = |format: &str| {
        to(
            "string",
            format,
            Some(logical_schema(Logical::Timestamp, false)),
            Value::Timestamp(T),
        )
        .map(|sv| sv.value)
    };
    assert_eq!(
        text("EEE, d MMM yyyy HH:mm:ss Z").unwrap(),
        string("Tue, 14 Nov 2023 22:13:20 +0000")
    );
    assert_eq!(text("D").unwrap(), string("318"));
    let parse_seconds = to("unix", "s", None, string("1700000000")).unwrap().value;
    assert_eq!(parse_seconds, Value::Int64(1_700_000_000_000));
    // A string without a format to parse it with (Java: NullPointerException).
    let e = to("unix", "", None, string("2023")).unwrap_err();
    assert!(e.is_data());
    let e = to("unix", "", Some(Schema::required(Type::Int64)), string("x")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Expected Unix timestamp to be a Long, but found class java.lang.String"
    );
    let e = to(
        "unix",
        "yyyy",
        Some(Schema::required(Type::String)),
        Value::Int64(1),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Expected string timestamp to be a String, but found class java.lang.Long"
    );
    let e = to(
        "unix",
        "",
        Some(logical_schema(Logical::Date, false)),
        Value::Int32(1),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Expected Date to be a java.util.Date, but found class java.lang.Integer"
    );
}
