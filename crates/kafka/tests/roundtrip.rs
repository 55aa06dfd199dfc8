//! Produce, consume, commit and create topics against a real broker (the script-started one)
//! and the embedded broker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use connect_api::ConnectError;
use kafka::config::{task_client_settings, ClientRole, Settings};
use kafka::consumer::{ConsumerEvent, SinkConsumer, Subscription};
use kafka::embedded::EmbeddedBroker;
use kafka::producer::{Delivered, DeliveryListener, Producer};
use kafka::record::{RawHeader, RawRecord};

#[derive(Default)]
struct Acks(Mutex<Vec<(u64, Result<Delivered, String>)>>);

impl DeliveryListener for Acks {
    fn delivered(&self, records: &[(u64, Delivered)]) {
        let mut acks = self.0.lock().unwrap();
        acks.extend(records.iter().map(|(seq, d)| (*seq, Ok(*d))));
    }

    fn failed(&self, seq: u64, error: ConnectError) {
        self.0.lock().unwrap().push((seq, Err(error.to_string())));
    }
}

async fn roundtrip(bootstrap: &str, create: bool) {
    let worker: Settings = [("bootstrap.servers".to_string(), bootstrap.to_string())].into();
    let topic = common::unique("kafka-roundtrip");
    let connector: Settings = BTreeMap::new();
    if create {
        let (admin, spec) = common::create_topic(bootstrap, &topic, 2, BTreeMap::new()).await;
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
            topic: topic.clone().into(),
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
        let tp = connect_api::plugin::TopicPartition::new(&*r.topic, r.partition.unwrap());
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

/// Java's `Utils.murmur2`, written out for the test: the hash Kafka's default partitioner
/// places keyed records with.
fn java_murmur2(data: &[u8]) -> i32 {
    const M: u32 = 0x5bd1_e995;
    let mut h: u32 = 0x9747_b28c ^ data.len() as u32;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> 24;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M) ^ k;
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, b) in tail.iter().enumerate().rev() {
            h ^= u32::from(*b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

#[test]
fn the_test_hash_is_javas() {
    // Kafka's UtilsTest.testMurmur2 vectors
    for (key, hash) in [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        (
            "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
            -58_897_971,
        ),
        ("abc", 479_470_107),
    ] {
        assert_eq!(java_murmur2(key.as_bytes()), hash, "{key}");
    }
}

/// Keyed records land on the partition a Java producer would pick for them.
async fn keyed_records_land_where_java_puts_them(bootstrap: &str, partitions: i32, create: bool) {
    let worker: Settings = [("bootstrap.servers".to_string(), bootstrap.to_string())].into();
    let topic = common::unique("kafka-keyed");
    let connector: Settings = BTreeMap::new();
    if create {
        common::create_topic(bootstrap, &topic, partitions, BTreeMap::new()).await;
    }
    let acks = Arc::new(Acks::default());
    let producer = Producer::new(
        &task_client_settings(ClientRole::Producer, &worker, &connector, "t", 0).unwrap(),
        acks.clone(),
    )
    .unwrap();
    let keys: Vec<String> = (0..50).map(|i| format!("customer-{i}")).collect();
    for (i, key) in keys.iter().enumerate() {
        let record = RawRecord {
            topic: topic.clone().into(),
            key: Some(key.clone().into_bytes()),
            value: Some(b"v".to_vec()),
            ..RawRecord::default()
        };
        producer.send(&record, i as u64).await.unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
    let acked = acks.0.lock().unwrap().clone();
    assert_eq!(acked.len(), keys.len());
    let mut used = std::collections::BTreeSet::new();
    for (seq, result) in acked {
        let partition = result.unwrap().partition;
        let key = &keys[seq as usize];
        let java = (java_murmur2(key.as_bytes()) & 0x7fff_ffff) % partitions;
        assert_eq!(partition, java, "key {key}");
        used.insert(partition);
    }
    assert!(used.len() > 1, "the keys spread over partitions: {used:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_records_partition_as_in_java_on_the_script_broker() {
    let Some(bootstrap) = testkit::services::kafka_bootstrap("keyed_records") else {
        return;
    };
    keyed_records_land_where_java_puts_them(&bootstrap, 6, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keyed_records_partition_as_in_java_on_the_embedded_broker() {
    let broker = EmbeddedBroker::start().unwrap();
    // the embedded broker makes a topic with 4 partitions on first use
    keyed_records_land_where_java_puts_them(broker.bootstrap_servers(), 4, false).await;
}

/// A send into a full queue waits for room and goes on: every record is delivered once.
async fn sends_wait_for_room_in_a_full_queue() {
    let broker = EmbeddedBroker::start().unwrap();
    let worker: Settings = [
        (
            "bootstrap.servers".to_string(),
            broker.bootstrap_servers().to_string(),
        ),
        // a queue of 10 records fills at once
        (
            "producer.queue.buffering.max.messages".to_string(),
            "10".to_string(),
        ),
    ]
    .into();
    let acks = Arc::new(Acks::default());
    let producer = Producer::new(
        &task_client_settings(ClientRole::Producer, &worker, &BTreeMap::new(), "t", 0).unwrap(),
        acks.clone(),
    )
    .unwrap();
    let topic: connect_api::Topic = common::unique("kafka-full-queue").into();
    for i in 0..2000u64 {
        let record = RawRecord {
            topic: Arc::clone(&topic),
            value: Some(i.to_string().into_bytes()),
            ..RawRecord::default()
        };
        producer.send(&record, i).await.unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
    let mut seqs: Vec<u64> = acks.0.lock().unwrap().iter().map(|(s, _)| *s).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (0..2000).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_is_waited_for_on_a_multi_threaded_runtime() {
    sends_wait_for_room_in_a_full_queue().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_full_queue_is_waited_for_on_a_current_thread_runtime() {
    sends_wait_for_room_in_a_full_queue().await;
}
