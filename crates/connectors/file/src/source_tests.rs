#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use connect_api::plugin::OffsetStorageReader;

use super::*;

/// Offsets kept in memory, keyed by the partition's text form.
#[derive(Default)]
struct Offsets(Mutex<BTreeMap<String, Value>>);

impl OffsetStorageReader for Offsets {
    fn offset(&self, partition: &Value) -> Result<Option<Value>> {
        Ok(self.0.lock().unwrap().get(&partition.to_string()).cloned())
    }
}

fn config(pairs: &[(&str, &str)]) -> ConfigMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn task(file: &str, extra: &[(&str, &str)], offsets: Arc<Offsets>) -> FileStreamSourceTask {
    let mut cfg = config(&[("file", file), ("topic", "lines")]);
    cfg.extend(config(extra));
    let mut t = FileStreamSourceTask::default();
    t.start(&cfg, SourceTaskContext { offsets }).await.unwrap();
    t
}

fn lines(records: &[SourceRecord]) -> Vec<String> {
    records.iter().map(|r| r.value.value.to_string()).collect()
}

fn position(record: &SourceRecord) -> i64 {
    offset_position(&record.meta.source_offset)
        .unwrap()
        .unwrap()
}

#[test]
fn line_ends_follow_kafka() {
    assert_eq!(line_end(b"ab\ncd"), Some((2, 3)));
    assert_eq!(line_end(b"ab\r\ncd"), Some((2, 4)));
    assert_eq!(line_end(b"ab\rcd"), Some((2, 3)));
    // a trailing \r waits: the next byte may be \n
    assert_eq!(line_end(b"ab\r"), None);
    assert_eq!(line_end(b"abc"), None);
    assert_eq!(line_end(b"\n"), Some((0, 1)));
}

#[tokio::test(start_paused = true)]
async fn reads_lines_with_positions_and_partition() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.txt");
    std::fs::write(&path, "one\r\ntwo\rthree\nfour").unwrap();
    let file = path.display().to_string();
    let mut t = task(&file, &[], Arc::default()).await;
    let records = t.poll().await.unwrap();
    assert_eq!(lines(&records), ["one", "two", "three"]);
    assert_eq!(records.iter().map(position).collect::<Vec<_>>(), [5, 9, 15]);
    let r = &records[0];
    assert_eq!(r.topic, "lines".into());
    assert!(r.key.value.is_null() && r.key.schema.is_none());
    assert_eq!(r.value.schema, Some(Schema::required(Type::String)));
    assert!(r.timestamp.is_some());
    assert_eq!(
        *r.meta.source_partition,
        Value::Map(vec![("filename".into(), Value::String(file.clone()))])
    );
    // "four" has no terminator yet: nothing more until the file grows
    assert!(t.poll().await.unwrap().is_empty());
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut f, b"\nfive\n").unwrap();
    let records = t.poll().await.unwrap();
    assert_eq!(lines(&records), ["four", "five"]);
    assert_eq!(position(&records[1]), 25);
}

#[tokio::test(start_paused = true)]
async fn resumes_at_the_committed_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.txt");
    std::fs::write(&path, "a\nbb\nccc\n").unwrap();
    let file = path.display().to_string();
    let offsets = Arc::new(Offsets::default());
    let partition = Value::Map(vec![("filename".into(), Value::String(file.clone()))]);
    offsets.0.lock().unwrap().insert(
        partition.to_string(),
        Value::Map(vec![("position".into(), Value::Int64(2))]),
    );
    let mut t = task(&file, &[], offsets.clone()).await;
    let records = t.poll().await.unwrap();
    assert_eq!(lines(&records), ["bb", "ccc"]);
    assert_eq!(position(&records[1]), 9);

    // a position that is not a number fails the task
    offsets.0.lock().unwrap().insert(
        partition.to_string(),
        Value::Map(vec![("position".into(), Value::String("x".into()))]),
    );
    let mut t = task(&file, &[], offsets).await;
    let err = t.poll().await.unwrap_err().to_string();
    assert!(err.contains("incorrect type"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn batches_are_capped_and_missing_files_are_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("later.txt");
    let file = path.display().to_string();
    let mut t = task(&file, &[("batch.size", "2")], Arc::default()).await;
    assert!(t.poll().await.unwrap().is_empty());
    std::fs::write(&path, "1\n2\n3\n").unwrap();
    assert_eq!(lines(&t.poll().await.unwrap()), ["1", "2"]);
    assert_eq!(lines(&t.poll().await.unwrap()), ["3"]);
}

#[tokio::test]
async fn config_errors_name_the_key() {
    let mut t = FileStreamSourceTask::default();
    let err = t
        .start(
            &config(&[("file", "/tmp/x")]),
            SourceTaskContext {
                offsets: Arc::new(Offsets::default()),
            },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"topic\""), "{err}");
    let err = t
        .start(
            &config(&[("topic", "t"), ("batch.size", "0")]),
            SourceTaskContext {
                offsets: Arc::new(Offsets::default()),
            },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("batch.size") && err.contains('0'), "{err}");
}

#[test]
fn one_task_whatever_tasks_max() {
    struct NoContext;
    impl ConnectorContext for NoContext {
        fn request_task_reconfiguration(&self) {}
        fn raise_error(&self, _error: ConnectError) {}
    }
    let mut c = FileStreamSourceConnector::default();
    let cfg = config(&[("topic", "t"), ("tasks.max", "4")]);
    c.start(&cfg, Arc::new(NoContext)).unwrap();
    assert_eq!(c.task_configs(4).unwrap(), vec![cfg]);
    let err = c
        .start(&config(&[("topic", "")]), Arc::new(NoContext))
        .unwrap_err()
        .to_string();
    assert!(err.contains("topic"), "{err}");
}

#[test]
fn altered_offsets_are_checked_as_kafka_checks_them() {
    use connect_api::plugin::Connector;
    let c = FileStreamSourceConnector::default();
    let config: ConfigMap = [("file".to_string(), "/tmp/in.txt".to_string())].into();
    let map = |k: &str, v: Value| Value::Map(vec![(Value::String(k.into()), v)]);
    let partition = map("filename", Value::String("/tmp/in.txt".into()));
    let ok = [(partition.clone(), Some(map("position", Value::Int64(5))))];
    assert!(c.alter_offsets(&config, &ok).unwrap());
    // a reset (null offset) is not checked further
    assert!(c.alter_offsets(&config, &[(Value::Null, None)]).unwrap());
    let cases = [
        (
            partition.clone(),
            map("pos", Value::Int64(5)),
            "contain the key 'position'",
        ),
        (
            partition.clone(),
            map("position", Value::String("5".into())),
            "expected to be a Long value",
        ),
        (
            partition.clone(),
            map("position", Value::Int64(-1)),
            "non-negative",
        ),
        (
            Value::Null,
            map("position", Value::Int64(1)),
            "Partition objects cannot be null",
        ),
        (
            map("file", Value::String("x".into())),
            map("position", Value::Int64(1)),
            "contain the key 'filename'",
        ),
    ];
    for (p, o, says) in cases {
        let e = c.alter_offsets(&config, &[(p, Some(o))]).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
    }
    let stdin = ConfigMap::new();
    let e = c.alter_offsets(&stdin, &ok).unwrap_err();
    assert!(e.to_string().contains("stdin is used for input"), "{e}");
}
