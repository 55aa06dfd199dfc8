//! Internal topics: how many partitions each sub-topology has, and creating its repartition
//! and changelog topics with Kafka Streams' configs before the threads start.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use kafka::admin::{Admin, TopicSpec};
use kafka::rdkafka::consumer::{BaseConsumer, Consumer};

use crate::config::StreamsConfig;
use crate::error::{Result, StreamsError};
use crate::topology::{NodeKind, Topology};

/// Partition counts per topic (broker names), and the internal topics to create.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub topics: BTreeMap<String, i32>,
    /// Internal topics to create: (name, partitions, configs).
    pub internal: Vec<TopicSpec>,
}

fn partitions_of(consumer: &BaseConsumer, topic: &str) -> Result<Option<i32>> {
    let md = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .map_err(|e| {
            StreamsError::kafka(
                format!("could not read the metadata of topic {topic}: {e}"),
                true,
            )
        })?;
    Ok(md
        .topics()
        .iter()
        .find(|t| t.name() == topic && t.error().is_none())
        .map(|t| t.partitions().len() as i32)
        .filter(|n| *n > 0))
}

/// Works out every partition count, as Kafka's `RepartitionTopics` and
/// `ChangelogTopics` do: a sub-topology has as many tasks as its largest source topic has
/// partitions; a repartition topic as many as the sub-topology writing it (unless given).
pub(crate) fn plan(
    topology: &Topology,
    config: &StreamsConfig,
    consumer: &BaseConsumer,
) -> Result<Plan> {
    let app = &config.application_id;
    let groups = topology.node_groups();
    let mut counts: BTreeMap<String, i32> = BTreeMap::new();
    let mut missing = Vec::new();
    let user_topics: BTreeSet<String> = groups
        .iter()
        .flat_map(|g| g.source_topics(topology))
        .filter(|t| !topology.repartition_topics.contains_key(t))
        .collect();
    for t in user_topics
        .iter()
        .chain(topology.globals.iter().map(|g| &g.topic))
    {
        match partitions_of(consumer, t)? {
            Some(n) => {
                counts.insert(t.clone(), n);
            }
            None => missing.push(t.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(StreamsError::kafka(
            format!("One or more source topics were missing during rebalance: {missing:?}; create them first"),
            false,
        ));
    }
    for (t, n) in &topology.repartition_topics {
        if let Some(n) = n {
            counts.insert(t.clone(), *n);
        }
    }
    // which group writes each repartition topic
    let mut writer: BTreeMap<&str, u32> = BTreeMap::new();
    for g in &groups {
        for &i in &g.nodes {
            if let NodeKind::Sink { topic: Some(t), .. } = &topology.nodes[i].kind {
                if topology.repartition_topics.contains_key(t) {
                    writer.insert(t.as_str(), g.id);
                }
            }
        }
    }
    let mut tasks: BTreeMap<u32, i32> = BTreeMap::new();
    for _ in 0..=groups.len() {
        for g in groups.iter().filter(|g| !g.global) {
            let known: Vec<i32> = g
                .source_topics(topology)
                .iter()
                .filter_map(|t| counts.get(t).copied())
                .collect();
            if known.len() == g.source_topics(topology).len() {
                tasks.insert(g.id, known.into_iter().max().unwrap_or(1));
            }
        }
        for (t, g) in &writer {
            if let (false, Some(n)) = (counts.contains_key(*t), tasks.get(g)) {
                counts.insert(t.to_string(), *n);
            }
        }
    }
    for g in groups.iter().filter(|g| !g.global) {
        if !tasks.contains_key(&g.id) {
            return Err(StreamsError::topology(format!(
                "could not work out the partition count of sub-topology {} (a cycle of repartition topics?)",
                g.id
            )));
        }
    }
    for set in &topology.copartition {
        let sizes: BTreeSet<i32> = set.iter().filter_map(|t| counts.get(t).copied()).collect();
        if sizes.len() > 1 {
            return Err(StreamsError::topology(format!(
                "Following topics do not have the same number of partitions: [{}]",
                set.iter()
                    .map(|t| format!("{t}({})", counts.get(t).copied().unwrap_or(-1)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let timestamp = (
        "message.timestamp.type".to_string(),
        "CreateTime".to_string(),
    );
    let mut internal = Vec::new();
    for t in topology.repartition_topics.keys() {
        let mut configs: BTreeMap<String, String> = [
            ("cleanup.policy", "delete"),
            ("segment.bytes", "52428800"),
            ("retention.ms", "-1"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        configs.insert(timestamp.0.clone(), timestamp.1.clone());
        internal.push(TopicSpec {
            name: format!("{app}-{t}"),
            partitions: counts.get(t).copied().unwrap_or(1),
            replication_factor: config.replication_factor as i32,
            configs,
        });
    }
    for g in groups.iter().filter(|g| !g.global) {
        for store in g.stores(topology) {
            let Some(spec) = topology.stores.get(&store) else {
                continue;
            };
            if !spec.logging {
                continue;
            }
            let mut configs: BTreeMap<String, String> = BTreeMap::new();
            configs.insert("cleanup.policy".into(), "compact".into());
            configs.insert(timestamp.0.clone(), timestamp.1.clone());
            configs.extend(spec.log_config.clone());
            internal.push(TopicSpec {
                name: format!("{app}-{store}-changelog"),
                partitions: tasks.get(&g.id).copied().unwrap_or(1),
                replication_factor: config.replication_factor as i32,
                configs,
            });
        }
    }
    // topics that exist already are used as they are (brokers that cannot create topics,
    // such as librdkafka's mock cluster, get them created beforehand)
    let mut to_create = Vec::new();
    for spec in internal {
        match partitions_of(consumer, &spec.name)? {
            Some(n) if n != spec.partitions => {
                return Err(StreamsError::topology(format!(
                    "Existing internal topic {} has invalid partitions: expected: {}; actual: {n}. Use 'kafka.tools.StreamsResetter' tool to clean up invalid topics before processing.",
                    spec.name, spec.partitions
                )))
            }
            Some(_) => {}
            None => to_create.push(spec),
        }
    }
    let topics = counts
        .into_iter()
        .map(|(t, n)| (topology.broker_topic(app, &t), n))
        .collect();
    Ok(Plan {
        topics,
        internal: to_create,
    })
}

/// Creates the internal topics that do not exist yet.
pub(crate) fn create(config: &StreamsConfig, plan: &Plan) -> Result<()> {
    if plan.internal.is_empty() {
        return Ok(());
    }
    let admin = Admin::new(&config.client_settings(&["admin."]))
        .map_err(|e| StreamsError::kafka(e.to_string(), false))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            StreamsError::kafka(format!("could not start the admin runtime: {e}"), false)
        })?;
    for spec in &plan.internal {
        match runtime.block_on(admin.create_topic(spec)) {
            Ok(created) => {
                if created {
                    tracing::info!(
                        "created internal topic {} with {} partitions",
                        spec.name,
                        spec.partitions
                    );
                }
            }
            Err(e) => {
                return Err(StreamsError::kafka(
                    format!("could not create internal topic {}: {e}", spec.name),
                    false,
                ));
            }
        }
    }
    Ok(())
}
