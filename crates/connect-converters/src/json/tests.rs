//! Converter-level tests: behaviours pinned with the literal bytes of the reference cases, and
//! a check of every JSON reference case in `shared/golden/connect` (skipped when absent).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use base64::Engine as _;
use connect_api::data::logical;
use connect_api::{
    ConnectError, Converter, Decimal, HeaderConverter, Headers, Schema, SchemaBuilder, Struct,
    Type, Value,
};

use super::{JsonConverter, JsonNode};

mod golden;
mod perf;
mod typed;

fn conv(pairs: &[(&str, &str)]) -> JsonConverter {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    JsonConverter::new(&map, false).unwrap()
}

fn enc(c: &JsonConverter, schema: Option<&Schema>, v: &Value) -> Result<String, ConnectError> {
    let out = c.from_connect_data("t", &mut Headers::new(), schema, v)?;
    Ok(out
        .map(|b| String::from_utf8(b).unwrap())
        .unwrap_or_else(|| "<null>".into()))
}

fn dec(c: &JsonConverter, text: &str) -> Result<(Option<Schema>, Value), ConnectError> {
    let sv = c.to_connect_data("t", &Headers::new(), Some(text.as_bytes()))?;
    Ok((sv.schema, sv.value))
}

fn schema_of(c: &JsonConverter, json: &str) -> Schema {
    c.as_connect_schema(&JsonNode::parse(json.as_bytes()).unwrap())
        .unwrap()
        .unwrap()
}

const ENVELOPE_ERR: &str = "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

#[test]
fn writes_primitives_like_kafka() {
    let on = conv(&[]);
    let off = conv(&[("schemas.enable", "false")]);
    let i8s = Schema::required(Type::Int8);
    assert_eq!(
        enc(&on, Some(&i8s), &Value::Int8(-1)).unwrap(),
        r#"{"schema":{"type":"int8","optional":false},"payload":-1}"#
    );
    let f32s = Schema::required(Type::Float32);
    assert_eq!(
        enc(&off, Some(&f32s), &Value::Float32(1e-5)).unwrap(),
        "1.0E-5"
    );
    assert_eq!(
        enc(&off, Some(&f32s), &Value::Float32(f32::NAN)).unwrap(),
        "\"NaN\""
    );
    let f64s = Schema::required(Type::Float64);
    assert_eq!(
        enc(&off, Some(&f64s), &Value::Float64(12345678.0)).unwrap(),
        "1.2345678E7"
    );
    assert_eq!(
        enc(&off, Some(&f64s), &Value::Float64(5e-324)).unwrap(),
        "4.9E-324"
    );
    let s = Schema::required(Type::String);
    assert_eq!(
        enc(&off, Some(&s), &"😀\u{1f}\u{7f}</".into()).unwrap(),
        "\"\\uD83D\\uDE00\\u001F\u{7f}</\""
    );
    let b = Schema::required(Type::Bytes);
    assert_eq!(
        enc(&off, Some(&b), &Value::Bytes(vec![0, 1, 2, 255])).unwrap(),
        "\"AAEC/w==\""
    );
    // wrong Java type under a schema
    let i32s = Schema::required(Type::Int32);
    assert_eq!(
        enc(&off, Some(&i32s), &"x".into()).unwrap_err().to_string(),
        "Invalid type for INT32: class java.lang.String"
    );
    assert_eq!(
        enc(&off, Some(&b), &Value::Int32(1))
            .unwrap_err()
            .to_string(),
        "Invalid type for bytes type: class java.lang.Integer"
    );
    // tombstone
    assert_eq!(enc(&on, None, &Value::Null).unwrap(), "<null>");
    assert_eq!(
        enc(&on, None, &Value::Int64(-5)).unwrap(),
        r#"{"schema":null,"payload":-5}"#
    );
}

