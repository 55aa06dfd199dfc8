//! Helpers shared by the kafka crate's broker tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeMap;

use kafka::admin::{Admin, TopicSpec};
use kafka::config::{task_client_settings, ClientRole, Settings};

pub use testkit::unique_name as unique;

/// Worker settings naming `bootstrap`.
pub fn worker(bootstrap: &str) -> Settings {
    [("bootstrap.servers".to_string(), bootstrap.to_string())].into()
}

/// Creates `topic` with `partitions` and `configs`, asserting it is new; returns the spec.
pub async fn create_topic(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    configs: BTreeMap<String, String>,
) -> (Admin, TopicSpec) {
    let admin = Admin::new(
        &task_client_settings(
            ClientRole::Admin,
            &worker(bootstrap),
            &BTreeMap::new(),
            "t",
            0,
        )
        .unwrap(),
    )
    .unwrap();
    let spec = TopicSpec {
        name: topic.to_string(),
        partitions,
        replication_factor: 1,
        configs,
    };
    assert!(admin.create_topic(&spec).await.unwrap(), "{topic} is new");
    (admin, spec)
}
