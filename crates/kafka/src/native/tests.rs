//! The native producer against librdkafka's mock cluster (a real Kafka-protocol broker in
//! process): what a consumer reads back, partitions as librdkafka's Java-compatible
//! partitioner picks them, retries that keep order, failures that are reported.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::mocking::MockCluster;
use rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

use crate::config::Settings;
use crate::producer::{Delivered, DeliveryListener, Producer};
use crate::record::{RawHeader, RawRecord};

#[derive(Default)]
struct Reports {
    delivered: Mutex<HashMap<u64, Delivered>>,
    failed: Mutex<Vec<(u64, String)>>,
}

impl DeliveryListener for Reports {
    fn delivered(&self, records: &[(u64, Delivered)]) {
        let mut d = self.delivered.lock().expect("lock");
        for (seq, at) in records {
            assert!(d.insert(*seq, *at).is_none(), "record {seq} reported twice");
        }
    }

    fn failed(&self, seq: u64, error: ConnectError) {
        self.failed
            .lock()
            .expect("lock")
            .push((seq, error.to_string()));
    }
}

fn settings(bootstrap: &str, extra: &[(&str, &str)]) -> Settings {
    let mut s: Settings = [
        ("bootstrap.servers", bootstrap),
        ("acks", "all"),
        ("max.in.flight.requests.per.connection", "1"),
        ("client.id", "native-test"),
    ]
    .iter()
    .chain(extra)
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    s.insert("linger.ms".into(), "2".into());
    s
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn record(topic: &str, i: usize) -> RawRecord {
    RawRecord {
        topic: topic.into(),
        key: (!i.is_multiple_of(7)).then(|| format!("key-{}", i % 50).into_bytes()),
        value: (!i.is_multiple_of(11))
            .then(|| format!("value {i} {}", "x".repeat(i % 300)).into_bytes()),
        timestamp: Some(1_700_000_000_000 + i as i64),
        headers: if i.is_multiple_of(5) {
            vec![
                RawHeader {
                    key: "h".into(),
                    value: Some(i.to_string().into_bytes()),
                },
                RawHeader {
                    key: "h".into(),
                    value: None,
                },
            ]
        } else {
            Vec::new()
        },
        ..RawRecord::default()
    }
}

/// Every record of `topic` (partitions 0..partitions), by partition, in offset order.
fn read_back(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    expected: usize,
) -> Vec<Vec<RawRecord>> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "native-test-reader")
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let mut list = TopicPartitionList::new();
    for p in 0..partitions {
        list.add_partition_offset(topic, p, Offset::Beginning)
            .expect("partition");
    }
    consumer.assign(&list).expect("assign");
    let mut out: Vec<Vec<RawRecord>> = (0..partitions).map(|_| Vec::new()).collect();
    let mut seen = 0;
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while seen < expected && std::time::Instant::now() < deadline {
        let Some(m) = consumer.poll(Duration::from_millis(100)) else {
            continue;
        };
        let m = m.expect("message");
        let headers = m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| RawHeader {
                        key: h.key.to_string(),
                        value: h.value.map(<[u8]>::to_vec),
                    })
                    .collect()
            })
            .unwrap_or_default();
        out[m.partition() as usize].push(RawRecord {
            topic: topic.into(),
            partition: Some(m.partition()),
            offset: Some(m.offset()),
            timestamp: m.timestamp().to_millis(),
            key: m.key().map(<[u8]>::to_vec),
            value: m.payload().map(<[u8]>::to_vec),
            headers,
            ..RawRecord::default()
        });
        seen += 1;
    }
    assert_eq!(seen, expected, "records read back");
    out
}

