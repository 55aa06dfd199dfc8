//! The benchmark record's JsonConverter bytes must be identical to Apache Kafka 3.9's:
//! shared/bench/README.md gives the length and sha256 of all 10,000 outputs concatenated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/bench_record.rs"]
mod bench_record;

use std::collections::BTreeMap;

use connect_api::{Converter, Headers};
use connect_converters::JsonConverter;
use sha2::{Digest, Sha256};

fn check(schemas_enable: &str, want_len: usize, want_sha: &str) {
    let config = BTreeMap::from([("schemas.enable".to_string(), schemas_enable.to_string())]);
    let conv = JsonConverter::new(&config, false).unwrap();
    let schema = bench_record::schema();
    let mut headers = Headers::new();
    let mut all = Vec::new();
    for (i, v) in bench_record::values(&schema).iter().enumerate() {
        let bytes = conv
            .from_connect_data("bench-topic", &mut headers, Some(&schema), v)
            .unwrap()
            .unwrap();
        if schemas_enable == "true" {
            // every record also decodes back to the value it came from
            let back = conv
                .to_connect_data("bench-topic", &headers, Some(&bytes))
                .unwrap();
            assert_eq!(back.schema.as_ref(), Some(&schema), "record {i}");
            assert_eq!(&back.value, v, "record {i}");
        }
        all.extend_from_slice(&bytes);
    }
    assert_eq!(
        all.len(),
        want_len,
        "total bytes, schemas.enable={schemas_enable}"
    );
    let sha = Sha256::digest(&all);
    let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, want_sha, "sha256, schemas.enable={schemas_enable}");
}

#[test]
fn schemas_enabled_bytes_match_kafka() {
    check(
        "true",
        9_714_315,
        "53f9af4b38482492346bf722c7b34e6612bf94ba01982854494a6d9755c499c6",
    );
}

#[test]
fn schemaless_bytes_match_kafka() {
    check(
        "false",
        1_944_315,
        "97c655df655ee278cf8c2e7a56914501e55addb068b6c34a455dd1123b7192b8",
    );
}

#[test]
fn first_record_text_matches_sample() {
    let config = BTreeMap::from([("schemas.enable".to_string(), "false".to_string())]);
    let conv = JsonConverter::new(&config, false).unwrap();
    let schema = bench_record::schema();
    let bytes = conv
        .from_connect_data(
            "t",
            &mut Headers::new(),
            Some(&schema),
            &bench_record::value(&schema, 1),
        )
        .unwrap()
        .unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        r#"{"id":1000000000001,"qty":7,"price":"AIk=","name":"customer-name-000001","city":"city-00001","active":false,"score":0.5625,"created":1700000001000,"note":null,"tags":["tag-1","tag-1","tag-1"]}"#
    );
}
