//! exactly_once_v2 on librdkafka's mock cluster, the only broker here that accepts
//! transactions. It checks producer epochs, but it does not enforce read_committed, does not
//! apply offsets committed in a transaction to the group, and gives each `initTransactions` a
//! new producer id: so these tests check the transactional sequence (init, begin, send, send
//! offsets, commit; abort and stop when fenced), not isolation or the offsets' effect.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../examples/wordcount/topology.rs"]
#[allow(dead_code)]
mod wordcount;

use std::time::{Duration, Instant};

use kafka::rdkafka::config::ClientConfig;
use kafka::rdkafka::consumer::{BaseConsumer, Consumer};
use kafka::rdkafka::message::Message;
use kafka::rdkafka::mocking::MockCluster;
use kafka::rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use kafka::rdkafka::types::{RDKafkaApiKey, RDKafkaRespErr};
use kafka::rdkafka::{Offset, TopicPartitionList};
use streams::{KafkaStreams, State, StreamsBuilder, StreamsConfig};

const STORE: &str = "KSTREAM-AGGREGATE-STATE-STORE-0000000003";

fn broker(
    app: &str,
) -> (
    MockCluster<'static, kafka::rdkafka::producer::DefaultProducerContext>,
    String,
) {
    let b = MockCluster::new(1).unwrap();
    for t in [
        "in",
        "out",
        &format!("{app}-{STORE}-repartition"),
        &format!("{app}-{STORE}-changelog"),
    ] {
        b.create_topic(t, 1, 1).unwrap();
    }
    let bootstrap = b.bootstrap_servers();
    (b, bootstrap)
}

fn produce(bootstrap: &str, lines: &[&str]) {
    let p: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .unwrap();
    for line in lines {
        p.send(BaseRecord::<[u8], [u8]>::to("in").payload(line.as_bytes()))
            .unwrap();
    }
    p.flush(Duration::from_secs(10)).unwrap();
}

fn read(bootstrap: &str, from: i64, n: usize) -> Vec<(String, i64)> {
    read_for(bootstrap, from, n, Duration::from_secs(60))
}

fn read_for(bootstrap: &str, from: i64, n: usize, wait: Duration) -> Vec<(String, i64)> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "reader")
        .set("isolation.level", "read_committed")
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset("out", 0, Offset::Offset(from))
        .unwrap();
    c.assign(&tpl).unwrap();
    let mut out = Vec::new();
    let deadline = Instant::now() + wait;
    while out.len() < n && Instant::now() < deadline {
        if let Some(Ok(m)) = c.poll(Duration::from_millis(100)) {
            let v: [u8; 8] = m.payload().unwrap().try_into().unwrap();
            out.push((
                String::from_utf8(m.key().unwrap().to_vec()).unwrap(),
                i64::from_be_bytes(v),
            ));
        }
    }
    out
}

fn start(bootstrap: &str, app: &str, dir: &std::path::Path) -> KafkaStreams {
    let props = testkit::config_map(&[
        ("statestore.cache.max.bytes", "0"),
        // the mock cluster's coordinator waits a member's session timeout before it completes
        // a rebalance after the last member left; keep that short
        ("main.consumer.session.timeout.ms", "6000"),
        ("main.consumer.heartbeat.interval.ms", "500"),
        ("application.id", app),
        ("bootstrap.servers", bootstrap),
        ("processing.guarantee", "exactly_once_v2"),
        (
            "default.key.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        (
            "default.value.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        ("state.dir", dir.to_str().unwrap()),
    ]);
    let builder = StreamsBuilder::new();
    wordcount::build(&builder, "in", "out");
    let mut app = KafkaStreams::new(
        builder.build().unwrap(),
        StreamsConfig::new(&props).unwrap(),
    );
    app.start().unwrap();
    app
}

fn wait_running(app: &mut KafkaStreams) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.state() != State::Running && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(app.state(), State::Running, "{:?}", app.error());
}

#[test]
fn exactly_once_commits_outputs_and_input_offsets_in_transactions() {
    let (_cluster, bootstrap) = broker("eos");
    let b = Bootstrap(bootstrap);
    let dir = tempfile::tempdir().unwrap();
    produce(
        b.bootstrap_servers(),
        &[
            "all streams lead to kafka",
            "hello kafka streams",
            "join kafka summit",
        ],
    );
    let mut app = start(b.bootstrap_servers(), "eos", dir.path());
    let got = read(b.bootstrap_servers(), 0, 11);
    assert_eq!(got.len(), 11, "{got:?}");
    assert_eq!(got[10], ("summit".to_string(), 1));
    // the input offsets went into transactions, which committed
    let deadline = Instant::now() + Duration::from_secs(10);
    while app.metrics().offsets_sent_to_transactions < 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    app.close(Duration::from_secs(30)).unwrap();
    let m = app.metrics();
    assert_eq!(m.processed, 3 + 11, "{m:?}");
    assert!(
        m.offsets_sent_to_transactions >= 1
            && m.transactions_committed >= m.offsets_sent_to_transactions,
        "{m:?}"
    );
    assert_eq!(m.transactions_aborted, 0, "{m:?}");
    // the store on disk carries a checkpoint only after this clean close
    assert!(dir.path().join("eos/1_0/redb").join(STORE).exists());
}

struct Bootstrap(String);

impl Bootstrap {
    fn bootstrap_servers(&self) -> &str {
        &self.0
    }
}

/// The mock cluster gives a new producer id to each `initTransactions` instead of bumping the
/// epoch of the transactional id's producer, so a second instance cannot fence the first
/// there; the coordinator's answer to a fenced producer is injected instead.
#[test]
fn a_fenced_instance_stops_and_a_restarted_one_runs_new_transactions() {
    let (cluster, bootstrap) = broker("fence");
    let b = Bootstrap(bootstrap);
    let dir = tempfile::tempdir().unwrap();
    let mut first = start(b.bootstrap_servers(), "fence", dir.path());
    wait_running(&mut first);
    produce(b.bootstrap_servers(), &["a b"]);
    assert_eq!(read(b.bootstrap_servers(), 0, 2).len(), 2);
    let deadline = Instant::now() + Duration::from_secs(10);
    while first.metrics().transactions_committed < 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    cluster.request_errors(
        RDKafkaApiKey::AddPartitionsToTxn,
        &[RDKafkaRespErr::RD_KAFKA_RESP_ERR_PRODUCER_FENCED],
    );
    produce(b.bootstrap_servers(), &["a c"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while first.error().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let err = first.error().unwrap_or_default();
    assert!(
        err.to_lowercase().contains("fenced"),
        "the first instance was not fenced: {err:?}"
    );
    assert!(first.close(Duration::from_secs(30)).is_err());
    assert_eq!(first.state(), State::Error);
    // nothing of the fenced transaction reached the log: AddPartitionsToTxn failed first
    assert_eq!(
        read_for(b.bootstrap_servers(), 2, 1, Duration::from_secs(3)),
        vec![]
    );
    drop(first);
    // restarted on the same state directory it gets a producer id of its own and runs its
    // transactions (on a real broker it would resume from the offsets committed with them;
    // the mock does not apply those, so it reads the input from the start again)
    let mut second = start(b.bootstrap_servers(), "fence", dir.path());
    wait_running(&mut second);
    assert_eq!(read(b.bootstrap_servers(), 2, 1).len(), 1);
    second.close(Duration::from_secs(30)).unwrap();
    assert!(second.metrics().transactions_committed >= 1);
}
