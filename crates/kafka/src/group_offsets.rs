//! A consumer group's committed offsets, read and changed from outside the group: the
//! offsets of a sink connector (`GET`/`PATCH`/`DELETE /connectors/{name}/offsets`, KIP-875).
//! Changes are meant for a group without members (the connector is stopped); the calls
//! block, so async callers run them on a blocking thread.

use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::admin::{AdminClient, AdminOptions};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::{Offset, TopicPartitionList};

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::{to_connect, KafkaConfigError};

/// One partition's committed offset (the next offset to read).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GroupOffset {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
}

/// A handle on one group's offsets (a consumer that never joins the group).
pub struct GroupOffsets {
    consumer: BaseConsumer,
    timeout: Duration,
}

impl std::fmt::Debug for GroupOffsets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupOffsets")
    }
}

impl GroupOffsets {
    /// From consumer settings naming the group (`group.id`); each call waits at most
    /// `timeout` for the broker.
    pub fn new(settings: &Settings, timeout: Duration) -> Result<Self, KafkaConfigError> {
        let config = to_rdkafka(settings)?;
        Ok(GroupOffsets {
            consumer: create_checked(&config, |c| c.create())?,
            timeout,
        })
    }

    /// The committed offsets of every partition of the topics `wanted` accepts (partitions
    /// without a committed offset are left out), sorted.
    pub fn committed(
        &self,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<GroupOffset>, ConnectError> {
        let metadata = self
            .consumer
            .fetch_metadata(None, self.timeout)
            .map_err(|e| to_connect("Could not read the cluster's topics", &e))?;
        let mut list = TopicPartitionList::new();
        for topic in metadata.topics().iter().filter(|t| wanted(t.name())) {
            for p in topic.partitions() {
                list.add_partition(topic.name(), p.id());
            }
        }
        if list.count() == 0 {
            return Ok(Vec::new());
        }
        let committed = self
            .consumer
            .committed_offsets(list, self.timeout)
            .map_err(|e| to_connect("Could not read the committed offsets", &e))?;
        let mut out: Vec<GroupOffset> = committed
            .elements()
            .iter()
            .filter_map(|e| match e.offset() {
                Offset::Offset(o) if o >= 0 => Some(GroupOffset {
                    topic: e.topic().to_string(),
                    partition: e.partition(),
                    offset: o,
                }),
                _ => None,
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// The earliest offset still in `topic`'s `partition`.
    pub fn earliest(&self, topic: &str, partition: i32) -> Result<i64, ConnectError> {
        self.consumer
            .fetch_watermarks(topic, partition, self.timeout)
            .map(|(low, _)| low)
            .map_err(|e| {
                to_connect(
                    &format!("Could not read the offsets of {topic}-{partition}"),
                    &e,
                )
            })
    }

    /// Commits `offsets` for the group.
    pub fn commit(&self, offsets: &[GroupOffset]) -> Result<(), ConnectError> {
        if offsets.is_empty() {
            return Ok(());
        }
        let mut list = TopicPartitionList::new();
        for o in offsets {
            list.add_partition_offset(&o.topic, o.partition, Offset::Offset(o.offset))
                .map_err(|e| to_connect("Invalid offset", &e))?;
        }
        self.consumer
            .commit(&list, CommitMode::Sync)
            .map_err(|e| to_connect("Could not commit the offsets", &e))
    }
}

/// Deletes consumer group `group` with its committed offsets (`Ok(false)`: it did not
/// exist). `settings` are admin client settings.
pub async fn delete_group(settings: &Settings, group: &str) -> Result<bool, ConnectError> {
    let config = to_rdkafka(settings).map_err(|e| ConnectError::other(e.to_string()))?;
    let admin: AdminClient<DefaultClientContext> =
        create_checked(&config, |c| c.create()).map_err(|e| ConnectError::other(e.to_string()))?;
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let results = admin
        .delete_groups(&[group], &options)
        .await
        .map_err(|e| to_connect(&format!("Could not delete consumer group {group}"), &e))?;
    for r in results {
        match r {
            Ok(_) => {}
            Err((_, rdkafka::types::RDKafkaErrorCode::GroupIdNotFound)) => return Ok(false),
            Err((_, code)) => {
                return Err(ConnectError::other(format!(
                    "Could not delete consumer group {group}: {code}"
                )))
            }
        }
    }
    Ok(true)
}
