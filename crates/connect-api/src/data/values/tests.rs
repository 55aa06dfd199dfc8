//! Tests of `Values` with literal expectations from the reference cases (ids cited).

use super::*;
use crate::data::{Decimal, Struct};

fn parse(text: &str) -> SchemaAndValue {
    parse_string(text).unwrap().unwrap()
}

fn req(ty: Type) -> Option<Schema> {
    Some(Schema::required(ty))
}

fn string(text: &str) -> SchemaAndValue {
    SchemaAndValue::new(req(Type::String), Value::String(text.to_string()))
}

fn dec(text: &str) -> Decimal {
    Decimal::parse(text).unwrap()
}

fn array_of(items: Option<Schema>) -> Schema {
    SchemaBuilder::container(Type::Array, None, items)
        .build()
        .unwrap()
}

fn map_of(keys: Option<Schema>, values: Option<Schema>) -> Schema {
    SchemaBuilder::container(Type::Map, keys, values)
        .build()
        .unwrap()
}

fn err(r: Result<Value>) -> String {
    r.unwrap_err().to_string()
}

#[test]
fn parse_literals_and_strings() {
    assert_eq!(parse(""), string("")); // values-912095c8b3
    assert_eq!(parse(" "), string(" ")); // values-866b87f502
    assert_eq!(parse("  \t"), string("  \t")); // values-cdf148aa15
    assert_eq!(parse("NULL"), string("NULL")); // values-5f745d7301
    assert_eq!(parse_string("null").unwrap(), None);
    assert_eq!(parse_string(" null ").unwrap(), None);
    assert_eq!(
        parse("true"),
        SchemaAndValue::new(req(Type::Boolean), Value::Boolean(true))
    );
    assert_eq!(parse("TRUE"), string("TRUE"));
    assert_eq!(parse("true}"), string("true}")); // values-696eb9d51f
    assert_eq!(parse(".5"), string(".5")); // values-4fcfb2ab9d
    assert_eq!(parse("0x10"), string("0x10")); // values-9ddc0c3723
    assert_eq!(parse("1_000"), string("1_000")); // values-fadc88060f
    assert_eq!(parse("\""), string("\"")); // values-4ec4fe4dc2
    assert_eq!(parse("'single'"), string("'single'")); // values-9c6ae55e25
    assert_eq!(parse("-"), string("-")); // values-6553a733fe
    assert_eq!(parse("a\\,b"), string("a\\,b")); // values-ec29d46e56
    assert_eq!(parse("\\\""), string("\\\"")); // values-efc5b3122c
    assert_eq!(parse("\"2023-01-15\""), string("\"2023-01-15\"")); // values-eb892b7320
    assert_eq!(parse("Infinity"), string("Infinity"));
    assert_eq!(parse("a,b"), string("a,b"));
    // Kafka rewinds a failed array to the start and returns the first (blank) token alone.
    assert_eq!(parse(" [a]"), string(" "));
}