#[test]
fn records_arrive_intact_where_and_in_the_order_kafka_puts_them() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("t", 4, 1).expect("topic");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(&settings(&bootstrap, &[]), reports.clone()).expect("producer");
    assert!(producer.is_native());
    let n = 3000;
    let sent: Vec<RawRecord> = (0..n).map(|i| record("t", i)).collect();
    runtime().block_on(async {
        for (i, r) in sent.iter().enumerate() {
            producer.send(r, i as u64).await.expect("send");
        }
    });
    producer.flush(Duration::from_secs(30)).expect("flush");
    assert_eq!(producer.in_flight(), 0);
    assert!(reports.failed.lock().expect("lock").is_empty());
    let delivered = reports.delivered.lock().expect("lock").clone();
    assert_eq!(delivered.len(), n);

    let back = read_back(&bootstrap, "t", 4, n);
    for (i, r) in sent.iter().enumerate() {
        let at = delivered[&(i as u64)];
        if let Some(key) = &r.key {
            assert_eq!(at.partition as usize, super::partition_of_key(key, 4));
        }
        let got = &back[at.partition as usize][at.offset as usize];
        assert_eq!(got.offset, Some(at.offset));
        assert_eq!(got.key, r.key, "record {i}");
        assert_eq!(got.value, r.value, "record {i}");
        assert_eq!(got.timestamp, r.timestamp, "record {i}");
        assert_eq!(
            got.headers, r.headers,
            "record {i}: repeated header keys are kept"
        );
    }
    // within a partition, records are in the order they were sent
    let mut last: HashMap<i32, i64> = HashMap::new();
    for i in 0..n {
        let at = delivered[&(i as u64)];
        let previous = last.insert(at.partition, at.offset);
        assert!(
            previous.is_none_or(|p| p < at.offset),
            "record {i} out of order"
        );
    }
}

#[test]
fn keyed_records_land_where_librdkafkas_java_partitioner_puts_them() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("keys", 7, 1).expect("topic");
    let bootstrap = cluster.bootstrap_servers();
    let mut partitions = Vec::new();
    // compression sends the producer to librdkafka (with Ferry's murmur2_random partitioner)
    for extra in [
        &[][..],
        &[
            ("compression.type", "gzip"),
            ("partitioner", "murmur2_random"),
        ][..],
    ] {
        let reports = Arc::new(Reports::default());
        let producer =
            Producer::new(&settings(&bootstrap, extra), reports.clone()).expect("producer");
        assert_eq!(producer.is_native(), extra.is_empty());
        runtime().block_on(async {
            for i in 0..200u64 {
                let r = RawRecord {
                    topic: "keys".into(),
                    key: Some(format!("customer-{i}").into_bytes()),
                    value: Some(b"v".to_vec()),
                    ..RawRecord::default()
                };
                producer.send(&r, i).await.expect("send");
            }
        });
        producer.flush(Duration::from_secs(30)).expect("flush");
        let d = reports.delivered.lock().expect("lock").clone();
        let mut by_seq: Vec<(u64, i32)> = d.iter().map(|(s, at)| (*s, at.partition)).collect();
        by_seq.sort();
        assert_eq!(by_seq.len(), 200);
        partitions.push(by_seq);
    }
    assert_eq!(partitions[0], partitions[1]);
}

#[test]
fn retriable_errors_are_retried_and_keep_the_order() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("r", 1, 1).expect("topic");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(
        &settings(&bootstrap, &[("retry.backoff.ms", "10")]),
        reports.clone(),
    )
    .expect("producer");
    let rt = runtime();
    // metadata first, so the errors meet produce requests
    rt.block_on(producer.send(&record("r", 1), 0))
        .expect("send");
    producer.flush(Duration::from_secs(10)).expect("flush");
    cluster.request_errors(
        RDKafkaApiKey::Produce,
        &[
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        ],
    );
    rt.block_on(async {
        for i in 1..500u64 {
            producer
                .send(&record("r", i as usize), i)
                .await
                .expect("send");
        }
    });
    producer.flush(Duration::from_secs(30)).expect("flush");
    assert!(reports.failed.lock().expect("lock").is_empty());
    let d = reports.delivered.lock().expect("lock").clone();
    assert_eq!(d.len(), 500);
    let offsets: Vec<i64> = (0..500u64).map(|s| d[&s].offset).collect();
    assert_eq!(
        offsets,
        (0..500).collect::<Vec<i64>>(),
        "each record once, in order"
    );
    read_back(&bootstrap, "r", 1, 500);
}

