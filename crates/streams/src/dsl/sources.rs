//! Where DSL topologies start: `stream`, `table` and `globalTable`.

use std::marker::PhantomData;

use super::kstream::KStream;
use super::ktable::{once, Getter, GlobalKTable, KTable, TableSource};
use super::options::{Consumed, Materialized};
use super::{BuilderInner, StreamsBuilder};
use crate::processor::{node_factory, Processor};
use crate::serde::SerdeSpec;
use crate::state::{KeyValueBytesStoreSupplier, StoreBuilder};
use crate::topology::GlobalStoreDef;

fn store_builder<K: 'static, V: 'static>(
    name: &str,
    m: &Materialized<K, V>,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
) -> StoreBuilder<K, V> {
    let mut b = StoreBuilder::with_specs(
        KeyValueBytesStoreSupplier {
            name: name.to_string(),
            kind: m.kind,
        },
        keys,
        values,
    );
    b = if m.logging {
        b.with_logging_enabled(m.log_config.clone())
    } else {
        b.with_logging_disabled()
    };
    if m.caching {
        b = b.with_caching_enabled();
    }
    b
}

fn table_source_factory<K: Clone + 'static, V: Clone + 'static>(
    name: &str,
    store: &str,
) -> crate::processor::NodeFactory {
    let store = store.to_string();
    node_factory(name, move || {
        Box::new(TableSource::<K, V> {
            store_name: store.clone(),
            store: None,
        }) as Box<dyn Processor<K, V, K, super::Change<V>>>
    })
}

/// What `table` and `globalTable` both add: a source of `topic` and a `KTABLE-SOURCE` node
/// feeding the store, named as Kafka names them (store first, then the two nodes, each using
/// an index even when `Consumed` names them).
struct TableNodes<K, V> {
    store: String,
    source: String,
    name: String,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
}

fn add_table_source<K: Clone + 'static, V: Clone + 'static>(
    b: &mut BuilderInner,
    topic: &str,
    consumed: &Consumed<K, V>,
    materialized: &Materialized<K, V>,
) -> TableNodes<K, V> {
    let store = match &materialized.name {
        Some(n) => n.clone(),
        None => b.store_name(&format!("{topic}-")),
    };
    let generated_source = b.processor_name("KSTREAM-SOURCE-");
    let source = consumed
        .name
        .as_ref()
        .map_or(generated_source, |n| format!("{n}-source"));
    let generated_table = b.processor_name("KTABLE-SOURCE-");
    let name = consumed.name.clone().unwrap_or(generated_table);
    let keys = materialized
        .keys
        .clone()
        .map_or_else(|| consumed.key_spec(), SerdeSpec::Given);
    let values = materialized
        .values
        .clone()
        .map_or_else(|| consumed.value_spec(), SerdeSpec::Given);
    if let Err(e) = b
        .topology
        .add_source_specs(&source, &[topic], keys.clone(), values.clone())
    {
        b.fail(e);
    }
    b.add_node(
        &name,
        table_source_factory::<K, V>(&name, &store),
        &[&source],
    );
    TableNodes {
        store,
        source,
        name,
        keys,
        values,
    }
}

impl StreamsBuilder {
    /// A stream of `topic`, with the default serdes (`KSTREAM-SOURCE-`).
    pub fn stream<K: Clone + 'static, V: Clone + 'static>(&self, topic: &str) -> KStream<K, V> {
        self.stream_with(&[topic], Consumed::default())
    }

    /// A stream of one or more topics (`stream(topics, Consumed)`).
    pub fn stream_with<K: Clone + 'static, V: Clone + 'static>(
        &self,
        topics: &[&str],
        consumed: Consumed<K, V>,
    ) -> KStream<K, V> {
        let mut b = self.inner.borrow_mut();
        let name = b.name_or(consumed.name.as_deref(), "KSTREAM-SOURCE-");
        let (keys, values) = (consumed.key_spec(), consumed.value_spec());
        if let Err(e) = b
            .topology
            .add_source_specs(&name, topics, keys.clone(), values.clone())
        {
            b.fail(e);
        }
        drop(b);
        KStream::new(self.inner.clone(), name, keys, values, false)
    }

    /// A table of `topic` (`table`): store `<topic>-STATE-STORE-…`, materialized when a join
    /// or a `Materialized` name needs it.
    pub fn table<K: Clone + 'static, V: Clone + 'static>(&self, topic: &str) -> KTable<K, V> {
        self.table_with(topic, Consumed::default(), Materialized::default())
    }

    /// `table(topic, Consumed, Materialized)`.
    pub fn table_with<K: Clone + 'static, V: Clone + 'static>(
        &self,
        topic: &str,
        consumed: Consumed<K, V>,
        materialized: Materialized<K, V>,
    ) -> KTable<K, V> {
        let mut b = self.inner.borrow_mut();
        let TableNodes {
            store,
            name,
            keys,
            values,
            ..
        } = add_table_source(&mut b, topic, &consumed, &materialized);
        let builder = store_builder(&store, &materialized, keys.clone(), values.clone());
        let (store_name, node) = (store.clone(), name.clone());
        let pending = std::cell::RefCell::new(Some(builder));
        let old_values = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&old_values);
        let materialize = once(move |b: &mut BuilderInner| {
            flag.store(true, std::sync::atomic::Ordering::Relaxed);
            if let Some(builder) = pending.borrow_mut().take() {
                if let Err(e) = b.topology.add_state_store(builder, &[&node]) {
                    b.fail(e);
                }
            }
        });
        if materialized.name.is_some() {
            materialize(&mut b);
        }
        drop(b);
        KTable {
            b: self.inner.clone(),
            name,
            keys,
            values,
            getter: Getter::of_store(&store_name),
            materialize: Some(materialize),
            old_values,
            next_name: None,
            _types: PhantomData,
        }
    }

    /// A global table of `topic` (`globalTable`): every instance reads all its partitions into
    /// a store with no changelog.
    pub fn global_table<K: Clone + 'static, V: Clone + 'static>(
        &self,
        topic: &str,
    ) -> GlobalKTable<K, V> {
        self.global_table_with(topic, Consumed::default(), Materialized::default())
    }

    /// `globalTable(topic, Consumed, Materialized)`.
    pub fn global_table_with<K: Clone + 'static, V: Clone + 'static>(
        &self,
        topic: &str,
        consumed: Consumed<K, V>,
        materialized: Materialized<K, V>,
    ) -> GlobalKTable<K, V> {
        let mut b = self.inner.borrow_mut();
        let TableNodes {
            store,
            source,
            name,
            keys,
            values,
        } = add_table_source(&mut b, topic, &consumed, &materialized);
        // global stores have no changelog: the topic is the log
        let builder = store_builder(&store, &materialized, keys, values)
            .with_logging_disabled()
            .with_caching_disabled();
        if let Err(e) = b.topology.add_state_store(builder, &[&name]) {
            b.fail(e);
        }
        let (s, p) = (b.topology.node(&source), b.topology.node(&name));
        if let (Some(source), Some(processor)) = (s, p) {
            b.topology.globals.push(GlobalStoreDef {
                store: store.clone(),
                topic: topic.to_string(),
                source,
                processor,
            });
        }
        GlobalKTable {
            store,
            _types: PhantomData,
        }
    }
}
