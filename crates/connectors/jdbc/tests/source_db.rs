//! The source task against real databases: Postgres and MariaDB started by `scripts/db.sh`
//! (`DATABASE_URL_PG`, `DATABASE_URL_MYSQL`; under `CI=true` a missing one fails the test),
//! and SQLite in a temporary file. Each mode picks up inserts (and, with timestamps,
//! updates); a task restarted from the stored offset reads nothing again; deletes are never
//! seen (a documented limit of query-based polling).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::db_for;
use connect_api::plugin::{ConfigMap, OffsetStorageReader, SourceTask, SourceTaskContext};
use connect_api::{Result, SourceRecord, Value};
use connector_jdbc::JdbcSourceTask;

#[derive(Default)]
struct Offsets(Mutex<HashMap<String, Value>>);

impl OffsetStorageReader for Offsets {
    fn offset(&self, partition: &Value) -> Result<Option<Value>> {
        Ok(self
            .0
            .lock()
            .unwrap()
            .get(&format!("{partition:?}"))
            .cloned())
    }
}

impl Offsets {
    fn commit(&self, records: &[SourceRecord]) {
        for r in records {
            self.0.lock().unwrap().insert(
                format!("{:?}", r.meta.source_partition),
                r.meta.source_offset.clone(),
            );
        }
    }
}

/// A database under test: its JDBC URL and its SQL for the test table.
struct Case {
    name: &'static str,
    url: String,
    create: fn(&str) -> String,
    quoted: fn(&str) -> String,
    touch: &'static str,
}

fn cases(sqlite_dir: &std::path::Path) -> Vec<Case> {
    let mut out = Vec::new();
    if let Some(url) = testkit::services::postgres_jdbc_url("jdbc source") {
        out.push(Case {
            name: "postgres",
            url,
            create: |t| {
                format!(
                    "CREATE TABLE \"{t}\" (id SERIAL PRIMARY KEY, name VARCHAR(50) NOT NULL, \
                     price NUMERIC(10,2), updated_at TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp())"
                )
            },
            quoted: |t| format!("\"public\".\"{t}\""),
            touch: "clock_timestamp()",
        });
    }
    if let Some(url) = testkit::services::mariadb_jdbc_url("jdbc source") {
        out.push(Case {
            name: "mariadb",
            url,
            create: |t| {
                format!(
                    "CREATE TABLE `{t}` (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(50) NOT NULL, \
                     price DECIMAL(10,2), updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))"
                )
            },
            quoted: |t| format!("`ferry`.`{t}`"),
            touch: "CURRENT_TIMESTAMP(3) + INTERVAL 1 SECOND",
        });
    }
    out.push(Case {
        name: "sqlite",
        url: format!("jdbc:sqlite:{}", sqlite_dir.join("source.db").display()),
        create: |t| {
            format!(
                "CREATE TABLE \"{t}\" (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2), \
                 updated_at TIMESTAMP NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')))"
            )
        },
        quoted: |t| format!("\"{t}\""),
        touch: "strftime('%Y-%m-%d %H:%M:%f','now', '+1 second')",
    });
    out
}