#[test]
fn parse_numbers_narrowest() {
    let int8 = |v| SchemaAndValue::new(req(Type::Int8), Value::Int8(v));
    assert_eq!(parse("1"), int8(1)); // values-99c4ada6f8
    assert_eq!(parse("-1"), int8(-1)); // values-0a292461de
    assert_eq!(parse("+1"), int8(1)); // values-7f6b254da9
    assert_eq!(parse("127"), int8(127)); // values-6617e6a998
    assert_eq!(parse("-128"), int8(-128)); // values-200b29d261
    assert_eq!(parse("1.0"), int8(1)); // values-f1e96ae132
    assert_eq!(parse("-0.0"), int8(0)); // values-f68979b04e
    assert_eq!(parse("1."), int8(1)); // values-da38bf75fa
    assert_eq!(parse(" 5"), int8(5)); // values-b0a79a5100
    assert_eq!(parse("5 "), int8(5)); // values-0e69dae316
    assert_eq!(parse("1]"), int8(1)); // header_converters-61957b0ed8
    assert_eq!(parse("00123"), int8(123)); // header_converters-126f17303e
    assert_eq!(
        parse("-129"),
        SchemaAndValue::new(req(Type::Int16), Value::Int16(-129))
    );
    assert_eq!(
        parse("1E3"),
        SchemaAndValue::new(req(Type::Int16), Value::Int16(1000))
    );
    assert_eq!(
        parse("32768"),
        SchemaAndValue::new(req(Type::Int32), Value::Int32(32768))
    );
    assert_eq!(
        parse("9223372036854775807"),
        SchemaAndValue::new(req(Type::Int64), Value::Int64(i64::MAX))
    );
    assert_eq!(
        parse("-9223372036854775808"),
        SchemaAndValue::new(req(Type::Int64), Value::Int64(i64::MIN))
    );
    let decimal = |text: &str, scale| {
        SchemaAndValue::new(
            Some(logical::schema_of(Logical::Decimal, false, scale)),
            Value::Decimal(dec(text)),
        )
    };
    // values-6792b4e1ab, values-7e2d91416d, values-8e298a831c
    assert_eq!(
        parse("-9223372036854775809"),
        decimal("-9223372036854775809", 0)
    );
    assert_eq!(
        parse("123456789012345678901234567890"),
        decimal("123456789012345678901234567890", 0)
    );
    assert_eq!(parse("1.5e400"), decimal("1.5E+400", -399));
    // values-8358f46fb1, values-31faecf5ce, values-ae85f7ee7d
    assert_eq!(
        parse("1.5"),
        SchemaAndValue::new(req(Type::Float32), Value::Float32(1.5))
    );
    assert_eq!(
        parse("0.1"),
        SchemaAndValue::new(req(Type::Float32), Value::Float32(0.1))
    );
    assert_eq!(
        parse("1e39"),
        SchemaAndValue::new(req(Type::Float64), Value::Float64(1e39))
    );
    assert_eq!(
        parse("\u{0661}\u{0662}"),
        SchemaAndValue::new(req(Type::Int8), Value::Int8(12))
    );
}

#[test]
fn parse_keeps_decimal_text_exact_where_kafka_loses_it() {
    // Divergence: header_converters-f9ceeeddaf (Kafka: FLOAT32 0.3).
    assert_eq!(
        parse("0.30000000000000004"),
        SchemaAndValue::new(req(Type::Float64), Value::Float64(0.30000000000000004))
    );
    // Divergence: values-f6d972b3dd, header_converters-1069c2f21f (Kafka: FLOAT32 10.0).
    assert_eq!(
        parse("9.99999999999999999999"),
        SchemaAndValue::new(
            Some(logical::schema_of(Logical::Decimal, false, 20)),
            Value::Decimal(dec("9.99999999999999999999"))
        )
    );
    // Kafka: FLOAT32 0.0.
    let tiny = parse("1e-400");
    assert_eq!(tiny.value, Value::Decimal(dec("1E-400")));
    // Widening a FLOAT32 element reads its text again (Kafka: 0.10000000149011612).
    let mixed = parse("[0.1,1e39]");
    assert_eq!(
        mixed.value,
        Value::Array(vec![Value::Float64(0.1), Value::Float64(1e39)])
    );
}

#[test]
fn parse_temporal() {
    let date = |days| {
        SchemaAndValue::new(
            Some(logical::schema_of(Logical::Date, false, 0)),
            Value::Date(days),
        )
    };
    let time = |v| SchemaAndValue::new(Some(logical::schema_of(Logical::Time, false, 0)), v);
    assert_eq!(parse("2023-01-15"), date(19372)); // values-c4b158dd77
    assert_eq!(parse("2023-13-45"), date(19767)); // values-9b564b42bf
    assert_eq!(parse("1970-01-01"), date(0)); // values-4c0d4d2f43
    assert_eq!(parse("0001-01-01"), date(-719164)); // values-2cab864bea
    assert_eq!(
        parse("2023-01-15T12:34:56.789Z"), // values-9f68033d71
        SchemaAndValue::new(
            Some(logical::schema_of(Logical::Timestamp, false, 0)),
            Value::Timestamp(1673786096789)
        )
    );
    assert_eq!(parse("12:34:56.789Z"), time(Value::Time(45296789)));
    assert_eq!(parse("12\\:34\\:56.789Z"), time(Value::Time(45296789))); // values-06304abb1f
    assert_eq!(parse("25:61:61.000Z"), time(Value::Timestamp(93721000))); // values-2da862375f
    assert_eq!(
        parse("2023-01-15T12:34:56Z"),
        string("2023-01-15T12:34:56Z")
    ); // values-abf5f71fbc
    assert_eq!(parse("2023-01-15 12:34:56"), string("2023-01-15 12:34:56")); // values-dd34515636
}

