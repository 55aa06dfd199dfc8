//! End-to-end tests of `ferry standalone` against the script-started broker
//! (`eval $(scripts/broker.sh start)`): the FileStream pipeline, a SIGKILL midway, and the
//! dead letter queues of a sink and (beyond Kafka) of a source.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::topics::{header, read_topic};
use common::worker::{free_port, unique, write, Worker};

/// The worker file of these tests.
fn worker_file(dir: &Path, bootstrap: &str, port: u16) -> PathBuf {
    common::worker::worker_file(dir, bootstrap, port, 500, "")
}

fn pipeline_files(dir: &Path, topic: &str) -> (PathBuf, PathBuf) {
    let source = write(
        dir,
        "source.properties",
        &format!(
            "name={topic}-source\nconnector.class=FileStreamSource\nfile={}\ntopic={topic}\n\
topic.creation.default.partitions=1\ntopic.creation.default.replication.factor=1\n",
            dir.join("input.txt").display()
        ),
    );
    let sink = write(
        dir,
        "sink.properties",
        &format!(
            "name={topic}-sink\nconnector.class=FileStreamSink\nfile={}\ntopics={topic}\n",
            dir.join("output.txt").display()
        ),
    );
    (source, sink)
}

fn input_lines(dir: &Path, n: usize) -> Vec<String> {
    let lines: Vec<String> = (0..n)
        .map(|i| format!("line {i:07} {}", "x".repeat(80)))
        .collect();
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(dir.join("input.txt"), text).unwrap();
    lines
}

