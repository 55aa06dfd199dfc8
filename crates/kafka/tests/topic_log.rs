//! Reading a topic as a log to its end (the way the internal topics are read), against the
//! script-started broker and the embedded broker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::ConnectError;
use kafka::config::{task_client_settings, ClientRole, Settings};
use kafka::embedded::EmbeddedBroker;
use kafka::producer::{Delivered, DeliveryListener, Producer};
use kafka::record::RawRecord;
use kafka::topic_log::TopicLog;
use kafka::topic_writer::{worker_client_settings, TopicWriter};

#[derive(Default)]
struct Failures(Mutex<Vec<String>>);

impl DeliveryListener for Failures {
    fn delivered(&self, _records: &[(u64, Delivered)]) {}

    fn failed(&self, _seq: u64, error: ConnectError) {
        self.0.lock().unwrap().push(error.to_string());
    }
}

async fn write(producer: &Producer, topic: &str, range: std::ops::Range<u64>) {
    let topic: connect_api::Topic = topic.into();
    for i in range {
        let record = RawRecord {
            topic: Arc::clone(&topic),
            key: Some(format!("key-{}", i % 7).into_bytes()),
            // every fifth record is a tombstone
            value: (i % 5 != 4).then(|| format!("value-{i}").into_bytes()),
            ..RawRecord::default()
        };
        producer.send(&record, i).await.unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
}

async fn reads_to_the_end_and_then_only_what_is_new(bootstrap: &str, create: bool) {
    let worker: Settings = [("bootstrap.servers".to_string(), bootstrap.to_string())].into();
    let none = BTreeMap::new();
    let topic = common::unique("kafka-topic-log");
    if create {
        let compact = [("cleanup.policy".to_string(), "compact".to_string())].into();
        common::create_topic(bootstrap, &topic, 3, compact).await;
    }
    let failures = Arc::new(Failures::default());
    let producer = Producer::new(
        &task_client_settings(ClientRole::Producer, &worker, &none, "t", 0).unwrap(),
        failures.clone(),
    )
    .unwrap();
    write(&producer, &topic, 0..30).await;

    let consumer = task_client_settings(ClientRole::Consumer, &worker, &none, "t", 0).unwrap();
    let mut log = TopicLog::open(&consumer, &topic, Duration::from_secs(30)).unwrap();
    let first = log.read_to_end(Duration::from_secs(30)).unwrap();
    assert_eq!(first.len(), 30, "{first:?}");
    assert_eq!(first.iter().filter(|r| r.value.is_none()).count(), 6);
    // one key always lands on one partition, in the order written
    for k in 0..7 {
        let key = format!("key-{k}").into_bytes();
        let of_key: Vec<_> = first
            .iter()
            .filter(|r| r.key.as_ref() == Some(&key))
            .collect();
        assert!(of_key.windows(2).all(|w| w[0].partition == w[1].partition));
        assert!(of_key.windows(2).all(|w| w[0].offset < w[1].offset));
    }
    // nothing new: an empty read
    assert!(log.read_to_end(Duration::from_secs(30)).unwrap().is_empty());
    write(&producer, &topic, 30..35).await;
    let next = log.read_to_end(Duration::from_secs(30)).unwrap();
    let mut values: Vec<_> = next
        .iter()
        .filter_map(|r| r.value.clone())
        .map(|v| String::from_utf8(v).unwrap())
        .collect();
    values.sort();
    assert_eq!(values, ["value-30", "value-31", "value-32", "value-33"]);
    assert_eq!(next.len(), 5);
    assert!(failures.0.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_reads_as_a_log_on_the_script_broker() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("topic_log") else {
        return;
    };
    reads_to_the_end_and_then_only_what_is_new(&bootstrap, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_reads_as_a_log_on_the_embedded_broker() {
    let broker = EmbeddedBroker::start().unwrap();
    reads_to_the_end_and_then_only_what_is_new(broker.bootstrap_servers(), false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_topic_is_a_retriable_error_naming_it() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("topic_log_missing") else {
        return;
    };
    let worker: Settings = [("bootstrap.servers".to_string(), bootstrap)].into();
    let consumer =
        task_client_settings(ClientRole::Consumer, &worker, &BTreeMap::new(), "t", 0).unwrap();
    let topic = common::unique("kafka-no-such-topic");
    let err = TopicLog::open(&consumer, &topic, Duration::from_secs(10)).unwrap_err();
    assert!(err.to_string().contains(&topic), "{err}");
    assert!(err.is_retriable(), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_are_acknowledged_in_order_and_read_back_with_tombstones() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("topic_writer") else {
        return;
    };
    let topic = common::unique("kafka-topic-writer");
    let compact = [("cleanup.policy".to_string(), "compact".to_string())].into();
    common::create_topic(&bootstrap, &topic, 1, compact).await;
    let settings = worker_client_settings(&common::worker(&bootstrap), "writer-test");
    let writer = TopicWriter::new(&settings, &topic, Duration::from_secs(30)).unwrap();
    let mut offsets = Vec::new();
    for (key, value) in [("a", Some("1")), ("b", Some("2")), ("a", None)] {
        let (partition, offset) = writer
            .write(key.as_bytes(), value.map(str::as_bytes))
            .await
            .unwrap();
        assert_eq!(partition, 0);
        offsets.push(offset);
    }
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    let mut log = TopicLog::open(&settings, &topic, Duration::from_secs(10)).unwrap();
    assert_eq!(log.partition_count(), 1);
    let read: Vec<(Vec<u8>, Option<Vec<u8>>)> = log
        .read_to_end(Duration::from_secs(30))
        .unwrap()
        .into_iter()
        .map(|r| (r.key.unwrap(), r.value))
        .collect();
    assert_eq!(
        read,
        [
            (b"a".to_vec(), Some(b"1".to_vec())),
            (b"b".to_vec(), Some(b"2".to_vec())),
            (b"a".to_vec(), None),
        ]
    );
}
