#![allow(clippy::unwrap_used)]

use super::*;
use crate::offsets::OffsetCodec;

fn config(pairs: &[(&str, &str)]) -> Config {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn connector(name: &str, file: &str) -> ConfigRecord {
    ConfigRecord::Connector {
        name: name.into(),
        config: Some(config(&[
            ("connector.class", "FileStreamSource"),
            ("file", file),
        ])),
    }
}

fn task(connector: &str, task: u32) -> ConfigRecord {
    ConfigRecord::Task {
        connector: connector.into(),
        task,
        config: config(&[("task", &task.to_string())]),
    }
}

fn commit(connector: &str, tasks: u32) -> ConfigRecord {
    ConfigRecord::Commit {
        connector: connector.into(),
        tasks,
    }
}

/// Applies records at offsets 0, 1, …; returns the changes.
fn apply(state: &mut ConfigState, records: Vec<ConfigRecord>) -> Vec<Option<ConfigChange>> {
    let start = state.offset;
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| state.apply(r, start + i as i64))
        .collect()
}

#[test]
fn task_configs_count_only_once_committed_and_replace_the_old_ones() {
    let mut s = ConfigState::default();
    let changes = apply(
        &mut s,
        vec![
            connector("a", "x"),
            task("a", 0),
            task("a", 1),
            task("a", 2),
        ],
    );
    assert_eq!(changes[0], Some(ConfigChange::ConnectorConfig("a".into())));
    assert_eq!(changes[1..], [None, None, None]);
    assert_eq!(s.task_count("a"), 0, "nothing committed yet");
    assert_eq!(s.target_state("a"), Some(TargetState::Started));

    let changes = apply(&mut s, vec![commit("a", 3)]);
    assert_eq!(changes, [Some(ConfigChange::TaskConfigs("a".into()))]);
    assert_eq!(s.task_count("a"), 3);
    assert_eq!(s.task_configs("a")[2]["task"], "2");
    assert_eq!(s.offset, 5);

    // fewer tasks: the new commit replaces all of them
    apply(&mut s, vec![task("a", 0), commit("a", 1)]);
    assert_eq!(s.task_count("a"), 1);
    // stopping writes {"tasks":0}
    apply(&mut s, vec![commit("a", 0)]);
    assert_eq!(s.task_count("a"), 0);
    assert!(!s.is_inconsistent("a"));
}

#[test]
fn an_incomplete_commit_makes_the_connector_inconsistent_until_a_complete_one() {
    let mut s = ConfigState::default();
    apply(
        &mut s,
        vec![
            connector("a", "x"),
            task("a", 0),
            task("a", 1),
            commit("a", 2),
        ],
    );
    // task 1 of the next generation was lost (or compacted away)
    apply(&mut s, vec![task("a", 0), commit("a", 2)]);
    assert!(s.is_inconsistent("a"));
    assert_eq!(
        s.task_count("a"),
        0,
        "an inconsistent connector runs no tasks"
    );
    apply(&mut s, vec![task("a", 0), task("a", 1), commit("a", 2)]);
    assert!(!s.is_inconsistent("a"));
    assert_eq!(s.task_count("a"), 2);
}

#[test]
fn target_states_follow_their_records_and_deletion_removes_everything() {
    let mut s = ConfigState::default();
    apply(
        &mut s,
        vec![
            // KIP-980 create with initial_state: the target state comes first
            ConfigRecord::TargetState {
                connector: "a".into(),
                state: Some(TargetState::Stopped),
            },
            connector("a", "x"),
            task("a", 0),
            commit("a", 1),
        ],
    );
    assert_eq!(s.target_state("a"), Some(TargetState::Stopped));
    let changes = apply(
        &mut s,
        vec![
            ConfigRecord::TargetState {
                connector: "a".into(),
                state: None,
            },
            ConfigRecord::Connector {
                name: "a".into(),
                config: None,
            },
        ],
    );
    assert_eq!(changes[1], Some(ConfigChange::ConnectorRemoved("a".into())));
    assert!(!s.contains("a"));
    assert_eq!(s.target_state("a"), None);
    assert_eq!(s.task_count("a"), 0);
    // re-created: starts again, with no tasks until its own commit
    apply(&mut s, vec![connector("a", "y")]);
    assert_eq!(s.target_state("a"), Some(TargetState::Started));
    assert_eq!(s.task_count("a"), 0);
    assert_eq!(s.connector_config("a").unwrap()["file"], "y");
}

#[test]
fn a_topic_written_by_java_connect_reads_into_its_connectors_and_tasks() {
    // the records a Java worker writes for `local-file-source` with 1 task, then a pause
    let codec = OffsetCodec::new().unwrap();
    let topic: [(&str, Option<&str>); 5] = [
        (
            "connector-local-file-source",
            Some(
                r#"{"properties":{"connector.class":"FileStreamSource","file":"test.txt","name":"local-file-source","topic":"connect-test"}}"#,
            ),
        ),
        (
            "target-state-local-file-source",
            Some(r#"{"state":"STARTED","state.v2":"STARTED"}"#),
        ),
        (
            "task-local-file-source-0",
            Some(
                r#"{"properties":{"file":"test.txt","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","topic":"connect-test"}}"#,
            ),
        ),
        ("commit-local-file-source", Some(r#"{"tasks":1}"#)),
        (
            "target-state-local-file-source",
            Some(r#"{"state":"PAUSED","state.v2":"PAUSED"}"#),
        ),
    ];
    let mut s = ConfigState::default();
    for (offset, (key, value)) in topic.iter().enumerate() {
        let record = ConfigRecord::decode(&codec, key, value.map(str::as_bytes))
            .unwrap()
            .unwrap();
        s.apply(record, offset as i64);
    }
    assert_eq!(s.connectors().collect::<Vec<_>>(), ["local-file-source"]);
    assert_eq!(
        s.target_state("local-file-source"),
        Some(TargetState::Paused)
    );
    assert_eq!(
        s.task_configs("local-file-source")[0]["task.class"],
        "org.apache.kafka.connect.file.FileStreamSourceTask"
    );
    assert_eq!(s.offset, 5);
}