#[test]
fn parse_arrays() {
    let int8s = array_of(req(Type::Int8));
    let three = Value::Array(vec![Value::Int8(1), Value::Int8(2), Value::Int8(3)]);
    assert_eq!(
        parse("[1,2,3]"),
        SchemaAndValue::new(Some(int8s.clone()), three.clone())
    );
    assert_eq!(
        parse("[1, 2, 3]"),
        SchemaAndValue::new(Some(int8s.clone()), three)
    );
    let untyped = array_of(None);
    assert_eq!(
        parse("[]"),
        SchemaAndValue::new(Some(untyped.clone()), Value::Array(vec![]))
    );
    assert_eq!(parse("[ ]").value, Value::Array(vec![])); // values-4af53d1dd6
    assert_eq!(
        parse("[null,null]"), // values-c09deca647
        SchemaAndValue::new(
            Some(untyped.clone()),
            Value::Array(vec![Value::Null, Value::Null])
        )
    );
    assert_eq!(parse("[1,null]"), string("[1,null]")); // values-68aac32c0a
    assert_eq!(parse("[1,,2]"), string("[1,,2]")); // values-9191c284da
    assert_eq!(parse("[1"), string("[1")); // values-26cb467956
    assert_eq!(parse("[a]"), string("[a]"));
    assert_eq!(parse("[1 2]"), string("[1 2]"));
    assert_eq!(parse("[\"a\",b]"), string("[\"a\",b]")); // values-f6e6ac4dc6
    assert_eq!(parse("[\"a\" \"b\"]"), string("[\"a\" \"b\"]")); // values-bad00ad040
    assert_eq!(
        parse("[1,]"), // values-4b33abc0e4
        SchemaAndValue::new(Some(int8s), Value::Array(vec![Value::Int8(1)]))
    );
    assert_eq!(
        parse("[true,1]"), // values-a26ea9bb59
        SchemaAndValue::new(
            Some(untyped.clone()),
            Value::Array(vec![Value::Boolean(true), Value::Int8(1)])
        )
    );
    assert_eq!(
        parse("[2,1.5]"), // values-de715ea3e0
        SchemaAndValue::new(
            Some(array_of(req(Type::Float32))),
            Value::Array(vec![Value::Float32(2.0), Value::Float32(1.5)])
        )
    );
    assert_eq!(
        parse("[300,70000]"), // values-be720ae560
        SchemaAndValue::new(
            Some(array_of(req(Type::Int32))),
            Value::Array(vec![Value::Int32(300), Value::Int32(70000)])
        )
    );
    assert_eq!(
        parse("[1,9223372036854775808]"), // values-6ee9c4e1da
        SchemaAndValue::new(
            Some(untyped),
            Value::Array(vec![
                Value::Int8(1),
                Value::Decimal(dec("9223372036854775808"))
            ])
        )
    );
    let dates = array_of(Some(logical::schema_of(Logical::Date, false, 0)));
    // values-3559d7a2fe, values-7cd7af0940
    assert_eq!(
        parse("[\"2023-01-15\"]"),
        SchemaAndValue::new(Some(dates.clone()), Value::Array(vec![Value::Date(19372)]))
    );
    assert_eq!(
        parse("[2023-01-15]"),
        SchemaAndValue::new(Some(dates), Value::Array(vec![Value::Date(19372)]))
    );
    assert_eq!(
        parse("[\"x\\\"y\"]").value, // values-fc48c03c12
        Value::Array(vec![Value::from("x\\\"y")])
    );
    // Same type, different schemas: no common element schema.
    assert_eq!(parse("[[1],[300]]").schema, Some(array_of(None)));
    assert_eq!(
        parse("[1e400]").schema, // values-6f9e059c29
        Some(array_of(Some(logical::schema_of(
            Logical::Decimal,
            false,
            -400
        ))))
    );
}

