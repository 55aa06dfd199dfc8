#![allow(clippy::unwrap_used)]

use super::*;

fn codec() -> OffsetCodec {
    OffsetCodec::new().unwrap()
}

fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Records as Java Kafka Connect writes them (key, value bytes) and what they mean. The
/// values' fields are in the order of Kafka's schemas, so encoding gives the same bytes.
fn fixtures() -> Vec<(&'static str, Option<&'static str>, ConfigRecord)> {
    vec![
        (
            "connector-local-file-source",
            Some(
                r#"{"properties":{"connector.class":"FileStreamSource","file":"test.txt","name":"local-file-source"}}"#,
            ),
            ConfigRecord::Connector {
                name: "local-file-source".into(),
                config: Some(config(&[
                    ("connector.class", "FileStreamSource"),
                    ("file", "test.txt"),
                    ("name", "local-file-source"),
                ])),
            },
        ),
        (
            "connector-gone",
            None,
            ConfigRecord::Connector {
                name: "gone".into(),
                config: None,
            },
        ),
        (
            "task-local-file-source-0",
            Some(
                r#"{"properties":{"file":"test.txt","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask"}}"#,
            ),
            ConfigRecord::Task {
                connector: "local-file-source".into(),
                task: 0,
                config: config(&[
                    ("file", "test.txt"),
                    (
                        "task.class",
                        "org.apache.kafka.connect.file.FileStreamSourceTask",
                    ),
                ]),
            },
        ),
        (
            "commit-local-file-source",
            Some(r#"{"tasks":1}"#),
            ConfigRecord::Commit {
                connector: "local-file-source".into(),
                tasks: 1,
            },
        ),
        (
            "target-state-local-file-source",
            Some(r#"{"state":"PAUSED","state.v2":"STOPPED"}"#),
            ConfigRecord::TargetState {
                connector: "local-file-source".into(),
                state: Some(TargetState::Stopped),
            },
        ),
        (
            "target-state-running",
            Some(r#"{"state":"STARTED","state.v2":"STARTED"}"#),
            ConfigRecord::TargetState {
                connector: "running".into(),
                state: Some(TargetState::Started),
            },
        ),
        (
            "target-state-deleted",
            None,
            ConfigRecord::TargetState {
                connector: "deleted".into(),
                state: None,
            },
        ),
        (
            "tasks-fencing-eos-source",
            Some(r#"{"task-count":3}"#),
            ConfigRecord::TaskFencing {
                connector: "eos-source".into(),
                task_count: 3,
            },
        ),
        (
            "session-key",
            Some(
                r#"{"key":"c2VjcmV0LWtleQ==","algorithm":"HmacSHA256","creation-timestamp":1700000000000}"#,
            ),
            ConfigRecord::SessionKey {
                key: "c2VjcmV0LWtleQ==".into(),
                algorithm: "HmacSHA256".into(),
                creation_timestamp: 1_700_000_000_000,
            },
        ),
        (
            "restart-connector-local-file-source",
            Some(r#"{"include-tasks":true,"only-failed":false}"#),
            ConfigRecord::Restart {
                connector: "local-file-source".into(),
                include_tasks: true,
                only_failed: false,
            },
        ),
        (
            "logger-cluster-org.apache.kafka.connect",
            Some(r#"{"level":"DEBUG"}"#),
            ConfigRecord::LoggerLevel {
                namespace: "org.apache.kafka.connect".into(),
                level: "DEBUG".into(),
            },
        ),
    ]
}

#[test]
fn every_kind_decodes_from_and_encodes_to_kafkas_bytes() {
    let c = codec();
    for (key, value, record) in fixtures() {
        let decoded = ConfigRecord::decode(&c, key, value.map(str::as_bytes))
            .unwrap()
            .unwrap();
        assert_eq!(decoded, record, "{key}");
        let (k, v) = record.encode(&c).unwrap();
        assert_eq!(k, key);
        assert_eq!(
            v.as_deref().map(|b| std::str::from_utf8(b).unwrap()),
            value,
            "{key}"
        );
    }
}

#[test]
fn java_map_order_and_old_workers_records_are_read() {
    let c = codec();
    // a Java HashMap writes properties in its own order
    let r = ConfigRecord::decode(
        &c,
        "connector-a",
        Some(br#"{"properties":{"name":"a","connector.class":"X","tasks.max":"2"}}"#),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        r,
        ConfigRecord::Connector {
            name: "a".into(),
            config: Some(config(&[
                ("connector.class", "X"),
                ("name", "a"),
                ("tasks.max", "2")
            ])),
        }
    );
    // a worker older than KIP-875 writes only `state`
    let r = ConfigRecord::decode(&c, "target-state-a", Some(br#"{"state":"PAUSED"}"#))
        .unwrap()
        .unwrap();
    assert_eq!(
        r,
        ConfigRecord::TargetState {
            connector: "a".into(),
            state: Some(TargetState::Paused)
        }
    );
    // a connector name with dashes and digits: the task number is after the last dash
    let r = ConfigRecord::decode(&c, "task-my-conn-2-11", Some(br#"{"properties":{}}"#))
        .unwrap()
        .unwrap();
    assert_eq!(
        r,
        ConfigRecord::Task {
            connector: "my-conn-2".into(),
            task: 11,
            config: BTreeMap::new()
        }
    );
}

#[test]
fn unknown_kinds_are_skipped_and_bad_values_name_the_key() {
    let c = codec();
    assert_eq!(
        ConfigRecord::decode(&c, "something-new", Some(b"{}")).unwrap(),
        None
    );
    let err = ConfigRecord::decode(&c, "commit-a", Some(br#"{"tasks":"three"}"#)).unwrap_err();
    assert!(err.to_string().contains("commit-a"), "{err}");
    assert!(err.to_string().contains("tasks"), "{err}");
    let err = ConfigRecord::decode(&c, "task-a-x", Some(br#"{"properties":{}}"#)).unwrap_err();
    assert!(err.to_string().contains("task id"), "{err}");
    let err = ConfigRecord::decode(&c, "commit-a", None).unwrap_err();
    assert!(err.to_string().contains("commit-a"), "{err}");
    let err =
        ConfigRecord::decode(&c, "target-state-a", Some(br#"{"state":"RUNNING"}"#)).unwrap_err();
    assert!(err.to_string().contains("state"), "{err}");
}