fn config(case: &Case, table: &str, mode: &str) -> ConfigMap {
    let mut m: ConfigMap = [
        ("connection.url", case.url.as_str()),
        ("mode", mode),
        ("incrementing.column.name", "id"),
        ("timestamp.column.name", "updated_at"),
        ("topic.prefix", "db-"),
        ("poll.interval.ms", "50"),
        ("batch.max.rows", "2"),
        ("tables.fetched", "true"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    m.insert("tables".into(), (case.quoted)(table));
    m
}

/// Polls until `n` records arrived (or `wait` passed), committing their offsets.
async fn poll_for(
    task: &mut JdbcSourceTask,
    offsets: &Offsets,
    n: usize,
    wait: Duration,
) -> Vec<SourceRecord> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while out.len() < n && tokio::time::Instant::now() < deadline {
        let batch = task.poll().await.unwrap();
        assert!(
            batch.len() <= 2,
            "batch.max.rows=2 caps a poll, got {}",
            batch.len()
        );
        offsets.commit(&batch);
        out.extend(batch);
    }
    out
}

/// Polls until `n` records arrived (10 s at most).
async fn poll_n(task: &mut JdbcSourceTask, offsets: &Offsets, n: usize) -> Vec<SourceRecord> {
    poll_for(task, offsets, n, Duration::from_secs(10)).await
}

/// Polls for a second (about twenty queries at poll.interval.ms=50): what arrives.
async fn poll_quiet(task: &mut JdbcSourceTask, offsets: &Offsets) -> Vec<SourceRecord> {
    poll_for(task, offsets, 1, Duration::from_secs(1)).await
}

fn field(r: &SourceRecord, name: &str) -> Value {
    match &r.value.value {
        Value::Struct(s) => s.get(name).unwrap().clone(),
        other => panic!("not a struct: {other:?}"),
    }
}

fn names(records: &[SourceRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| match field(r, "name") {
            Value::String(s) => s,
            other => panic!("{other:?}"),
        })
        .collect()
}

/// A task started on `config`, reading its offsets from `offsets`.
async fn start_with(config: &ConfigMap, offsets: &Arc<Offsets>) -> Result<JdbcSourceTask> {
    let mut task = JdbcSourceTask::default();
    task.start(
        config,
        SourceTaskContext {
            offsets: Arc::clone(offsets) as Arc<dyn OffsetStorageReader>,
        },
    )
    .await?;
    Ok(task)
}

async fn start(case: &Case, table: &str, mode: &str, offsets: &Arc<Offsets>) -> JdbcSourceTask {
    start_with(&config(case, table, mode), offsets)
        .await
        .unwrap_or_else(|e| panic!("{}: start failed: {e}", case.name))
}

#[tokio::test]
async fn each_mode_picks_up_changes_and_resumes_from_its_offset() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        for mode in ["incrementing", "timestamp", "timestamp+incrementing"] {
            let table = format!("src_{}_{}", std::process::id(), mode.replace('+', "_"));
            let db = db_for(&case.url).await;
            db.execute(&(case.create)(&table)).await.unwrap();
            let insert = |n: &str| {
                format!(
                    "INSERT INTO {} (name, price) VALUES ('{n}', 1.50)",
                    (case.quoted)(&table)
                )
            };
            for n in ["a", "b", "c"] {
                db.execute(&insert(n)).await.unwrap();
            }
            let offsets = Arc::new(Offsets::default());
            let mut task = start(&case, &table, mode, &offsets).await;
            let first = poll_n(&mut task, &offsets, 3).await;
            let what = format!("{} {mode}", case.name);
            assert_eq!(names(&first), ["a", "b", "c"], "{what}");
            let r = &first[0];
            assert_eq!(&*r.topic, format!("db-{table}"), "{what}");
            assert_eq!(
                r.value.schema.as_ref().unwrap().name(),
                Some(table.as_str()),
                "{what}"
            );
            assert!(
                matches!(field(r, "price"), Value::Decimal(_)),
                "{what}: {:?}",
                field(r, "price")
            );
            let Value::Map(partition) = &*r.meta.source_partition else {
                panic!()
            };
            assert_eq!(
                partition[0],
                (Value::String("protocol".into()), Value::String("1".into())),
                "{what}"
            );

            // inserts are picked up by every mode; updates only by timestamp modes
            db.execute(&insert("d")).await.unwrap();
            // timestamps are milliseconds: the update's must come after the insert's
            tokio::time::sleep(Duration::from_millis(5)).await;
            db.execute(&format!(
                "UPDATE {} SET name = 'b2', updated_at = {} WHERE name = 'b'",
                (case.quoted)(&table),
                case.touch
            ))
            .await
            .unwrap();
            db.execute(&format!(
                "DELETE FROM {} WHERE name = 'a'",
                (case.quoted)(&table)
            ))
            .await
            .unwrap();
            let expected: &[&str] = if mode == "incrementing" {
                &["d"]
            } else {
                &["d", "b2"]
            };
            let second = poll_n(&mut task, &offsets, expected.len()).await;
            assert_eq!(names(&second), expected, "{what}: deletes are never seen");
            let extra = poll_quiet(&mut task, &offsets).await;
            assert!(
                extra.is_empty(),
                "{what}: nothing more, got {:?}",
                names(&extra)
            );
            task.stop().await.unwrap();

            // a restarted task resumes from the stored offset: nothing is read again
            let mut again = start(&case, &table, mode, &offsets).await;
            let none = poll_quiet(&mut again, &offsets).await;
            assert!(none.is_empty(), "{what}: re-read {:?}", names(&none));
            db.execute(&insert("e")).await.unwrap();
            assert_eq!(
                names(&poll_n(&mut again, &offsets, 1).await),
                ["e"],
                "{what}"
            );
            again.stop().await.unwrap();
            db.execute(&format!("DROP TABLE {}", (case.quoted)(&table)))
                .await
                .unwrap();
            db.close().await;
        }
    }
}