#[test]
fn parse_maps() {
    let s = req(Type::String);
    assert_eq!(parse("{a:1}"), string("{a:1}")); // values-2c3a1fbaa0
    assert_eq!(
        parse("{\"a\":1,\"b\":2}"), // values-a74be18c3d
        SchemaAndValue::new(
            Some(map_of(s.clone(), req(Type::Int8))),
            Value::Map(vec![
                ("a".into(), Value::Int8(1)),
                ("b".into(), Value::Int8(2))
            ])
        )
    );
    assert_eq!(
        parse("{\"a\":1,\"b\":\"x\"}").schema, // values-bbeeef9ec3
        Some(map_of(s.clone(), None))
    );
    assert_eq!(
        parse("{ }"), // values-47421e6f83
        SchemaAndValue::new(Some(map_of(None, None)), Value::Map(vec![]))
    );
    assert_eq!(
        parse("{\"a\":1,}").value, // values-0a48baf4ff
        Value::Map(vec![("a".into(), Value::Int8(1))])
    );
    for text in ["{\"a\"}", "{:1}", "{null:1}", "{\"a\":1", "{\"a\" \"b\"}"] {
        assert_eq!(parse(text), string(text));
    }
    assert_eq!(
        parse("{true:false}"), // values-50737a5101
        SchemaAndValue::new(
            Some(map_of(req(Type::Boolean), req(Type::Boolean))),
            Value::Map(vec![(Value::Boolean(true), Value::Boolean(false))])
        )
    );
    assert_eq!(
        parse("{\"a\":[1,{\"b\":2}]}"), // values-ad0a6af73a
        SchemaAndValue::new(
            Some(map_of(s.clone(), Some(array_of(None)))),
            Value::Map(vec![(
                "a".into(),
                Value::Array(vec![
                    Value::Int8(1),
                    Value::Map(vec![("b".into(), Value::Int8(2))])
                ])
            )])
        )
    );
    assert_eq!(
        parse("{\"a\":null}"),
        SchemaAndValue::new(
            Some(map_of(s, None)),
            Value::Map(vec![("a".into(), Value::Null)])
        )
    );
    assert_eq!(
        parse("{\"a\":1,\"a\":2}").value,
        Value::Map(vec![("a".into(), Value::Int8(2))])
    );
}

#[test]
fn parse_refuses_absurd_nesting_instead_of_overflowing() {
    let deep = "[".repeat(10_000);
    assert!(parse_string(&deep).is_err());
    let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(parse(&ok).schema.unwrap().schema_type(), Type::Array);
}

#[test]
fn convert_to_boolean_cases() {
    let b = |v: Value| convert_to_boolean(None, &v).unwrap();
    assert_eq!(b("true".into()), Value::Boolean(true)); // values-3107e540bf
    assert_eq!(b("false".into()), Value::Boolean(false)); // values-6f759b5372
    assert_eq!(b("1".into()), Value::Boolean(true)); // values-8bbcf96bc8
    assert_eq!(b(Value::Int64(0)), Value::Boolean(false)); // values-56ed00da1b
    assert_eq!(b(Value::Float64(2.5)), Value::Boolean(true)); // values-42571461aa
    assert_eq!(b(Value::Float64(0.4)), Value::Boolean(false)); // values-022c8fe0e2
    assert_eq!(b(Value::Int8(0)), Value::Boolean(false)); // values-0c1729027e
    assert_eq!(b(Value::Null), Value::Null);
    let ts = logical::schema_of(Logical::Timestamp, false, 0);
    assert_eq!(
        convert_to_boolean(Some(&ts), &Value::Timestamp(0)).unwrap(), // values-2a378b1073
        Value::Boolean(false)
    );
    assert_eq!(
        err(convert_to_boolean(None, &"yes".into())), // values-502d0091b8
        "Unable to convert yes (class java.lang.String) to a number"
    );
    assert_eq!(
        err(convert_to_boolean(
            None,
            &Value::Array(vec![Value::Int64(1)])
        )), // values-db8eb290e8
        "Unable to convert [1] (class java.util.ArrayList) to a number"
    );
    assert_eq!(
        err(convert_to_boolean(None, &Value::Timestamp(0))), // values-a2d0eb4aca
        "Unable to convert Thu Jan 01 00:00:00 UTC 1970 (class java.util.Date) to a number"
    );
}