#[test]
fn writes_decimals_in_both_formats() {
    let base64 = conv(&[("schemas.enable", "false")]);
    let numeric = conv(&[("schemas.enable", "false"), ("decimal.format", "numeric")]);
    let d2 = logical::decimal_builder(2).build().unwrap();
    let d = |t: &str| Value::Decimal(Decimal::parse(t).unwrap());
    assert_eq!(enc(&base64, Some(&d2), &d("1.50")).unwrap(), "\"AJY=\"");
    assert_eq!(enc(&base64, Some(&d2), &d("-0.01")).unwrap(), "\"/w==\"");
    assert_eq!(
        enc(&base64, Some(&d2), &d("1.5")).unwrap_err().to_string(),
        "Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has scale 1."
    );
    assert_eq!(enc(&numeric, Some(&d2), &d("1.5")).unwrap(), "1.5");
    assert_eq!(
        enc(&numeric, Some(&d2), &d("-0.0000000001")).unwrap(),
        "-1E-10"
    );
    assert_eq!(enc(&numeric, Some(&d2), &d("1.2E+3")).unwrap(), "1.2E+3");
    let d0 = logical::decimal_builder(0).build().unwrap();
    assert_eq!(enc(&base64, Some(&d0), &d("128")).unwrap(), "\"AIA=\"");
    assert_eq!(
        enc(&base64, Some(&d0), &Value::Int32(1))
            .unwrap_err()
            .to_string(),
        "Invalid type for Decimal, expected BigDecimal but was class java.lang.Integer"
    );
    // schemaless BigDecimal
    assert_eq!(
        enc(&base64, None, &d("1.5")).unwrap_err().to_string(),
        "Java class class java.math.BigDecimal does not have corresponding schema type."
    );
}

#[test]
fn writes_dates_with_java_checks() {
    let off = conv(&[("schemas.enable", "false")]);
    let date = logical::date_builder().build().unwrap();
    let time = logical::time_builder().build().unwrap();
    let ts = logical::timestamp_builder().build().unwrap();
    assert_eq!(
        enc(&off, Some(&date), &Value::Date(19000)).unwrap(),
        "19000"
    );
    assert_eq!(
        enc(&off, Some(&date), &Value::Timestamp(86_400_000)).unwrap(),
        "1"
    );
    assert_eq!(
        enc(&off, Some(&date), &Value::Timestamp(1000))
            .unwrap_err()
            .to_string(),
        "Kafka Connect Date type should not have any time fields set to non-zero values."
    );
    assert_eq!(
        enc(&off, Some(&time), &Value::Timestamp(86_400_000)).unwrap(),
        "86400000"
    );
    assert!(enc(&off, Some(&time), &Value::Timestamp(86_400_001)).is_err());
    assert_eq!(enc(&off, Some(&ts), &Value::Timestamp(-1)).unwrap(), "-1");
    assert_eq!(
        enc(&off, Some(&ts), &Value::Int64(1))
            .unwrap_err()
            .to_string(),
        "Invalid type for Timestamp, expected Date but was class java.lang.Long"
    );
}