#[tokio::test]
async fn bulk_and_query_modes_and_the_late_timestamp_limit() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        let table = format!("src_{}_other", std::process::id());
        let quoted = (case.quoted)(&table);
        let db = db_for(&case.url).await;
        db.execute(&(case.create)(&table)).await.unwrap();
        let insert = |n: &str| format!("INSERT INTO {quoted} (name, price) VALUES ('{n}', 2.00)");
        for n in ["a", "b"] {
            db.execute(&insert(n)).await.unwrap();
        }
        let what = case.name;

        // bulk: every query reads the whole table again; no offset is stored
        let offsets = Arc::new(Offsets::default());
        let mut bulk = start(&case, &table, "bulk", &offsets).await;
        let first = poll_n(&mut bulk, &offsets, 2).await;
        assert_eq!(names(&first), ["a", "b"], "{what}");
        assert_eq!(first[0].meta.source_offset, Value::Null, "{what}");
        assert_eq!(
            *first[0].meta.source_partition,
            Value::Map(vec![(
                Value::String("table".into()),
                Value::String(table.clone())
            )]),
            "{what}"
        );
        db.execute(&insert("c")).await.unwrap();
        let again = poll_n(&mut bulk, &offsets, 3).await;
        assert_eq!(
            names(&again),
            ["a", "b", "c"],
            "{what}: bulk reads the whole table"
        );
        bulk.stop().await.unwrap();

        // a custom query, incrementing: topic is the prefix, the struct unnamed
        let mut cfg = config(&case, &table, "incrementing");
        cfg.remove("tables");
        cfg.insert("query".into(), format!("SELECT id, name FROM {quoted}"));
        cfg.insert("topic.prefix".into(), "q-topic".into());
        let offsets = Arc::new(Offsets::default());
        let mut query = JdbcSourceTask::default();
        query
            .start(
                &cfg,
                SourceTaskContext {
                    offsets: Arc::clone(&offsets) as Arc<dyn OffsetStorageReader>,
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        let rows = poll_n(&mut query, &offsets, 3).await;
        assert_eq!(names(&rows), ["a", "b", "c"], "{what}");
        assert_eq!(&*rows[0].topic, "q-topic", "{what}");
        assert_eq!(
            rows[0].value.schema.as_ref().unwrap().name(),
            None,
            "{what}"
        );
        assert_eq!(
            *rows[0].meta.source_partition,
            Value::Map(vec![(
                Value::String("query".into()),
                Value::String("query".into())
            )]),
            "{what}"
        );
        db.execute(&insert("d")).await.unwrap();
        assert_eq!(
            names(&poll_n(&mut query, &offsets, 1).await),
            ["d"],
            "{what}"
        );
        query.stop().await.unwrap();

        // the documented limit of timestamp mode: a row committed with a timestamp older
        // than the stored offset is never read
        let offsets = Arc::new(Offsets::default());
        let mut ts = start(&case, &table, "timestamp", &offsets).await;
        assert_eq!(poll_n(&mut ts, &offsets, 4).await.len(), 4, "{what}");
        db.execute(&format!(
            "INSERT INTO {quoted} (name, price, updated_at) VALUES ('late', 1.00, '2000-01-01 00:00:00.000')"
        ))
        .await
        .unwrap();
        let late = poll_quiet(&mut ts, &offsets).await;
        assert!(
            late.is_empty(),
            "{what}: the late row was read: {:?}",
            names(&late)
        );
        ts.stop().await.unwrap();
        db.execute(&format!("DROP TABLE {quoted}")).await.unwrap();
        db.close().await;
    }
}

