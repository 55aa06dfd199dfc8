//! Benchmark helper: waits until the high watermarks of a topic's partitions add up to at
//! least COUNT, checking every few milliseconds over one connection (one ListOffsets request
//! per check), then prints the epoch time it saw that, in seconds (and on stderr, `first T`:
//! when it first saw a record).
//!
//!     cargo run --release -p kafka --example wait_hwm -- BOOTSTRAP TOPIC PARTITIONS COUNT [TIMEOUT_S]
//!
//! `bench/file_pipeline.sh` times kcat and Ferry producers with it alike, so neither pays
//! for the other's measurement.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};

fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name} must be a number, not '{text}'"))
}

fn main() {
    if let Err(e) = run() {
        eprintln!("wait_hwm: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        return Err("usage: wait_hwm BOOTSTRAP TOPIC PARTITIONS COUNT [TIMEOUT_S]".into());
    }
    let partitions: i32 = number("PARTITIONS", &args[2])?;
    let count: i64 = number("COUNT", &args[3])?;
    let timeout = Duration::from_secs(match args.get(4) {
        Some(t) => number("TIMEOUT_S", t)?,
        None => 300,
    });
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &args[0])
        .set("group.id", "ferry-bench-wait-hwm")
        .create()
        .map_err(|e| format!("cannot create a client for {}: {e}", args[0]))?;
    let mut list = TopicPartitionList::new();
    for p in 0..partitions {
        list.add_partition_offset(&args[1], p, Offset::End)
            .map_err(|e| format!("partition {p}: {e}"))?;
    }
    let started = Instant::now();
    let mut first_seen = false;
    loop {
        // ListOffsets for timestamp -1 (latest) answers the high watermark of every partition
        if let Ok(offsets) = consumer.offsets_for_times(list.clone(), Duration::from_secs(5)) {
            let sum: i64 = offsets
                .elements()
                .iter()
                .map(|e| e.offset().to_raw().unwrap_or(0).max(0))
                .sum();
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(|e| e.to_string())?;
            if sum > 0 && !first_seen {
                // on stderr: when the first record was in (the producer's start-up ends)
                eprintln!("first {:.6}", now.as_secs_f64());
                first_seen = true;
            }
            if sum >= count {
                println!("{:.6}", now.as_secs_f64());
                return Ok(());
            }
        }
        if started.elapsed() > timeout {
            return Err(format!(
                "timed out waiting for {count} records in {}",
                args[1]
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
