//! End-to-end: a cluster moves from Java Kafka Connect to Ferry. The config, offset and
//! status topics hold records as a Java cluster writes them (reference §4: keys, JSON values,
//! Java's partitioning, a deleted connector, a session key, old statuses of Java workers);
//! a `ferry distributed` worker started on them runs the same connectors in the same target
//! states, and the source resumes from the offset the Java worker committed. The Ferry leader
//! then renews the session key, and takes task configs only signed with it (KIP-507).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::signing::{last_session_key, post_signed};
use common::worker::{free_port, http, write, Worker};
use kafka::admin::{Admin, TopicSpec};
use kafka::topic_writer::TopicWriter;
use testkit::unique_name as unique;

/// The input lines: `line NNNNNNNNN\n`, 15 bytes each.
const LINES: usize = 100;
const LINE_BYTES: usize = 15;
/// The lines the Java worker had sent (and committed the position after).
const SENT_BY_JAVA: usize = 40;

const SOURCE_CLASS: &str = "org.apache.kafka.connect.file.FileStreamSourceConnector";
const SINK_CLASS: &str = "org.apache.kafka.connect.file.FileStreamSinkConnector";

/// A connector config's JSON object (keys in the order given, as Java's `HashMap` would
/// give some order of its own).
fn properties(pairs: &[(&str, &str)]) -> String {
    let fields: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}:{}", json(k), json(v)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

type Records = Vec<(Vec<u8>, Option<Vec<u8>>)>;

fn record(key: &str, value: Option<String>) -> (Vec<u8>, Option<Vec<u8>>) {
    (key.as_bytes().to_vec(), value.map(String::into_bytes))
}

