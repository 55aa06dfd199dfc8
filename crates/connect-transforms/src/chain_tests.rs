use super::*;
use crate::routing::test_support::{config, record};
use connect_api::{Headers, Result, SchemaAndValue, SinkMeta, SourceMeta, TimestampType, Value};

fn chain(pairs: &[(&str, &str)]) -> TransformationChain<SourceMeta> {
    TransformationChain::from_config(&config(pairs)).unwrap()
}

fn config_error(pairs: &[(&str, &str)]) -> ConfigError {
    match TransformationChain::<SourceMeta>::from_config(&config(pairs)) {
        Err(ConnectError::Config(e)) => e,
        other => panic!("expected a config error, got {other:?}"),
    }
}

fn issues(pairs: &[(&str, &str)]) -> Vec<(Option<String>, String)> {
    config_error(pairs)
        .issues()
        .map(|i| (i.name().map(str::to_string), i.to_string()))
        .collect()
}

#[test]
fn empty_config_is_an_empty_chain() {
    let c = chain(&[]);
    assert!(c.is_empty());
    assert_eq!(c.len(), 0);
    let r = record("orders");
    assert_eq!(c.apply(r.clone()).unwrap(), Some(r));
    let c = chain(&[("transforms", ""), ("predicates", " ")]);
    assert!(c.is_empty());
    assert!(TransformationChain::<SourceMeta>::default().is_empty());
}

#[test]
fn stages_run_in_order_with_predicates() {
    // smt_filter_predicates-f9b2767c84: the second stage's predicate sees the routed topic.
    let c = chain(&[
        ("transforms", "route, filter"),
        (
            "transforms.route.type",
            "org.apache.kafka.connect.transforms.RegexRouter",
        ),
        ("transforms.route.regex", "orders"),
        ("transforms.route.replacement", "x"),
        ("transforms.route.predicate", "isOrders"),
        ("transforms.filter.type", "Filter"),
        ("transforms.filter.predicate", "isOrders"),
        ("predicates", "isOrders"),
        ("predicates.isOrders.type", "TopicNameMatches"),
        ("predicates.isOrders.pattern", "orders"),
    ]);
    assert_eq!(c.len(), 2);
    assert_eq!(&*c.stages()[0].alias, "route");
    assert_eq!(
        &*c.stages()[0].class,
        "org.apache.kafka.connect.transforms.RegexRouter"
    );
    let p = c.stages()[1].predicate.as_ref().unwrap();
    assert_eq!(p.info.alias, "isOrders");
    assert_eq!(
        p.info.class,
        "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"
    );
    assert!(!p.negate);
    // one predicate instance, shared
    assert!(Arc::ptr_eq(
        &c.stages()[0].predicate.as_ref().unwrap().predicate,
        &p.predicate
    ));
    let out = c.apply(record("orders")).unwrap().unwrap();
    assert_eq!(out.topic, "x".into());
    // neither stage runs for another topic
    assert_eq!(
        c.apply(record("users")).unwrap().unwrap().topic,
        "users".into()
    );
    assert!(format!("{c:?}").contains("isOrders"));
}

#[test]
fn negate_and_dropping_stop_the_chain() {
    let c = chain(&[
        ("transforms", "keepOnlyEu,boom"),
        ("transforms.keepOnlyEu.type", "Filter"),
        ("transforms.keepOnlyEu.predicate", "eu"),
        ("transforms.keepOnlyEu.negate", "TRUE"),
        // would fail on every record it sees
        ("transforms.boom.type", "RegexRouter"),
        ("transforms.boom.regex", ".*"),
        ("transforms.boom.replacement", "$"),
        ("predicates", "eu"),
        ("predicates.eu.type", "TopicNameMatches"),
        ("predicates.eu.pattern", ".*-eu"),
    ]);
    assert!(c.stages()[0].predicate.as_ref().unwrap().negate);
    // smt_filter_predicates-bc381fc20a: dropped, the failing stage never runs
    assert_eq!(c.apply(record("orders")).unwrap(), None);
    // smt_filter_predicates-5566765750: kept, then the next stage fails
    let e = c.apply(record("orders-eu")).unwrap_err();
    assert_eq!(e.stage, Stage::Transformation);
    assert_eq!(e.index, 1);
    assert_eq!(&*e.alias, "boom");
    assert_eq!(&*e.class, "org.apache.kafka.connect.transforms.RegexRouter");
    assert!(e.predicate.is_none());
    assert!(e.is_tolerable());
    assert!(!e.is_retriable());
    assert_eq!(
        e.to_string(),
        "Error in stage TRANSFORMATION of transformation 'boom' \
(org.apache.kafka.connect.transforms.RegexRouter): Illegal group reference: group index is missing"
    );
    assert!(std::error::Error::source(&e).is_some());
    assert!(e.into_source().is_data());
}

