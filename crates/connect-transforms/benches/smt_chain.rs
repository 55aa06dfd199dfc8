//! The SMT chain of shared/bench/README.md on its benchmark record, as source records:
//! `ReplaceField$Value` (exclude=note,tags; renames=city:town) → `Cast$Value`
//! (spec=qty:int64,score:float32) → `InsertField$Value` (timestamp.field=ts,
//! static.field=src, static.value=bench). Throughput in records/s, one thread.
//!
//! Run: `cargo bench -p connect-transforms --bench smt_chain`
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../../connect-converters/tests/support/bench_record.rs"]
#[allow(dead_code)]
mod bench_record;

use std::collections::BTreeMap;
use std::hint::black_box;

use connect_api::{Headers, Record, SchemaAndValue, SourceMeta, Value};
use connect_transforms::chain::TransformationChain;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

const BATCH: usize = 1_000;

fn chain() -> TransformationChain<SourceMeta> {
    let config: BTreeMap<String, String> = [
        ("transforms", "replace,cast,insert"),
        (
            "transforms.replace.type",
            "org.apache.kafka.connect.transforms.ReplaceField$Value",
        ),
        ("transforms.replace.exclude", "note,tags"),
        ("transforms.replace.renames", "city:town"),
        (
            "transforms.cast.type",
            "org.apache.kafka.connect.transforms.Cast$Value",
        ),
        ("transforms.cast.spec", "qty:int64,score:float32"),
        (
            "transforms.insert.type",
            "org.apache.kafka.connect.transforms.InsertField$Value",
        ),
        ("transforms.insert.timestamp.field", "ts"),
        ("transforms.insert.static.field", "src"),
        ("transforms.insert.static.value", "bench"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    TransformationChain::from_config(&config).expect("valid chain")
}

fn records() -> Vec<Record<SourceMeta>> {
    let schema = bench_record::schema();
    (0..bench_record::RECORDS)
        .map(|i| Record {
            topic: "bench-topic".into(),
            kafka_partition: Some(0),
            key: SchemaAndValue::null(),
            value: SchemaAndValue::new(Some(schema.clone()), bench_record::value(&schema, i)),
            timestamp: Some(1_700_000_000_000 + 1000 * i as i64 + 123),
            headers: Headers::new(),
            meta: SourceMeta {
                source_partition: std::sync::Arc::new(Value::Map(vec![(
                    "p".into(),
                    "bench".into(),
                )])),
                source_offset: Value::Map(vec![("o".into(), Value::Int64(i as i64))]),
            },
        })
        .collect()
}

/// Transforms a batch in place, as the task loop transforms a polled or consumed batch.
fn transform(
    chain: &TransformationChain<SourceMeta>,
    mut batch: Vec<Record<SourceMeta>>,
) -> Vec<Record<SourceMeta>> {
    for r in batch.iter_mut() {
        let _ = black_box(chain.apply_in_place(r).expect("apply"));
    }
    batch
}

fn bench(c: &mut Criterion) {
    let chain = chain();
    let all = records();
    let mut group = c.benchmark_group("smt_chain");
    group.throughput(Throughput::Elements(BATCH as u64));
    let mut offset = 0;
    let mut next_batch = || {
        let batch = all[offset..offset + BATCH].to_vec();
        offset = (offset + BATCH) % all.len();
        batch
    };
    // Records are taken by value (as the task loop hands them over), so each iteration gets
    // fresh clones, made outside the timed part. As criterion's `iter_batched` does for any
    // routine, what the routine returns (here the transformed records) is dropped outside the
    // timed part too: the figure is the chain's work, not the freeing of its output.
    group.bench_function("replace_cast_insert", |b| {
        b.iter_batched(
            &mut next_batch,
            |batch| transform(&chain, batch),
            BatchSize::SmallInput,
        )
    });
    // The same, with the transformed records freed inside the timed part.
    group.bench_function("replace_cast_insert_incl_drop", |b| {
        b.iter_batched(
            &mut next_batch,
            |batch| drop(transform(&chain, batch)),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