#[test]
fn a_refused_batch_is_reported_failed_and_the_rest_delivered() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("f", 1, 1).expect("topic");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(&settings(&bootstrap, &[]), reports.clone()).expect("producer");
    let rt = runtime();
    rt.block_on(producer.send(&record("f", 1), 0))
        .expect("send");
    producer.flush(Duration::from_secs(10)).expect("flush");
    cluster.request_errors(
        RDKafkaApiKey::Produce,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE],
    );
    rt.block_on(producer.send(&record("f", 2), 1))
        .expect("send");
    producer.flush(Duration::from_secs(10)).expect("flush");
    rt.block_on(producer.send(&record("f", 3), 2))
        .expect("send");
    producer.flush(Duration::from_secs(10)).expect("flush");
    let failed = reports.failed.lock().expect("lock").clone();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, 1);
    assert!(
        failed[0].1.contains("MESSAGE_TOO_LARGE") && failed[0].1.contains("f-0"),
        "{}",
        failed[0].1
    );
    let d = reports.delivered.lock().expect("lock").clone();
    assert_eq!(d.len(), 2);
    assert!(d.contains_key(&0) && d.contains_key(&2));
}

#[test]
fn a_record_larger_than_max_request_size_is_refused_at_send() {
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(
        &settings("127.0.0.1:1", &[("max.request.size", "1000")]),
        reports,
    )
    .expect("producer");
    let big = RawRecord {
        topic: "t".into(),
        value: Some(vec![0; 2000]),
        ..RawRecord::default()
    };
    let e = runtime()
        .block_on(producer.send(&big, 0))
        .expect_err("too large");
    assert!(e.to_string().contains("max.request.size"), "{e}");
    assert_eq!(producer.in_flight(), 0);
    producer
        .flush(Duration::from_millis(10))
        .expect("nothing to flush");
}

#[test]
fn a_flush_that_runs_out_of_time_says_so() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("slow", 1, 1).expect("topic");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(&settings(&bootstrap, &[]), reports.clone()).expect("producer");
    let rt = runtime();
    rt.block_on(producer.send(&record("slow", 1), 0))
        .expect("send");
    producer.flush(Duration::from_secs(10)).expect("flush");
    cluster
        .broker_round_trip_time(1, Duration::from_secs(2))
        .expect("delay");
    rt.block_on(producer.send(&record("slow", 2), 1))
        .expect("send");
    let e = producer
        .flush(Duration::from_millis(100))
        .expect_err("times out");
    assert!(e.is_retriable(), "{e}");
    producer
        .flush(Duration::from_secs(30))
        .expect("then delivered");
    assert_eq!(reports.delivered.lock().expect("lock").len(), 2);
}

#[test]
fn a_topic_the_producer_may_not_write_fails_its_sends() {
    let cluster = MockCluster::new(1).expect("mock");
    cluster.create_topic("denied", 1, 1).expect("topic");
    cluster
        .topic_error(
            "denied",
            RDKafkaRespErr::RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
        )
        .expect("error");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(&settings(&bootstrap, &[]), reports).expect("producer");
    let send = runtime().block_on(async {
        tokio::time::timeout(
            Duration::from_secs(20),
            producer.send(&record("denied", 1), 0),
        )
        .await
    });
    let e = send.expect("answered in time").expect_err("refused");
    assert!(
        e.to_string().contains("TOPIC_AUTHORIZATION_FAILED") && e.to_string().contains("denied"),
        "{e}"
    );
    assert_eq!(producer.in_flight(), 0);
}

#[test]
fn a_topic_that_does_not_exist_yet_is_created_by_the_brokers_auto_creation() {
    let cluster = MockCluster::new(1).expect("mock");
    let bootstrap = cluster.bootstrap_servers();
    let reports = Arc::new(Reports::default());
    let producer = Producer::new(&settings(&bootstrap, &[]), reports.clone()).expect("producer");
    runtime().block_on(async {
        tokio::time::timeout(
            Duration::from_secs(20),
            producer.send(&record("fresh", 1), 0),
        )
        .await
        .expect("metadata in time")
        .expect("send")
    });
    producer.flush(Duration::from_secs(10)).expect("flush");
    assert_eq!(reports.delivered.lock().expect("lock").len(), 1);
}