#[test]
fn tombstones_and_headers() {
    let c = chain(&[
        ("transforms", "dropTombstones,dropUnlessH1"),
        ("transforms.dropTombstones.type", "Filter"),
        ("transforms.dropTombstones.predicate", "tomb"),
        ("transforms.dropUnlessH1.type", "Filter"),
        ("transforms.dropUnlessH1.predicate", "h1"),
        ("transforms.dropUnlessH1.negate", "true"),
        ("predicates", "tomb,h1"),
        ("predicates.tomb.type", "RecordIsTombstone"),
        ("predicates.h1.type", "HasHeaderKey"),
        ("predicates.h1.name", "h1"),
    ]);
    let mut tomb = record("orders");
    tomb.value = SchemaAndValue::null();
    assert_eq!(c.apply(tomb).unwrap(), None);
    assert!(c.apply(record("orders")).unwrap().is_some());
    let mut bare = record("orders");
    bare.headers = Headers::new();
    assert_eq!(c.apply(bare).unwrap(), None);
}

#[test]
fn works_for_sink_records_and_keeps_their_metadata() {
    let c = TransformationChain::<SinkMeta>::from_config(&config(&[
        ("transforms", "route"),
        ("transforms.route.type", "RegexRouter"),
        ("transforms.route.regex", "(.*)"),
        ("transforms.route.replacement", "$1-copy"),
    ]))
    .unwrap();
    let source = record("orders");
    let meta = SinkMeta {
        kafka_offset: 42,
        timestamp_type: TimestampType::CreateTime,
        original_topic: "orders".into(),
        original_kafka_partition: 0,
        original_kafka_offset: 42,
    };
    let sink = Record {
        topic: source.topic,
        kafka_partition: source.kafka_partition,
        key: source.key,
        value: source.value,
        timestamp: source.timestamp,
        headers: source.headers,
        meta: meta.clone(),
    };
    let out = c.apply(sink).unwrap().unwrap();
    assert_eq!(out.topic, "orders-copy".into());
    assert_eq!(out.meta, meta);
}

#[test]
fn sub_configs_strip_the_prefix_and_the_implicit_keys() {
    let all = config(&[
        ("transforms.a.type", "Filter"),
        ("transforms.a.predicate", "p"),
        ("transforms.ab.type", "X"),
        ("transforms.a.x.y", "1"),
        ("transforms.b.type", "Y"),
    ]);
    let sub = originals_with_prefix(&all, "transforms.a.");
    assert_eq!(
        sub,
        config(&[("type", "Filter"), ("predicate", "p"), ("x.y", "1")])
    );
    assert_eq!(
        crate::registry::resolve(" Filter ", crate::routing::CLASSES),
        Some(crate::routing::FILTER)
    );
    assert_eq!(
        crate::registry::resolve("Nope", crate::routing::CLASSES),
        None
    );
}

#[test]
fn duplicate_aliases() {
    assert_eq!(
        issues(&[
            ("transforms", "a,a"),
            ("transforms.a.type", "Filter"),
            ("predicates", "p, p"),
            ("predicates.p.type", "RecordIsTombstone"),
        ]),
        [
            (
                Some("transforms".to_string()),
                "Invalid value [a, a] for configuration transforms: Duplicate alias provided."
                    .to_string()
            ),
            (
                Some("predicates".to_string()),
                "Invalid value [p, p] for configuration predicates: Duplicate alias provided."
                    .to_string()
            ),
        ]
    );
}