#[test]
fn convert_to_integers() {
    assert_eq!(
        convert_to_byte(None, &"-1.9".into()).unwrap(),
        Value::Int8(-1)
    ); // values-6ce3083d0b
    assert_eq!(
        convert_to_byte(None, &Value::Decimal(dec("12.7"))).unwrap(), // values-2408e79892
        Value::Int8(12)
    );
    assert_eq!(convert_to_byte(None, &Value::Null).unwrap(), Value::Null); // values-afe488713b
    assert_eq!(
        convert_to_short(None, &"1e3".into()).unwrap(),
        Value::Int16(1000)
    ); // values-9007733326
    assert_eq!(
        convert_to_integer(None, &"300".into()).unwrap(),
        Value::Int32(300)
    ); // values-9518482b72
    assert_eq!(
        convert_to_integer(None, &"1.9".into()).unwrap(),
        Value::Int32(1)
    ); // values-3bc29a61af
    assert_eq!(
        convert_to_integer(None, &Value::Int64(70000)).unwrap(),
        Value::Int32(70000)
    );
    let time = logical::schema_of(Logical::Time, false, 0);
    assert_eq!(
        convert_to_integer(Some(&time), &Value::Time(1000)).unwrap(), // values-7d63a1787f
        Value::Int32(1000)
    );
    let ts = logical::schema_of(Logical::Timestamp, false, 0);
    assert_eq!(
        convert_to_long(Some(&ts), &Value::Timestamp(1700000000123)).unwrap(), // values-8a6cc09ede
        Value::Int64(1700000000123)
    );
    assert_eq!(
        convert_to_long(None, &"-1.9".into()).unwrap(),
        Value::Int64(-1)
    ); // values-60f6b7c5fd
    assert_eq!(
        err(convert_to_byte(None, &"abc".into())), // values-8b28a3ea6f
        "Unable to convert abc (class java.lang.String) to a number"
    );
    assert_eq!(
        err(convert_to_byte(None, &" 5".into())), // values-423463859d
        "Unable to convert  5 (class java.lang.String) to a number"
    );
    assert_eq!(
        err(convert_to_short(None, &Value::Boolean(true))), // values-81ef4a709c
        "Unable to convert true (class java.lang.Boolean) to a number"
    );
    assert_eq!(
        err(convert_to_integer(None, &Value::Timestamp(1000))), // values-0a9b3640f0
        "Unable to convert Thu Jan 01 00:00:01 UTC 1970 (class java.util.Date) to a number"
    );
    let string = Schema::required(Type::String);
    assert_eq!(
        err(convert_to_integer(Some(&string), &"abc".into())),
        "Unable to convert abc (class java.lang.String) to Schema{STRING}"
    );
}

#[test]
fn integer_conversions_refuse_silent_corruption() {
    // Divergences: Kafka wraps, clamps, or reads NaN as 0.
    let cases: Vec<(Result<Value>, &str)> = vec![
        (convert_to_byte(None, &"300".into()), "values-f59bb11ae3"),
        (
            convert_to_byte(None, &Value::Float64(f64::NAN)),
            "values-6ba2d3f519",
        ),
        (
            convert_to_short(None, &Value::Float64(1e20)),
            "values-993aac46bb",
        ),
        (
            convert_to_short(None, &Value::Int64(70000)),
            "values-bbcdb9ae27",
        ),
        (
            convert_to_short(None, &"99999999999999999999".into()),
            "values-c0cbf9c376",
        ),
        (
            convert_to_integer(None, &Value::Float64(1e20)),
            "values-9ed3b71caf",
        ),
        (
            convert_to_integer(None, &Value::Float64(f64::NAN)),
            "values-4717f57801",
        ),
        (
            convert_to_long(None, &Value::Float64(1e20)),
            "values-c3970a0900",
        ),
        (
            convert_to_long(None, &"99999999999999999999".into()),
            "values-930dd373d5",
        ),
    ];
    for (result, id) in cases {
        let e = result.expect_err(id);
        assert!(e.is_data(), "{id}");
    }
    let ts = logical::schema_of(Logical::Timestamp, false, 0);
    // values-13236ccf44, values-5dc6ab373f
    assert_eq!(
        err(convert_to_short(Some(&ts), &Value::Timestamp(1700000000123))),
        "Unable to convert Tue Nov 14 22:13:20 UTC 2023 (class java.util.Date) to INT16: the value is out of range for INT16"
    );
    assert!(convert_to_integer(Some(&ts), &Value::Timestamp(1700000000123)).is_err());
    assert_eq!(
        err(convert_to_byte(None, &"300".into())),
        "Unable to convert 300 (class java.lang.String) to INT8: the value is out of range for INT8"
    );
    assert_eq!(
        err(convert_to_integer(None, &Value::Float64(f64::NAN))),
        "Unable to convert NaN (class java.lang.Double) to INT32: not a finite number"
    );
}

