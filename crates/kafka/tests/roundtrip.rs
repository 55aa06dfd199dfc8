//! Produce, consume, commit and create topics against a real broker (the script-started one)
//! and the embedded broker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use connect_api::ConnectError;
use kafka::admin::{Admin, TopicSpec};
use kafka::config::{task_client_settings, ClientRole, Settings};
use kafka::consumer::{ConsumerEvent, SinkConsumer, Subscription};
use kafka::embedded::EmbeddedBroker;
use kafka::producer::{Delivered, DeliveryListener, Producer};
use kafka::record::{RawHeader, RawRecord};

#[derive(Default)]
struct Acks(Mutex<Vec<(u64, Result<Delivered, String>)>>);

impl DeliveryListener for Acks {
    fn delivered(&self, seq: u64, result: Result<Delivered, ConnectError>) {
        self.0
            .lock()
            .unwrap()
            .push((seq, result.map_err(|e| e.to_string())));
    }
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{prefix}-{nanos}")
}

async fn roundtrip(bootstrap: &str, create: bool) {
    let worker: Settings = [("bootstrap.servers".to_string(), bootstrap.to_string())].into();
    let topic = unique("kafka-roundtrip");
    let connector: Settings = BTreeMap::new();
    if create {
        let admin = Admin::new(
            &task_client_settings(ClientRole::Admin, &worker, &connector, "t", 0).unwrap(),
        )
        .unwrap();
        let spec = TopicSpec {
            name: topic.clone(),
            partitions: 2,
            replication_factor: 1,
            configs: BTreeMap::new(),
        };
        assert!(admin.create_topic(&spec).await.unwrap());
        assert!(
            !admin.create_topic(&spec).await.unwrap(),
            "exists the second time"
        );
    }
    let acks = Arc::new(Acks::default());
    let producer = Producer::new(
        &task_client_settings(ClientRole::Producer, &worker, &connector, "t", 0).unwrap(),
        acks.clone(),
    )
    .unwrap();
    for i in 0..100u64 {
        let record = RawRecord {
            topic: topic.clone(),
            partition: Some((i % 2) as i32),
            key: Some(format!("k{i}").into_bytes()),
            value: (i != 7).then(|| format!("v{i}").into_bytes()),
            timestamp: Some(1_700_000_000_000 + i as i64),
            headers: vec![RawHeader {
                key: "h".into(),
                value: Some(vec![i as u8]),
            }],
            ..RawRecord::default()
        };
        producer.send(&record, i).await.unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
    let acked = acks.0.lock().unwrap().clone();
    assert_eq!(acked.len(), 100);
    assert!(acked.iter().all(|(_, r)| r.is_ok()), "{acked:?}");

    let settings =
        task_client_settings(ClientRole::Consumer, &worker, &connector, &topic, 0).unwrap();
    let mut consumer =
        SinkConsumer::start(&settings, Subscription::Topics(vec![topic.clone()]), 30).unwrap();
    let mut got = Vec::new();
    let mut assigned = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while got.len() < 100 && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(5), consumer.next()).await {
            Ok(Some(ConsumerEvent::Records(batch))) => {
                assert!(batch.len() <= 30);
                got.extend(batch);
            }
            Ok(Some(ConsumerEvent::Assigned(tps))) => assigned.extend(tps),
            Ok(Some(ConsumerEvent::Revoked(_, reply))) => {
                let _ = reply.send(BTreeMap::new());
            }
            Ok(Some(ConsumerEvent::Error(e))) => eprintln!("consumer error: {e}"),
            Ok(None) => break,
            Err(_) => {}
        }
    }
    assert_eq!(got.len(), 100, "all records consumed");
    assert!(assigned.len() >= 2, "{assigned:?}");
    let r7 = got
        .iter()
        .find(|r| r.key.as_deref() == Some(b"k7"))
        .unwrap();
    assert_eq!(r7.value, None, "null value stays null");
    let r8 = got
        .iter()
        .find(|r| r.key.as_deref() == Some(b"k8"))
        .unwrap();
    assert_eq!(r8.value.as_deref(), Some(&b"v8"[..]));
    assert_eq!(r8.timestamp, Some(1_700_000_000_008));
    assert_eq!(r8.headers[0].value.as_deref(), Some(&[8u8][..]));
    // per partition, offsets increase
    for p in 0..2 {
        let offsets: Vec<i64> = got
            .iter()
            .filter(|r| r.partition == Some(p))
            .map(|r| r.offset.unwrap())
            .collect();
        assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    }
    let mut commit = BTreeMap::new();
    for r in &got {
        let tp = connect_api::plugin::TopicPartition::new(&r.topic, r.partition.unwrap());
        commit.insert(tp, r.offset.unwrap() + 1);
    }
    consumer.commit_sync(&commit).await.unwrap();
    consumer.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produce_consume_commit_on_the_script_broker() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("produce_consume_commit") else {
        return;
    };
    roundtrip(&bootstrap, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn produce_consume_commit_on_the_embedded_broker() {
    let broker = EmbeddedBroker::start().unwrap();
    roundtrip(broker.bootstrap_servers(), false).await;
}
