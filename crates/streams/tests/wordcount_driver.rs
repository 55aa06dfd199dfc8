//! WordCount through the test driver: Kafka's `describe()`, the quickstart's eleven records,
//! the tokenizer's edge cases and the store's final counts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../examples/wordcount/topology.rs"]
mod wordcount;

use std::collections::BTreeMap;

use streams::serde::Serdes;
use streams::{StreamsBuilder, TopologyTestDriver};

fn props(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut p: BTreeMap<String, String> = [
        ("application.id", "streams-wordcount"),
        (
            "default.key.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        (
            "default.value.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        ("statestore.cache.max.bytes", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in extra {
        p.insert(k.to_string(), v.to_string());
    }
    p
}

fn driver() -> TopologyTestDriver {
    let builder = StreamsBuilder::new();
    wordcount::build(&builder, wordcount::INPUT, wordcount::OUTPUT);
    TopologyTestDriver::new(builder.build().unwrap(), &props(&[])).unwrap()
}

const DESCRIBE: &str = "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
      --> KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
      --> KSTREAM-KEY-SELECT-0000000002
      <-- KSTREAM-SOURCE-0000000000
    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
      --> KSTREAM-FILTER-0000000006
      <-- KSTREAM-FLATMAPVALUES-0000000001
    Processor: KSTREAM-FILTER-0000000006 (stores: [])
      --> KSTREAM-SINK-0000000005
      <-- KSTREAM-KEY-SELECT-0000000002
    Sink: KSTREAM-SINK-0000000005 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition)
      <-- KSTREAM-FILTER-0000000006

  Sub-topology: 1
    Source: KSTREAM-SOURCE-0000000007 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000003-repartition])
      --> KSTREAM-AGGREGATE-0000000004
    Processor: KSTREAM-AGGREGATE-0000000004 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000003])
      --> KTABLE-TOSTREAM-0000000008
      <-- KSTREAM-SOURCE-0000000007
    Processor: KTABLE-TOSTREAM-0000000008 (stores: [])
      --> KSTREAM-SINK-0000000009
      <-- KSTREAM-AGGREGATE-0000000004
    Sink: KSTREAM-SINK-0000000009 (topic: streams-wordcount-output)
      <-- KTABLE-TOSTREAM-0000000008

";

#[test]
fn describe_prints_kafkas_wordcount_topology() {
    let builder = StreamsBuilder::new();
    wordcount::build(&builder, wordcount::INPUT, wordcount::OUTPUT);
    assert_eq!(builder.build().unwrap().describe().to_string(), DESCRIBE);
}

#[test]
fn the_quickstart_session_gives_eleven_records_in_order() {
    let d = driver();
    let mut input = d.create_input_topic(wordcount::INPUT, Serdes::string(), Serdes::string());
    let output = d.create_output_topic(wordcount::OUTPUT, Serdes::string(), Serdes::long());
    for line in [
        "all streams lead to kafka",
        "hello kafka streams",
        "join kafka summit",
    ] {
        input.pipe_value(&line.to_string()).unwrap();
    }
    let got: Vec<(String, i64)> = output
        .read_key_values_to_list()
        .unwrap()
        .into_iter()
        .map(|(k, v)| (k.unwrap(), v.unwrap()))
        .collect();
    let want: Vec<(String, i64)> = [
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
    ]
    .iter()
    .map(|(w, n)| (w.to_string(), *n))
    .collect();
    assert_eq!(got, want);
    // the values are Kafka's 8-byte big-endian longs, and the repartition and changelog topics
    // carry Kafka's names
    let app = "streams-wordcount-KSTREAM-AGGREGATE-STATE-STORE-0000000003";
    let changelog = d.read_raw(&format!("{app}-changelog"));
    assert_eq!(changelog.len(), 11);
    assert_eq!(changelog[10].key.as_deref(), Some(&b"summit"[..]));
    assert_eq!(
        changelog[10].value.as_deref(),
        Some(&[0u8, 0, 0, 0, 0, 0, 0, 1][..])
    );
    assert_eq!(d.read_raw(&format!("{app}-repartition")).len(), 11);
    let store = d
        .get_key_value_store::<String, i64>("KSTREAM-AGGREGATE-STATE-STORE-0000000003")
        .unwrap();
    assert_eq!(store.get(&"kafka".to_string()).unwrap(), Some(3));
    assert_eq!(store.approximate_num_entries(), 8);
}

#[test]
fn kafkas_wordcount_demo_test_cases() {
    let d = driver();
    let mut input = d.create_input_topic(wordcount::INPUT, Serdes::string(), Serdes::string());
    let output = d.create_output_topic(wordcount::OUTPUT, Serdes::string(), Serdes::long());
    input.pipe_value(&"Hello".to_string()).unwrap();
    assert_eq!(
        output.read_key_value().unwrap(),
        Some((Some("hello".to_string()), Some(1)))
    );
    assert!(output.is_empty());
    let d = driver();
    let mut input = d.create_input_topic(wordcount::INPUT, Serdes::string(), Serdes::string());
    let output = d.create_output_topic(wordcount::OUTPUT, Serdes::string(), Serdes::long());
    input
        .pipe_value_list(&[
            "Apache Kafka Streams Example".to_string(),
            "Using  Kafka Streams\tTest Utils".to_string(),
            "Reading and Writing Kafka Topic".to_string(),
        ])
        .unwrap();
    let want: BTreeMap<String, i64> = [
        ("apache", 1),
        ("kafka", 3),
        ("streams", 2),
        ("example", 1),
        ("using", 1),
        ("test", 1),
        ("utils", 1),
        ("reading", 1),
        ("and", 1),
        ("writing", 1),
        ("topic", 1),
    ]
    .iter()
    .map(|(w, n)| (w.to_string(), *n))
    .collect();
    assert_eq!(output.read_key_values_to_map().unwrap(), want);
}

#[test]
fn tokens_follow_javas_split() {
    let w = |s: &str| wordcount::words(s);
    assert_eq!(w(""), vec![""]);
    assert_eq!(w(" hello"), vec!["", "hello"]);
    assert!(w("!!!").is_empty());
    assert_eq!(w("hello!!"), vec!["hello"]);
    assert_eq!(w("Café Über-Größe"), vec!["caf", "ber", "gr", "e"]);
    assert_eq!(
        w("don't stop_me now 42"),
        vec!["don", "t", "stop_me", "now", "42"]
    );
    assert_eq!(w("İstanbul"), vec!["i", "stanbul"]);
}

#[test]
fn a_null_line_is_dropped_not_fatal() {
    let d = driver();
    let mut input = d.create_input_topic(wordcount::INPUT, Serdes::string(), Serdes::string());
    let output = d.create_output_topic(wordcount::OUTPUT, Serdes::string(), Serdes::long());
    input.pipe_input(None, None).unwrap();
    input.pipe_value(&"".to_string()).unwrap();
    assert_eq!(
        output.read_key_value().unwrap(),
        Some((Some(String::new()), Some(1)))
    );
    assert!(output.is_empty());
}