#[test]
fn convert_to_floats() {
    assert_eq!(
        convert_to_float(None, &Value::Int64(9007199254740993)).unwrap(), // values-44f01f40a1
        Value::Float32(9007199300000000.0)
    );
    assert_eq!(
        convert_to_double(None, &Value::Int64(9007199254740993)).unwrap(), // values-a1cde54619
        Value::Float64(9007199254740992.0)
    );
    assert_eq!(
        convert_to_double(None, &"1e40".into()).unwrap(),
        Value::Float64(1e40)
    ); // values-f4d5e34930
    assert_eq!(convert_to_float(None, &Value::Null).unwrap(), Value::Null); // values-15d106e2b1
    assert_eq!(
        err(convert_to_double(None, &"NaN".into())), // values-b8e42adb91
        "Unable to convert NaN (class java.lang.String) to a number"
    );
    assert_eq!(
        err(convert_to_float(None, &Value::Boolean(true))), // values-de659ec61f
        "Unable to convert true (class java.lang.Boolean) to a number"
    );
    // Divergences values-becb78966a, values-ec5000519e, values-1a78c55af6 (Kafka: Infinity).
    assert_eq!(
        err(convert_to_float(None, &"1e40".into())),
        "Unable to convert 1e40 (class java.lang.String) to FLOAT32: the value is out of range for FLOAT32"
    );
    assert!(convert_to_float(None, &"1.5e400".into()).is_err());
    assert!(convert_to_double(None, &"1.5e400".into()).is_err());
    assert!(convert_to_double(None, &"1e-400".into()).is_err());
    // Non-finite inputs stay non-finite.
    assert_eq!(
        convert_to_float(None, &Value::Float64(f64::INFINITY)).unwrap(),
        Value::Float32(f32::INFINITY)
    );
}

#[test]
fn convert_to_string_cases() {
    let text = |schema: Option<&Schema>, v: Value| match convert_to_string(schema, &v).unwrap() {
        Value::String(s) => s,
        other => panic!("{other:?}"),
    };
    let schema = SchemaBuilder::struct_builder()
        .field("a", Schema::required(Type::Int32))
        .field("b", Schema::optional(Type::String))
        .field(
            "c",
            SchemaBuilder::new(Type::Int32)
                .optional()
                .default_value(Value::Int32(3))
                .build()
                .unwrap(),
        )
        .build()
        .unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("a", 1i32).unwrap();
    s.put("b", "x\"y").unwrap();
    // values-fb0465783f
    assert_eq!(
        text(Some(&schema), Value::Struct(s)),
        r#"{"a":1,"b":"x\"y","c":3}"#
    );
    assert_eq!(
        text(
            None,
            Value::Map(vec![
                ("a".into(), Value::Int32(1)),
                ("b".into(), Value::Int32(2))
            ])
        ),
        r#"{"a":1,"b":2}"#
    ); // values-5f5f90fdef
    assert_eq!(
        text(None, Value::Array(vec!["a".into(), "b\\c".into()])),
        r#"["a","b\\c"]"#
    ); // values-1df7a4d200
    assert_eq!(text(None, Value::Time(3723004)), "01:02:03.004Z"); // values-ba671cb5f7
    assert_eq!(
        text(None, Value::Timestamp(1700000000123)),
        "2023-11-14T22:13:20.123Z"
    ); // values-bb2956838f
    assert_eq!(text(None, Value::Timestamp(0)), "00:00:00.000Z"); // values-14992ed2b3
    assert_eq!(text(None, Value::Float32(0.1)), "0.1"); // values-275c558f0d
    assert_eq!(text(None, Value::Float64(f64::NAN)), "NaN"); // values-40f996a1ef
    assert_eq!(text(None, Value::Decimal(dec("1.2E+3"))), "1.2E+3"); // values-8e800cf803
    assert_eq!(text(None, Value::Timestamp(-1)), "23:59:59.999Z"); // values-a2f93f9cee
    assert_eq!(text(None, Value::Timestamp(86_400_000)), "1970-01-02"); // header_converters-31e076379a
    assert_eq!(convert_to_string(None, &Value::Null).unwrap(), Value::Null);
}

