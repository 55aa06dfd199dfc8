//! The sink task against real databases: Postgres and MariaDB started by `scripts/db.sh`
//! (`DATABASE_URL_PG`, `DATABASE_URL_MYSQL`; under `CI=true` a missing one fails the test),
//! and SQLite in a temporary file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use common::db_for;
use connect_api::data::logical;
use connect_api::plugin::{ConfigMap, SinkTask, SinkTaskContext};
use connect_api::{
    Decimal, Headers, Record, Schema, SchemaAndValue, SchemaBuilder, SinkMeta, SinkRecord, Struct,
    Type, Value,
};
use connector_jdbc::db::Db;
use connector_jdbc::JdbcSinkTask;
use sqlx::Row;

fn urls(dir: &std::path::Path) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(u) = testkit::services::postgres_jdbc_url("jdbc sink") {
        out.push(("postgres", u));
    }
    if let Some(u) = testkit::services::mariadb_jdbc_url("jdbc sink") {
        out.push(("mariadb", u));
    }
    out.push((
        "sqlite",
        format!("jdbc:sqlite:{}", dir.join("sink.db").display()),
    ));
    out
}

async fn count(db: &Db, sql: &str) -> i64 {
    match db {
        Db::Postgres(p) => sqlx::query(sql)
            .fetch_one(p)
            .await
            .unwrap()
            .get::<i64, _>(0),
        Db::MySql(p) => sqlx::query(sql)
            .fetch_one(p)
            .await
            .unwrap()
            .get::<i64, _>(0),
        Db::Sqlite(p) => sqlx::query(sql)
            .fetch_one(p)
            .await
            .unwrap()
            .get::<i64, _>(0),
    }
}

fn config(url: &str, pairs: &[(&str, &str)]) -> ConfigMap {
    let mut m: ConfigMap = [
        ("connection.url", url),
        ("name", "jdbc-sink"),
        ("retry.backoff.ms", "10"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in pairs {
        m.insert(k.to_string(), v.to_string());
    }
    m
}

fn value_schema(with_note: bool) -> Schema {
    let mut b = SchemaBuilder::struct_builder()
        .name("order")
        .field("id", Schema::required(Type::Int64))
        .field("name", Schema::required(Type::String))
        .field(
            "price",
            logical::decimal_builder(2).optional().build().unwrap(),
        )
        .field("created", logical::timestamp_builder().build().unwrap());
    if with_note {
        b = b.field("note", Schema::optional(Type::String));
    }
    b.build().unwrap()
}

fn record(topic: &str, offset: i64, id: i64, name: Option<&str>, note: Option<&str>) -> SinkRecord {
    let key = SchemaAndValue::new(Some(Schema::required(Type::Int64)), Value::Int64(id));
    let value = match name {
        None => SchemaAndValue::null(),
        Some(n) => {
            let schema = value_schema(note.is_some());
            let mut values = vec![
                Value::Int64(id),
                Value::String(n.to_string()),
                Value::Decimal(Decimal::from_i64(1999, 2)),
                Value::Timestamp(1_700_000_000_123),
            ];
            if let Some(note) = note {
                values.push(Value::String(note.to_string()));
            }
            SchemaAndValue::new(
                Some(schema.clone()),
                Value::Struct(Struct::from_values_unchecked(&schema, values)),
            )
        }
    };
    let topic: Arc<str> = topic.into();
    Record {
        topic: Arc::clone(&topic),
        kafka_partition: Some(0),
        key,
        value,
        timestamp: Some(1_700_000_000_000),
        headers: Headers::default(),
        meta: SinkMeta {
            kafka_offset: offset,
            original_topic: topic,
            original_kafka_partition: 0,
            original_kafka_offset: offset,
            ..SinkMeta::default()
        },
    }
}

/// `r` with a struct value of `schema`.
fn with_struct(mut r: SinkRecord, schema: &Schema, values: Vec<Value>) -> SinkRecord {
    r.value = SchemaAndValue::new(
        Some(schema.clone()),
        Value::Struct(Struct::from_values_unchecked(schema, values)),
    );
    r
}

async fn started(cfg: ConfigMap, context: SinkTaskContext) -> JdbcSinkTask {
    let mut t = JdbcSinkTask::default();
    t.start(&cfg, context).await.unwrap();
    t
}

#[tokio::test]
async fn upserts_deletes_creates_and_evolves_tables() {
    let dir = tempfile::tempdir().unwrap();
    for (name, url) in urls(dir.path()) {
        let table = format!("sink_orders_{}", std::process::id());
        let db = db_for(&url).await;
        let cfg = config(
            &url,
            &[
                ("auto.create", "true"),
                ("auto.evolve", "true"),
                ("insert.mode", "upsert"),
                ("pk.mode", "record_key"),
                ("pk.fields", "id"),
                ("delete.enabled", "true"),
                ("batch.size", "2"),
            ],
        );
        let mut task = started(cfg, SinkTaskContext::new()).await;
        let batch: Vec<SinkRecord> = (1..=5)
            .map(|i| record(&table, i, i, Some(&format!("n{i}")), None))
            .collect();
        task.put(&batch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            5,
            "{name}"
        );
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM {table} WHERE id = 3 AND name = 'n3' AND price = 19.99"
                )
            )
            .await,
            1,
            "{name}"
        );
        // upsert of an existing key, a delete, and an insert after the delete in one put
        let batch = vec![
            record(&table, 6, 2, Some("two"), None),
            record(&table, 7, 4, None, None),
            record(&table, 8, 4, Some("four again"), None),
            record(&table, 9, 5, None, None),
        ];
        task.put(&batch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            4,
            "{name}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE id = 2 AND name = 'two'")
            )
            .await,
            1,
            "{name}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE id = 4 AND name = 'four again'")
            )
            .await,
            1,
            "{name}"
        );
        // a new optional field adds a column
        task.put(&[record(&table, 10, 6, Some("six"), Some("hello"))])
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE note = 'hello'")
            )
            .await,
            1,
            "{name}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE note IS NULL")
            )
            .await,
            4,
            "{name}"
        );
        task.stop().await.unwrap();
        db.execute(&format!("DROP TABLE {table}")).await.unwrap();
        db.close().await;
    }
}

