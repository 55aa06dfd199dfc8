//! End-to-end: clusters of `ferry distributed` workers. On the embedded broker, three
//! workers share a FileStream source and a three-task sink; the worker running the source
//! task is killed with SIGKILL mid-stream; every line still arrives, and the time until its
//! work runs elsewhere is printed. A fourth worker then joins without stopping the tasks that
//! stay where they are. On the script-started broker (`eval $(scripts/broker.sh start)`),
//! three workers run a pipeline created through followers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use common::signing::{last_session_key, post_signed};
use common::worker::{free_port, http, write, Worker};
use testkit::unique_name as unique;

/// A directory for a test's files: removed after the test, unless `FERRY_KEEP_TEST_DIR` is
/// set (the workers' logs stay for a look). Keep the guard while the test runs.
fn test_dir() -> (Option<tempfile::TempDir>, std::path::PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().to_path_buf();
    if std::env::var_os("FERRY_KEEP_TEST_DIR").is_some() {
        eprintln!("test files kept in {}", temp.keep().display());
        return (None, dir);
    }
    (Some(temp), dir)
}

/// The tests of this file run one at a time: each runs a cluster of workers that wants the
/// machine's cores, and a session timeout of a few seconds.
fn one_cluster_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static ONE: std::sync::Mutex<()> = std::sync::Mutex::new(());
    ONE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lines pushed through the cluster (`FERRY_E2E_LINES` sets another number).
fn lines() -> usize {
    std::env::var("FERRY_E2E_LINES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000)
}

/// A worker's file, for a quick failover: the lost work moves at once
/// (`scheduled.rebalance.max.delay.ms=0`) and a dead worker is found within 3.5 s. The
/// embedded broker's coordinator drops a member whose JoinGroup waits longer than its session
/// timeout, and a first join waits 3 s there (Kafka's `group.initial.rebalance.delay.ms`):
/// the session must outlast that.
fn worker_file(
    dir: &Path,
    name: &str,
    bootstrap: &str,
    group: &str,
    port: u16,
) -> std::path::PathBuf {
    write(
        dir,
        name,
        &format!(
            "bootstrap.servers={bootstrap}\n\
             group.id={group}\n\
             key.converter=org.apache.kafka.connect.storage.StringConverter\n\
             value.converter=org.apache.kafka.connect.storage.StringConverter\n\
             config.storage.topic={group}-configs\n\
             offset.storage.topic={group}-offsets\n\
             status.storage.topic={group}-status\n\
             config.storage.replication.factor=1\n\
             offset.storage.replication.factor=1\n\
             status.storage.replication.factor=1\n\
             offset.storage.partitions=3\n\
             status.storage.partitions=2\n\
             listeners=http://127.0.0.1:{port}\n\
             rest.advertised.host.name=127.0.0.1\n\
             offset.flush.interval.ms=500\n\
             heartbeat.interval.ms=500\n\
             session.timeout.ms=3500\n\
             scheduled.rebalance.max.delay.ms=0\n\
             consumer.session.timeout.ms=3500\n\
             consumer.heartbeat.interval.ms=500\n"
        ),
    )
}

/// POSTs a connector, retrying while the cluster rebalances (409) or has no leader yet.
fn create(port: u16, body: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Some(r) = http(port, "POST", "/connectors", Some(body)) {
            if r.status == 201 {
                return;
            }
            last = format!("{} {}", r.status, r.body);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    panic!("POST /connectors never succeeded: {last}");
}

/// Who runs what: `connector` or `connector-task` → worker id, for what is RUNNING or
/// PAUSED.
fn placement(port: u16, connectors: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for c in connectors {
        let Some(r) = http(port, "GET", &format!("/connectors/{c}/status"), None) else {
            continue;
        };
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&r.body) else {
            continue;
        };
        // a paused connector or task is placed too
        let placed = |state: &serde_json::Value| state == "RUNNING" || state == "PAUSED";
        if placed(&v["connector"]["state"]) {
            out.insert(
                c.to_string(),
                v["connector"]["worker_id"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            );
        }
        for t in v["tasks"].as_array().cloned().unwrap_or_default() {
            if placed(&t["state"]) {
                out.insert(
                    format!("{c}-{}", t["id"]),
                    t["worker_id"].as_str().unwrap_or("").to_string(),
                );
            }
        }
    }
    out
}

/// Waits until `ok(placement)` holds; returns that placement.
fn wait_placement(
    port: u16,
    within: Duration,
    what: &str,
    ok: impl Fn(&BTreeMap<String, String>) -> bool,
) -> BTreeMap<String, String> {
    let deadline = Instant::now() + within;
    let mut last = BTreeMap::new();
    while Instant::now() < deadline {
        last = placement(port, &["source", "sink"]);
        if ok(&last) {
            return last;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what}: not reached within {within:?}; last placement {last:?}");
}

fn count_lines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|c| **c == b'\n').count())
        .unwrap_or(0)
}