#[tokio::test]
async fn transaction_isolation_mode_is_set_on_every_connection() {
    use connector_jdbc::db::Db;
    use connector_jdbc::source::config::SourceConfig;
    use sqlx::Row;
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        for (mode, want) in [
            ("DEFAULT", None),
            ("serializable", Some("serializable")),
            ("REPEATABLE_READ", Some("repeatable")),
            ("READ_COMMITTED", Some("committed")),
        ] {
            let mut m = config(&case, "t_iso", "bulk");
            m.insert("transaction.isolation.mode".into(), mode.into());
            let cfg = SourceConfig::parse(&m).unwrap();
            let db = Db::connect(&cfg.connection).await.unwrap();
            // more than one query, so more than one of the pool's connections may answer
            for _ in 0..3 {
                let level = match &db {
                    Db::Postgres(p) => {
                        sqlx::query("SELECT current_setting('transaction_isolation')")
                            .fetch_one(p)
                            .await
                            .unwrap()
                            .get::<String, _>(0)
                    }
                    Db::MySql(p) => sqlx::query("SELECT CAST(@@SESSION.tx_isolation AS CHAR)")
                        .fetch_one(p)
                        .await
                        .unwrap()
                        .get::<String, _>(0),
                    // SQLite is serializable whatever is asked; READ_COMMITTED is warned about
                    Db::Sqlite(p) => {
                        sqlx::query("SELECT 1").fetch_one(p).await.unwrap();
                        continue;
                    }
                }
                .to_ascii_lowercase()
                .replace(['-', '_'], " ");
                match want {
                    Some(w) => assert!(level.contains(w), "{} {mode}: {level}", case.name),
                    // the servers' defaults: read committed (Postgres), repeatable read (MariaDB)
                    None => assert!(
                        level == "read committed" || level == "repeatable read",
                        "{} {mode}: {level}",
                        case.name
                    ),
                }
            }
            db.close().await;
        }
    }
}

