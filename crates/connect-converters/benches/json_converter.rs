//! JsonConverter encode and decode of the benchmark record (shared/bench/README.md), with
//! `schemas.enable` true and false. Throughput is reported in records/s (one thread).
//!
//! Run: `cargo bench -p connect-converters --bench json_converter`

#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../tests/support/bench_record.rs"]
#[allow(dead_code, clippy::manual_is_multiple_of)]
mod bench_record;

use std::collections::BTreeMap;
use std::hint::black_box;

use connect_api::{Converter, Headers};
use connect_converters::JsonConverter;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const BATCH: usize = 1_000;

fn converter(schemas_enable: bool) -> JsonConverter {
    let config = BTreeMap::from([("schemas.enable".to_string(), schemas_enable.to_string())]);
    JsonConverter::new(&config, false).expect("valid config")
}

fn bench(c: &mut Criterion) {
    let schema = bench_record::schema();
    let values = bench_record::values(&schema);
    let mut group = c.benchmark_group("json_converter");
    group.throughput(Throughput::Elements(BATCH as u64));
    for schemas_enable in [true, false] {
        let conv = converter(schemas_enable);
        let mut headers = Headers::new();
        let encoded: Vec<Vec<u8>> = values
            .iter()
            .map(|v| {
                conv.from_connect_data("bench-topic", &mut headers, Some(&schema), v)
                    .expect("encode")
                    .expect("non-null")
            })
            .collect();
        let mut offset = 0;
        group.bench_function(format!("encode/schemas.enable={schemas_enable}"), |b| {
            b.iter(|| {
                for v in &values[offset..offset + BATCH] {
                    let out = conv
                        .from_connect_data("bench-topic", &mut headers, Some(&schema), v)
                        .expect("encode");
                    black_box(out);
                }
                offset = (offset + BATCH) % values.len();
            })
        });
        let mut offset = 0;
        group.bench_function(format!("decode/schemas.enable={schemas_enable}"), |b| {
            b.iter(|| {
                for bytes in &encoded[offset..offset + BATCH] {
                    let out = conv
                        .to_connect_data("bench-topic", &headers, Some(bytes))
                        .expect("decode");
                    black_box(out);
                }
                offset = (offset + BATCH) % encoded.len();
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
