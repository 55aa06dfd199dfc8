//! End-to-end tests of the `ferry` binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

fn ferry(args: &[&str], stdin: &str) -> (i32, String, String) {
    let run = common::ferry(args, stdin);
    (run.code, run.out, run.err)
}

#[test]
fn convert_envelope_to_schemaless_json() {
    let input = r#"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amt"}],"optional":false,"name":"shop.orders.Value"},"payload":{"id":1,"amt":"AJw="}}"#;
    let (code, out, err) = ferry(
        &["convert", "--to-config", "decimal.format=NUMERIC"],
        &format!("{input}\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "{\"id\":1,\"amt\":1.56}\n");
}

#[test]
fn convert_schemaless_to_string_and_long() {
    let (code, out, err) = ferry(
        &[
            "convert",
            "--from-config",
            "schemas.enable=false",
            "--to",
            "StringConverter",
        ],
        "{\"a\":1,\"b\":[true]}\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "{a=1, b=[true]}\n");
    let (code, out, err) = ferry(
        &[
            "convert",
            "--from-config",
            "schemas.enable=false",
            "--to",
            "LongConverter",
            "--output",
            "base64",
        ],
        "42\n",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "AAAAAAAAACo=\n");
}

#[test]
fn bad_record_reports_line_and_continues() {
    let (code, out, err) = ferry(
        &["convert"],
        "{\"payload\":1}\n{\"schema\":null,\"payload\":2}\n",
    );
    assert_eq!(code, 1);
    assert_eq!(out, "2\n");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("schemas.enable"), "{err}");
}

#[test]
fn unknown_converter_is_a_clear_error() {
    let (code, _out, err) = ferry(&["convert", "--to", "com.example.Missing"], "1\n");
    assert_eq!(code, 2);
    assert!(err.contains("com.example.Missing"), "{err}");
}