/// Waits until `path` holds `n` distinct lines (each a well-formed input line); returns
/// how many distinct lines it holds then.
fn wait_for_all_lines(path: &Path, n: usize, within: Duration) -> usize {
    let deadline = Instant::now() + within;
    loop {
        let out = std::fs::read_to_string(path).unwrap_or_default();
        let seen: BTreeSet<&str> = out.lines().collect();
        if seen.len() >= n || Instant::now() > deadline {
            for line in &seen {
                assert!(
                    line.len() == 14 && line.starts_with("line "),
                    "a torn or foreign line: {line:?}"
                );
            }
            return seen.len();
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// The length of each input line (`line NNNNNNNNN\n`).
const LINE_BYTES: u64 = 15;

/// The position the source connector committed (0 before its first commit), as the
/// worker at `port` reports it.
fn source_position(port: u16) -> u64 {
    let Some(r) = http(port, "GET", "/connectors/source/offsets", None) else {
        return 0;
    };
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap_or_default();
    body["offsets"][0]["offset"]["position"]
        .as_u64()
        .unwrap_or(0)
}

fn input_file(path: &Path, n: usize) {
    let mut text = String::with_capacity(n * 15);
    for i in 0..n {
        text.push_str(&format!("line {i:09}\n"));
    }
    std::fs::write(path, &text).unwrap();
}

fn starts(log: &str, task: &str) -> usize {
    log.matches(&format!("task {task} started on this worker"))
        .count()
}

/// Runs on the embedded broker (librdkafka's mock cluster, started as a process of its
/// own), whose group coordinator waits for every member as Kafka's does: tansu's does not
/// let a cluster settle under load (docs/ARCHITECTURE.md, decision 24). The figures
/// (recovery time, duplicates) are printed: `cargo test --release -p ferry --test
/// distributed -- --nocapture` (`FERRY_E2E_LINES` for another number of lines).
#[test]
fn a_cluster_shares_the_work_survives_a_sigkill_and_takes_a_new_worker() {
    let _alone = one_cluster_at_a_time();
    let (_temp, dir) = test_dir();
    let group = unique("e2e-cluster");
    // the embedded broker's coordinator has Kafka's join barrier (it has no CreateTopics:
    // the topics are made when it starts)
    let broker = EmbeddedBrokerProcess::start(&[
        (&format!("{group}-configs"), 1),
        (&format!("{group}-offsets"), 3),
        (&format!("{group}-status"), 2),
        (&format!("{group}-data"), 12),
    ]);
    let bootstrap = broker.bootstrap.clone();
    let input = dir.as_path().join("input.txt");
    let output = dir.as_path().join("output.txt");
    let total = lines();
    input_file(&input, total);

    let ports: Vec<u16> = (0..4).map(|_| free_port()).collect();
    let mut workers: BTreeMap<String, Worker> = BTreeMap::new();
    for (i, port) in ports.iter().take(3).enumerate() {
        let file = worker_file(
            dir.as_path(),
            &format!("w{i}.properties"),
            &bootstrap,
            &group,
            *port,
        );
        workers.insert(
            format!("127.0.0.1:{port}"),
            Worker::start_distributed(dir.as_path(), &file, *port, &format!("w{i}.log")),
        );
    }
    let topic = format!("{group}-data");
    create(
        ports[1],
        &format!(
            r#"{{"name":"source","config":{{"connector.class":"FileStreamSource","file":"{}","topic":"{topic}"}},"initial_state":"PAUSED"}}"#,
            input.display()
        ),
    );
    // the sink subscribes once its topic exists
    // created paused: its task comes when it is resumed
    wait_placement(
        ports[0],
        Duration::from_secs(60),
        "the source is placed",
        |p| p.contains_key("source"),
    );
    create(
        ports[2],
        &format!(
            r#"{{"name":"sink","config":{{"connector.class":"FileStreamSink","file":"{}","topics":"{topic}","tasks.max":"3"}}}}"#,
            output.display()
        ),
    );
    wait_placement(
        ports[0],
        Duration::from_secs(90),
        "the sink's tasks are placed",
        |p| (0..3).all(|t| p.contains_key(&format!("sink-{t}"))),
    );
    // the lines flow once everything is placed, so the kill comes mid-stream
    let resumed = (0..240).any(|_| {
        let r = http(ports[0], "PUT", "/connectors/source/resume", None);
        if r.as_ref().is_some_and(|r| r.status == 202) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(250));
        false
    });
    assert!(resumed, "PUT /connectors/source/resume was not accepted");
    let spread = wait_placement(
        ports[0],
        Duration::from_secs(90),
        "4 tasks spread over 3 workers",
        |p| {
            let tasks: Vec<_> = p.keys().filter(|k| k.contains('-')).collect();
            let workers: BTreeSet<_> = p.values().collect();
            tasks.len() == 4 && workers.len() == 3
        },
    );
    eprintln!("placement: {spread:?}");

    // mid-stream, once the source has committed an offset, kill the worker running it
    let deadline = Instant::now() + Duration::from_secs(120);
    let committed = loop {
        assert!(Instant::now() < deadline, "the pipeline did not start");
        let position = source_position(ports[0]);
        if position > 0 && count_lines(&output) >= 50_000 {
            break position;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let victim = spread["source-0"].clone();
    let lost: Vec<String> = spread
        .iter()
        .filter(|(_, w)| **w == victim)
        .map(|(k, _)| k.clone())
        .collect();
    let before = count_lines(&output);
    let killed_at = Instant::now();
    workers.remove(&victim).unwrap().kill9();
    let survivor: u16 = workers
        .keys()
        .next()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // the position may have moved on just before the kill
    let committed = committed.max(source_position(survivor));
    let after = wait_placement(
        survivor,
        Duration::from_secs(120),
        "the killed worker's work runs elsewhere",
        |p| lost.iter().all(|k| p.get(k).is_some_and(|w| *w != victim)),
    );
    let recovery = killed_at.elapsed();
    eprintln!(
        "killed {victim} after {before} of {total} lines; its work {lost:?} ran again after {:.2} s: {after:?}",
        recovery.as_secs_f64()
    );

    // every line arrives (at least once)
    let seen = wait_for_all_lines(&output, total, Duration::from_secs(300));
    assert_eq!(seen, total, "every line arrives");
    let written = count_lines(&output);
    // the source resumes from its committed position: at most the lines after it come
    // again from the source (the sinks may repeat a few more they had not committed)
    eprintln!(
        "{written} lines written for {total} ({} duplicates after the kill; the source had \
         committed its position after line {})",
        written - total,
        committed / LINE_BYTES
    );

    // a fourth worker joins: the tasks that stay where they are are not restarted
    let logs_before: BTreeMap<String, String> = workers
        .iter()
        .map(|(id, w)| (id.clone(), w.log_text()))
        .collect();
    let settled = placement(survivor, &["source", "sink"]);
    let file = worker_file(dir.as_path(), "w3.properties", &bootstrap, &group, ports[3]);
    let newcomer = format!("127.0.0.1:{}", ports[3]);
    workers.insert(
        newcomer.clone(),
        Worker::start_distributed(dir.as_path(), &file, ports[3], "w3.log"),
    );
    let rebalanced = wait_placement(
        survivor,
        Duration::from_secs(90),
        "the new worker gets work",
        |p| p.values().any(|w| *w == newcomer) && p.keys().filter(|k| k.contains('-')).count() == 4,
    );
    std::thread::sleep(Duration::from_secs(3));
    eprintln!("after the 4th worker joined: {rebalanced:?}");
    let mut stayed = 0;
    for (task, worker) in settled.iter().filter(|(k, _)| k.contains('-')) {
        if rebalanced.get(task) != Some(worker) {
            continue;
        }
        stayed += 1;
        let log = workers[worker].log_text();
        assert_eq!(
            starts(&log, task),
            starts(&logs_before[worker], task),
            "{task} stayed on {worker} and was not restarted"
        );
    }
    assert!(
        stayed > 0,
        "some tasks stay where they are: {settled:?} → {rebalanced:?}"
    );
}

/// Three workers form a cluster on the script-started broker: connectors created through a
/// follower (forwarded to the leader), every worker answers for every connector, and the
/// pipeline delivers every line.
#[test]
fn three_workers_run_a_pipeline_created_through_a_follower() {
    let _alone = one_cluster_at_a_time();
    let Some(bootstrap) = testkit::services::kafka_bootstrap("distributed_pipeline") else {
        return;
    };
    let (_temp, dir) = test_dir();
    let dir = dir.as_path();
    let group = unique("e2e-cluster-small");
    let (input, output) = (dir.join("input.txt"), dir.join("output.txt"));
    let lines = 20_000;
    input_file(&input, lines);
    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let workers: Vec<Worker> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let file = worker_file(dir, &format!("w{i}.properties"), &bootstrap, &group, *port);
            Worker::start_distributed(dir, &file, *port, &format!("w{i}.log"))
        })
        .collect();
    let topic = format!("{group}-data");
    create(
        ports[1],
        &format!(
            r#"{{"name":"source","config":{{"connector.class":"FileStreamSource","file":"{}","topic":"{topic}","topic.creation.default.partitions":"3","topic.creation.default.replication.factor":"1"}}}}"#,
            input.display()
        ),
    );
    wait_placement(ports[0], Duration::from_secs(90), "the source runs", |p| {
        p.contains_key("source-0")
    });
    create(
        ports[2],
        &format!(
            r#"{{"name":"sink","config":{{"connector.class":"FileStreamSink","file":"{}","topics":"{topic}","tasks.max":"2"}}}}"#,
            output.display()
        ),
    );
    let seen = wait_for_all_lines(&output, lines, Duration::from_secs(240));
    let logs: Vec<String> = workers.iter().map(Worker::log_text).collect();
    assert_eq!(
        seen,
        lines,
        "every line arrives; logs:\n{}",
        logs.join("\n----\n")
    );
    // every worker lists both connectors and shows where they run (a worker answers from
    // the config topic as it last read it: one held in a long join on tansu catches up after)
    for port in &ports {
        let deadline = Instant::now() + Duration::from_secs(60);
        let (both, list) = loop {
            let list = http(*port, "GET", "/connectors", None).unwrap();
            let both = list.body.contains("\"source\"") && list.body.contains("\"sink\"");
            if both || Instant::now() > deadline {
                break (both, list);
            }
            std::thread::sleep(Duration::from_millis(250));
        };
        assert!(both, "{}", list.body);
        let status = http(*port, "GET", "/connectors/source/status", None).unwrap();
        assert_eq!(status.status, 200, "{}", status.body);
        assert!(status.body.contains("worker_id"), "{}", status.body);
    }
    // a change through another follower reaches the connector
    let paused = (0..120).any(|_| {
        let r = http(ports[0], "PUT", "/connectors/source/pause", None);
        if r.as_ref().is_some_and(|r| r.status == 202) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(250));
        false
    });
    assert!(paused, "PUT /connectors/source/pause was not accepted");
    wait_placement_state(ports[2], "source", "PAUSED");

    // task configs signed with the leader's session key (KIP-507), as a Java worker posts
    // them, are taken on every worker: followers forward them with their signature
    let deadline = Instant::now() + Duration::from_secs(60);
    let key = loop {
        if let Some((key, _)) = last_session_key(&bootstrap, &format!("{group}-configs")) {
            break key;
        }
        assert!(Instant::now() < deadline, "the leader wrote no session key");
        std::thread::sleep(Duration::from_millis(250));
    };
    for (i, port) in ports.iter().enumerate() {
        let body = format!(
            r#"[{{"connector.class":"FileStreamSource","file":"{}","topic":"{topic}","batch.size":"{i}7"}}]"#,
            input.display()
        );
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let r = post_signed(*port, "/connectors/source/tasks", &body, Some(&key));
            if r.status == 204 {
                break;
            }
            // 409 while the group rebalances
            assert!(
                r.status == 409 && Instant::now() < deadline,
                "{} {}",
                r.status,
                r.body
            );
            std::thread::sleep(Duration::from_millis(250));
        }
        let want = format!("{i}7");
        let deadline = Instant::now() + Duration::from_secs(30);
        while !http(ports[0], "GET", "/connectors/source/tasks", None)
            .is_some_and(|r| r.body.contains(&format!(r#""batch.size":"{want}""#)))
        {
            assert!(
                Instant::now() < deadline,
                "the task config posted to {port} is not there"
            );
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

/// Waits until the connector itself shows `state` on the worker at `port`.
fn wait_placement_state(port: u16, connector: &str, state: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Some(r) = http(
            port,
            "GET",
            &format!("/connectors/{connector}/status"),
            None,
        ) {
            if r.body
                .contains(&format!(r#""connector":{{"state":"{state}""#))
            {
                return;
            }
            last = r.body;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{connector} never showed {state}: {last}");
}

/// `ferry embedded-broker` as a process of its own, with topics made at start.
struct EmbeddedBrokerProcess {
    child: std::process::Child,
    bootstrap: String,
}

impl EmbeddedBrokerProcess {
    fn start(topics: &[(&str, u32)]) -> Self {
        use std::io::BufRead;
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_ferry"));
        command.arg("embedded-broker");
        for (name, partitions) in topics {
            command.args(["--topic", &format!("{name}:{partitions}")]);
        }
        let mut child = command
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let line = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find(|l| l.starts_with("KAFKA_BOOTSTRAP_SERVERS="))
            .expect("the embedded broker printed its address");
        let bootstrap = line
            .trim_start_matches("KAFKA_BOOTSTRAP_SERVERS=")
            .to_string();
        EmbeddedBrokerProcess { child, bootstrap }
    }
}

impl Drop for EmbeddedBrokerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
