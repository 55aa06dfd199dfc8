//! Repartition topics: after a key change, a stateful operation reads its input through
//! `<application.id>-<prefix>-repartition`, so all records of a key meet in one task
//! (Kafka's `KStreamImpl.createRepartitionedSource`).

use std::sync::OnceLock;

use regex::Regex;

use super::{stateless, BuilderInner};
use crate::serde::SerdeSpec;
use crate::topology::SinkTarget;

/// Adds the filter → sink → topic → source path under `parent` and returns the source's name.
/// Names: three indexes are always used; generated names are kept when `prefix` is itself a
/// generated name, otherwise the nodes are `<topic>-sink`, `-filter` and `-source`.
pub(crate) fn repartitioned_source<K: Clone + 'static, V: Clone + 'static>(
    b: &mut BuilderInner,
    parent: &str,
    prefix: &str,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
    partitions: Option<i32>,
) -> String {
    let topic = if prefix.ends_with("-repartition") {
        prefix.to_string()
    } else {
        format!("{prefix}-repartition")
    };
    let gen_sink = b.processor_name("KSTREAM-SINK-");
    let gen_filter = b.processor_name("KSTREAM-FILTER-");
    let gen_source = b.processor_name("KSTREAM-SOURCE-");
    static GENERATED: OnceLock<Option<Regex>> = OnceLock::new();
    let generated = GENERATED
        .get_or_init(|| Regex::new(r"^KSTREAM.*-[0-9]{10}$").ok())
        .as_ref()
        .is_some_and(|r| r.is_match(prefix));
    let (sink, filter, source) = if generated {
        (gen_sink, gen_filter, gen_source)
    } else {
        (
            format!("{topic}-sink"),
            format!("{topic}-filter"),
            format!("{topic}-source"),
        )
    };
    // records without a key cannot be partitioned by key: they are dropped here rather than
    // after a trip through the topic (the aggregation or join would skip them anyway)
    let factory = stateless::<K, V, K, V>(&filter, |r, ctx| {
        if r.key.is_some() {
            ctx.forward(r);
        }
        Ok(())
    });
    b.add_node(&filter, factory, &[parent]);
    let sink_result = b.topology.add_sink_specs(
        &sink,
        SinkTarget::<K, V>::Topic(topic.clone()),
        keys.clone(),
        values.clone(),
        &[&filter],
    );
    if let Err(e) = sink_result {
        b.fail(e);
    }
    if let Err(e) = b
        .topology
        .add_source_specs(&source, &[&topic], keys, values)
    {
        b.fail(e);
    }
    b.topology.repartition_topics.insert(topic, partitions);
    source
}
