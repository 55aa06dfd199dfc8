//! Throughput measurements of the benchmark record (ignored tests, run by hand).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use connect_api::{Converter, Headers};

use super::super::JsonNode;
use super::conv;

#[path = "../../../tests/support/bench_record.rs"]
#[allow(dead_code, clippy::manual_is_multiple_of)]
mod bench_record;

/// Throughput of the benchmark record (shared/bench/README.md); run with
/// `cargo test --release -p connect-converters --lib json::tests::perf::throughput -- --ignored --nocapture`.
/// `FERRY_JSON_BENCH=encode-true|decode-true|encode-false|decode-false|none` runs one workload
/// ten times (for `perf stat`; `none` measures the setup alone).
#[test]
#[ignore]
fn throughput() {
    let schema = bench_record::schema();
    let values = bench_record::values(&schema);
    let only = std::env::var("FERRY_JSON_BENCH").ok();
    for schemas_enable in ["true", "false"] {
        let c = conv(&[("schemas.enable", schemas_enable)]);
        let mut h = Headers::new();
        let encoded: Vec<Vec<u8>> = values
            .iter()
            .map(|v| {
                c.from_connect_data("t", &mut h, Some(&schema), v)
                    .unwrap()
                    .unwrap()
            })
            .collect();
        let rounds = if only.is_some() {
            std::env::var("FERRY_JSON_ROUNDS")
                .ok()
                .and_then(|r| r.parse().ok())
                .unwrap_or(10)
        } else {
            3
        };
        for round in 0..rounds {
            let want = |what: &str| {
                only.as_deref()
                    .is_none_or(|o| o == format!("{what}-{schemas_enable}"))
            };
            let t = cpu_ns();
            if want("encode") {
                for v in &values {
                    std::hint::black_box(
                        c.from_connect_data("t", &mut h, Some(&schema), v).unwrap(),
                    );
                }
            }
            let enc = values.len() as f64 / ((cpu_ns() - t) as f64 / 1e9);
            let t = cpu_ns();
            if want("decode") {
                for b in &encoded {
                    std::hint::black_box(c.to_connect_data("t", &h, Some(b)).unwrap());
                }
            }
            let dec = values.len() as f64 / ((cpu_ns() - t) as f64 / 1e9);
            println!(
                "schemas.enable={schemas_enable} round {round}: encode {:.0} k/s, decode {:.0} k/s",
                enc / 1e3,
                dec / 1e3
            );
        }
    }
}

/// CPU time of this thread in nanoseconds (robust to other processes on the machine).
fn cpu_ns() -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Where decode time goes: syntax only, tree, schemaless values (same inputs).
#[test]
#[ignore]
fn decode_breakdown() {
    use super::super::parser::{Parser, Skip};
    let schema = bench_record::schema();
    let values = bench_record::values(&schema);
    let c = conv(&[("schemas.enable", "false")]);
    let mut h = Headers::new();
    let encoded: Vec<Vec<u8>> = values
        .iter()
        .map(|v| {
            c.from_connect_data("t", &mut h, Some(&schema), v)
                .unwrap()
                .unwrap()
        })
        .collect();
    let rounds: usize = std::env::var("FERRY_JSON_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(10);
    if std::env::var("FERRY_JSON_BENCH").as_deref() == Ok("skip") {
        for _ in 0..rounds {
            for b in &encoded {
                std::hint::black_box(Parser::new(b, true).document(&mut Skip).unwrap());
            }
        }
        return;
    }
    for _ in 0..3 {
        let t = cpu_ns();
        for _ in 0..10 {
            for b in &encoded {
                std::hint::black_box(Parser::new(b, true).document(&mut Skip).unwrap());
            }
        }
        let skip = (cpu_ns() - t) as f64 / 1e5;
        let t = cpu_ns();
        for _ in 0..10 {
            for b in &encoded {
                std::hint::black_box(JsonNode::parse_lenient(b).unwrap());
            }
        }
        let node = (cpu_ns() - t) as f64 / 1e5;
        let t = cpu_ns();
        for _ in 0..10 {
            for b in &encoded {
                std::hint::black_box(super::super::schemaless::read(b));
            }
        }
        let value = (cpu_ns() - t) as f64 / 1e5;
        let t = cpu_ns();
        let mut strings = 0;
        for _ in 0..10 {
            for _ in &encoded {
                let v: Vec<String> = (0..18)
                    .map(|i| "customer-name-0000".chars().take(3 + i).collect())
                    .collect();
                strings += v.len();
                std::hint::black_box(v);
            }
        }
        let alloc = (cpu_ns() - t) as f64 / 1e5;
        println!("ns/record: skip {skip:.0}, node {node:.0}, value {value:.0}, 18 strings {alloc:.0} ({strings})");
    }
}
