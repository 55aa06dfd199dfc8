//! Requests between workers signed with the cluster's session key (KIP-507), as a Java
//! worker sends them.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine as _;
use connect_runtime::distributed::request_signing::{
    sign, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER,
};
use kafka::topic_log::TopicLog;

use super::worker::{http_with, Response};

fn settings(bootstrap: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("bootstrap.servers".to_string(), bootstrap.to_string())])
}

/// The last session key in the config topic: its base64 key and creation time.
pub fn last_session_key(bootstrap: &str, topic: &str) -> Option<(String, i64)> {
    let mut log = TopicLog::open(&settings(bootstrap), topic, Duration::from_secs(30)).unwrap();
    let records = log.read_to_end(Duration::from_secs(30)).unwrap();
    let value = records
        .iter()
        .rev()
        .find(|r| r.key.as_deref() == Some(b"session-key".as_slice()))?
        .value
        .clone()?;
    let v: serde_json::Value = serde_json::from_slice(&value).unwrap();
    Some((
        v["key"].as_str()?.to_string(),
        v["creation-timestamp"].as_i64()?,
    ))
}

/// `POST path` with `body` signed with the base64 `key`, or unsigned.
pub fn post_signed(port: u16, path: &str, body: &str, key: Option<&str>) -> Response {
    let engine = base64::engine::general_purpose::STANDARD;
    let signature = key.map(|k| {
        engine.encode(sign("HmacSHA256", &engine.decode(k).unwrap(), body.as_bytes()).unwrap())
    });
    let headers: Vec<(&str, &str)> = match &signature {
        Some(sig) => vec![
            (SIGNATURE_HEADER, sig.as_str()),
            (SIGNATURE_ALGORITHM_HEADER, "HmacSHA256"),
        ],
        None => Vec::new(),
    };
    http_with(port, "POST", path, &headers, Some(body)).unwrap()
}
