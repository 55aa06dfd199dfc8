//! The DSL and the Processor API through the test driver: each operator's output, Kafka's
//! node, store and topic names, joins, tables, global tables, punctuations and errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use streams::serde::Serdes;
use streams::{
    Branched, Cancellable, Consumed, Grouped, Materialized, Processor, ProcessorContext, Produced,
    PunctuationType, Record, Result, Stores, StreamsBuilder, Topology, TopologyTestDriver,
};

fn props(extra: &[(&str, &str)]) -> BTreeMap<String, String> {
    let mut p = testkit::config_map(&[
        ("application.id", "app"),
        (
            "default.key.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        (
            "default.value.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
    ]);
    for (k, v) in extra {
        p.insert(k.to_string(), v.to_string());
    }
    p
}

fn driver(b: &StreamsBuilder) -> TopologyTestDriver {
    TopologyTestDriver::new(b.build().unwrap(), &props(&[])).unwrap()
}

fn strings(d: &TopologyTestDriver, topic: &str) -> Vec<(Option<String>, Option<String>)> {
    d.create_output_topic(topic, Serdes::string(), Serdes::string())
        .read_key_values_to_list()
        .unwrap()
}

fn kv(k: &str, v: &str) -> (Option<String>, Option<String>) {
    (Some(k.to_string()), Some(v.to_string()))
}

#[test]
fn stateless_operators_transform_in_order() {
    let b = StreamsBuilder::new();
    let s = b.stream::<String, String>("in");
    s.filter(|_, v| v.len() > 1)
        .map_values(|v| v.to_uppercase())
        .flat_map_values(|v| v.split(' ').map(str::to_string).collect::<Vec<_>>())
        .select_key(|_, v| v.chars().next().map(String::from).unwrap_or_default())
        .to("out");
    s.filter_not(|_, v| v.len() > 1)
        .map(|k, v| (format!("{}!", k.map_or("", |s| s.as_str())), v.clone()))
        .to("short");
    let d = driver(&b);
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    input
        .pipe_input(Some(&"k".to_string()), Some(&"ab cd".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"k".to_string()), Some(&"x".to_string()))
        .unwrap();
    assert_eq!(strings(&d, "out"), vec![kv("A", "AB"), kv("C", "CD")]);
    assert_eq!(strings(&d, "short"), vec![kv("k!", "x")]);
}

#[test]
fn split_routes_to_the_first_matching_branch_with_kafkas_names() {
    let b = StreamsBuilder::new();
    let branches = b
        .stream::<String, String>("in")
        .split()
        .branch(|_, v| v.starts_with('a'), Branched::none())
        .branch(|_, v| v.starts_with('b'), Branched::as_("-bees"))
        .default_branch(Branched::none());
    let names: Vec<&String> = branches.keys().collect();
    assert_eq!(
        names,
        vec![
            "KSTREAM-BRANCH-0000000001-bees",
            "KSTREAM-BRANCH-00000000010",
            "KSTREAM-BRANCH-00000000011"
        ]
    );
    branches["KSTREAM-BRANCH-00000000011"].to("a");
    branches["KSTREAM-BRANCH-0000000001-bees"].to("b");
    branches["KSTREAM-BRANCH-00000000010"].to("rest");
    let d = driver(&b);
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    for v in ["apple", "bee", "cat", "ab"] {
        input.pipe_value(&v.to_string()).unwrap();
    }
    let values = |t: &str| {
        strings(&d, t)
            .into_iter()
            .map(|(_, v)| v.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(values("a"), vec!["apple", "ab"]);
    assert_eq!(values("b"), vec!["bee"]);
    assert_eq!(values("rest"), vec!["cat"]);
}

#[test]
fn merge_and_peek_pass_records_on() {
    let b = StreamsBuilder::new();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = std::sync::Arc::clone(&seen);
    let left = b.stream::<String, String>("l");
    let right = b.stream::<String, String>("r");
    left.merge(&right)
        .peek(move |_, v| s2.lock().unwrap().push(v.clone()))
        .to("out");
    let d = driver(&b);
    d.create_input_topic("l", Serdes::string(), Serdes::string())
        .pipe_value(&"1".to_string())
        .unwrap();
    d.create_input_topic("r", Serdes::string(), Serdes::string())
        .pipe_value(&"2".to_string())
        .unwrap();
    assert_eq!(strings(&d, "out").len(), 2);
    assert_eq!(*seen.lock().unwrap(), vec!["1", "2"]);
}

#[test]
fn group_by_key_count_matches_kafkas_topology_test() {
    // TopologyTest.kGroupedStreamZeroArgCountShouldPreserveTopologyStructure
    let b = StreamsBuilder::new();
    b.stream::<String, String>("input-topic")
        .group_by_key()
        .count();
    let want = "Topologies:
   Sub-topology: 0
    Source: KSTREAM-SOURCE-0000000000 (topics: [input-topic])
      --> KSTREAM-AGGREGATE-0000000002
    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [KSTREAM-AGGREGATE-STATE-STORE-0000000001])
      --> none
      <-- KSTREAM-SOURCE-0000000000

";
    assert_eq!(b.build().unwrap().describe().to_string(), want);
}

#[test]
fn named_groupings_name_the_repartition_topic_and_nodes() {
    let b = StreamsBuilder::new();
    b.stream::<String, String>("in")
        .group_by_with(|_, v: &String| v.clone(), Grouped::as_("by-value"))
        .reduce_with(|a, b| format!("{a}+{b}"), Materialized::as_("joined"))
        .to_stream()
        .to("out");
    let text = b.build().unwrap().describe().to_string();
    assert!(
        text.contains("Sink: by-value-repartition-sink (topic: by-value-repartition)"),
        "{text}"
    );
    assert!(
        text.contains("Processor: by-value-repartition-filter (stores: [])"),
        "{text}"
    );
    assert!(
        text.contains("Source: by-value-repartition-source (topics: [by-value-repartition])"),
        "{text}"
    );
    assert!(text.contains("Processor: by-value (stores: [])"), "{text}");
    assert!(
        text.contains("Processor: KSTREAM-REDUCE-0000000002 (stores: [joined])"),
        "{text}"
    );
    let d = driver(&b);
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    for (k, v) in [("1", "x"), ("2", "y"), ("3", "x")] {
        input
            .pipe_input(Some(&k.to_string()), Some(&v.to_string()))
            .unwrap();
    }
    assert_eq!(
        strings(&d, "out"),
        vec![kv("x", "x"), kv("y", "y"), kv("x", "x+x")]
    );
    assert_eq!(d.read_raw("app-by-value-repartition").len(), 3);
    assert_eq!(d.read_raw("app-joined-changelog").len(), 3);
}

#[test]
fn aggregate_keeps_the_largest_timestamp_and_skips_null_keys() {
    let b = StreamsBuilder::new();
    b.stream::<String, String>("in")
        .group_by_key()
        .aggregate(
            || 0i64,
            |_, v: &String, agg| agg + v.len() as i64,
            Materialized::with(Serdes::string(), Serdes::long()),
        )
        .to_stream()
        .to_with("out", Produced::with(Serdes::string(), Serdes::long()));
    let d = driver(&b);
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    input
        .pipe_input_at(Some(&"a".to_string()), Some(&"xx".to_string()), 50)
        .unwrap();
    input
        .pipe_input_at(Some(&"a".to_string()), Some(&"yyy".to_string()), 10)
        .unwrap();
    input
        .pipe_input_at(None, Some(&"zzz".to_string()), 60)
        .unwrap();
    let out = d.create_output_topic("out", Serdes::string(), Serdes::long());
    assert_eq!(
        out.read_record().unwrap(),
        Some((Some("a".to_string()), Some(2), 50))
    );
    assert_eq!(
        out.read_record().unwrap(),
        Some((Some("a".to_string()), Some(5), 50))
    );
    assert!(out.is_empty());
}

#[test]
fn tables_filter_map_and_delete() {
    let b = StreamsBuilder::new();
    b.table::<String, String>("t")
        .filter(|_, v| !v.starts_with('-'))
        .map_values(|v| format!("<{v}>"))
        .to_stream()
        .to("out");
    let d = driver(&b);
    let mut input = d.create_input_topic("t", Serdes::string(), Serdes::string());
    input
        .pipe_input(Some(&"a".to_string()), Some(&"1".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"a".to_string()), Some(&"-2".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"b".to_string()), Some(&"-3".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"c".to_string()), Some(&"4".to_string()))
        .unwrap();
    input.pipe_input(Some(&"c".to_string()), None).unwrap();
    // the source table is not materialized, so the filter cannot know "b" was never in the
    // table: like Kafka's KTableFilter it forwards a delete for it
    assert_eq!(
        strings(&d, "out"),
        vec![
            kv("a", "<1>"),
            (Some("a".into()), None),
            (Some("b".into()), None),
            kv("c", "<4>"),
            (Some("c".into()), None)
        ]
    );
    // materialized (named), the table knows the old values and drops the non-change
    let b = StreamsBuilder::new();
    b.table_with::<String, String>("t", Consumed::default(), Materialized::as_("t-store"))
        .filter(|_, v| !v.starts_with('-'))
        .to_stream()
        .to("out");
    let d = driver(&b);
    let mut input = d.create_input_topic("t", Serdes::string(), Serdes::string());
    input
        .pipe_input(Some(&"a".to_string()), Some(&"1".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"b".to_string()), Some(&"-3".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"a".to_string()), Some(&"-2".to_string()))
        .unwrap();
    assert_eq!(
        strings(&d, "out"),
        vec![kv("a", "1"), (Some("a".into()), None)]
    );
}

#[test]
fn stream_table_joins_read_the_table_as_of_each_record() {
    let b = StreamsBuilder::new();
    let table = b.table::<String, String>("users");
    let clicks = b.stream::<String, String>("clicks");
    clicks
        .join(&table, |click, user| format!("{click}@{user}"))
        .to("joined");
    clicks
        .left_join(&table, |click, user: Option<&String>| {
            format!("{click}@{}", user.map_or("?", |u| u.as_str()))
        })
        .to("left");
    let topology = b.build().unwrap();
    let text = topology.describe().to_string();
    // the source table is materialized for the join, which shares its sub-topology
    assert!(
        text.contains(
            "Processor: KTABLE-SOURCE-0000000002 (stores: [users-STATE-STORE-0000000000])"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Processor: KSTREAM-JOIN-0000000004 (stores: [users-STATE-STORE-0000000000])"
        ),
        "{text}"
    );
    assert!(!text.contains("Sub-topology: 1"), "{text}");
    let d = TopologyTestDriver::new(topology, &props(&[])).unwrap();
    let mut users = d.create_input_topic("users", Serdes::string(), Serdes::string());
    let mut input = d.create_input_topic("clicks", Serdes::string(), Serdes::string());
    input
        .pipe_input(Some(&"u1".to_string()), Some(&"c0".to_string()))
        .unwrap();
    users
        .pipe_input(Some(&"u1".to_string()), Some(&"ann".to_string()))
        .unwrap();
    input
        .pipe_input(Some(&"u1".to_string()), Some(&"c1".to_string()))
        .unwrap();
    users.pipe_input(Some(&"u1".to_string()), None).unwrap();
    input
        .pipe_input(Some(&"u1".to_string()), Some(&"c2".to_string()))
        .unwrap();
    assert_eq!(strings(&d, "joined"), vec![kv("u1", "c1@ann")]);
    assert_eq!(
        strings(&d, "left"),
        vec![kv("u1", "c0@?"), kv("u1", "c1@ann"), kv("u1", "c2@?")]
    );
}

#[test]
fn global_table_joins_look_up_a_mapped_key() {
    let b = StreamsBuilder::new();
    let countries = b.global_table::<String, String>("countries");
    b.stream::<String, String>("orders")
        .join_global(
            &countries,
            |_, v: &String| v.split(':').next().unwrap_or("").to_string(),
            |order, country| format!("{order} in {country}"),
        )
        .to("out");
    let topology = b.build().unwrap();
    let text = topology.describe().to_string();
    assert!(
        text.contains("Sub-topology: 0 for global store (will not generate tasks)"),
        "{text}"
    );
    assert!(
        text.contains("Processor: KSTREAM-LEFTJOIN-0000000004 (stores: [])"),
        "{text}"
    );
    let d = TopologyTestDriver::new(topology, &props(&[])).unwrap();
    d.create_input_topic("countries", Serdes::string(), Serdes::string())
        .pipe_input(Some(&"fr".to_string()), Some(&"France".to_string()))
        .unwrap();
    let mut orders = d.create_input_topic("orders", Serdes::string(), Serdes::string());
    orders
        .pipe_input(Some(&"o1".to_string()), Some(&"fr:bread".to_string()))
        .unwrap();
    orders
        .pipe_input(Some(&"o2".to_string()), Some(&"de:beer".to_string()))
        .unwrap();
    assert_eq!(strings(&d, "out"), vec![kv("o1", "fr:bread in France")]);
}

/// Counts records per key in a store, forwards the count, and every 10 s of stream or wall
/// time forwards the number of keys to the child "sizes".
struct Counter {
    store: Option<streams::KeyValueStore<String, i64>>,
    stream_tick: Option<Cancellable>,
}

impl Processor<String, String, String, i64> for Counter {
    fn init(&mut self, ctx: &mut ProcessorContext<'_, '_, String, i64>) -> Result<()> {
        self.store = Some(ctx.get_key_value_store("counts")?);
        self.stream_tick =
            Some(ctx.schedule(Duration::from_secs(10), PunctuationType::StreamTime)?);
        ctx.schedule(Duration::from_secs(10), PunctuationType::WallClockTime)?;
        Ok(())
    }

    fn process(
        &mut self,
        r: Record<String, String>,
        ctx: &mut ProcessorContext<'_, '_, String, i64>,
    ) -> Result<()> {
        let store = self.store.as_ref().unwrap();
        let key = r.key.clone().unwrap_or_default();
        let n = store.get(&key)?.unwrap_or(0) + 1;
        store.put(&key, &n)?;
        ctx.forward_to("counts-out", Record::new(Some(key), Some(n), r.timestamp))
    }

    fn punctuate(
        &mut self,
        id: Cancellable,
        ts: i64,
        ctx: &mut ProcessorContext<'_, '_, String, i64>,
    ) -> Result<()> {
        let size = self.store.as_ref().unwrap().all()?.len() as i64;
        let what = if Some(id) == self.stream_tick {
            "stream"
        } else {
            "wall"
        };
        ctx.forward_to(
            "sizes",
            Record::new(Some(format!("{what}@{ts}")), Some(size), ts),
        )
    }
}

#[test]
fn processor_api_with_a_store_and_punctuations() {
    let mut t = Topology::new();
    t.add_source::<String, String>("src", &["in"]).unwrap();
    t.add_processor(
        "counter",
        || {
            Box::new(Counter {
                store: None,
                stream_tick: None,
            }) as Box<dyn Processor<_, _, _, _>>
        },
        &["src"],
    )
    .unwrap();
    t.add_state_store(
        Stores::key_value_store_builder(
            Stores::in_memory_key_value_store("counts"),
            Serdes::string(),
            Serdes::long(),
        ),
        &["counter"],
    )
    .unwrap();
    t.add_sink_with(
        "counts-out",
        "counts",
        Serdes::string(),
        Serdes::long(),
        &["counter"],
    )
    .unwrap();
    t.add_sink_with(
        "sizes",
        "sizes",
        Serdes::string(),
        Serdes::long(),
        &["counter"],
    )
    .unwrap();
    let text = t.describe().to_string();
    assert!(
        text.contains(
            "Processor: counter (stores: [counts])\n      --> counts-out, sizes\n      <-- src"
        ),
        "{text}"
    );
    let d = TopologyTestDriver::new(t, &props(&[])).unwrap();
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    input
        .pipe_input_at(Some(&"a".to_string()), Some(&"x".to_string()), 1_000)
        .unwrap();
    input
        .pipe_input_at(Some(&"b".to_string()), Some(&"x".to_string()), 5_000)
        .unwrap();
    input
        .pipe_input_at(Some(&"a".to_string()), Some(&"x".to_string()), 12_000)
        .unwrap();
    d.advance_wall_clock_time(Duration::from_secs(10)).unwrap();
    let counts = d.create_output_topic("counts", Serdes::string(), Serdes::long());
    assert_eq!(
        counts.read_key_values_to_list().unwrap(),
        vec![
            (Some("a".into()), Some(1)),
            (Some("b".into()), Some(1)),
            (Some("a".into()), Some(2))
        ]
    );
    let sizes = d.create_output_topic("sizes", Serdes::string(), Serdes::long());
    // stream time punctuates at the first record (aligned to 0), then once it passes 10 s;
    // the wall clock once it reaches 10 s
    assert_eq!(
        sizes.read_key_values_to_list().unwrap(),
        vec![
            (Some("stream@1000".into()), Some(1)),
            (Some("stream@12000".into()), Some(2)),
            (Some("wall@10000".into()), Some(2))
        ]
    );
    let store = d.get_key_value_store::<String, i64>("counts").unwrap();
    assert_eq!(store.get(&"a".to_string()).unwrap(), Some(2));
    assert_eq!(d.read_raw("app-counts-changelog").len(), 3);
}

#[test]
fn topic_name_extractors_pick_the_topic_per_record() {
    let b = StreamsBuilder::new();
    b.stream::<String, String>("in").to_extractor(
        |_, v, _| format!("out-{}", v.map_or("none", |v| v.as_str())),
        Produced::default(),
    );
    let text = b.build().unwrap().describe().to_string();
    assert!(
        text.contains("Sink: KSTREAM-SINK-0000000001 (extractor class: "),
        "{text}"
    );
    let d = driver(&b);
    let mut input = d.create_input_topic("in", Serdes::string(), Serdes::string());
    input.pipe_value(&"x".to_string()).unwrap();
    input.pipe_value(&"y".to_string()).unwrap();
    assert_eq!(strings(&d, "out-x").len(), 1);
    assert_eq!(strings(&d, "out-y").len(), 1);
}

#[test]
fn mistakes_are_reported_with_names() {
    // a default serde of the wrong type names the key and both types
    let b = StreamsBuilder::new();
    b.stream::<i64, String>("in").to("out");
    let err = TopologyTestDriver::new(b.build().unwrap(), &props(&[]))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("default.key.serde") && err.contains("i64") && err.contains("String"),
        "{err}"
    );
    // two sources of one topic
    let b = StreamsBuilder::new();
    b.stream::<String, String>("in");
    b.stream_with::<String, String>(&["in"], Consumed::with(Serdes::string(), Serdes::string()));
    let err = b.build().err().unwrap().to_string();
    assert!(
        err.contains("Topic in has already been registered by another source."),
        "{err}"
    );
    // a processor asking for a store it is not connected to
    let mut t = Topology::new();
    t.add_source::<String, String>("src", &["in"]).unwrap();
    t.add_processor(
        "p",
        || {
            Box::new(Counter {
                store: None,
                stream_tick: None,
            }) as Box<dyn Processor<_, _, _, _>>
        },
        &["src"],
    )
    .unwrap();
    t.add_state_store(
        Stores::key_value_store_builder(
            Stores::in_memory_key_value_store("other"),
            Serdes::string(),
            Serdes::long(),
        ),
        &[],
    )
    .unwrap();
    let err = TopologyTestDriver::new(t, &props(&[]))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("Processor p has no access to StateStore counts"),
        "{err}"
    );
}

#[test]
fn bad_records_fail_or_are_skipped_as_configured() {
    let b = StreamsBuilder::new();
    b.stream_with::<String, i64>(&["in"], Consumed::with(Serdes::string(), Serdes::long()))
        .to_with("out", Produced::with(Serdes::string(), Serdes::long()));
    let topology = b.build().unwrap();
    let d = TopologyTestDriver::new(topology.clone(), &props(&[])).unwrap();
    let err = d
        .pipe_raw("in", None, Some(b"abc"), 0, Vec::new())
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("Size of data received by LongDeserializer is not 8"),
        "{err}"
    );
    let d = TopologyTestDriver::new(
        topology,
        &props(&[(
            "deserialization.exception.handler",
            "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler",
        )]),
    )
    .unwrap();
    d.pipe_raw("in", None, Some(b"abc"), 0, Vec::new()).unwrap();
    d.pipe_raw("in", None, Some(&7i64.to_be_bytes()), 0, Vec::new())
        .unwrap();
    assert_eq!(d.read_raw("out").len(), 1);
}
