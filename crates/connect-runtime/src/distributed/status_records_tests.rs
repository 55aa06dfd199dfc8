#![allow(clippy::unwrap_used)]

use super::*;

fn codec() -> OffsetCodec {
    OffsetCodec::new().unwrap()
}

fn worker(state: State, trace: Option<&str>, worker_id: &str, generation: i32) -> WorkerStatus {
    WorkerStatus {
        state,
        trace: trace.map(str::to_string),
        worker_id: worker_id.into(),
        generation,
    }
}

/// Records as Java Kafka Connect writes them and what they mean.
fn fixtures() -> Vec<(&'static str, Option<&'static str>, StatusRecord)> {
    vec![
        (
            "status-connector-local-file-source",
            Some(r#"{"state":"RUNNING","trace":null,"worker_id":"10.0.0.1:8083","generation":7}"#),
            StatusRecord {
                key: StatusKey::Connector("local-file-source".into()),
                value: Some(StatusValue::Worker(worker(
                    State::Running,
                    None,
                    "10.0.0.1:8083",
                    7,
                ))),
            },
        ),
        (
            "status-task-local-file-source-0",
            Some(r#"{"state":"FAILED","trace":"org.apache.kafka.connect.errors.ConnectException: boom\n\tat X.y(X.java:1)\n","worker_id":"10.0.0.2:8083","generation":8}"#),
            StatusRecord {
                key: StatusKey::Task("local-file-source".into(), 0),
                value: Some(StatusValue::Worker(worker(
                    State::Failed,
                    Some("org.apache.kafka.connect.errors.ConnectException: boom\n\tat X.y(X.java:1)\n"),
                    "10.0.0.2:8083",
                    8,
                ))),
            },
        ),
        (
            "status-task-gone-3",
            None,
            StatusRecord {
                key: StatusKey::Task("gone".into(), 3),
                value: None,
            },
        ),
        (
            "status-topic-connect-test:connector-local-file-source",
            Some(r#"{"topic":{"name":"connect-test","connector":"local-file-source","task":0,"discoverTimestamp":1700000000123}}"#),
            StatusRecord {
                key: StatusKey::Topic {
                    topic: "connect-test".into(),
                    connector: "local-file-source".into(),
                },
                value: Some(StatusValue::Topic(TopicStatus {
                    topic: "connect-test".into(),
                    connector: "local-file-source".into(),
                    task: 0,
                    discover_timestamp: 1_700_000_000_123,
                })),
            },
        ),
    ]
}

#[test]
fn every_kind_decodes_from_and_encodes_to_kafkas_bytes() {
    let c = codec();
    for (key, value, record) in fixtures() {
        let decoded = StatusRecord::decode(&c, key, value.map(str::as_bytes))
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
fn unknown_keys_are_skipped_and_bad_values_name_the_key() {
    let c = codec();
    assert_eq!(
        StatusRecord::decode(&c, "status-other-x", Some(b"{}")).unwrap(),
        None
    );
    let err = StatusRecord::decode(
        &c,
        "status-connector-a",
        Some(br#"{"state":"SLEEPING","trace":null,"worker_id":"w","generation":1}"#),
    )
    .unwrap_err();
    assert!(err.to_string().contains("status-connector-a"), "{err}");
    assert!(err.to_string().contains("state"), "{err}");
    let err =
        StatusRecord::decode(&c, "status-task-a-0", Some(br#"{"state":"RUNNING"}"#)).unwrap_err();
    assert!(err.to_string().contains("worker_id"), "{err}");
}

#[test]
fn a_stale_worker_never_overwrites_a_newer_owner() {
    let stored = worker(State::Running, None, "w1:8083", 5);
    assert!(write_wins(None, &stored));
    // the same worker may always update its own status
    assert!(write_wins(
        Some(&stored),
        &worker(State::Paused, None, "w1:8083", 4)
    ));
    // another worker only from a later generation
    assert!(!write_wins(
        Some(&stored),
        &worker(State::Unassigned, None, "w2:8083", 5)
    ));
    assert!(write_wins(
        Some(&stored),
        &worker(State::Running, None, "w2:8083", 6)
    ));
}