#[tokio::test]
async fn db_timezone_regions_read_wall_clock_times_with_their_daylight_saving() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        let table = format!("tz_{}", std::process::id());
        let db = db_for(&case.url).await;
        let column = if case.name == "mariadb" {
            "DATETIME(3)"
        } else {
            "TIMESTAMP"
        };
        db.execute(&format!(
            "CREATE TABLE {} (id INT NOT NULL PRIMARY KEY, name VARCHAR(10) NOT NULL, at {column} NOT NULL)",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        db.execute(&format!(
            "INSERT INTO {} (id, name, at) VALUES (1, 'summer', '2024-07-01 12:00:00'), \
             (2, 'winter', '2024-01-15 12:00:00')",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        let mut m = config(&case, &table, "incrementing");
        m.insert("db.timezone".into(), "Europe/Paris".into());
        let offsets = Arc::new(Offsets::default());
        let mut task = start_with(&m, &offsets).await.unwrap();
        let got = poll_n(&mut task, &offsets, 2).await;
        assert_eq!(names(&got), ["summer", "winter"], "{}", case.name);
        // 12:00 in Paris: 10:00 UTC in July (CEST), 11:00 UTC in January (CET)
        assert_eq!(
            field(&got[0], "at"),
            Value::Timestamp(1_719_828_000_000),
            "{}",
            case.name
        );
        assert_eq!(
            field(&got[1], "at"),
            Value::Timestamp(1_705_316_400_000),
            "{}",
            case.name
        );
        task.stop().await.unwrap();
    }
}

#[tokio::test]
async fn column_mappings_choose_the_offset_columns_of_each_table() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()) {
        let pid = std::process::id();
        let (a, b) = (format!("mapa_{pid}"), format!("mapb_{pid}"));
        let db = db_for(&case.url).await;
        for (t, inc) in [(&a, "id"), (&b, "uid")] {
            db.execute(&format!(
                "CREATE TABLE {} ({inc} INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                (case.quoted)(t)
            ))
            .await
            .unwrap();
            db.execute(&format!(
                "INSERT INTO {} ({inc}, name) VALUES (1, '{t}1'), (2, '{t}2')",
                (case.quoted)(t)
            ))
            .await
            .unwrap();
        }
        let mut m = config(&case, &a, "incrementing");
        m.remove("incrementing.column.name");
        m.insert(
            "tables".into(),
            format!("{},{}", (case.quoted)(&a), (case.quoted)(&b)),
        );
        m.insert("table.include.list".into(), ".*map[ab]_[0-9]+".into());
        m.insert(
            "incrementing.column.mapping".into(),
            ".*mapa_[0-9]+:id, .*mapb_[0-9]+:uid".into(),
        );
        let offsets = Arc::new(Offsets::default());
        let mut task = start_with(&m, &offsets)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut got = names(&poll_n(&mut task, &offsets, 4).await);
        got.sort();
        assert_eq!(
            got,
            [
                format!("{a}1"),
                format!("{a}2"),
                format!("{b}1"),
                format!("{b}2")
            ],
            "{}",
            case.name
        );
        // the offsets hold each table's own column
        let stored: Vec<String> = offsets
            .0
            .lock()
            .unwrap()
            .values()
            .map(|v| format!("{v:?}"))
            .collect();
        assert_eq!(stored.len(), 2, "{}: {stored:?}", case.name);
        assert!(
            stored
                .iter()
                .all(|o| o.contains("incrementing") && o.contains('2')),
            "{stored:?}"
        );
        task.stop().await.unwrap();
        // a table no regex matches fails the task's start, naming the table
        m.insert(
            "incrementing.column.mapping".into(),
            ".*mapa_[0-9]+:id".into(),
        );
        let err = match start_with(&m, &Arc::new(Offsets::default())).await {
            Ok(_) => panic!("{}: a table without a mapping started", case.name),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains(&b) && err.contains("does not match any"),
            "{}: {err}",
            case.name
        );
    }
}

#[tokio::test]
async fn catalog_pattern_chooses_the_mysql_database() {
    let Some(url) = testkit::services::mariadb_jdbc_url("jdbc source") else {
        return;
    };
    let db = db_for(&url).await;
    let table = format!("cat_{}", std::process::id());
    db.execute(&format!(
        "CREATE TABLE `{table}` (id INT NOT NULL PRIMARY KEY)"
    ))
    .await
    .unwrap();
    let types = vec!["TABLE".to_string()];
    let names = |tables: Vec<connector_jdbc::db::catalog::TableId>| -> Vec<String> {
        tables.iter().map(|t| t.qualified()).collect()
    };
    let current = names(db.list_tables(&types, None, None).await.unwrap());
    assert!(current.contains(&format!("ferry.{table}")), "{current:?}");
    let named = names(db.list_tables(&types, Some("ferry"), None).await.unwrap());
    assert_eq!(named, current);
    let other = names(
        db.list_tables(&types, Some("no_such_db"), None)
            .await
            .unwrap(),
    );
    assert!(other.is_empty(), "{other:?}");
}

