#![allow(clippy::unwrap_used, clippy::expect_used)]

use connect_api::{Record, Schema, SchemaAndValue, SinkMeta, Struct, Type, Value};

use super::*;

fn record(value: SchemaAndValue) -> SinkRecord {
    Record {
        topic: "t".into(),
        kafka_partition: Some(0),
        key: SchemaAndValue::null(),
        value,
        timestamp: None,
        headers: Default::default(),
        meta: SinkMeta::default(),
    }
}

#[tokio::test]
async fn appends_value_text_per_line_and_flushes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    std::fs::write(&path, "existing\n").unwrap();
    let mut t = FileStreamSinkTask::default();
    let config: ConfigMap = [("file".to_string(), path.display().to_string())].into();
    t.start(&config, SinkTaskContext::new()).await.unwrap();
    let schema = connect_api::SchemaBuilder::struct_builder()
        .field("a", Schema::required(Type::Int32))
        .build()
        .unwrap();
    let mut s = Struct::new(&schema).unwrap();
    s.put("a", 1i32).unwrap();
    t.put(&[
        record(SchemaAndValue::new(None, "line one".into())),
        record(SchemaAndValue::null()),
        record(SchemaAndValue::new(Some(schema), Value::Struct(s))),
        record(SchemaAndValue::new(None, Value::Int64(7))),
    ])
    .await
    .unwrap();
    // in the file when put returns, as Java's println writes them, before any flush
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "existing\nline one\nnull\nStruct{a=1}\n7\n"
    );
    t.flush(&SinkOffsets::new()).await.unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "existing\nline one\nnull\nStruct{a=1}\n7\n"
    );
    t.stop().await.unwrap();
}

#[tokio::test]
async fn creates_the_file_and_copies_task_configs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.txt");
    let config: ConfigMap = [("file".to_string(), path.display().to_string())].into();
    let mut t = FileStreamSinkTask::default();
    t.start(&config, SinkTaskContext::new()).await.unwrap();
    assert!(path.exists());
    let mut c = FileStreamSinkConnector::default();
    struct NoContext;
    impl ConnectorContext for NoContext {
        fn request_task_reconfiguration(&self) {}
        fn raise_error(&self, _error: ConnectError) {}
    }
    c.start(&config, Arc::new(NoContext)).unwrap();
    assert_eq!(c.task_configs(3).unwrap().len(), 3);

    let bad: ConfigMap = [("file".to_string(), "/nonexistent-dir/x.txt".to_string())].into();
    let err = FileStreamSinkTask::default()
        .start(&bad, SinkTaskContext::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("/nonexistent-dir/x.txt"), "{err}");
}
