//! Topic creation for source connectors (KIP-158 `topic.creation.*`).

use std::collections::BTreeMap;
use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::error::RDKafkaErrorCode;

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::{to_connect, KafkaConfigError};

/// A topic to create: `-1` partitions or replication factor means the broker's default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSpec {
    /// The topic.
    pub name: String,
    /// Partitions, or -1.
    pub partitions: i32,
    /// Replication factor, or -1.
    pub replication_factor: i32,
    /// Topic configs (`cleanup.policy`, …).
    pub configs: BTreeMap<String, String>,
}

/// An admin client.
pub struct Admin {
    inner: AdminClient<DefaultClientContext>,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Admin")
    }
}

impl Admin {
    /// An admin client from Java-keyed settings.
    pub fn new(settings: &Settings) -> Result<Self, KafkaConfigError> {
        let config = to_rdkafka(settings)?;
        Ok(Admin {
            inner: create_checked(&config, |c| c.create())?,
        })
    }

    /// Creates `topic`; `Ok(false)` when it exists already. A retriable error when the broker
    /// could not be reached in time.
    pub async fn create_topic(&self, topic: &TopicSpec) -> Result<bool, ConnectError> {
        let replication = TopicReplication::Fixed(topic.replication_factor);
        let mut new = NewTopic::new(&topic.name, topic.partitions, replication);
        for (k, v) in &topic.configs {
            new = new.set(k, v);
        }
        let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
        let results = self
            .inner
            .create_topics([&new], &options)
            .await
            .map_err(|e| to_connect(&format!("Could not create topic {}", topic.name), &e))?;
        match results.into_iter().next() {
            Some(Ok(_)) => Ok(true),
            Some(Err((_, RDKafkaErrorCode::TopicAlreadyExists))) | None => Ok(false),
            Some(Err((name, code))) => {
                let e = rdkafka::error::KafkaError::AdminOp(code);
                Err(to_connect(&format!("Could not create topic {name}"), &e))
            }
        }
    }
}

impl Admin {
    /// Whether `topic` exists, from the cluster's metadata (blocking, up to `timeout`). A
    /// retriable error when the brokers could not be asked.
    pub fn topic_exists(&self, topic: &str, timeout: Duration) -> Result<bool, ConnectError> {
        let metadata = self
            .inner
            .inner()
            .fetch_metadata(Some(topic), timeout)
            .map_err(|e| to_connect(&format!("Could not read the metadata of {topic}"), &e))?;
        Ok(metadata
            .topics()
            .iter()
            .any(|t| t.name() == topic && t.error().is_none() && !t.partitions().is_empty()))
    }

    /// The Kafka cluster id (`GET /` shows it as `kafka_cluster_id`), or `None` when the
    /// broker could not be reached within `timeout`.
    pub fn cluster_id(&self, timeout: Duration) -> Option<String> {
        self.inner.inner().fetch_cluster_id(timeout)
    }
}