#[test]
fn writes_containers() {
    let on = conv(&[]);
    let off = conv(&[("schemas.enable", "false")]);
    let m = SchemaBuilder::map(
        Schema::required(Type::Int32),
        Schema::required(Type::String),
    )
    .build()
    .unwrap();
    let v = Value::Map(vec![
        (Value::Int32(1), "a".into()),
        (Value::Int32(2), "b".into()),
    ]);
    assert_eq!(enc(&off, Some(&m), &v).unwrap(), r#"[[1,"a"],[2,"b"]]"#);
    // schemaless: object when all keys are strings, else pairs
    let v = Value::Map(vec![
        ("z".into(), Value::Int64(1)),
        ("a".into(), Value::Null),
    ]);
    assert_eq!(enc(&off, None, &v).unwrap(), r#"{"z":1,"a":null}"#);
    let v = Value::Map(vec![
        (Value::Int64(1), "a".into()),
        ("b".into(), Value::Int64(2)),
    ]);
    assert_eq!(enc(&off, None, &v).unwrap(), r#"[[1,"a"],["b",2]]"#);
    // struct: field order, defaults, field last in the schema
    let s = SchemaBuilder::struct_builder()
        .field(
            "a",
            SchemaBuilder::new(Type::Int32)
                .default_value(Value::Int32(5))
                .build()
                .unwrap(),
        )
        .field(
            "b",
            SchemaBuilder::new(Type::String)
                .optional()
                .default_value("x".into())
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let v = Value::Struct(Struct::new(&s).unwrap());
    assert_eq!(
        enc(&on, Some(&s), &v).unwrap(),
        r#"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":5,"field":"a"},{"type":"string","optional":true,"default":"x","field":"b"}],"optional":false},"payload":{"a":5,"b":"x"}}"#
    );
    let strict = conv(&[("replace.null.with.default", "false")]);
    assert_eq!(
        enc(&strict, Some(&s), &v).unwrap_err().to_string(),
        "Conversion error: null value for field that is required and has no default value"
    );
    // a struct under another schema, or without one
    let other = SchemaBuilder::struct_builder().build().unwrap();
    assert_eq!(
        enc(&off, Some(&other), &v).unwrap_err().to_string(),
        "Mismatching schema."
    );
    assert_eq!(
        enc(&off, None, &v).unwrap_err().to_string(),
        "Mismatching schema."
    );
}

#[test]
fn reads_envelopes_and_leniencies() {
    let on = conv(&[]);
    let off = conv(&[("schemas.enable", "false")]);
    for bad in [
        "",
        " ",
        "{}x",
        "1 2",
        "007",
        "{\"payload\":1}",
        "{\"schema\":null,\"payload\":1,\"x\":2}",
    ] {
        assert_eq!(
            dec(&on, bad).unwrap_err().to_string(),
            ENVELOPE_ERR,
            "{bad:?}"
        );
    }
    assert_eq!(dec(&off, "").unwrap(), (None, Value::Null));
    assert_eq!(dec(&off, "1 2").unwrap(), (None, Value::Int64(1)));
    assert_eq!(dec(&off, "007").unwrap(), (None, Value::Int64(7)));
    assert_eq!(dec(&off, "{}x").unwrap(), (None, Value::Map(vec![])));
    assert_eq!(
        dec(&off, "\u{feff}true").unwrap(),
        (None, Value::Boolean(true))
    );
    assert_eq!(
        dec(&off, r#"{"a":1,"a":2}"#).unwrap(),
        (None, Value::Map(vec![("a".into(), Value::Int64(2))]))
    );
    let e = dec(&off, "[1,2").unwrap_err();
    assert_eq!(
        e.to_string(),
        "Converting byte[] to Kafka Connect data failed due to serialization error: "
    );
    assert!(e.is_data());
    let (s, v) = dec(
        &on,
        "  {\n \"schema\" : { \"type\" : \"int32\" } ,\n \"payload\" : 42 }\n\n",
    )
    .unwrap();
    assert_eq!(s, Some(Schema::required(Type::Int32)));
    assert_eq!(v, Value::Int32(42));
    // null bytes are a null record
    let sv = on.to_connect_data("t", &Headers::new(), None).unwrap();
    assert_eq!((sv.schema, sv.value), (None, Value::Null));
}

#[test]
fn reads_with_schema_like_kafka() {
    let on = conv(&[]);
    let v = |text: &str| dec(&on, text).map(|(_, v)| v);
    assert_eq!(
        v(r#"{"schema":{"type":"bytes"},"payload":"YWJj ZGVm"}"#).unwrap(),
        Value::Bytes(b"abcdef".to_vec())
    );
    assert_eq!(
        v(r#"{"schema":{"type":"bytes"},"payload":"AQI="}"#).unwrap(),
        Value::Bytes(vec![1, 2])
    );
    assert_eq!(
        v(r#"{"schema":{"type":"bytes"},"payload":"AQI"}"#)
            .unwrap_err()
            .to_string(),
        "Invalid bytes field"
    );
    let dec_schema = r#"{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}"#;
    let d = |payload: &str| v(&format!(r#"{{"schema":{dec_schema},"payload":{payload}}}"#));
    assert_eq!(
        d("\"AJY=\"").unwrap(),
        Value::Decimal(Decimal::parse("1.50").unwrap())
    );
    assert_eq!(
        d("1.500").unwrap(),
        Value::Decimal(Decimal::parse("1.500").unwrap())
    );
    assert_eq!(
        d("150").unwrap(),
        Value::Decimal(Decimal::parse("150").unwrap())
    );
    assert_eq!(
        d("\"1.5\"").unwrap_err().to_string(),
        "Invalid bytes for Decimal field"
    );
    assert_eq!(
        d("true").unwrap_err().to_string(),
        "Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN"
    );
    assert_eq!(
        d("1e400").unwrap_err().to_string(),
        "Character I is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
    );
    assert_eq!(
        v(r#"{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":"19000"}"#)
            .unwrap_err()
            .to_string(),
        "Invalid type for Date, underlying representation should be integer but was STRING"
    );
    assert_eq!(
        v(r#"{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":-1}"#)
            .unwrap_err()
            .to_string(),
        "Time values must use number of milliseconds greater than 0 and less than 86400000"
    );
    assert_eq!(
        v(r#"{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time"},"payload":86400000}"#)
            .unwrap(),
        Value::Time(86_400_000)
    );
    assert_eq!(
        v(r#"{"schema":{"type":"int32","default":5},"payload":null}"#).unwrap(),
        Value::Int32(5)
    );
    let strict = conv(&[("replace.null.with.default", "false")]);
    assert_eq!(
        dec(
            &strict,
            r#"{"schema":{"type":"int32","default":5},"payload":null}"#
        )
        .unwrap_err()
        .to_string(),
        "Invalid null value for required INT32 field"
    );
    // maps
    assert_eq!(
        v(r#"{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1,2],[1,3]]}"#)
            .unwrap(),
        Value::Map(vec![(Value::Int32(1), Value::Int32(3))])
    );
    assert_eq!(
        v(r#"{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":[[1,2],[3]]}"#)
            .unwrap_err()
            .to_string(),
        "Found invalid map entry, expected length 2 but found :1"
    );
    assert_eq!(
        v(r#"{"schema":{"type":"struct","fields":[{"type":"int32","field":"a"}]},"payload":[1]}"#)
            .unwrap_err()
            .to_string(),
        "Structs should be encoded as JSON objects, but found ARRAY"
    );
    // -0.0 keeps its sign (Kafka reads 0.0; numerically equal)
    assert_eq!(
        v(r#"{"schema":{"type":"double"},"payload":-0.0}"#).unwrap(),
        Value::Float64(-0.0)
    );
}

#[test]
fn rejects_silent_coercions() {
    let on = conv(&[]);
    let e = |schema: &str, payload: &str| {
        dec(
            &on,
            &format!(r#"{{"schema":{schema},"payload":{payload}}}"#),
        )
        .unwrap_err()
        .to_string()
    };
    assert_eq!(
        e(r#"{"type":"int8"}"#, "300"),
        "Cannot convert JSON number 300 to INT8: out of range"
    );
    assert_eq!(
        e(r#"{"type":"int32"}"#, "1.9"),
        "Cannot convert JSON number 1.9 to INT32: it has a fractional part"
    );
    assert_eq!(
        e(r#"{"type":"int32"}"#, "\"abc\""),
        "Cannot convert JSON STRING \"abc\" to INT32: expected a JSON number"
    );
    assert_eq!(
        e(r#"{"type":"boolean"}"#, "1"),
        "Cannot convert JSON NUMBER 1 to BOOLEAN: expected a JSON boolean"
    );
    assert_eq!(
        e(r#"{"type":"string"}"#, "5"),
        "Cannot convert JSON NUMBER 5 to STRING: expected a JSON string"
    );
    assert_eq!(
        e(r#"{"type":"double"}"#, "\"NaN\""),
        "Cannot convert JSON STRING \"NaN\" to FLOAT64: expected a JSON number"
    );
    assert_eq!(
        e(r#"{"type":"array","items":{"type":"int32"}}"#, r#"{"a":1}"#),
        "Cannot convert JSON OBJECT {\"a\":1} to ARRAY: expected a JSON array"
    );
    assert_eq!(
        e(r#"{"type":"int64"}"#, "12345678901234567890"),
        "Cannot convert JSON number 12345678901234567890 to INT64: out of range"
    );
    // lossless spellings are fine
    let (_, v) = dec(&on, r#"{"schema":{"type":"int32"},"payload":1.0E2}"#).unwrap();
    assert_eq!(v, Value::Int32(100));
    let off = conv(&[("schemas.enable", "false")]);
    assert_eq!(
        dec(&off, "123456789012345678901234567890")
            .unwrap_err()
            .to_string(),
        "Cannot convert JSON number 123456789012345678901234567890 to INT64: out of range"
    );
}

#[test]
fn schema_json_layout_and_laxness() {
    let c = conv(&[]);
    let s = schema_of(
        &c,
        r#"{"type":"int32","optional":"true","version":1.5,"name":5,"parameters":[1]}"#,
    );
    assert_eq!(s, Schema::required(Type::Int32));
    let s = schema_of(&c, r#"{"type":"int32","version":4294967296}"#);
    assert_eq!(s.version(), Some(0));
    let err = |json: &str| {
        c.as_connect_schema(&JsonNode::parse(json.as_bytes()).unwrap())
            .unwrap_err()
    };
    assert_eq!(
        err(r#"{"type":"int32","parameters":{"a":1}}"#).to_string(),
        "Schema parameters must have string values."
    );
    let e = err(r#"{"type":"struct","fields":[{"type":"int32","field":"a"}],"default":{"a":1}}"#);
    assert_eq!(e.to_string(), "Invalid default value");
    assert!(matches!(
        e,
        ConnectError::Data {
            kind: connect_api::error::DataErrorKind::SchemaBuilder,
            ..
        }
    ));
    assert_eq!(
        err(r#"{"type":"struct","fields":[{"type":"int32","field":""}]}"#).to_string(),
        "fieldName cannot be null."
    );
    assert_eq!(
        err(r#"{"type":"float32"}"#).to_string(),
        "Unknown schema type: float32"
    );
    assert_eq!(
        err(r#"{"type":"map","keys":null,"values":{"type":"int32"}}"#).to_string(),
        "keySchema cannot be null."
    );
    // asJsonSchema key order, with a Decimal default per decimal.format
    let s = schema_of(
        &c,
        r#"{"default":"AJY=","parameters":{"scale":"2"},"doc":"d","version":1,"name":"org.apache.kafka.connect.data.Decimal","optional":true,"type":"bytes"}"#,
    );
    assert_eq!(
        c.as_json_schema(Some(&s)).unwrap().to_string(),
        r#"{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"doc":"d","parameters":{"scale":"2"},"default":"AJY="}"#
    );
    let numeric = conv(&[("decimal.format", "NUMERIC")]);
    assert_eq!(
        numeric.as_json_schema(Some(&s)).unwrap().get("default"),
        Some(&JsonNode::Float("1.50".into()))
    );
    assert_eq!(c.as_json_schema(None).unwrap(), JsonNode::Null);
    assert_eq!(c.as_connect_schema(&JsonNode::Null).unwrap(), None);
}

#[test]
fn header_converter_delegates() {
    let mut map = BTreeMap::new();
    map.insert("converter.type".to_string(), "header".to_string());
    let c = JsonConverter::new(&map, false).unwrap();
    let s = Schema::required(Type::String);
    let bytes = c
        .from_connect_header("t", "h", Some(&s), &"hello".into())
        .unwrap()
        .unwrap();
    assert_eq!(
        bytes,
        br#"{"schema":{"type":"string","optional":false},"payload":"hello"}"#
    );
    let back = c.to_connect_header("t", "h", Some(&bytes)).unwrap();
    assert_eq!((back.schema, back.value), (Some(s), "hello".into()));
    assert_eq!(
        c.to_connect_header("t", "h", None).unwrap().value,
        Value::Null
    );
}

#[test]
fn schema_caches_do_not_change_results() {
    for size in ["0", "1", "1000"] {
        let c = conv(&[("schemas.cache.size", size)]);
        let mut seen = Vec::new();
        for i in 0..5 {
            let s = SchemaBuilder::struct_builder()
                .name(format!("s{}", i % 3))
                .field("a", Schema::required(Type::Int32))
                .build()
                .unwrap();
            let mut st = Struct::new(&s).unwrap();
            st.put("a", i).unwrap();
            let text = enc(&c, Some(&s), &Value::Struct(st.clone())).unwrap();
            assert!(text.contains(&format!("\"name\":\"s{}\"", i % 3)), "{text}");
            let (back_schema, back) = dec(&c, &text).unwrap();
            assert_eq!(back_schema.as_ref(), Some(&s));
            assert_eq!(back, Value::Struct(st));
            seen.push(text);
        }
        assert_eq!(seen.len(), 5);
    }
}

#[test]
fn base64_engine_matches_writer() {
    // the writer's output decodes with the standard engine
    let data: Vec<u8> = (0..=255).collect();
    let c = conv(&[("schemas.enable", "false")]);
    let text = enc(
        &c,
        Some(&Schema::required(Type::Bytes)),
        &Value::Bytes(data.clone()),
    )
    .unwrap();
    let inner = &text[1..text.len() - 1];
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(inner)
            .unwrap(),
        data
    );
}
