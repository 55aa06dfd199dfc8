use std::collections::BTreeMap;

use connect_api::{Schema, SchemaAndValue, SourceMeta, Type, Value};

use super::*;

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn worker() -> BTreeMap<String, String> {
    map(&[
        (
            "key.converter",
            "org.apache.kafka.connect.storage.StringConverter",
        ),
        (
            "value.converter",
            "org.apache.kafka.connect.json.JsonConverter",
        ),
        ("value.converter.schemas.enable", "false"),
    ])
}

fn config_issues(err: ConnectError) -> Vec<String> {
    match err {
        ConnectError::Config(c) => c.issues().map(|i| i.to_string()).collect(),
        other => panic!("not a config error: {other}"),
    }
}

#[test]
fn worker_converters_are_used_when_the_connector_names_none() {
    let c = RecordConverters::from_configs(&worker(), &BTreeMap::new()).unwrap();
    assert_eq!(
        c.classes(),
        (
            "org.apache.kafka.connect.storage.StringConverter",
            "org.apache.kafka.connect.json.JsonConverter",
            DEFAULT_HEADER_CONVERTER
        )
    );
    let raw = RawRecord {
        topic: "t".into(),
        key: Some(b"k1".to_vec()),
        value: Some(br#"{"a":1}"#.to_vec()),
        ..RawRecord::default()
    };
    let rec = c.to_sink_record(&raw).unwrap();
    assert_eq!(rec.key.value, Value::String("k1".into()));
    // worker sub-config schemas.enable=false applies: a schemaless map
    assert!(rec.value.schema.is_none());
}

#[test]
fn connector_class_wins_and_only_its_own_sub_keys_apply() {
    // The connector names value.converter itself: the worker's value.converter.schemas.enable
    // does not apply, so the envelope is required (JsonConverter's default is true).
    let conn = map(&[("value.converter", "JsonConverter")]);
    let c = RecordConverters::from_configs(&worker(), &conn).unwrap();
    let raw = RawRecord {
        topic: "t".into(),
        value: Some(br#"{"a":1}"#.to_vec()),
        ..RawRecord::default()
    };
    let err = c.to_sink_record(&raw).unwrap_err();
    assert_eq!(err.stage, Stage::ValueConverter);
    assert_eq!(&*err.class, "org.apache.kafka.connect.json.JsonConverter");
    assert!(err.is_tolerable());
    assert!(err.to_string().contains("schemas.enable"), "{err}");
}

#[test]
fn missing_and_bad_converters_are_all_reported_with_their_keys() {
    let w = map(&[
        ("value.converter", "com.example.Missing"),
        ("header.converter", "StringConverter"),
        ("header.converter.converter.encoding", "NOPE-8"),
    ]);
    let issues = config_issues(RecordConverters::from_configs(&w, &BTreeMap::new()).unwrap_err());
    assert_eq!(issues.len(), 3, "{issues:?}");
    assert_eq!(
        issues[0],
        "Missing required configuration \"key.converter\" which has no default value."
    );
    assert_eq!(
        issues[1],
        "Invalid value com.example.Missing for configuration value.converter: Class \
com.example.Missing could not be found."
    );
    assert!(
        issues[2].contains("header.converter.converter.encoding"),
        "{issues:?}"
    );
    assert!(issues[2].contains("NOPE-8"), "{issues:?}");
}

#[test]
fn sink_conversion_order_and_metadata() {
    let c = RecordConverters::from_configs(&worker(), &BTreeMap::new()).unwrap();
    let raw = RawRecord {
        topic: "orders".into(),
        partition: Some(3),
        offset: Some(42),
        timestamp: Some(1_700_000_000_000),
        key: None,
        value: None,
        headers: vec![
            RawHeader {
                key: "n".into(),
                value: Some(b"12".to_vec()),
            },
            RawHeader {
                key: "gone".into(),
                value: None,
            },
        ],
        ..RawRecord::default()
    };
    let rec = c.to_sink_record(&raw).unwrap();
    assert_eq!(rec.kafka_partition, Some(3));
    assert_eq!(rec.meta.kafka_offset, 42);
    assert_eq!(rec.meta.original_kafka_offset, 42);
    assert_eq!(rec.meta.original_topic, "orders".into());
    assert_eq!(rec.meta.timestamp_type, TimestampType::CreateTime);
    assert_eq!(rec.timestamp, Some(1_700_000_000_000));
    let headers: Vec<_> = rec.headers.iter().collect();
    assert_eq!(headers.len(), 2);
    assert_eq!(headers[0].value, Value::Int8(12));
    assert_eq!(headers[1].value, Value::Null);

    // the key converter runs first: a bad key is reported before a bad value
    let w = map(&[
        ("key.converter", "LongConverter"),
        ("value.converter", "LongConverter"),
    ]);
    let c = RecordConverters::from_configs(&w, &BTreeMap::new()).unwrap();
    let bad = RawRecord {
        topic: "t".into(),
        key: Some(vec![1]),
        value: Some(vec![2]),
        ..RawRecord::default()
    };
    assert_eq!(
        c.to_sink_record(&bad).unwrap_err().stage,
        Stage::KeyConverter
    );
}

fn source(value: SchemaAndValue) -> SourceRecord {
    Record {
        topic: "out".into(),
        kafka_partition: None,
        key: SchemaAndValue::new(
            Some(Schema::required(Type::String)),
            Value::String("k".into()),
        ),
        value,
        timestamp: Some(5),
        headers: Headers::new(),
        meta: SourceMeta::default(),
    }
}

#[test]
fn source_conversion_writes_bytes_and_headers() {
    let c = RecordConverters::from_configs(&worker(), &BTreeMap::new()).unwrap();
    let mut rec = source(SchemaAndValue::new(
        Some(Schema::required(Type::Int32)),
        Value::Int32(7),
    ));
    rec.headers.add(
        "h",
        Some(Schema::required(Type::Boolean)),
        Value::Boolean(true),
    );
    let raw = c.from_source_record(&mut rec).unwrap();
    assert_eq!(raw.topic, "out".into());
    assert_eq!(raw.key.as_deref(), Some(&b"k"[..]));
    assert_eq!(raw.value.as_deref(), Some(&b"7"[..]));
    assert_eq!(raw.timestamp, Some(5));
    assert_eq!(
        raw.headers,
        vec![RawHeader {
            key: "h".into(),
            value: Some(b"true".to_vec())
        }]
    );
}

#[test]
fn source_errors_name_their_stage() {
    let w = map(&[
        ("key.converter", "StringConverter"),
        ("value.converter", "LongConverter"),
    ]);
    let c = RecordConverters::from_configs(&w, &BTreeMap::new()).unwrap();
    let err = c
        .from_source_record(&mut source(SchemaAndValue::new(
            Some(Schema::required(Type::String)),
            Value::String("x".into()),
        )))
        .unwrap_err();
    assert_eq!(err.stage, Stage::ValueConverter);
    assert_eq!(
        &*err.class,
        "org.apache.kafka.connect.converters.LongConverter"
    );

    let mut negative = source(SchemaAndValue::null());
    negative.timestamp = Some(-5);
    let err = c.from_source_record(&mut negative).unwrap_err();
    assert_eq!(err.stage, Stage::KafkaProduce);
    assert!(!err.is_tolerable());
}
