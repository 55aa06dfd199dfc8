#![allow(clippy::unwrap_used)]

use super::*;

use testkit::config_map as map;

fn issues(e: ConnectError) -> String {
    e.to_string()
}

#[test]
fn sink_needs_exactly_one_of_topics_and_regex() {
    let base = [("name", "s"), ("connector.class", "FileStreamSink")];
    let ok = SinkConfig::parse(&map(&[base[0], base[1], ("topics", "a, b")])).unwrap();
    assert_eq!(ok.topics, Topics::List(vec!["a".into(), "b".into()]));
    assert_eq!(ok.common.tasks_max, 1);
    assert_eq!(ok.common.errors.tolerance, Tolerance::None);
    assert_eq!(ok.common.errors.retry_timeout, Some(Duration::ZERO));
    let err = issues(SinkConfig::parse(&map(&base)).unwrap_err());
    assert!(
        err.contains("Must configure one of topics or topics.regex"),
        "{err}"
    );
    let err = issues(
        SinkConfig::parse(&map(&[
            base[0],
            base[1],
            ("topics", "a"),
            ("topics.regex", "b.*"),
        ]))
        .unwrap_err(),
    );
    assert!(err.contains("mutually exclusive"), "{err}");
    let r = SinkConfig::parse(&map(&[base[0], base[1], ("topics.regex", "orders-.*")])).unwrap();
    assert_eq!(r.topics, Topics::Regex("orders-.*".into()));
}

#[test]
fn sink_dlq_settings() {
    let c = SinkConfig::parse(&map(&[
        ("name", "s"),
        ("connector.class", "X"),
        ("topics", "in"),
        ("errors.tolerance", "all"),
        ("errors.retry.timeout", "-1"),
        ("errors.deadletterqueue.topic.name", "dlq"),
        ("errors.deadletterqueue.topic.replication.factor", "1"),
        ("errors.deadletterqueue.context.headers.enable", "true"),
    ]))
    .unwrap();
    assert_eq!(
        c.dlq,
        Some(DlqConfig {
            topic: "dlq".to_string(),
            replication_factor: 1,
            context_headers: true,
        })
    );
    assert_eq!(c.common.errors.tolerance, Tolerance::All);
    assert_eq!(c.common.errors.retry_timeout, None);
    let err = issues(
        SinkConfig::parse(&map(&[
            ("name", "s"),
            ("connector.class", "X"),
            ("topics", "in,dlq"),
            ("errors.deadletterqueue.topic.name", "dlq"),
        ]))
        .unwrap_err(),
    );
    assert!(err.contains("may not be included"), "{err}");
}

#[test]
fn common_keys_are_validated_together() {
    let err = issues(
        ConnectorConfig::parse(&map(&[("tasks.max", "0"), ("errors.tolerance", "some")]))
            .unwrap_err(),
    );
    for needle in [
        "\"name\"",
        "\"connector.class\"",
        "tasks.max",
        "errors.tolerance",
        "some",
    ] {
        assert!(err.contains(needle), "{needle}: {err}");
    }
}

#[test]
fn topic_creation_groups_match_in_order() {
    let c = SourceConfig::parse(
        &map(&[
            ("name", "src"),
            ("connector.class", "FileStreamSource"),
            ("topic.creation.groups", "compacted"),
            ("topic.creation.default.replication.factor", "1"),
            ("topic.creation.default.partitions", "3"),
            ("topic.creation.default.compression.type", "lz4"),
            ("topic.creation.compacted.include", "state-.*, .*-log"),
            ("topic.creation.compacted.exclude", "state-tmp"),
            ("topic.creation.compacted.cleanup.policy", "compact"),
            ("topic.creation.compacted.partitions", "1"),
        ]),
        true,
    )
    .unwrap();
    let g = c.creation_group("state-x").unwrap();
    assert_eq!(g.name, "compacted");
    assert_eq!(g.partitions, 1);
    assert_eq!(g.replication_factor, 1);
    assert_eq!(
        g.configs.get("cleanup.policy").map(String::as_str),
        Some("compact")
    );
    let d = c.creation_group("state-tmp").unwrap();
    assert_eq!(d.name, "default");
    assert_eq!(d.partitions, 3);
    assert_eq!(
        d.configs.get("compression.type").map(String::as_str),
        Some("lz4")
    );

    let off =
        SourceConfig::parse(&map(&[("name", "src"), ("connector.class", "X")]), true).unwrap();
    assert!(off.creation_group("t").is_none());
    let err = issues(
        SourceConfig::parse(
            &map(&[
                ("name", "src"),
                ("connector.class", "X"),
                ("topic.creation.default.partitions", "0"),
            ]),
            true,
        )
        .unwrap_err(),
    );
    assert!(err.contains("topic.creation.default.partitions"), "{err}");
    assert!(
        err.contains("topic.creation.default.replication.factor"),
        "{err}"
    );
}

#[test]
fn source_dead_letter_queue_is_a_ferry_extension_with_the_sink_keys() {
    let base = [("name", "s"), ("connector.class", "FileStreamSource")];
    let none = SourceConfig::parse(&map(&base), true).unwrap();
    assert_eq!(none.dlq, None);
    let c = SourceConfig::parse(
        &map(&[
            base[0],
            base[1],
            ("errors.deadletterqueue.topic.name", " src-dlq "),
            ("errors.deadletterqueue.context.headers.enable", "true"),
        ]),
        true,
    )
    .unwrap();
    assert_eq!(
        c.dlq,
        Some(DlqConfig {
            topic: "src-dlq".to_string(),
            replication_factor: 3,
            context_headers: true,
        })
    );
    let err = SourceConfig::parse(
        &map(&[
            base[0],
            base[1],
            ("errors.deadletterqueue.topic.name", "d"),
            ("errors.deadletterqueue.topic.replication.factor", "many"),
        ]),
        true,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("errors.deadletterqueue.topic.replication.factor") && err.contains("many"),
        "{err}"
    );
}