#[tokio::test]
async fn records_that_do_not_fit_go_to_the_reporter_and_the_rest_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for (name, url) in urls(dir.path()) {
        let table = format!("sink_narrow_{}", std::process::id());
        let db = db_for(&url).await;
        db.execute(&format!(
            "CREATE TABLE {table} (id BIGINT PRIMARY KEY, name VARCHAR(5) NOT NULL, price DECIMAL(10,2), created TIMESTAMP NOT NULL)"
        ))
        .await
        .unwrap();
        let cfg = config(
            &url,
            &[
                ("pk.mode", "record_value"),
                ("pk.fields", "id"),
                ("max.retries", "0"),
            ],
        );

        // with a dead letter queue (a reporter): the bad record is reported, the others written
        let context = SinkTaskContext::with_errant_record_reporter();
        let mut task = started(cfg.clone(), context.clone()).await;
        let batch = vec![
            record(&table, 1, 1, Some("ok"), None),
            record(&table, 2, 2, Some("much too long"), None),
            record(&table, 3, 3, Some("fine"), None),
        ];
        task.put(&batch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            2,
            "{name}"
        );
        let reported = context.take_errant_records();
        assert_eq!(reported.len(), 1, "{name}: {reported:?}");
        assert_eq!(reported[0].offset, 2, "{name}");
        let msg = reported[0].error.to_string();
        assert!(
            msg.contains("jdbc-sink") && msg.contains("'name'") && msg.contains(&table),
            "{name}: {msg}"
        );

        // a missing table without auto.create: reported too
        task.put(&[record("no_such_table_x", 4, 4, Some("x"), None)])
            .await
            .unwrap();
        let reported = context.take_errant_records();
        assert_eq!(reported.len(), 1, "{name}");
        let msg = reported[0].error.to_string();
        assert!(
            msg.contains("\"no_such_table_x\" is missing and auto-creation is disabled"),
            "{name}: {msg}"
        );
        task.stop().await.unwrap();

        // without a reporter the same record fails the task, and nothing of its batch is written
        let mut task = started(cfg.clone(), SinkTaskContext::new()).await;
        let e = task
            .put(&[
                record(&table, 5, 5, Some("five"), None),
                record(&table, 6, 6, Some("far too long"), None),
            ])
            .await
            .unwrap_err();
        assert!(
            !e.is_retriable() && e.to_string().contains("'name'"),
            "{name}: {e}"
        );
        assert_eq!(
            count(&db, &format!("SELECT COUNT(*) FROM {table}")).await,
            2,
            "{name}: one transaction per put"
        );
        task.stop().await.unwrap();

        // a failing statement is retried max.retries times before the task fails
        let context = SinkTaskContext::new();
        let retry_cfg = config(
            &url,
            &[
                ("pk.mode", "record_value"),
                ("pk.fields", "id"),
                ("max.retries", "1"),
            ],
        );
        let mut task = started(retry_cfg, context.clone()).await;
        let duplicate = [record(&table, 7, 1, Some("dup"), None)];
        let e = task.put(&duplicate).await.unwrap_err();
        assert!(e.is_retriable(), "{name}: {e}");
        assert_eq!(context.retry_timeout_ms(), Some(10), "{name}");
        let e = task.put(&duplicate).await.unwrap_err();
        assert!(!e.is_retriable(), "{name}: {e}");
        task.stop().await.unwrap();
        db.execute(&format!("DROP TABLE {table}")).await.unwrap();
        db.close().await;
    }
}

