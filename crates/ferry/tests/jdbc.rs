//! End to end through the `ferry` binary, the script-started broker and MariaDB (`DATABASE_URL_MYSQL`,
//! started by `scripts/db.sh`): the seed pipelines as written (an incrementing source and a
//! MySQL-style timestamp source on `update_ts`, each into a sink that creates its table), a
//! restart that resumes from stored offsets, and bad inputs (unreachable database, wrong
//! password, missing table, a record that does not fit: clear errors, and with a dead letter
//! queue nothing else lost). The database is read with the `mariadb` client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::topics::{header, read_topic};
use common::worker::{free_port, unique, worker_file, write, Worker};

/// The MariaDB to test against: (jdbc URL, host, port).
fn mariadb(test: &str) -> Option<(String, String, String)> {
    let jdbc = testkit::services::mariadb_jdbc_url(test)?;
    let url = std::env::var("DATABASE_URL_MYSQL").unwrap();
    let hostport = url
        .rsplit_once('@')
        .unwrap()
        .1
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let (host, port) = hostport.split_once(':').unwrap();
    Some((jdbc, host.to_string(), port.to_string()))
}

/// Runs SQL with the `mariadb` client as user ferry; the output rows.
fn sql(db: &(String, String, String), statement: &str) -> String {
    let out = Command::new("mariadb")
        .args([
            "-h", &db.1, "-P", &db.2, "-uferry", "-pferry", "ferry", "-N", "-B", "-e", statement,
        ])
        .output()
        .expect("the mariadb client (apt-get install mariadb-client)");
    assert!(
        out.status.success(),
        "{statement}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn count(db: &(String, String, String), table: &str, filter: &str) -> i64 {
    let w = if filter.is_empty() {
        String::new()
    } else {
        format!(" WHERE {filter}")
    };
    sql(db, &format!("SELECT COUNT(*) FROM {table}{w}"))
        .parse()
        .unwrap_or(-1)
}

/// Waits until `SELECT COUNT(*)` gives `n` (table missing counts as -1).
fn wait_count(db: &(String, String, String), table: &str, filter: &str, n: i64, w: &Worker) {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut last = -1;
    while Instant::now() < deadline {
        let exists = sql(db, &format!("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"));
        if exists == "1" {
            last = count(db, table, filter);
            if last == n {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!(
        "{table} [{filter}] has {last} rows, not {n}\n{}",
        w.log_text()
    );
}

fn json_worker(dir: &Path, bootstrap: &str, port: u16) -> std::path::PathBuf {
    worker_file(
        dir,
        bootstrap,
        port,
        500,
        "key.converter=org.apache.kafka.connect.json.JsonConverter\n\
value.converter=org.apache.kafka.connect.json.JsonConverter\n",
    )
}

fn connector(dir: &Path, name: &str, lines: &str) -> std::path::PathBuf {
    write(
        dir,
        &format!("{name}.properties"),
        &format!("name={name}\n{lines}"),
    )
}

#[test]
fn seed_pipelines_run_as_written_and_resume_from_offsets() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("jdbc_seed_pipelines") else {
        return;
    };
    let Some(db) = mariadb("jdbc_seed_pipelines") else {
        return;
    };
    let id = unique("s").replace('-', "_");
    let (src, dst_inc, dst_ts) = (
        format!("src_{id}"),
        format!("dst_inc_{id}"),
        format!("dst_ts_{id}"),
    );
    sql(&db, &format!(
        "CREATE TABLE {src} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, amount DECIMAL(10,2), \
         update_ts TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3))"
    ));
    let insert = |from: i64, to: i64| {
        let rows: Vec<String> = (from..to).map(|i| format!("('row {i}', {i}.25)")).collect();
        sql(
            &db,
            &format!("INSERT INTO {src} (name, amount) VALUES {}", rows.join(",")),
        );
    };
    insert(0, 100);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let worker = json_worker(dir.path(), &bootstrap, port);
    let jdbc = &db.0;
    let creation =
        "topic.creation.default.partitions=1\ntopic.creation.default.replication.factor=1\n";
    let files = [
        worker.clone(),
        // MariaDB → Kafka in incrementing mode, and back into MariaDB with auto.create
        connector(dir.path(), &format!("inc-source-{id}"), &format!(
            "connector.class=io.confluent.connect.jdbc.JdbcSourceConnector\nconnection.url={jdbc}\n\
mode=incrementing\nincrementing.column.name=id\ntable.whitelist={src}\ntopic.prefix=inc-\npoll.interval.ms=200\n{creation}"
        )),
        connector(dir.path(), &format!("inc-sink-{id}"), &format!(
            "connector.class=io.confluent.connect.jdbc.JdbcSinkConnector\nconnection.url={jdbc}\ntopics=inc-{src}\n\
table.name.format={dst_inc}\nauto.create=true\nauto.evolve=true\ninsert.mode=insert\n"
        )),
        // MySQL-style timestamp source on update_ts, upserted by id
        connector(dir.path(), &format!("ts-source-{id}"), &format!(
            "connector.class=JdbcSourceConnector\nconnection.url={jdbc}\nmode=timestamp\n\
timestamp.column.name=update_ts\ntable.whitelist={src}\ntopic.prefix=ts-\npoll.interval.ms=200\n{creation}"
        )),
        connector(dir.path(), &format!("ts-sink-{id}"), &format!(
            "connector.class=JdbcSink\nconnection.url={jdbc}\ntopics=ts-{src}\ntable.name.format={dst_ts}\n\
auto.create=true\ninsert.mode=upsert\npk.mode=record_value\npk.fields=id\n"
        )),
    ];
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let w = Worker::start(dir.path(), &paths, port, "first.log");
    wait_count(&db, &dst_inc, "", 100, &w);
    wait_count(&db, &dst_ts, "", 100, &w);
    assert_eq!(
        count(&db, &dst_inc, "name = 'row 42' AND amount = 42.25"),
        1
    );

    // updates: only the timestamp source sees them; inserts: both
    sql(
        &db,
        &format!("UPDATE {src} SET name = 'updated' WHERE id <= 10"),
    );
    insert(100, 120);
    wait_count(&db, &dst_inc, "", 120, &w);
    wait_count(&db, &dst_ts, "name = 'updated'", 10, &w);
    wait_count(&db, &dst_ts, "", 120, &w);
    assert_eq!(
        count(&db, &dst_inc, "name = 'updated'"),
        0,
        "incrementing mode does not see updates"
    );
    let status = w
        .get(&format!("/connectors/inc-source-{id}/status"))
        .unwrap();
    assert!(
        status.contains("RUNNING") && !status.contains("FAILED"),
        "{status}"
    );
    assert_eq!(w.terminate(), 0);

    // a restart resumes from the stored offsets: rows added meanwhile arrive, once
    insert(120, 125);
    let w = Worker::start(dir.path(), &paths, port, "second.log");
    wait_count(&db, &dst_inc, "", 125, &w);
    wait_count(&db, &dst_ts, "", 125, &w);
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        count(&db, &dst_inc, ""),
        125,
        "rows read again after the restart"
    );
    let offsets = std::fs::read(dir.path().join("connect.offsets")).unwrap();
    let text = String::from_utf8_lossy(&offsets);
    assert!(
        text.contains(&format!("\"table\":\"ferry.{src}\"")),
        "offset partition as Confluent writes it"
    );
    assert_eq!(w.terminate(), 0);
    for t in [&src, &dst_inc, &dst_ts] {
        sql(&db, &format!("DROP TABLE {t}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_give_clear_errors_and_lose_nothing() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("jdbc_bad_inputs") else {
        return;
    };
    let Some(db) = mariadb("jdbc_bad_inputs") else {
        return;
    };
    let id = unique("b").replace('-', "_");
    let (src, dst) = (format!("bad_src_{id}"), format!("bad_dst_{id}"));
    sql(
        &db,
        &format!(
            "CREATE TABLE {src} (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL)"
        ),
    );
    sql(
        &db,
        &format!("CREATE TABLE {dst} (id INT PRIMARY KEY, name VARCHAR(5) NOT NULL)"),
    );
    sql(
        &db,
        &format!("INSERT INTO {src} (name) VALUES ('ok'), ('much too long'), ('fine')"),
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let worker = json_worker(dir.path(), &bootstrap, port);
    let jdbc = &db.0;
    let dlq = format!("dlq-{id}").replace('_', "-");
    let creation =
        "topic.creation.default.partitions=1\ntopic.creation.default.replication.factor=1\n";
    let files = [
        worker.clone(),
        connector(dir.path(), "unreachable", "connector.class=JdbcSource\nconnection.url=jdbc:mariadb://127.0.0.1:1/ferry\n\
connection.user=ferry\nconnection.password=hunter2\nconnection.attempts=1\nmode=bulk\n"),
        connector(dir.path(), "wrong-password", &format!(
            "connector.class=JdbcSource\nconnection.url=jdbc:mariadb://{}:{}/ferry\nconnection.user=ferry\n\
connection.password=hunter2\nconnection.attempts=1\nmode=bulk\n",
            db.1, db.2
        )),
        connector(dir.path(), &format!("source-{id}"), &format!(
            "connector.class=JdbcSource\nconnection.url={jdbc}\nmode=incrementing\nincrementing.column.name=id\n\
table.whitelist={src}\ntopic.prefix=\npoll.interval.ms=200\n{creation}"
        )),
        // the record that does not fit goes to the dead letter queue; the others are written
        connector(dir.path(), &format!("sink-{id}"), &format!(
            "connector.class=JdbcSink\nconnection.url={jdbc}\ntopics={src}\ntable.name.format={dst}\n\
pk.mode=record_value\npk.fields=id\nmax.retries=0\nerrors.tolerance=all\n\
errors.deadletterqueue.topic.name={dlq}\nerrors.deadletterqueue.topic.replication.factor=1\n\
errors.deadletterqueue.context.headers.enable=true\n"
        )),
        // no table and no auto.create: the task fails, saying so
        connector(dir.path(), &format!("missing-{id}"), &format!(
            "connector.class=JdbcSink\nconnection.url={jdbc}\ntopics={src}\ntable.name.format=no_such_{id}\nmax.retries=0\n"
        )),
    ];
    let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let w = Worker::start(dir.path(), &paths, port, "worker.log");

    let status = w.wait_status("unreachable", |b| b.contains("FAILED"));
    assert!(
        status.contains(
            "Connector 'unreachable': Could not connect to jdbc:mariadb://127.0.0.1:1/ferry as user 'ferry'"
        ),
        "{status}"
    );
    let status = w.wait_status("wrong-password", |b| b.contains("FAILED"));
    assert!(
        status.contains("Connector 'wrong-password'") && status.contains("Access denied"),
        "{status}"
    );
    let status = w.wait_status(&format!("missing-{id}"), |b| b.contains("FAILED"));
    assert!(
        status.contains(&format!(
            "Table \\\"no_such_{id}\\\" is missing and auto-creation is disabled"
        )),
        "{status}"
    );

    wait_count(&db, &dst, "", 2, &w);
    let records = read_topic(&bootstrap, &dlq, 1).await;
    assert_eq!(records.len(), 1, "{}", w.log_text());
    let r = &records[0];
    assert_eq!(header(r, "__connect.errors.stage"), "TASK_PUT");
    assert_eq!(header(r, "__connect.errors.offset"), "1");
    assert_eq!(
        header(r, "__connect.errors.class.name"),
        "io.confluent.connect.jdbc.sink.JdbcSinkTask"
    );
    let message = header(r, "__connect.errors.exception.message");
    assert!(
        message.contains(&format!("sink-{id}"))
            && message.contains("'name'")
            && message.contains(&dst),
        "{message}"
    );
    let status = w.get(&format!("/connectors/sink-{id}/status")).unwrap();
    assert!(!status.contains("FAILED"), "{status}");

    let config = w.get(&format!("/connectors/source-{id}/config")).unwrap();
    assert!(
        config.contains("password=********") && !config.contains("password=ferry"),
        "a password inside connection.url was shown: {config}"
    );
    let config = w.get("/connectors/wrong-password").unwrap();
    assert!(
        config.contains(r#""connection.password":"[hidden]""#),
        "{config}"
    );
    let log = w.log_text();
    assert!(!log.contains("hunter2"), "a password was logged");
    for name in ["unreachable", "wrong-password"] {
        let config = w.get(&format!("/connectors/{name}/status")).unwrap();
        assert!(!config.contains("hunter2"), "{config}");
    }
    assert_eq!(w.terminate(), 0);
    for t in [&src, &dst] {
        sql(&db, &format!("DROP TABLE {t}"));
    }
}