/// The config topic as a Java cluster leaves it: a source and a sink running, one connector
/// paused and one stopped (each through `target-state-` records as Kafka 3.5+ writes them),
/// one deleted, and the leader's session key.
fn config_records(
    p: &str,
    input: &Path,
    paused_input: &Path,
    output: &Path,
    topic: &str,
) -> Records {
    let (input, paused_input, output) = (
        input.display().to_string(),
        paused_input.display().to_string(),
        output.display().to_string(),
    );
    let source = properties(&[
        ("connector.class", SOURCE_CLASS),
        ("file", &input),
        ("tasks.max", "1"),
        ("name", &format!("{p}-source")),
        ("topic", topic),
    ]);
    let source_task = properties(&[
        ("connector.class", SOURCE_CLASS),
        ("file", &input),
        (
            "task.class",
            "org.apache.kafka.connect.file.FileStreamSourceTask",
        ),
        ("tasks.max", "1"),
        ("name", &format!("{p}-source")),
        ("topic", topic),
    ]);
    let sink = properties(&[
        ("connector.class", SINK_CLASS),
        ("file", &output),
        ("tasks.max", "1"),
        ("topics", topic),
        ("name", &format!("{p}-sink")),
    ]);
    let sink_task = properties(&[
        ("connector.class", SINK_CLASS),
        ("file", &output),
        (
            "task.class",
            "org.apache.kafka.connect.file.FileStreamSinkTask",
        ),
        ("tasks.max", "1"),
        ("topics", topic),
        ("name", &format!("{p}-sink")),
    ]);
    let paused = properties(&[
        ("connector.class", SOURCE_CLASS),
        ("file", &paused_input),
        ("name", &format!("{p}-paused")),
        ("topic", &format!("{topic}-paused")),
    ]);
    let paused_task = properties(&[
        ("connector.class", SOURCE_CLASS),
        ("file", &paused_input),
        (
            "task.class",
            "org.apache.kafka.connect.file.FileStreamSourceTask",
        ),
        ("name", &format!("{p}-paused")),
        ("topic", &format!("{topic}-paused")),
    ]);
    let stopped = properties(&[
        ("connector.class", SINK_CLASS),
        ("file", &output),
        ("topics", &format!("{topic}-stopped")),
        ("name", &format!("{p}-stopped")),
    ]);
    let deleted = properties(&[
        ("connector.class", SINK_CLASS),
        ("file", &output),
        ("topics", topic),
        ("name", &format!("{p}-deleted")),
    ]);
    let wrapped = |p: &str| Some(format!(r#"{{"properties":{p}}}"#));
    vec![
        record(
            "session-key",
            Some(format!(
                r#"{{"key":"{JAVA_SESSION_KEY}","algorithm":"HmacSHA256","creation-timestamp":1700000000000}}"#
            )),
        ),
        record(&format!("connector-{p}-source"), wrapped(&source)),
        record(&format!("task-{p}-source-0"), wrapped(&source_task)),
        record(&format!("commit-{p}-source"), Some(r#"{"tasks":1}"#.into())),
        record(&format!("connector-{p}-sink"), wrapped(&sink)),
        record(&format!("task-{p}-sink-0"), wrapped(&sink_task)),
        record(&format!("commit-{p}-sink"), Some(r#"{"tasks":1}"#.into())),
        // created paused (KIP-980): the target state comes before the connector
        record(
            &format!("target-state-{p}-paused"),
            Some(r#"{"state":"PAUSED","state.v2":"PAUSED"}"#.into()),
        ),
        record(&format!("connector-{p}-paused"), wrapped(&paused)),
        record(&format!("task-{p}-paused-0"), wrapped(&paused_task)),
        record(&format!("commit-{p}-paused"), Some(r#"{"tasks":1}"#.into())),
        // stopped: no task configs, and the old `state` says PAUSED for older workers
        record(&format!("connector-{p}-stopped"), wrapped(&stopped)),
        record(
            &format!("commit-{p}-stopped"),
            Some(r#"{"tasks":0}"#.into()),
        ),
        record(
            &format!("target-state-{p}-stopped"),
            Some(r#"{"state":"PAUSED","state.v2":"STOPPED"}"#.into()),
        ),
        // deleted: the connector's tombstone, then its target state's
        record(&format!("connector-{p}-deleted"), wrapped(&deleted)),
        record(&format!("connector-{p}-deleted"), None),
        record(&format!("target-state-{p}-deleted"), None),
    ]
}

/// The offset topic: the source's position after `SENT_BY_JAVA` lines (an older one first),
/// and the paused source's after one line.
fn offset_records(p: &str, input: &Path, paused_input: &Path) -> Records {
    let key = |name: &str, file: &Path| {
        format!(
            r#"["{name}",{{"filename":{}}}]"#,
            json(&file.display().to_string())
        )
    };
    vec![
        record(
            &key(&format!("{p}-source"), input),
            Some(format!(r#"{{"position":{}}}"#, 10 * LINE_BYTES)),
        ),
        record(
            &key(&format!("{p}-source"), input),
            Some(format!(r#"{{"position":{}}}"#, SENT_BY_JAVA * LINE_BYTES)),
        ),
        record(
            &key(&format!("{p}-paused"), paused_input),
            Some(format!(r#"{{"position":{LINE_BYTES}}}"#)),
        ),
    ]
}

/// The status topic: what the Java workers last reported, in a late generation.
fn status_records(p: &str) -> Records {
    let status = |state: &str| {
        Some(format!(
            r#"{{"state":"{state}","trace":null,"worker_id":"10.0.0.7:8083","generation":41}}"#
        ))
    };
    vec![
        record(&format!("status-connector-{p}-source"), status("RUNNING")),
        record(&format!("status-task-{p}-source-0"), status("RUNNING")),
        record(&format!("status-connector-{p}-sink"), status("RUNNING")),
        record(&format!("status-task-{p}-sink-0"), status("RUNNING")),
        record(&format!("status-connector-{p}-paused"), status("PAUSED")),
        record(&format!("status-task-{p}-paused-0"), status("PAUSED")),
        record(&format!("status-connector-{p}-stopped"), status("STOPPED")),
    ]
}

/// The Java leader's session key (expired long ago).
const JAVA_SESSION_KEY: &str = "2bYz0s8XCqfKJbP9o3k3cVh4n0kQ0ZcH2mJq0Tq4Q1M=";

fn settings(bootstrap: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("bootstrap.servers".to_string(), bootstrap.to_string())])
}

/// Creates the topics and writes the records, as the Java cluster did.
fn java_cluster_wrote(bootstrap: &str, topics: &[(&str, i32, bool)], records: &[(&str, Records)]) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let admin = Admin::new(&settings(bootstrap)).unwrap();
    for (name, partitions, compact) in topics {
        let configs = if *compact {
            BTreeMap::from([("cleanup.policy".to_string(), "compact".to_string())])
        } else {
            BTreeMap::new()
        };
        let spec = TopicSpec {
            name: name.to_string(),
            partitions: *partitions,
            replication_factor: 1,
            configs,
        };
        assert!(
            runtime.block_on(admin.create_topic(&spec)).unwrap(),
            "{name} is new"
        );
    }
    for (topic, entries) in records {
        let writer =
            TopicWriter::new(&settings(bootstrap), topic, Duration::from_secs(30)).unwrap();
        writer.write_all_blocking(entries).unwrap();
    }
}

fn get(port: u16, path: &str) -> serde_json::Value {
    let r = http(port, "GET", path, None).unwrap_or_else(|| panic!("GET {path}: no answer"));
    assert_eq!(r.status, 200, "GET {path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Waits until `check` holds for `GET path` (the worker joins its group first).
fn wait_for(port: u16, path: &str, what: &str, check: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Some(r) = http(port, "GET", path, None) {
            if r.status == 200 {
                if let Ok(body) = serde_json::from_str::<serde_json::Value>(&r.body) {
                    if check(&body) {
                        return;
                    }
                }
            }
            last = format!("{} {}", r.status, r.body);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("{what}: not reached; last GET {path}: {last}");
}

#[test]
fn a_cluster_written_by_java_connect_runs_on_under_ferry() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("migration") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    let group = unique("migrated");
    // connector names of this run: a sink's consumer group (`connect-<name>`) and its
    // offsets outlive a run on the broker
    let p = unique("java");
    let [source, sink, paused, stopped] =
        ["source", "sink", "paused", "stopped"].map(|k| format!("{p}-{k}"));
    let (configs, offsets, statuses, data) = (
        format!("{group}-configs"),
        format!("{group}-offsets"),
        format!("{group}-status"),
        format!("{group}-data"),
    );
    let input = dir.join("input.txt");
    let paused_input = dir.join("paused.txt");
    let output = dir.join("output.txt");
    let lines: Vec<String> = (0..LINES).map(|i| format!("line {i:09}")).collect();
    std::fs::write(
        &input,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    std::fs::write(&paused_input, "paused 1\npaused 2\n").unwrap();

    java_cluster_wrote(
        &bootstrap,
        &[
            (&configs, 1, true),
            (&offsets, 5, true),
            (&statuses, 3, true),
            (&data, 1, false),
        ],
        &[
            (
                &configs,
                config_records(&p, &input, &paused_input, &output, &data),
            ),
            (&offsets, offset_records(&p, &input, &paused_input)),
            (&statuses, status_records(&p)),
        ],
    );

    let port = free_port();
    let file = write(
        dir,
        "worker.properties",
        &format!(
            "bootstrap.servers={bootstrap}\n\
             group.id={group}\n\
             key.converter=org.apache.kafka.connect.storage.StringConverter\n\
             value.converter=org.apache.kafka.connect.storage.StringConverter\n\
             config.storage.topic={configs}\n\
             offset.storage.topic={offsets}\n\
             status.storage.topic={statuses}\n\
             listeners=http://127.0.0.1:{port}\n\
             rest.advertised.host.name=127.0.0.1\n\
             offset.flush.interval.ms=500\n\
             scheduled.rebalance.max.delay.ms=0\n\
             consumer.topic.metadata.refresh.interval.ms=1000\n"
        ),
    );
    let worker = Worker::start_distributed(dir, &file, port, "worker.log");
    let me = format!("127.0.0.1:{port}");

    // the same connectors (not the deleted one), with the same configs
    wait_for(port, "/connectors", "the connectors are listed", |b| {
        b.as_array().is_some_and(|a| !a.is_empty())
    });
    assert_eq!(
        get(port, "/connectors"),
        serde_json::json!([&paused, &sink, &source, &stopped]),
        "{}",
        worker.log_text()
    );
    let config = get(port, &format!("/connectors/{source}/config"));
    assert_eq!(config["connector.class"], SOURCE_CLASS);
    assert_eq!(config["file"], input.display().to_string());
    assert_eq!(config["topic"], data);
    let tasks = get(port, &format!("/connectors/{source}/tasks"));
    assert_eq!(
        tasks[0]["config"]["task.class"],
        "org.apache.kafka.connect.file.FileStreamSourceTask"
    );

    // the running ones run here now; the paused and stopped ones keep their states
    for name in [&source, &sink] {
        wait_for(
            port,
            &format!("/connectors/{name}/status"),
            &format!("{name} runs on the Ferry worker"),
            |b| {
                b["connector"]["state"] == "RUNNING"
                    && b["connector"]["worker_id"] == me.as_str()
                    && b["tasks"][0]["state"] == "RUNNING"
                    && b["tasks"][0]["worker_id"] == me.as_str()
            },
        );
    }
    wait_for(
        port,
        &format!("/connectors/{paused}/status"),
        "the paused connector stays paused",
        |b| {
            b["connector"]["state"] == "PAUSED"
                && b["connector"]["worker_id"] == me.as_str()
                && b["tasks"][0]["state"] == "PAUSED"
        },
    );
    wait_for(
        port,
        &format!("/connectors/{stopped}/status"),
        "the stopped connector stays stopped",
        |b| {
            b["connector"]["state"] == "STOPPED"
                && b["tasks"].as_array().is_some_and(|t| t.is_empty())
        },
    );
    assert_eq!(
        get(port, &format!("/connectors/{paused}/offsets")),
        serde_json::json!({"offsets": [{
            "partition": {"filename": paused_input.display().to_string()},
            "offset": {"position": LINE_BYTES}
        }]})
    );

    // the source resumes after the lines the Java worker sent: those after them arrive,
    // once each and in order, and nothing before them
    let expected: String = lines[SENT_BY_JAVA..]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::fs::read_to_string(&output).unwrap_or_default().len() < expected.len() {
        assert!(
            Instant::now() < deadline,
            "the sink did not write the lines (source offsets {}, sink status {}); log:\n{}",
            get(port, &format!("/connectors/{source}/offsets")),
            get(port, &format!("/connectors/{sink}/status")),
            worker.log_text()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(std::fs::read_to_string(&output).unwrap(), expected);

    // Ferry's commits replace the Java worker's under the same key: one partition, at the end
    wait_for(
        port,
        &format!("/connectors/{source}/offsets"),
        "the source commits the end of the file",
        |b| {
            *b == serde_json::json!({"offsets": [{
                "partition": {"filename": input.display().to_string()},
                "offset": {"position": LINES * LINE_BYTES}
            }]})
        },
    );

    // the Ferry leader replaces the Java leader's expired session key, and the task configs
    // a (Java) worker posts to it must be signed with the new one (KIP-507)
    let deadline = Instant::now() + Duration::from_secs(60);
    let key = loop {
        match last_session_key(&bootstrap, &configs) {
            Some((key, created)) if created > 1_700_000_000_000 => break key,
            _ => assert!(
                Instant::now() < deadline,
                "no new session key; log:\n{}",
                worker.log_text()
            ),
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    assert_ne!(key, JAVA_SESSION_KEY);
    let path = format!("/connectors/{paused}/tasks");
    let body = format!(
        r#"[{{"connector.class":"{SOURCE_CLASS}","file":{},"topic":"{data}-paused","task.class":"org.apache.kafka.connect.file.FileStreamSourceTask","batch.size":"17"}}]"#,
        json(&paused_input.display().to_string())
    );
    let unsigned = post_signed(port, &path, &body, None);
    assert_eq!(unsigned.status, 400, "{}", unsigned.body);
    assert!(
        unsigned.body.contains("missing required signature"),
        "{}",
        unsigned.body
    );
    // the old key is refused once the leader has read its new one back (the topic shows
    // the new key a moment before that)
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let stale = post_signed(port, &path, &body, Some(JAVA_SESSION_KEY));
        if stale.status == 403 {
            break;
        }
        assert!(
            stale.status == 204 && Instant::now() < deadline,
            "{} {}",
            stale.status,
            stale.body
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let signed = post_signed(port, &path, &body, Some(&key));
    assert_eq!(signed.status, 204, "{}", signed.body);
    wait_for(
        port,
        &path,
        "the posted task config is the paused connector's",
        |b| b[0]["config"]["batch.size"] == "17",
    );
}