#[tokio::test]
async fn date_calendar_system_reads_old_dates_as_java_drivers_do() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()).into_iter().filter(|c| c.name != "sqlite") {
        let table = format!("cal_{}", std::process::id());
        let db = db_for(&case.url).await;
        let ts = if case.name == "mariadb" {
            "DATETIME"
        } else {
            "TIMESTAMP"
        };
        db.execute(&format!(
            "CREATE TABLE {} (id INT NOT NULL PRIMARY KEY, name VARCHAR(10) NOT NULL, d DATE NOT NULL, t {ts} NOT NULL)",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        db.execute(&format!(
            "INSERT INTO {} VALUES (1, 'old', '1500-01-01', '1500-01-01 12:00:00'), \
             (2, 'new', '2000-01-01', '2000-01-01 12:00:00')",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        // days since 1970 of the proleptic Gregorian 1500-01-01 and 1500-01-10 (Julian 01-01)
        let (gregorian, julian) = (-171_664, -171_655);
        for (system, days) in [("LEGACY", julian), ("PROLEPTIC_GREGORIAN", gregorian)] {
            let mut m = config(&case, &table, "incrementing");
            m.insert("date.calendar.system".into(), system.into());
            let offsets = Arc::new(Offsets::default());
            let mut task = start_with(&m, &offsets).await.unwrap();
            let got = poll_n(&mut task, &offsets, 2).await;
            let what = format!("{} {system}", case.name);
            assert_eq!(field(&got[0], "d"), Value::Date(days), "{what}");
            assert_eq!(
                field(&got[0], "t"),
                Value::Timestamp(i64::from(days) * 86_400_000 + 12 * 3_600_000),
                "{what}"
            );
            // 2000 is after the reform either way
            assert_eq!(field(&got[1], "d"), Value::Date(10_957), "{what}");
            task.stop().await.unwrap();
        }
    }
}

#[tokio::test]
async fn query_mode_knows_the_precision_and_scale_of_numeric_columns() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases(dir.path()).into_iter().filter(|c| c.name != "sqlite") {
        let table = format!("qnum_{}", std::process::id());
        let db = db_for(&case.url).await;
        db.execute(&format!(
            "CREATE TABLE {} (id INT NOT NULL PRIMARY KEY, name VARCHAR(10) NOT NULL, price NUMERIC(10,2) NOT NULL)",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        db.execute(&format!(
            "INSERT INTO {} VALUES (1, 'a', 12.50)",
            (case.quoted)(&table)
        ))
        .await
        .unwrap();
        for (mapping, want) in [
            (
                "none",
                Value::Decimal(connect_api::Decimal::from_i64(1250, 2)),
            ),
            ("best_fit", Value::Float64(12.5)),
        ] {
            let mut m = config(&case, &table, "bulk");
            m.remove("tables");
            m.insert(
                "query".into(),
                format!("SELECT id, name, price FROM {}", (case.quoted)(&table)),
            );
            m.insert("numeric.mapping".into(), mapping.into());
            let offsets = Arc::new(Offsets::default());
            let mut task = start_with(&m, &offsets)
                .await
                .unwrap_or_else(|e| panic!("{}: {e}", case.name));
            let got = poll_n(&mut task, &offsets, 1).await;
            let what = format!("{} {mapping}", case.name);
            // MySQL's DECIMAL keeps Confluent's decimal whatever the mapping
            let want = if case.name == "mariadb" {
                Value::Decimal(connect_api::Decimal::from_i64(1250, 2))
            } else {
                want
            };
            assert_eq!(field(&got[0], "price"), want, "{what}");
            task.stop().await.unwrap();
        }
    }
}