#[test]
fn convert_to_containers() {
    assert_eq!(
        convert_to_list(None, &"[1,2]".into()).unwrap(), // values-58f8daa8d8
        Value::Array(vec![Value::Int8(1), Value::Int8(2)])
    );
    assert_eq!(
        err(convert_to_list(None, &"[1,".into())), // values-cae9453266
        "Unable to convert [1, (class java.lang.String) to Schema{ARRAY}"
    );
    assert_eq!(
        err(convert_to_list(None, &"{\"a\":1}".into())), // values-454839887c
        "Unable to convert {a=1} (class java.util.LinkedHashMap) to Schema{ARRAY}"
    );
    assert_eq!(
        convert_to_map(None, &"{1:2}".into()).unwrap(), // values-f94cb66d49
        Value::Map(vec![(Value::Int8(1), Value::Int8(2))])
    );
    assert_eq!(
        err(convert_to_map(None, &"abc".into())), // values-631b6d5521
        "Unable to convert abc (class java.lang.String) to Schema{MAP}"
    );
    assert_eq!(
        err(convert_to_map(None, &"[1]".into())), // values-a87d2610d6
        "Unable to convert [1] (class java.util.ArrayList) to Schema{MAP}"
    );
    let null_message = "Unable to convert a null value to a schema that requires a value";
    assert_eq!(err(convert_to_map(None, &Value::Null)), null_message); // values-245c75ad8a
    assert_eq!(err(convert_to_struct(None, &Value::Null)), null_message); // values-51c1bb2151
    assert_eq!(err(convert_to_list(None, &Value::Null)), null_message);
    assert_eq!(
        err(convert_to_struct(
            None,
            &Value::Map(vec![("a".into(), Value::Int64(1))])
        )), // values-eff4a14ca4
        "Unable to convert {a=1} (class java.util.LinkedHashMap) to Schema{STRUCT}"
    );
    assert_eq!(
        err(convert_to_struct(None, &"{}".into())), // values-77d35728b7
        "Unable to convert {} (class java.lang.String) to Schema{STRUCT}"
    );
    let schema = SchemaBuilder::struct_builder()
        .field("a", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("a", 1i32).unwrap();
    let v = Value::Struct(s);
    assert_eq!(convert_to_struct(Some(&schema), &v).unwrap(), v); // values-920bbfc342
}

#[test]
fn convert_to_temporals() {
    let date_schema = logical::schema_of(Logical::Date, false, 0);
    let ts = logical::schema_of(Logical::Timestamp, false, 0);
    let time_schema = logical::schema_of(Logical::Time, false, 0);
    let int32 = Schema::required(Type::Int32);
    let null_message = "Unable to convert a null value to a schema that requires a value";
    // Date
    assert_eq!(
        convert_to_date(None, &"2023-01-15T12:34:56.789Z".into()).unwrap(), // values-1c9e13f672
        Value::Timestamp(1673786096789)
    );
    assert_eq!(
        convert_to_date(Some(&date_schema), &Value::Date(19000)).unwrap(), // values-5f058cbe3d
        Value::Date(19000)
    );
    assert_eq!(
        convert_to_date(Some(&ts), &Value::Timestamp(1700000000123)).unwrap(), // values-150b290262
        Value::Date(19675)
    );
    assert_eq!(
        convert_to_date(Some(&ts), &Value::Timestamp(-1)).unwrap(),
        Value::Date(0)
    ); // values-c3f63b156d
    assert_eq!(
        convert_to_date(Some(&int32), &Value::Int32(5)).unwrap(),
        Value::Date(5)
    ); // values-e61c93ee4e
    assert_eq!(
        convert_to_date(None, &"2023-13-45".into()).unwrap(),
        Value::Date(19767)
    ); // values-5919fe568b
    assert_eq!(err(convert_to_date(None, &Value::Null)), null_message); // values-4078038a19
    assert_eq!(
        err(convert_to_date(None, &"abc".into())), // values-07a75342bc
        "Unable to convert abc (class java.lang.String) to a number"
    );
    // Time
    assert_eq!(
        convert_to_time(None, &"2023-01-15".into()).unwrap(), // values-a52abd5def
        Value::Timestamp(1673740800000)
    );
    assert_eq!(
        convert_to_time(None, &Value::Int64(19000)).unwrap(),
        Value::Time(19000)
    ); // values-65bc776b3d
    assert_eq!(
        convert_to_time(Some(&ts), &Value::Timestamp(-1)).unwrap(), // values-a10cf430a6
        Value::Time(86399999)
    );
    assert_eq!(
        convert_to_time(None, &Value::Timestamp(1700000000123)).unwrap(), // values-b4e3d73a76
        Value::Timestamp(1700000000123)
    );
    assert_eq!(
        convert_to_time(Some(&int32), &Value::Int32(5)).unwrap(),
        Value::Time(5)
    ); // values-8340430143
    assert_eq!(
        convert_to_time(None, &"2023-13-45".into()).unwrap(), // values-cbdd980ed3
        Value::Timestamp(1707868800000)
    );
    assert_eq!(
        err(convert_to_time(None, &Value::Int64(86_400_001))),
        "Time values must use number of milliseconds greater than 0 and less than 86400000"
    );
    // Timestamp
    let t = |schema: Option<&Schema>, v: Value| convert_to_timestamp(schema, &v).unwrap();
    assert_eq!(
        t(None, "2023-01-15".into()),
        Value::Timestamp(1673740800000)
    ); // values-6a0c5b1551
    assert_eq!(t(None, "12:34:56.789Z".into()), Value::Timestamp(45296789)); // values-37850678b3
    assert_eq!(t(None, Value::Int64(19000)), Value::Timestamp(19000)); // values-0ad6a309c1
    assert_eq!(
        t(Some(&time_schema), Value::Time(3723004)),
        Value::Timestamp(3723004)
    ); // values-c2f1729346
    assert_eq!(t(Some(&int32), Value::Int32(5)), Value::Timestamp(5)); // values-ce1baa3656
    assert_eq!(
        t(None, "2023-13-45".into()),
        Value::Timestamp(1707868800000)
    ); // values-143b171743
    assert_eq!(
        t(Some(&date_schema), Value::Date(2)),
        Value::Timestamp(2 * 86_400_000)
    );
    assert_eq!(err(convert_to_timestamp(None, &Value::Null)), null_message); // values-50323ec95d
}

#[test]
fn convert_to_decimals() {
    let d = |schema: Option<&Schema>, v: Value, scale| convert_to_decimal(schema, &v, scale);
    assert_eq!(
        d(None, Value::Float64(0.1), 1).unwrap(),
        Value::Decimal(dec("0.1"))
    ); // values-de842f1645
    assert_eq!(
        d(
            Some(&Schema::required(Type::Bytes)),
            Value::Bytes(vec![0x00, 0x96]),
            2
        )
        .unwrap(), // values-9bae60e888
        Value::Decimal(dec("1.50"))
    );
    assert_eq!(
        d(None, Value::Float32(0.1), 3).unwrap(), // values-b863ffe280
        Value::Decimal(dec("0.10000000149011612"))
    );
    assert_eq!(
        d(None, Value::Int32(5), 0).unwrap(),
        Value::Decimal(dec("5.0"))
    );
    // Kept exact where Java's double would round it.
    assert_eq!(
        d(None, Value::Int64(9007199254740993), 0).unwrap(),
        Value::Decimal(dec("9007199254740993"))
    );
    assert_eq!(
        d(None, "abc".into(), 2).unwrap_err().to_string(), // values-2935367697
        "Character a is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark."
    );
    assert_eq!(
        d(None, Value::Boolean(true), 0).unwrap_err().to_string(), // values-2adc7f6ad7
        "Unable to convert true (class java.lang.Boolean) to Schema{org.apache.kafka.connect.data.Decimal:BYTES}"
    );
}

#[test]
fn infer_schema_cases() {
    assert_eq!(infer_lenient(&Value::Boolean(true)), req(Type::Boolean)); // values-44471e77bb
    assert_eq!(infer_lenient(&Value::Float64(1.5)), req(Type::Float64)); // values-6e8ea9c90f
    assert_eq!(infer_lenient(&Value::Int8(1)), req(Type::Int8)); // values-2a27522045
    assert_eq!(infer_lenient(&Value::Timestamp(0)), None); // values-ee3a9cd83c
    assert_eq!(infer_lenient(&Value::Array(vec![])), None); // values-fcbbf9c491
    assert_eq!(
        infer_lenient(&Value::Array(vec![Value::Int64(1), Value::Null])), // values-1924fc5ec2
        Some(
            SchemaBuilder::array(Schema::optional(Type::Int64))
                .build()
                .unwrap()
        )
    );
    // values-6b7eed7471, values-bb7aec09d9
    assert_eq!(infer_lenient(&Value::Array(vec![Value::Null])), None);
    assert_eq!(
        super::infer_schema(&Value::Array(vec![Value::Null]))
            .unwrap_err()
            .to_string(),
        "type cannot be null"
    );
    assert_eq!(
        infer_lenient(&Value::Map(vec![(Value::Int64(1), "a".into())])), // values-87b9c7f16b
        Some(
            SchemaBuilder::map(
                Schema::required(Type::Int64),
                Schema::required(Type::String)
            )
            .build()
            .unwrap()
        )
    );
}

/// `infer_schema` with Java's failure folded into `None`, for the table-style checks above.
fn infer_lenient(value: &Value) -> Option<Schema> {
    super::infer_schema(value).ok().flatten()
}
