//! Kafka's WordCount demo on Ferry Streams.
//!
//! ```text
//! cargo run --release -p streams --example wordcount -- [streams.properties] [key=value …]
//! ```
//!
//! Reads lines from `streams-plaintext-input`, writes the running count of each word to
//! `streams-wordcount-output` (String keys, 8-byte big-endian Long values), with the demo's
//! configs: `application.id=streams-wordcount`, String default serdes, caching off,
//! `auto.offset.reset=earliest`, `bootstrap.servers` from `KAFKA_BOOTSTRAP_SERVERS` or
//! `localhost:9092`. A properties file and `key=value` arguments override them. Ctrl-C stops it.

mod topology;

/// jemalloc, for Rust's allocations and (the dev-dependency's `unprefixed_malloc_…` feature)
/// librdkafka's too: the stream thread allocates per record, and librdkafka per message; with
/// glibc's malloc for the latter the threads contend for its arena (docs/streams.md).
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::collections::BTreeMap;
use std::time::Duration;

use streams::{KafkaStreams, StreamsBuilder, StreamsConfig};

fn props() -> Result<BTreeMap<String, String>, String> {
    let bootstrap =
        std::env::var("KAFKA_BOOTSTRAP_SERVERS").unwrap_or_else(|_| "localhost:9092".into());
    let mut p: BTreeMap<String, String> = [
        ("application.id", "streams-wordcount"),
        ("bootstrap.servers", bootstrap.as_str()),
        ("statestore.cache.max.bytes", "0"),
        (
            "default.key.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        (
            "default.value.serde",
            "org.apache.kafka.common.serialization.Serdes$StringSerde",
        ),
        ("auto.offset.reset", "earliest"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for arg in std::env::args().skip(1) {
        if let Some((k, v)) = arg.split_once('=') {
            p.insert(k.trim().to_string(), v.trim().to_string());
        } else {
            let file = std::fs::File::open(&arg).map_err(|e| format!("cannot read {arg}: {e}"))?;
            let read = java_properties::read(std::io::BufReader::new(file))
                .map_err(|e| format!("cannot parse {arg}: {e}"))?;
            p.extend(read);
        }
    }
    Ok(p)
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let props = match props() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let input = props
        .get("wordcount.input")
        .cloned()
        .unwrap_or_else(|| topology::INPUT.to_string());
    let output = props
        .get("wordcount.output")
        .cloned()
        .unwrap_or_else(|| topology::OUTPUT.to_string());
    let mut props = props;
    props.remove("wordcount.input");
    props.remove("wordcount.output");
    let config = match StreamsConfig::new(&props) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let builder = StreamsBuilder::new();
    topology::build(&builder, &input, &output);
    let topology = match builder.build() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    println!("{}", topology.describe());
    let mut app = KafkaStreams::new(topology, config);
    if let Err(e) = app.start() {
        eprintln!("{e}");
        std::process::exit(1);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async {
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = tokio::time::sleep(Duration::from_millis(200)) => {
                    if app.error().is_some() { break }
                }
            }
        }
    });
    if let Err(e) = app.close(Duration::from_secs(30)) {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
