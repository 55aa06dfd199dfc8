//! End-to-end test of the REST API: a `ferry standalone` worker with no connector, driven
//! over HTTP through a connector's whole life (create, status, pause, resume, reconfigure,
//! restart, stop, delete) while a real FileStream pipeline runs against the script-started
//! broker. Every request and its exact response (status, `Location`, body) is checked
//! against the golden transcript `tests/golden/rest_lifecycle.txt`; run with
//! `FERRY_BLESS=1` to rewrite it after an intended change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::transcript::{append_lines, hostname, lines_of, running, wait_lines, Transcript};
use common::worker::{free_port, unique, worker_file, write, Worker};

#[test]
fn a_connectors_whole_life_over_rest() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("rest_lifecycle") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let topic = unique("rest");
    let port = free_port();
    let worker_file = worker_file(d, &bootstrap, port, 200, "");
    let input: PathBuf = d.join("input.txt");
    let output: PathBuf = d.join("output.txt");
    let w = Worker::start(d, &[&worker_file], port, "worker.log");
    let root: serde_json::Value = serde_json::from_str(&w.get("/").unwrap()).unwrap();
    let cluster = root["kafka_cluster_id"].as_str().unwrap().to_string();
    let commit = root["commit"].as_str().unwrap().to_string();
    let mut t = Transcript {
        worker: &w,
        replacements: vec![
            (format!("{}:{port}", hostname()), "{worker}"),
            (format!("localhost:{port}"), "{rest}"),
            (d.display().to_string(), "{dir}"),
            (topic.clone(), "{topic}"),
            (cluster, "{cluster_id}"),
            (commit, "{commit}"),
        ],
        text: String::new(),
        responses: String::new(),
    };
    let src = format!("{topic}-source");
    let sink = format!("{topic}-sink");
    let source_config = format!(
        r#"{{"connector.class":"FileStreamSource","file":"{}","topic":"{topic}","topic.creation.default.partitions":"1","topic.creation.default.replication.factor":"1"}}"#,
        input.display()
    );
    let mut sent = append_lines(&input, 0, 100);

    t.step("the worker", "GET", "/", None, 200);
    t.step("it has started", "GET", "/health", None, 200);
    t.step("no connectors yet", "GET", "/connectors", None, 200);
    let r = t.step(
        "create the source",
        "POST",
        "/connectors",
        Some(&format!(r#"{{"name":"{src}","config":{source_config}}}"#)),
        201,
    );
    assert!(r.header("location").is_some());
    w.wait_status(&src, running);
    t.step(
        "the source runs",
        "GET",
        &format!("/connectors/{src}/status"),
        None,
        200,
    );
    t.step(
        "a second connector of the same name",
        "POST",
        "/connectors",
        Some(&format!(r#"{{"name":"{src}","config":{source_config}}}"#)),
        409,
    );
    t.step(
        "an invalid config: every error at once, nothing created",
        "POST",
        "/connectors",
        Some(r#"{"name":"bad","config":{"connector.class":"FileStreamSource","tasks.max":"0","errors.tolerance":"some"}}"#),
        400,
    );
    t.step(
        "create the sink paused",
        "POST",
        "/connectors",
        Some(&format!(
            r#"{{"name":"{sink}","config":{{"connector.class":"FileStreamSink","file":"{}","topics":"{topic}"}},"initial_state":"PAUSED"}}"#,
            output.display()
        )),
        201,
    );
    t.step(
        "a paused connector has no tasks yet",
        "GET",
        &format!("/connectors/{sink}/status"),
        None,
        200,
    );
    t.step(
        "resume the sink",
        "PUT",
        &format!("/connectors/{sink}/resume"),
        None,
        202,
    );
    w.wait_status(&sink, running);
    t.step(
        "the sink runs",
        "GET",
        &format!("/connectors/{sink}/status"),
        None,
        200,
    );
    wait_lines(&w, &output, 100);

    t.step(
        "pause the source",
        "PUT",
        &format!("/connectors/{src}/pause"),
        None,
        202,
    );
    w.wait_status(&src, |b| b.contains(r#""tasks":[{"id":0,"state":"PAUSED""#));
    t.step(
        "the source and its task are paused",
        "GET",
        &format!("/connectors/{src}/status"),
        None,
        200,
    );
    t.step(
        "pausing again changes nothing",
        "PUT",
        &format!("/connectors/{src}/pause"),
        None,
        202,
    );
    sent.extend(append_lines(&input, 100, 150));
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(lines_of(&output).len(), 100, "a paused source produced");
    t.step(
        "resume the source",
        "PUT",
        &format!("/connectors/{src}/resume"),
        None,
        202,
    );
    w.wait_status(&src, running);
    wait_lines(&w, &output, 150);

    t.step(
        "both connectors, expanded",
        "GET",
        "/connectors?expand=status&expand=info",
        None,
        200,
    );
    t.step(
        "the topics the source used",
        "GET",
        &format!("/connectors/{src}/topics"),
        None,
        200,
    );
    t.step(
        "the topics the sink used",
        "GET",
        &format!("/connectors/{sink}/topics"),
        None,
        200,
    );
    t.step(
        "forget them",
        "PUT",
        &format!("/connectors/{src}/topics/reset"),
        None,
        202,
    );
    t.step(
        "none until it produces again",
        "GET",
        &format!("/connectors/{src}/topics"),
        None,
        200,
    );
    t.step(
        "the source's config",
        "GET",
        &format!("/connectors/{src}/config"),
        None,
        200,
    );
    t.step(
        "the source's tasks",
        "GET",
        &format!("/connectors/{src}/tasks"),
        None,
        200,
    );
    t.step(
        "task configs by id (deprecated)",
        "GET",
        &format!("/connectors/{src}/tasks-config"),
        None,
        200,
    );
    t.step(
        "one task's status",
        "GET",
        &format!("/connectors/{src}/tasks/0/status"),
        None,
        200,
    );
    t.step(
        "replace the source's config",
        "PUT",
        &format!("/connectors/{src}/config"),
        Some(&source_config.replace('}', r#","batch.size":"10"}"#)),
        200,
    );
    w.wait_status(&src, running);
    t.step(
        "a config whose name is not the connector's",
        "PUT",
        &format!("/connectors/{src}/config"),
        Some(r#"{"name":"other","connector.class":"FileStreamSource","topic":"x"}"#),
        400,
    );
    t.step(
        "patch the config: null removes a key",
        "PATCH",
        &format!("/connectors/{src}/config"),
        Some(r#"{"batch.size":null}"#),
        200,
    );
    w.wait_status(&src, running);
    t.step(
        "restart the connector",
        "POST",
        &format!("/connectors/{src}/restart"),
        None,
        204,
    );
    w.wait_status(&src, running);
    t.step(
        "restart only what failed: nothing did",
        "POST",
        &format!("/connectors/{src}/restart?includeTasks=true&onlyFailed=true"),
        None,
        202,
    );
    t.step(
        "restart the connector and its tasks",
        "POST",
        &format!("/connectors/{src}/restart?includeTasks=true"),
        None,
        202,
    );
    w.wait_status(&src, running);
    t.step(
        "restart one task",
        "POST",
        &format!("/connectors/{src}/tasks/0/restart"),
        None,
        204,
    );
    t.step(
        "restart a task that does not exist",
        "POST",
        &format!("/connectors/{src}/tasks/7/restart"),
        None,
        404,
    );
    w.wait_status(&src, running);
    sent.extend(append_lines(&input, 150, 200));
    wait_lines(&w, &output, 200);

    t.step(
        "stop the source",
        "PUT",
        &format!("/connectors/{src}/stop"),
        None,
        204,
    );
    t.step(
        "a stopped connector has no tasks",
        "GET",
        &format!("/connectors/{src}/status"),
        None,
        200,
    );
    t.step(
        "no task configs either",
        "GET",
        &format!("/connectors/{src}/tasks"),
        None,
        200,
    );
    t.step(
        "the source's offset: 200 lines of 11 bytes read",
        "GET",
        &format!("/connectors/{src}/offsets"),
        None,
        200,
    );
    let skip_to = format!(
        r#"{{"offsets":[{{"partition":{{"filename":"{}"}},"offset":{{"position":2310}}}}]}}"#,
        input.display()
    );
    t.step(
        "offsets change only while the connector is stopped",
        "PATCH",
        &format!("/connectors/{sink}/offsets"),
        Some(&skip_to),
        400,
    );
    t.step(
        "the connector checks new offsets",
        "PATCH",
        &format!("/connectors/{src}/offsets"),
        Some(&skip_to.replace("2310", "-1")),
        400,
    );
    // lines 200..209 will be skipped by the new offset
    append_lines(&input, 200, 210);
    sent.extend(append_lines(&input, 210, 250));
    t.step(
        "skip ten lines",
        "PATCH",
        &format!("/connectors/{src}/offsets"),
        Some(&skip_to),
        200,
    );
    t.step(
        "resume the stopped source",
        "PUT",
        &format!("/connectors/{src}/resume"),
        None,
        202,
    );
    w.wait_status(&src, running);
    wait_lines(&w, &output, 240);

    t.step(
        "stop the sink",
        "PUT",
        &format!("/connectors/{sink}/stop"),
        None,
        204,
    );
    t.step(
        "the sink's offset: its consumer group's",
        "GET",
        &format!("/connectors/{sink}/offsets"),
        None,
        200,
    );
    t.step(
        "rewind the sink by ten records",
        "PATCH",
        &format!("/connectors/{sink}/offsets"),
        Some(&format!(
            r#"{{"offsets":[{{"partition":{{"kafka_topic":"{topic}","kafka_partition":0}},"offset":{{"kafka_offset":230}}}}]}}"#
        )),
        200,
    );
    t.step(
        "resume the sink",
        "PUT",
        &format!("/connectors/{sink}/resume"),
        None,
        202,
    );
    w.wait_status(&sink, running);
    // the last ten records come again
    sent.extend((240..250).map(|i| format!("line {i:05}")));
    wait_lines(&w, &output, 250);
    t.step(
        "stop the sink again",
        "PUT",
        &format!("/connectors/{sink}/stop"),
        None,
        204,
    );
    t.step(
        "reset the sink's offsets",
        "DELETE",
        &format!("/connectors/{sink}/offsets"),
        None,
        200,
    );
    t.step(
        "none left",
        "GET",
        &format!("/connectors/{sink}/offsets"),
        None,
        200,
    );
    t.step(
        "stop the source again",
        "PUT",
        &format!("/connectors/{src}/stop"),
        None,
        204,
    );
    t.step(
        "reset the source's offsets",
        "DELETE",
        &format!("/connectors/{src}/offsets"),
        None,
        200,
    );
    t.step(
        "none left",
        "GET",
        &format!("/connectors/{src}/offsets"),
        None,
        200,
    );

    t.step(
        "delete the sink",
        "DELETE",
        &format!("/connectors/{sink}"),
        None,
        204,
    );
    t.step(
        "it is gone",
        "GET",
        &format!("/connectors/{sink}"),
        None,
        404,
    );
    t.step(
        "its status too",
        "GET",
        &format!("/connectors/{sink}/status"),
        None,
        404,
    );
    t.step(
        "pause an unknown connector",
        "PUT",
        "/connectors/nope/pause",
        None,
        404,
    );
    t.step(
        "restart an unknown connector",
        "POST",
        "/connectors/nope/restart?includeTasks=true",
        None,
        404,
    );
    t.step(
        "a method the path does not take",
        "DELETE",
        "/connectors",
        None,
        405,
    );
    t.step("a path that does not exist", "GET", "/nope", None, 404);
    t.step("what is left", "GET", "/connectors", None, 200);

    // every line arrived once, in order, through pauses, restarts and stops, but for those
    // the altered offsets skipped and replayed
    assert_eq!(lines_of(&output), sent, "{}", w.log_text());
    let transcript = t;
    transcript.check(&common::root().join("crates/ferry/tests/golden/rest_lifecycle.txt"));
    drop(transcript);
    assert_eq!(w.terminate(), 0);
}

/// Starts a worker with no connector; returns it with its directory.
fn bare_worker(bootstrap: &str) -> (tempfile::TempDir, Worker) {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let worker_file = worker_file(dir.path(), bootstrap, port, 60_000, "");
    let w = Worker::start(dir.path(), &[&worker_file], port, "worker.log");
    (dir, w)
}

#[test]
fn plugins_their_keys_and_validation_over_rest() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("rest_plugins") else {
        return;
    };
    let (dir, w) = bare_worker(&bootstrap);
    let mut t = Transcript {
        worker: &w,
        replacements: vec![(dir.path().display().to_string(), "{dir}")],
        text: String::new(),
        responses: String::new(),
    };
    t.step(
        "the connector plugins",
        "GET",
        "/connector-plugins",
        None,
        200,
    );
    t.step(
        "every plugin",
        "GET",
        "/connector-plugins?connectorsOnly=false",
        None,
        200,
    );
    t.step(
        "a connector's keys, by alias",
        "GET",
        "/connector-plugins/FileStreamSource/config",
        None,
        200,
    );
    t.step(
        "a transformation's keys",
        "GET",
        "/connector-plugins/org.apache.kafka.connect.transforms.Cast$Value/config",
        None,
        200,
    );
    t.step(
        "a converter's keys, by simple name",
        "GET",
        "/connector-plugins/StringConverter/config",
        None,
        200,
    );
    t.step(
        "an unknown plugin",
        "GET",
        "/connector-plugins/NoSuchConnector/config",
        None,
        404,
    );
    t.step(
        "a valid config",
        "PUT",
        "/connector-plugins/FileStreamSink/config/validate",
        Some(
            r#"{"connector.class":"FileStreamSink","name":"s","topics":"t","file":"/tmp/out.txt"}"#,
        ),
        200,
    );
    t.step(
        "every error of a config, each on its key",
        "PUT",
        "/connector-plugins/FileStreamSinkConnector/config/validate",
        Some(r#"{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","name":"s","tasks.max":"0","topics":"t","topics.regex":"t.*","errors.tolerance":"most","transforms":"cast","transforms.cast.type":"Cast$Value","transforms.cast.spec":"int99","connection.password":"s3cret","fille":"/tmp/x"}"#),
        200,
    );
    t.step(
        "a JDBC source config: errors on their keys, the password hidden",
        "PUT",
        "/connector-plugins/JdbcSourceConnector/config/validate",
        Some(r#"{"connector.class":"io.confluent.connect.jdbc.JdbcSourceConnector","name":"j","connection.url":"jdbc:postgresql://127.0.0.1:1/db","connection.user":"u","connection.password":"s3cret","mode":"sometimes","topic.prefix":"pg-"}"#),
        200,
    );
    t.step(
        "a config for another plugin",
        "PUT",
        "/connector-plugins/FileStreamSource/config/validate",
        Some(r#"{"connector.class":"FileStreamSink","name":"s"}"#),
        400,
    );
    t.step(
        "a config without a connector class",
        "PUT",
        "/connector-plugins/FileStreamSource/config/validate",
        Some(r#"{"name":"s"}"#),
        400,
    );
    // log levels change at runtime
    let levels = w.call("GET", "/admin/loggers", None);
    assert_eq!(levels.status, 200);
    assert!(
        levels
            .body
            .contains(r#""root":{"level":"INFO","last_modified":null}"#),
        "{}",
        levels.body
    );
    assert!(
        !w.log_text().contains(" DEBUG "),
        "debug logs before asking for them"
    );
    let set = w.call("PUT", "/admin/loggers/root", Some(r#"{"level":"DEBUG"}"#));
    assert_eq!(set.status, 200, "{}", set.body);
    assert!(set.body.contains(r#""connect_runtime""#), "{}", set.body);
    let runtime = w.call("GET", "/admin/loggers/connect_runtime::standalone", None);
    assert!(
        runtime.body.contains(r#""level":"DEBUG""#),
        "{}",
        runtime.body
    );
    let _ = w.call("GET", "/connectors", None);
    assert!(
        w.log_text().contains(" DEBUG "),
        "no debug logs after setting DEBUG"
    );
    let back = w.call("PUT", "/admin/loggers/root", Some(r#"{"level":"info"}"#));
    assert_eq!(back.status, 200);

    let transcript = t;
    assert!(
        !transcript.responses.contains("s3cret"),
        "a secret was shown"
    );
    transcript.check(&common::root().join("crates/ferry/tests/golden/rest_plugins.txt"));
    drop(transcript);
    assert_eq!(w.terminate(), 0);
}

#[test]
fn config_providers_resolve_when_tasks_start_and_are_never_shown_resolved() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("rest_config_providers") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let topic = unique("providers");
    let port = free_port();
    let input = d.join("input.txt");
    let output = d.join("output.txt");
    write(
        d,
        "paths.properties",
        &format!("out={}\npassword=s3cret-from-file\n", output.display()),
    );
    std::fs::create_dir(d.join("secrets")).unwrap();
    write(
        &d.join("secrets"),
        "input-path",
        &input.display().to_string(),
    );
    let providers = format!(
        "config.providers=file,dir\n\
config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n\
config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n\
config.providers.dir.param.allowed.paths={}\n",
        d.display()
    );
    let worker_file = worker_file(d, &bootstrap, port, 200, &providers);
    let lines = append_lines(&input, 0, 20);
    let w = Worker::start(d, &[&worker_file], port, "worker.log");
    let props = d.join("paths.properties").display().to_string();
    let secrets = d.join("secrets").display().to_string();
    let source = format!(
        r#"{{"name":"{topic}-source","config":{{"connector.class":"FileStreamSource","topic":"{topic}","file":"${{dir:{secrets}:input-path}}","topic.creation.default.partitions":"1","topic.creation.default.replication.factor":"1"}}}}"#
    );
    let sink = format!(
        r#"{{"name":"{topic}-sink","config":{{"connector.class":"FileStreamSink","topics":"{topic}","file":"${{file:{props}:out}}","connection.password":"${{file:{props}:password}}"}}}}"#
    );
    assert_eq!(w.call("POST", "/connectors", Some(&source)).status, 201);
    let created = w.call("POST", "/connectors", Some(&sink));
    assert_eq!(created.status, 201, "{}", created.body);
    w.wait_status(&format!("{topic}-sink"), running);
    wait_lines(&w, &output, lines.len());
    assert_eq!(lines_of(&output), lines);

    // stored and shown as written: the references, never the values
    let mut shown = String::new();
    for path in [
        format!("/connectors/{topic}-sink/config"),
        format!("/connectors/{topic}-sink/tasks"),
        format!("/connectors/{topic}-source/tasks"),
        format!("/connectors/{topic}-sink/status"),
        "/connectors?expand=info&expand=status".to_string(),
    ] {
        let r = w.call("GET", &path, None);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        shown.push_str(&r.body);
    }
    let validated = w.call(
        "PUT",
        "/connector-plugins/FileStreamSink/config/validate",
        Some(&format!(
            r#"{{"connector.class":"FileStreamSink","name":"v","topics":"t","connection.password":"${{file:{props}:password}}"}}"#
        )),
    );
    assert_eq!(validated.status, 200, "{}", validated.body);
    shown.push_str(&validated.body);
    assert!(
        shown.contains(&format!("${{file:{props}:out}}")),
        "the reference is not shown: {shown}"
    );
    assert!(
        !shown.contains("s3cret"),
        "a resolved secret was shown: {shown}"
    );
    assert!(
        !shown.contains(&format!("\"file\":\"{}\"", output.display())),
        "a resolved path was shown: {shown}"
    );
    assert!(!w.log_text().contains("s3cret"), "a secret was logged");
    assert_eq!(w.terminate(), 0);
}