fn output_lines(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("output.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn wait_for_lines(dir: &Path, n: usize, within: Duration) -> usize {
    let deadline = Instant::now() + within;
    loop {
        let got = output_lines(dir).len();
        if got >= n || Instant::now() >= deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn hundred_thousand_lines_arrive_identical_and_in_order() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("hundred_thousand_lines") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let topic = unique("e2e-lines");
    let port = free_port();
    let worker = worker_file(dir.path(), &bootstrap, port);
    let (source, sink) = pipeline_files(dir.path(), &topic);
    let lines = input_lines(dir.path(), 100_000);
    let w = Worker::start(dir.path(), &[&worker, &source, &sink], port, "worker.log");
    w.wait_running(&format!("{topic}-source"));
    w.wait_running(&format!("{topic}-sink"));
    let got = wait_for_lines(dir.path(), lines.len(), Duration::from_secs(180));
    assert_eq!(got, lines.len(), "{}", w.log_text());
    assert!(
        output_lines(dir.path()) == lines,
        "the output differs from the input"
    );
    let names = w.get("/connectors").unwrap();
    assert_eq!(names, format!(r#"["{topic}-sink","{topic}-source"]"#));
    assert_eq!(w.terminate(), 0);
}

/// Every input line is in the output, in order; a line seen again is only a replay of a run
/// of lines after some point (what a restart from the last committed offsets produces).
fn check_no_loss_replays_only(input: &[String], output: &[String]) -> usize {
    let index: BTreeMap<&str, usize> = input
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i))
        .collect();
    let mut expected_next = 0usize;
    let mut replays = 0;
    let mut seen = vec![false; input.len()];
    for line in output {
        let i = *index
            .get(line.as_str())
            .unwrap_or_else(|| panic!("unknown line {line}"));
        if i == expected_next {
            expected_next += 1;
        } else if i < expected_next {
            // a replay starts here: from now on lines continue from i
            replays += 1;
            expected_next = i + 1;
        } else {
            panic!("line {i} came before line {expected_next}: a line was lost");
        }
        seen[i] = true;
    }
    assert!(seen.iter().all(|s| *s), "some lines never arrived");
    replays
}

#[test]
fn sigkill_midway_then_restart_loses_no_line() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("sigkill_midway") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let topic = unique("e2e-kill");
    let port = free_port();
    let worker = worker_file(dir.path(), &bootstrap, port);
    let (source, sink) = pipeline_files(dir.path(), &topic);
    let lines = input_lines(dir.path(), 200_000);
    let w = Worker::start(dir.path(), &[&worker, &source, &sink], port, "first.log");
    let got = wait_for_lines(dir.path(), 30_000, Duration::from_secs(120));
    assert!(got >= 30_000, "{}", w.log_text());
    w.kill9();
    // tansu, unlike Kafka, can hand a new member the generation of the killed one (which it
    // still counts as leader) and an empty assignment; let the killed member's session
    // (consumer.session.timeout.ms=6000) expire first, as a restart after a crash usually does
    std::thread::sleep(Duration::from_secs(8));
    let before = output_lines(dir.path()).len();
    assert!(
        before < lines.len(),
        "the kill came too late to test anything"
    );
    let w = Worker::start(dir.path(), &[&worker, &source, &sink], port, "second.log");
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let out = output_lines(dir.path());
        if out.last() == lines.last() && out.len() >= lines.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not all lines arrived after the restart: {}",
            w.log_text()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = output_lines(dir.path());
    let replays = check_no_loss_replays_only(&lines, &out);
    assert!(replays <= 2, "{replays} replays");
    eprintln!(
        "killed after {before} lines; {} lines written in all ({} duplicates, {replays} replays)",
        out.len(),
        out.len() - lines.len()
    );
    assert_eq!(w.terminate(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undecodable_records_go_to_the_dead_letter_queue_and_the_sink_keeps_going() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("dead_letter_queue") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let topic = unique("e2e-dlq");
    let dlq = format!("{topic}-dlq");
    let port = free_port();
    let worker = worker_file(dir.path(), &bootstrap, port);
    let source = write(
        dir.path(),
        "source.properties",
        &format!(
            "name={topic}-source\nconnector.class=FileStreamSource\nfile={}\ntopic={topic}\n\
topic.creation.default.partitions=1\ntopic.creation.default.replication.factor=1\n",
            dir.path().join("input.txt").display()
        ),
    );
    let sink = write(
        dir.path(),
        "sink.properties",
        &format!(
            "name={topic}-sink\nconnector.class=FileStreamSink\nfile={}\ntopics={topic}\n\
value.converter=org.apache.kafka.connect.json.JsonConverter\nvalue.converter.schemas.enable=false\n\
errors.tolerance=all\nerrors.log.enable=true\n\
errors.deadletterqueue.topic.name={dlq}\nerrors.deadletterqueue.topic.replication.factor=1\n\
errors.deadletterqueue.context.headers.enable=true\n",
            dir.path().join("output.txt").display()
        ),
    );
    let input = "{\"n\":1}\nnot json\n{\"n\":2}\n{broken\n{\"n\":3}\n";
    std::fs::write(dir.path().join("input.txt"), input).unwrap();
    let w = Worker::start(dir.path(), &[&worker, &source, &sink], port, "worker.log");
    let got = wait_for_lines(dir.path(), 3, Duration::from_secs(60));
    assert_eq!(got, 3, "{}", w.log_text());
    assert_eq!(output_lines(dir.path()), ["{n=1}", "{n=2}", "{n=3}"]);
    let status = w.get(&format!("/connectors/{topic}-sink/status")).unwrap();
    assert!(!status.contains("FAILED"), "{status}");

    let records = read_topic(&bootstrap, &dlq, 2).await;
    assert_eq!(records.len(), 2, "{}", w.log_text());
    let values: Vec<&[u8]> = records
        .iter()
        .map(|r| r.value.as_deref().unwrap())
        .collect();
    assert_eq!(values, [&b"not json"[..], &b"{broken"[..]]);
    let r = &records[0];
    assert_eq!(header(r, "__connect.errors.topic"), topic);
    assert_eq!(header(r, "__connect.errors.partition"), "0");
    assert_eq!(header(r, "__connect.errors.offset"), "1");
    assert_eq!(
        header(r, "__connect.errors.connector.name"),
        format!("{topic}-sink")
    );
    assert_eq!(header(r, "__connect.errors.task.id"), "0");
    assert_eq!(header(r, "__connect.errors.stage"), "VALUE_CONVERTER");
    assert_eq!(
        header(r, "__connect.errors.class.name"),
        "org.apache.kafka.connect.json.JsonConverter"
    );
    assert_eq!(
        header(r, "__connect.errors.exception.class.name"),
        "org.apache.kafka.connect.errors.DataException"
    );
    assert!(!header(r, "__connect.errors.exception.message").is_empty());
    assert!(header(r, "__connect.errors.exception.stacktrace")
        .starts_with("org.apache.kafka.connect.errors.DataException"));
    assert_eq!(header(&records[1], "__connect.errors.offset"), "3");
    assert!(
        w.log_text().contains("Error encountered in task"),
        "errors.log.enable logs"
    );
    assert_eq!(w.terminate(), 0);
}

/// Beyond Kafka: a source connector's records that fail a transformation go to its dead
/// letter queue, as the connector produced them, with the context headers and their source
/// partition and offset; the others go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_source_records_go_to_the_source_dead_letter_queue() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("source_dead_letter_queue") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let topic = unique("e2e-src-dlq");
    let dlq = format!("{topic}-dlq");
    let port = free_port();
    let worker = worker_file(dir.path(), &bootstrap, port);
    let input_path = dir.path().join("input.txt");
    // the plain pipeline's sink, and its source file replaced by one with the failing chain
    let (_, sink) = pipeline_files(dir.path(), &topic);
    let source = write(
        dir.path(),
        "source.properties",
        &format!(
            "name={topic}-source\nconnector.class=FileStreamSource\nfile={}\ntopic={topic}\n\
topic.creation.default.partitions=1\ntopic.creation.default.replication.factor=1\n\
transforms=cast\ntransforms.cast.type=org.apache.kafka.connect.transforms.Cast$Value\n\
transforms.cast.spec=int32\n\
errors.tolerance=all\n\
errors.deadletterqueue.topic.name={dlq}\nerrors.deadletterqueue.topic.replication.factor=1\n\
errors.deadletterqueue.context.headers.enable=true\n",
            input_path.display()
        ),
    );
    std::fs::write(&input_path, "1\nabc\n2\nxyz\n3\n").unwrap();
    let w = Worker::start(dir.path(), &[&worker, &source, &sink], port, "worker.log");
    let got = wait_for_lines(dir.path(), 3, Duration::from_secs(60));
    assert_eq!(got, 3, "{}", w.log_text());
    assert_eq!(output_lines(dir.path()), ["1", "2", "3"]);
    let status = w
        .get(&format!("/connectors/{topic}-source/status"))
        .unwrap();
    assert!(!status.contains("FAILED"), "{status}");

    let records = read_topic(&bootstrap, &dlq, 2).await;
    assert_eq!(records.len(), 2, "{}", w.log_text());
    let values: Vec<&[u8]> = records
        .iter()
        .map(|r| r.value.as_deref().unwrap())
        .collect();
    assert_eq!(
        values,
        [
            &br#"{"schema":{"type":"string","optional":false},"payload":"abc"}"#[..],
            &br#"{"schema":{"type":"string","optional":false},"payload":"xyz"}"#[..]
        ]
    );
    let r = &records[0];
    assert_eq!(r.key, None);
    assert_eq!(header(r, "__connect.errors.topic"), topic);
    assert_eq!(header(r, "__connect.errors.partition"), "-1");
    assert_eq!(header(r, "__connect.errors.offset"), "-1");
    assert_eq!(
        header(r, "__connect.errors.connector.name"),
        format!("{topic}-source")
    );
    assert_eq!(header(r, "__connect.errors.stage"), "TRANSFORMATION");
    assert_eq!(
        header(r, "__connect.errors.class.name"),
        "org.apache.kafka.connect.transforms.Cast$Value"
    );
    assert_eq!(
        header(r, "__connect.errors.source.partition"),
        format!(
            r#"{{"schema":null,"payload":{{"filename":"{}"}}}}"#,
            input_path.display()
        )
    );
    // "1\n" and "abc\n" were read
    assert_eq!(
        header(r, "__connect.errors.source.offset"),
        r#"{"schema":null,"payload":{"position":6}}"#
    );
    assert_eq!(
        header(&records[1], "__connect.errors.source.offset"),
        r#"{"schema":null,"payload":{"position":12}}"#
    );
    assert_eq!(w.terminate(), 0);
}

#[test]
fn bad_files_exit_with_kafkas_codes() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&Path]| {
        Command::new(env!("CARGO_BIN_EXE_ferry"))
            .arg("standalone")
            .args(args)
            .output()
            .unwrap()
    };
    let bad_worker = write(
        dir.path(),
        "w.properties",
        "key.converter=StringConverter\n",
    );
    let out = run(&[&bad_worker]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("value.converter") && err.contains("offset.storage.file.filename"),
        "{err}"
    );

    let worker = write(
        dir.path(),
        "ok.properties",
        &format!(
            "bootstrap.servers=embedded\nkey.converter=StringConverter\nvalue.converter=StringConverter\n\
offset.storage.file.filename={}\nlisteners=http://127.0.0.1:0\n",
            dir.path().join("o").display()
        ),
    );
    let missing = dir.path().join("nope.properties");
    let out = run(&[&worker, &missing]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.properties"));

    let invalid = write(
        dir.path(),
        "c.properties",
        "name=c\nconnector.class=FileStreamSink\ntasks.max=zero\n",
    );
    let out = run(&[&worker, &invalid]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Connector configuration is invalid"), "{err}");
    assert!(err.contains("tasks.max") && err.contains("zero"), "{err}");
    assert!(err.contains("topics"), "{err}");
}
