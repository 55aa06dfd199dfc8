//! Reading topics back in end-to-end tests.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kafka::config::{task_client_settings, ClientRole};
use kafka::consumer::{ConsumerEvent, SinkConsumer, Subscription};
use kafka::record::RawRecord;

use super::worker::unique;

/// Reads `topic` from the beginning until `n` records arrived (or 4 minutes passed).
pub async fn read_topic(bootstrap: &str, topic: &str, n: usize) -> Vec<RawRecord> {
    let worker_cfg: BTreeMap<String, String> =
        [("bootstrap.servers".to_string(), bootstrap.to_string())].into();
    let settings = task_client_settings(
        ClientRole::Consumer,
        &worker_cfg,
        &BTreeMap::new(),
        &unique("dlq-reader"),
        0,
    )
    .unwrap();
    let mut consumer = SinkConsumer::start(
        &settings,
        Subscription::Topics(vec![topic.to_string()]),
        100,
    )
    .unwrap();
    let mut records: Vec<RawRecord> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(240);
    while records.len() < n && Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_secs(2), consumer.next()).await {
            Ok(Some(ConsumerEvent::Records(b))) => records.extend(b),
            Ok(Some(ConsumerEvent::Revoked(_, reply))) => {
                let _ = reply.send(BTreeMap::new());
            }
            _ => {}
        }
    }
    consumer.shutdown().await;
    records
}

/// The text of header `k` of `r`.
pub fn header(r: &RawRecord, k: &str) -> String {
    let h = r
        .headers
        .iter()
        .find(|h| h.key == k)
        .unwrap_or_else(|| panic!("no header {k}"));
    String::from_utf8(h.value.clone().unwrap()).unwrap()
}
