//! WordCount end to end against the real broker started by `scripts/broker.sh`: the
//! quickstart session with caching off (eleven records, in order) and on (one latest count
//! per word per commit), and a restart that restores the counts from the changelog.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../examples/wordcount/topology.rs"]
#[allow(dead_code)]
mod wordcount;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kafka::admin::{Admin, TopicSpec};
use kafka::rdkafka::config::ClientConfig;
use kafka::rdkafka::consumer::{BaseConsumer, Consumer};
use kafka::rdkafka::message::Message;
use kafka::rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use kafka::rdkafka::{Offset, TopicPartitionList};
use streams::{KafkaStreams, StreamsBuilder, StreamsConfig};

const LINES: [&str; 3] = [
    "all streams lead to kafka",
    "hello kafka streams",
    "join kafka summit",
];

fn create_topics(bootstrap: &str, topics: &[&str]) {
    let admin = Admin::new(&testkit::config_map(&[("bootstrap.servers", bootstrap)])).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for t in topics {
        rt.block_on(admin.create_topic(&TopicSpec {
            name: t.to_string(),
            partitions: 1,
            replication_factor: -1,
            configs: BTreeMap::new(),
        }))
        .unwrap();
    }
}

fn produce(bootstrap: &str, topic: &str, lines: &[&str]) {
    let p: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .unwrap();
    for line in lines {
        p.send(BaseRecord::<[u8], [u8]>::to(topic).payload(line.as_bytes()))
            .unwrap();
    }
    p.flush(Duration::from_secs(30)).unwrap();
}

/// Reads `topic` from `from` until `n` records arrived (or `wait` passed), then `quiet` longer
/// to catch any extra record.
fn read(
    bootstrap: &str,
    topic: &str,
    from: i64,
    n: usize,
    wait: Duration,
    quiet: Duration,
) -> Vec<(String, i64)> {
    let c: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", testkit::unique_name("wc-reader"))
        .create()
        .unwrap();
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Offset(from))
        .unwrap();
    c.assign(&tpl).unwrap();
    let mut out = Vec::new();
    let start = Instant::now();
    let mut deadline = start + wait;
    while Instant::now() < deadline {
        if let Some(Ok(m)) = c.poll(Duration::from_millis(100)) {
            let key = String::from_utf8(m.key().unwrap().to_vec()).unwrap();
            let value: [u8; 8] = m.payload().unwrap().try_into().expect("8-byte long values");
            out.push((key, i64::from_be_bytes(value)));
            if out.len() == n {
                deadline = Instant::now() + quiet;
            }
        }
    }
    out
}

fn app(
    bootstrap: &str,
    app_id: &str,
    input: &str,
    output: &str,
    state_dir: &std::path::Path,
    extra: &[(&str, &str)],
) -> KafkaStreams {
    let mut props = testkit::config_map(&[
        ("application.id", app_id),
        ("bootstrap.servers", bootstrap),
        (
            "default.key.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        (
            "default.value.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        ("state.dir", state_dir.to_str().unwrap()),
        ("commit.interval.ms", "1000"),
    ]);
    for (k, v) in extra {
        props.insert(k.to_string(), v.to_string());
    }
    let builder = StreamsBuilder::new();
    wordcount::build(&builder, input, output);
    let mut app = KafkaStreams::new(
        builder.build().unwrap(),
        StreamsConfig::new(&props).unwrap(),
    );
    app.start().unwrap();
    app
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(w, n)| (w.to_string(), *n)).collect()
}

fn setup(test: &str) -> Option<(String, String, String, String, tempfile::TempDir)> {
    let bootstrap = testkit::services::kafka_bootstrap(test)?;
    let id = testkit::unique_name("wc");
    let (input, output) = (format!("{id}-input"), format!("{id}-output"));
    create_topics(&bootstrap, &[&input, &output]);
    Some((bootstrap, id, input, output, tempfile::tempdir().unwrap()))
}