#[tokio::test]
async fn epoch_fields_of_timestamp_fields_list_become_timestamp_columns() {
    let dir = tempfile::tempdir().unwrap();
    for (name, url) in urls(dir.path()) {
        let table = format!("sink_epoch_{}", std::process::id());
        let db = db_for(&url).await;
        let cfg = config(
            &url,
            &[
                ("auto.create", "true"),
                ("timestamp.fields.list", "at"),
                ("timestamp.precision.mode", "microseconds"),
            ],
        );
        let mut task = started(cfg, SinkTaskContext::new()).await;
        let schema = SchemaBuilder::struct_builder()
            .field("id", Schema::required(Type::Int64))
            .field("at", Schema::optional(Type::Int64))
            .build()
            .unwrap();
        let batch: Vec<SinkRecord> = [(1, Value::Int64(1_719_828_000_123_456)), (2, Value::Null)]
            .into_iter()
            .map(|(id, at)| {
                with_struct(
                    record(&table, id, id, None, None),
                    &schema,
                    vec![Value::Int64(id), at],
                )
            })
            .collect();
        task.put(&batch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = match name {
            "postgres" => "TIMESTAMP '2024-07-01 10:00:00.123456'",
            "mariadb" => "TIMESTAMP('2024-07-01 10:00:00.123456')",
            _ => "1719828000123",
        };
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE id = 1 AND at = {want}")
            )
            .await,
            1,
            "{name}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT COUNT(*) FROM {table} WHERE at IS NULL")
            )
            .await,
            1,
            "{name}"
        );
        task.stop().await.unwrap();
    }
}

#[tokio::test]
async fn old_dates_are_written_in_the_calendar_of_date_calendar_system() {
    let dir = tempfile::tempdir().unwrap();
    for (name, url) in urls(dir.path()).into_iter().filter(|(n, _)| *n != "sqlite") {
        let db = db_for(&url).await;
        // proleptic Gregorian 1500-01-10 is Julian 1500-01-01
        let days = -171_655;
        for (system, stored) in [
            ("LEGACY", "1500-01-01"),
            ("PROLEPTIC_GREGORIAN", "1500-01-10"),
        ] {
            let table = format!("sink_cal_{}_{}", std::process::id(), system.len());
            let cfg = config(
                &url,
                &[("auto.create", "true"), ("date.calendar.system", system)],
            );
            let mut task = started(cfg, SinkTaskContext::new()).await;
            let schema = SchemaBuilder::struct_builder()
                .field("id", Schema::required(Type::Int64))
                .field("d", logical::date_builder().build().unwrap())
                .build()
                .unwrap();
            let r = with_struct(
                record(&table, 1, 1, None, None),
                &schema,
                vec![Value::Int64(1), Value::Date(days)],
            );
            task.put(&[r])
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                count(
                    &db,
                    &format!("SELECT COUNT(*) FROM {table} WHERE d = DATE '{stored}'")
                )
                .await,
                1,
                "{name} {system}"
            );
            task.stop().await.unwrap();
        }
    }
}

#[tokio::test]
async fn string_values_fill_the_string_output_value_column() {
    let dir = tempfile::tempdir().unwrap();
    for (name, url) in urls(dir.path()) {
        let table = format!("sink_str_{}", std::process::id());
        let db = db_for(&url).await;
        let cfg = config(
            &url,
            &[
                ("auto.create", "true"),
                ("pk.mode", "record_key"),
                ("pk.fields", "id"),
                ("insert.mode", "upsert"),
            ],
        );
        let mut task = started(cfg, SinkTaskContext::new()).await;
        let batch: Vec<SinkRecord> = [(1, "hello"), (2, "world"), (1, "again")]
            .into_iter()
            .enumerate()
            .map(|(offset, (id, text))| {
                let mut r = record(&table, offset as i64, id, None, None);
                r.value = SchemaAndValue::new(
                    Some(Schema::optional(Type::String)),
                    Value::String(text.to_string()),
                );
                r
            })
            .collect();
        task.put(&batch)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM {table} WHERE (id = 1 AND record_value = 'again') \
                     OR (id = 2 AND record_value = 'world')"
                )
            )
            .await,
            2,
            "{name}"
        );
        task.stop().await.unwrap();
    }
}