#[test]
fn missing_or_unknown_types() {
    assert_eq!(
        issues(&[
            ("transforms", "a,b,c,d"),
            ("transforms.b.type", "com.example.Nope"),
            ("transforms.c.type", "HasHeaderKey"),
            ("transforms.d.type", " "),
            ("predicates", "p,q"),
            ("predicates.q.type", "Filter"),
        ]),
        [
            (
                Some("transforms.a.type".to_string()),
                "Missing required configuration \"transforms.a.type\" which has no default value."
                    .to_string()
            ),
            (
                Some("transforms.b.type".to_string()),
                "Invalid value com.example.Nope for configuration transforms.b.type: \
Class com.example.Nope could not be found."
                    .to_string()
            ),
            (
                Some("transforms.c.type".to_string()),
                "Invalid value HasHeaderKey for configuration transforms.c.type: Not a Transformation"
                    .to_string()
            ),
            (
                Some("transforms.d.type".to_string()),
                "Invalid value   for configuration transforms.d.type: Class   could not be found."
                    .to_string()
            ),
            (
                Some("predicates.p.type".to_string()),
                "Missing required configuration \"predicates.p.type\" which has no default value."
                    .to_string()
            ),
            (
                Some("predicates.q.type".to_string()),
                "Invalid value Filter for configuration predicates.q.type: Not a Predicate"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn predicate_references() {
    assert_eq!(
        issues(&[
            ("transforms", "a,b,c"),
            ("transforms.a.type", "Filter"),
            ("transforms.a.predicate", "nope"),
            ("transforms.b.type", "Filter"),
            ("transforms.b.negate", "true"),
            ("transforms.c.type", "Filter"),
            ("transforms.c.predicate", "p"),
            ("transforms.c.negate", "yes"),
            ("predicates", "p"),
            ("predicates.p.type", "RecordIsTombstone"),
        ]),
        [
            (
                Some("transforms.a.predicate".to_string()),
                "Invalid value nope for configuration transforms.a.predicate: \
Predicate 'nope' is not defined: it is not listed in 'predicates'"
                    .to_string()
            ),
            (
                Some("transforms.b.negate".to_string()),
                "Config 'transforms.b.negate' was provided but there is no config \
'transforms.b.predicate' defining a predicate to be negated."
                    .to_string()
            ),
            (
                Some("transforms.c.negate".to_string()),
                "Invalid value yes for configuration transforms.c.negate: \
Expected value to be either true or false"
                    .to_string()
            ),
        ]
    );
}

#[test]
fn plugin_config_errors_are_rekeyed_and_all_collected() {
    let e = config_error(&[
        ("transforms", "r,hf,ok"),
        ("transforms.r.type", "RegexRouter"),
        ("transforms.r.regex", "["),
        ("transforms.hf.type", "HeaderFrom$Value"),
        ("transforms.hf.fields", "a"),
        ("transforms.hf.headers", "b,c"),
        ("transforms.hf.operation", "copy"),
        ("transforms.ok.type", "Filter"),
        ("predicates", "h,t"),
        ("predicates.h.type", "HasHeaderKey"),
        ("predicates.h.name", ""),
        ("predicates.t.type", "TopicNameMatches"),
    ]);
    let got: Vec<(Option<String>, String)> = e
        .issues()
        .map(|i| (i.name().map(str::to_string), i.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some("transforms.r.regex".to_string()),
                "Invalid value [ for configuration transforms.r.regex: Invalid regex: \
Unclosed character class near index 0\n[\n^"
                    .to_string()
            ),
            (
                Some("transforms.r.replacement".to_string()),
                "Missing required configuration \"transforms.r.replacement\" which has no default value."
                    .to_string()
            ),
            (
                Some("transforms.hf.type".to_string()),
                "'fields' config must have the same number of elements as 'headers' config."
                    .to_string()
            ),
            (
                Some("predicates.h.name".to_string()),
                "Invalid value  for configuration predicates.h.name: String must be non-empty"
                    .to_string()
            ),
            (
                Some("predicates.t.pattern".to_string()),
                "Missing required configuration \"predicates.t.pattern\" which has no default value."
                    .to_string()
            ),
        ]
    );
    assert_eq!(e.issue_count(), 5);
}

#[test]
fn rekeying_keeps_each_form() {
    let p = "transforms.x.";
    let t = "transforms.x.type";
    let cases = [
        (
            ConfigIssue::invalid_value("k", "v", "bad"),
            "Invalid value v for configuration transforms.x.k: bad",
        ),
        (
            ConfigIssue::invalid_null("k", "bad"),
            "Invalid value null for configuration transforms.x.k: bad",
        ),
        (
            ConfigIssue::invalid_key("k", "bad"),
            "Invalid configuration transforms.x.k: bad",
        ),
        (
            ConfigIssue::missing("k"),
            "Missing required configuration \"transforms.x.k\" which has no default value.",
        ),
        (ConfigIssue::keyed_message("k", "free"), "free"),
        (ConfigIssue::message("loose"), "loose"),
    ];
    for (issue, text) in cases {
        let out = issue.under_prefix(p, t);
        assert_eq!(out.to_string(), text);
        assert!(out.name().is_some_and(|n| n.starts_with("transforms.x.")));
    }
}

/// A predicate that always fails.
struct Broken;

impl Predicate<SourceMeta> for Broken {
    fn test(&self, _record: &Record<SourceMeta>) -> Result<bool> {
        Err(ConnectError::other("predicate broke"))
    }
}

/// A transformation that always fails with a retriable error.
struct Flaky;

impl Transformation<SourceMeta> for Flaky {
    fn apply(&self, _record: &mut Record<SourceMeta>) -> Result<Transformed> {
        Err(ConnectError::retriable("try again"))
    }
}

#[test]
fn predicate_and_retriable_failures() {
    let c = TransformationChain::new(vec![
        ChainStage {
            alias: "guarded".into(),
            class: "com.example.Guarded".into(),
            transformation: Box::new(Flaky),
            predicate: Some(StagePredicate {
                info: Arc::new(PredicateInfo {
                    alias: "broken".to_string(),
                    class: "com.example.Broken".to_string(),
                }),
                predicate: Arc::new(Broken),
                negate: false,
            }),
        },
        ChainStage {
            alias: "flaky".into(),
            class: "com.example.Flaky".into(),
            transformation: Box::new(Flaky),
            predicate: None,
        },
    ]);
    let e = c.apply(record("orders")).unwrap_err();
    assert_eq!(e.index, 0);
    assert_eq!(
        e.predicate.as_deref(),
        Some(&PredicateInfo {
            alias: "broken".to_string(),
            class: "com.example.Broken".to_string()
        })
    );
    assert_eq!(&*e.class, "com.example.Guarded");
    assert!(!e.is_tolerable());
    assert_eq!(
        e.to_string(),
        "Error in stage TRANSFORMATION testing predicate 'broken' (com.example.Broken) of \
transformation 'guarded' (com.example.Guarded): predicate broke"
    );
    let c = TransformationChain::new(c.stages.into_iter().skip(1).collect());
    let e = c.apply(record("orders")).unwrap_err();
    assert!(e.is_retriable());
    assert!(!e.is_tolerable());
    assert_eq!(&*e.alias, "flaky");
}

#[test]
fn stage_names_are_kafkas() {
    let all = [
        (Stage::KeyConverter, "KEY_CONVERTER"),
        (Stage::ValueConverter, "VALUE_CONVERTER"),
        (Stage::HeaderConverter, "HEADER_CONVERTER"),
        (Stage::Transformation, "TRANSFORMATION"),
        (Stage::TaskPut, "TASK_PUT"),
        (Stage::TaskPoll, "TASK_POLL"),
        (Stage::KafkaProduce, "KAFKA_PRODUCE"),
        (Stage::KafkaConsume, "KAFKA_CONSUME"),
    ];
    for (stage, name) in all {
        assert_eq!(stage.name(), name);
        assert_eq!(stage.to_string(), name);
    }
}

#[test]
fn transforms_receive_their_type_key_like_kafka() {
    // Kafka passes `type` along with the transform's own keys; unknown keys are ignored.
    let c = chain(&[
        ("transforms", "ins"),
        ("transforms.ins.type", "InsertHeader"),
        ("transforms.ins.header", "h"),
        ("transforms.ins.value.literal", "7"),
        ("transforms.ins.unrelated", "x"),
    ]);
    let out = c.apply(record("orders")).unwrap().unwrap();
    let last = out.headers.iter().last().unwrap();
    assert_eq!(last.key, "h");
    assert_eq!(last.value, Value::Int8(7));
}