#[test]
fn the_quickstart_session_without_caching_gives_eleven_records_in_order() {
    let Some((bootstrap, id, input, output, dir)) = setup("wordcount without caching") else {
        return;
    };
    produce(&bootstrap, &input, &LINES);
    let mut app = app(
        &bootstrap,
        &id,
        &input,
        &output,
        dir.path(),
        &[("statestore.cache.max.bytes", "0")],
    );
    let got = read(
        &bootstrap,
        &output,
        0,
        11,
        Duration::from_secs(60),
        Duration::from_secs(2),
    );
    app.close(Duration::from_secs(30)).unwrap();
    let want = pairs(&[
        ("all", 1),
        ("streams", 1),
        ("lead", 1),
        ("to", 1),
        ("kafka", 1),
        ("hello", 1),
        ("kafka", 2),
        ("streams", 2),
        ("join", 1),
        ("kafka", 3),
        ("summit", 1),
    ]);
    assert_eq!(got, want);
    // Kafka's internal topic names: the repartition topic carried the 11 words, the changelog
    // the 11 counts
    let prefix = format!("{id}-KSTREAM-AGGREGATE-STATE-STORE-0000000003");
    assert_eq!(
        read(
            &bootstrap,
            &format!("{prefix}-changelog"),
            0,
            11,
            Duration::from_secs(10),
            Duration::ZERO
        ),
        want
    );
}

#[test]
fn with_caching_each_word_is_written_once_per_commit() {
    let Some((bootstrap, id, input, output, dir)) = setup("wordcount with caching") else {
        return;
    };
    produce(&bootstrap, &input, &LINES);
    let mut app = app(
        &bootstrap,
        &id,
        &input,
        &output,
        dir.path(),
        &[("commit.interval.ms", "5000")],
    );
    let got = read(
        &bootstrap,
        &output,
        0,
        8,
        Duration::from_secs(60),
        Duration::from_secs(3),
    );
    app.close(Duration::from_secs(30)).unwrap();
    let counts: BTreeMap<String, i64> = got.iter().cloned().collect();
    assert_eq!(got.len(), 8, "one record per word: {got:?}");
    let want: BTreeMap<String, i64> = pairs(&[
        ("all", 1),
        ("streams", 2),
        ("lead", 1),
        ("to", 1),
        ("kafka", 3),
        ("hello", 1),
        ("join", 1),
        ("summit", 1),
    ])
    .into_iter()
    .collect();
    assert_eq!(counts, want);
}

/// The changelog offset the task's store on disk says it holds.
fn checkpoint(state_dir: &std::path::Path, app_id: &str) -> Option<i64> {
    let path = state_dir
        .join(app_id)
        .join("1_0/redb/KSTREAM-AGGREGATE-STATE-STORE-0000000003");
    let db = redb::Database::open(path).ok()?;
    let tx = db.begin_read().ok()?;
    let meta = tx
        .open_table(redb::TableDefinition::<&str, i64>::new("meta"))
        .ok()?;
    let found = meta.get("checkpoint").ok()??;
    Some(found.value())
}

#[test]
fn a_restarted_app_restores_its_counts_from_disk_and_from_the_changelog() {
    let Some((bootstrap, id, input, output, dir)) = setup("wordcount restart") else {
        return;
    };
    produce(&bootstrap, &input, &LINES);
    let mut first = app(
        &bootstrap,
        &id,
        &input,
        &output,
        dir.path(),
        &[("statestore.cache.max.bytes", "0")],
    );
    assert_eq!(
        read(
            &bootstrap,
            &output,
            0,
            11,
            Duration::from_secs(60),
            Duration::ZERO
        )
        .len(),
        11
    );
    first.close(Duration::from_secs(30)).unwrap();
    drop(first);
    // the persistent store was written with the changelog offset it holds
    assert_eq!(checkpoint(dir.path(), &id), Some(11));
    let mut again = app(
        &bootstrap,
        &id,
        &input,
        &output,
        dir.path(),
        &[("statestore.cache.max.bytes", "0")],
    );
    produce(&bootstrap, &input, &["summit"]);
    assert_eq!(
        read(
            &bootstrap,
            &output,
            11,
            1,
            Duration::from_secs(60),
            Duration::from_secs(1)
        ),
        pairs(&[("summit", 2)])
    );
    again.close(Duration::from_secs(30)).unwrap();
    drop(again);
    // a fresh state directory: the store can only come back from the changelog
    let other = tempfile::tempdir().unwrap();
    let mut second = app(
        &bootstrap,
        &id,
        &input,
        &output,
        other.path(),
        &[("statestore.cache.max.bytes", "0")],
    );
    produce(&bootstrap, &input, &["kafka streams again"]);
    let got = read(
        &bootstrap,
        &output,
        12,
        3,
        Duration::from_secs(60),
        Duration::from_secs(2),
    );
    second.close(Duration::from_secs(30)).unwrap();
    assert_eq!(got, pairs(&[("kafka", 4), ("streams", 3), ("again", 1)]));
}
