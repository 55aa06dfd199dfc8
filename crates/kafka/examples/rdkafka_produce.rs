//! Benchmark helper: what the rdkafka crate alone reaches on the produce path. Sends each line
//! of FILE (without its `\n`) to TOPIC with a `BaseProducer` and serves delivery reports every
//! 1,000 records, as `kcat -P -l FILE` does with librdkafka's C API; then flushes.
//!
//!     cargo run --release -p kafka --example rdkafka_produce -- BOOTSTRAP TOPIC FILE [KEY=VALUE…]
//!
//! KEY=VALUE pairs are librdkafka settings. `bench/file_pipeline.sh` runs it beside kcat and
//! Ferry's FileStreamSource, so Ferry's own cost is told apart from the client library's.

use std::io::BufRead;
use std::time::Duration;

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::ClientConfig;

/// Records sent between two rounds of delivery-report serving.
const REPORT_EVERY: usize = 1000;
/// Polls in one round (one delivery-report event holds many records).
const POLLS_PER_ROUND: usize = 256;

fn main() {
    if let Err(e) = run() {
        eprintln!("rdkafka_produce: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [bootstrap, topic, file, settings @ ..] = args.as_slice() else {
        return Err("usage: rdkafka_produce BOOTSTRAP TOPIC FILE [KEY=VALUE…]".into());
    };
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap);
    for setting in settings {
        let (k, v) = setting
            .split_once('=')
            .ok_or_else(|| format!("a setting must be KEY=VALUE, not '{setting}'"))?;
        config.set(k, v);
    }
    let producer: BaseProducer = config.create().map_err(|e| e.to_string())?;
    let input = std::fs::File::open(file).map_err(|e| format!("{file}: {e}"))?;
    for (i, line) in std::io::BufReader::new(input).split(b'\n').enumerate() {
        let line = line.map_err(|e| format!("{file}: {e}"))?;
        loop {
            match producer.send(BaseRecord::<[u8], [u8]>::to(topic).payload(&line[..])) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), _)) => {
                    producer.poll(Duration::from_millis(10));
                }
                Err((e, _)) => return Err(format!("send: {e}")),
            }
        }
        if i % REPORT_EVERY == 0 {
            for _ in 0..POLLS_PER_ROUND {
                producer.poll(Duration::ZERO);
            }
        }
    }
    producer
        .flush(Duration::from_secs(60))
        .map_err(|e| format!("flush: {e}"))
}
