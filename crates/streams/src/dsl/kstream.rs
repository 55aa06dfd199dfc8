//! `KStream`: a record stream and its operators.

use std::marker::PhantomData;
use std::sync::Arc;

use super::branch::BranchedKStream;
use super::grouped::KGroupedStream;
use super::options::{key_spec, Grouped, Produced, Repartitioned};
use super::repartition::repartitioned_source;
use super::{dropped, stateless, Shared};
use crate::processor::{node_factory, ProcessorSupplier};
use crate::record::RecordMetadata;
use crate::serde::SerdeSpec;
use crate::topology::SinkTarget;

/// A stream of records (Kafka's `KStream`). Operators add nodes to the builder's topology and
/// return new streams; the stream itself is a cheap handle.
pub struct KStream<K, V> {
    pub(crate) b: Shared,
    pub(crate) name: String,
    pub(crate) keys: SerdeSpec<K>,
    pub(crate) values: SerdeSpec<V>,
    /// A key-changing operator is upstream: stateful operators repartition first.
    pub(crate) repartition_required: bool,
    /// The name the next operator's node gets (Kafka's `Named` argument).
    pub(crate) next_name: Option<String>,
    pub(crate) _types: PhantomData<fn(K, V)>,
}

impl<K, V> Clone for KStream<K, V> {
    fn clone(&self) -> Self {
        KStream {
            b: self.b.clone(),
            name: self.name.clone(),
            keys: self.keys.clone(),
            values: self.values.clone(),
            repartition_required: self.repartition_required,
            next_name: self.next_name.clone(),
            _types: PhantomData,
        }
    }
}

impl<K: Clone + 'static, V: Clone + 'static> KStream<K, V> {
    pub(crate) fn new(
        b: Shared,
        name: String,
        keys: SerdeSpec<K>,
        values: SerdeSpec<V>,
        repartition_required: bool,
    ) -> Self {
        KStream {
            b,
            name,
            keys,
            values,
            repartition_required,
            next_name: None,
            _types: PhantomData,
        }
    }

    /// The name of the node this stream comes out of.
    pub fn node_name(&self) -> &str {
        &self.name
    }

    /// Names the node the next operator creates (Kafka's `Named.as(name)` argument).
    pub fn named(&self, name: &str) -> KStream<K, V> {
        let mut s = self.clone();
        s.next_name = Some(name.to_string());
        s
    }

    fn node_name_for(&self, prefix: &str) -> String {
        self.b
            .borrow_mut()
            .name_or(self.next_name.as_deref(), prefix)
    }

    fn child<K2: Clone + 'static, V2: Clone + 'static>(
        &self,
        name: String,
        keys: SerdeSpec<K2>,
        values: SerdeSpec<V2>,
        repartition_required: bool,
    ) -> KStream<K2, V2> {
        KStream::new(self.b.clone(), name, keys, values, repartition_required)
    }

    /// Keeps the records `predicate` accepts (`KSTREAM-FILTER-`).
    pub fn filter(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
    ) -> KStream<K, V> {
        self.filter_impl(predicate, false)
    }

    /// Keeps the records `predicate` rejects (`KSTREAM-FILTER-`).
    pub fn filter_not(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
    ) -> KStream<K, V> {
        self.filter_impl(predicate, true)
    }

    fn filter_impl(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
        not: bool,
    ) -> KStream<K, V> {
        let name = self.node_name_for("KSTREAM-FILTER-");
        let f = stateless::<K, V, K, V>(&name, move |r, ctx| {
            match &r.value {
                Some(v) if predicate(r.key.as_ref(), v) != not => ctx.forward(r),
                Some(_) => {}
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            self.keys.clone(),
            self.values.clone(),
            self.repartition_required,
        )
    }

    /// Gives each record a new key and value (`KSTREAM-MAP-`); stateful operators downstream
    /// repartition.
    pub fn map<K2: Clone + 'static, V2: Clone + 'static>(
        &self,
        mapper: impl Fn(Option<&K>, &V) -> (K2, V2) + Send + Sync + 'static,
    ) -> KStream<K2, V2> {
        let name = self.node_name_for("KSTREAM-MAP-");
        let f = stateless::<K, V, K2, V2>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    let (k2, v2) = mapper(r.key.as_ref(), v);
                    ctx.forward(r.with_key(Some(k2)).with_value(Some(v2)));
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            SerdeSpec::default_key(),
            SerdeSpec::default_value(),
            true,
        )
    }

    /// Gives each record a new value (`KSTREAM-MAPVALUES-`).
    pub fn map_values<V2: Clone + 'static>(
        &self,
        mapper: impl Fn(&V) -> V2 + Send + Sync + 'static,
    ) -> KStream<K, V2> {
        self.map_values_with_key(move |_, v| mapper(v))
    }

    /// Gives each record a new value computed from its key and value (`KSTREAM-MAPVALUES-`).
    pub fn map_values_with_key<V2: Clone + 'static>(
        &self,
        mapper: impl Fn(Option<&K>, &V) -> V2 + Send + Sync + 'static,
    ) -> KStream<K, V2> {
        let name = self.node_name_for("KSTREAM-MAPVALUES-");
        let f = stateless::<K, V, K, V2>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    let v2 = mapper(r.key.as_ref(), v);
                    ctx.forward(r.with_value(Some(v2)));
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            self.keys.clone(),
            SerdeSpec::default_value(),
            self.repartition_required,
        )
    }

    /// Turns each record into zero or more records with new keys (`KSTREAM-FLATMAP-`).
    pub fn flat_map<K2: Clone + 'static, V2: Clone + 'static, I>(
        &self,
        mapper: impl Fn(Option<&K>, &V) -> I + Send + Sync + 'static,
    ) -> KStream<K2, V2>
    where
        I: IntoIterator<Item = (K2, V2)>,
    {
        let name = self.node_name_for("KSTREAM-FLATMAP-");
        let f = stateless::<K, V, K2, V2>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    for (k2, v2) in mapper(r.key.as_ref(), v) {
                        ctx.forward(crate::record::Record {
                            key: Some(k2),
                            value: Some(v2),
                            timestamp: r.timestamp,
                            headers: r.headers.clone(),
                        });
                    }
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            SerdeSpec::default_key(),
            SerdeSpec::default_value(),
            true,
        )
    }

    /// Turns each value into zero or more values, keeping the key (`KSTREAM-FLATMAPVALUES-`).
    pub fn flat_map_values<V2: Clone + 'static, I>(
        &self,
        mapper: impl Fn(&V) -> I + Send + Sync + 'static,
    ) -> KStream<K, V2>
    where
        I: IntoIterator<Item = V2>,
    {
        let name = self.node_name_for("KSTREAM-FLATMAPVALUES-");
        let f = stateless::<K, V, K, V2>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    for v2 in mapper(v) {
                        ctx.forward(crate::record::Record {
                            key: r.key.clone(),
                            value: Some(v2),
                            timestamp: r.timestamp,
                            headers: r.headers.clone(),
                        });
                    }
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            self.keys.clone(),
            SerdeSpec::default_value(),
            self.repartition_required,
        )
    }

    /// Gives each record a new key (`KSTREAM-KEY-SELECT-`).
    pub fn select_key<K2: Clone + 'static>(
        &self,
        mapper: impl Fn(Option<&K>, &V) -> K2 + Send + Sync + 'static,
    ) -> KStream<K2, V> {
        let name = self.node_name_for("KSTREAM-KEY-SELECT-");
        self.add_key_select(&name, mapper);
        self.child(name, SerdeSpec::default_key(), self.values.clone(), true)
    }

    pub(crate) fn add_key_select<K2: Clone + 'static>(
        &self,
        name: &str,
        mapper: impl Fn(Option<&K>, &V) -> K2 + Send + Sync + 'static,
    ) {
        let f = stateless::<K, V, K2, V>(name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    let k2 = mapper(r.key.as_ref(), v);
                    ctx.forward(r.with_key(Some(k2)));
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(name, f, &[&self.name]);
    }

    /// Calls `action` for each record and passes it on (`KSTREAM-PEEK-`).
    pub fn peek(&self, action: impl Fn(Option<&K>, &V) + Send + Sync + 'static) -> KStream<K, V> {
        let name = self.node_name_for("KSTREAM-PEEK-");
        let f = stateless::<K, V, K, V>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => {
                    action(r.key.as_ref(), v);
                    ctx.forward(r);
                }
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        self.child(
            name,
            self.keys.clone(),
            self.values.clone(),
            self.repartition_required,
        )
    }

    /// Calls `action` for each record; the end of this branch (`KSTREAM-FOREACH-`).
    pub fn foreach(&self, action: impl Fn(Option<&K>, &V) + Send + Sync + 'static) {
        let name = self.node_name_for("KSTREAM-FOREACH-");
        let f = stateless::<K, V, K, V>(&name, move |r, ctx| {
            match &r.value {
                Some(v) => action(r.key.as_ref(), v),
                None => dropped(ctx, "null value"),
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
    }

    /// Both streams as one (`KSTREAM-MERGE-`); each input's order is kept.
    pub fn merge(&self, other: &KStream<K, V>) -> KStream<K, V> {
        let name = self.node_name_for("KSTREAM-MERGE-");
        let f = stateless::<K, V, K, V>(&name, |r, ctx| {
            ctx.forward(r);
            Ok(())
        });
        self.b
            .borrow_mut()
            .add_node(&name, f, &[&self.name, &other.name]);
        self.child(
            name,
            self.keys.clone(),
            self.values.clone(),
            self.repartition_required || other.repartition_required,
        )
    }

    /// Splits the stream by predicates (`split()`).
    pub fn split(&self) -> BranchedKStream<K, V> {
        let name = self.node_name_for("KSTREAM-BRANCH-");
        BranchedKStream::new(self.clone(), name)
    }

    /// Writes the stream to `topic` with the default serdes (`KSTREAM-SINK-`).
    pub fn to(&self, topic: &str) {
        self.to_with(topic, Produced::default());
    }

    /// Writes the stream to `topic` (`KSTREAM-SINK-`).
    pub fn to_with(&self, topic: &str, produced: Produced<K, V>) {
        self.sink(SinkTarget::Topic(topic.to_string()), produced);
    }

    /// Writes each record to the topic `extractor` names for it (`to(TopicNameExtractor)`).
    pub fn to_extractor(
        &self,
        extractor: impl Fn(Option<&K>, Option<&V>, Option<&RecordMetadata>) -> String
            + Send
            + Sync
            + 'static,
        produced: Produced<K, V>,
    ) {
        self.sink(SinkTarget::Extractor(Arc::new(extractor)), produced);
    }

    fn sink(&self, target: SinkTarget<K, V>, produced: Produced<K, V>) {
        let given = produced.name.clone().or_else(|| self.next_name.clone());
        let name = self
            .b
            .borrow_mut()
            .name_or(given.as_deref(), "KSTREAM-SINK-");
        let keys = key_spec(&produced.keys, &self.keys);
        let values = key_spec(&produced.values, &self.values);
        let mut b = self.b.borrow_mut();
        if let Err(e) = b
            .topology
            .add_sink_specs(&name, target, keys, values, &[&self.name])
        {
            b.fail(e);
        }
    }

    /// Sends the stream through a repartition topic, partitioned by its current key.
    pub fn repartition(&self) -> KStream<K, V> {
        self.repartition_with(Repartitioned::default())
    }

    /// `repartition(Repartitioned)`.
    pub fn repartition_with(&self, options: Repartitioned<K, V>) -> KStream<K, V> {
        let keys = key_spec(&options.keys, &self.keys);
        let values = key_spec(&options.values, &self.values);
        let mut b = self.b.borrow_mut();
        let prefix = match &options.name {
            Some(n) => n.clone(),
            None => b.processor_name("KSTREAM-REPARTITION-"),
        };
        let source = repartitioned_source(
            &mut b,
            &self.name,
            &prefix,
            keys.clone(),
            values.clone(),
            options.partitions,
        );
        drop(b);
        self.child(source, keys, values, false)
    }

    /// Runs a Processor API processor on the stream (`process`, `KSTREAM-PROCESSOR-`),
    /// connected to `stores`.
    pub fn process<K2: Clone + 'static, V2: Clone + 'static>(
        &self,
        supplier: impl ProcessorSupplier<K, V, K2, V2> + 'static,
        stores: &[&str],
    ) -> KStream<K2, V2> {
        let name = match &self.next_name {
            Some(n) => n.clone(),
            None => self.b.borrow_mut().processor_name("KSTREAM-PROCESSOR-"),
        };
        let mut b = self.b.borrow_mut();
        b.add_node(&name, node_factory(&name, supplier), &[&self.name]);
        if !stores.is_empty() {
            if let Err(e) = b.topology.connect_processor_and_state_stores(&name, stores) {
                b.fail(e);
            }
        }
        drop(b);
        self.child(
            name,
            SerdeSpec::default_key(),
            SerdeSpec::default_value(),
            true,
        )
    }

    /// Groups by a new key (`groupBy`): always through a repartition topic.
    pub fn group_by<K2: Clone + 'static>(
        &self,
        selector: impl Fn(Option<&K>, &V) -> K2 + Send + Sync + 'static,
    ) -> KGroupedStream<K2, V> {
        self.group_by_with(selector, Grouped::default())
    }

    /// `groupBy(selector, Grouped)`.
    pub fn group_by_with<K2: Clone + 'static>(
        &self,
        selector: impl Fn(Option<&K>, &V) -> K2 + Send + Sync + 'static,
        grouped: Grouped<K2, V>,
    ) -> KGroupedStream<K2, V> {
        let name = self
            .b
            .borrow_mut()
            .name_or(grouped.name.as_deref(), "KSTREAM-KEY-SELECT-");
        self.add_key_select(&name, selector);
        let keys = grouped
            .keys
            .clone()
            .map_or_else(SerdeSpec::default_key, SerdeSpec::Given);
        let values = key_spec(&grouped.values, &self.values);
        KGroupedStream::new(self.b.clone(), name, keys, values, true, grouped.name)
    }

    /// Groups by the current key (`groupByKey`); repartitions only after a key change.
    pub fn group_by_key(&self) -> KGroupedStream<K, V> {
        self.group_by_key_with(Grouped::default())
    }

    /// `groupByKey(Grouped)`.
    pub fn group_by_key_with(&self, grouped: Grouped<K, V>) -> KGroupedStream<K, V> {
        let keys = key_spec(&grouped.keys, &self.keys);
        let values = key_spec(&grouped.values, &self.values);
        KGroupedStream::new(
            self.b.clone(),
            self.name.clone(),
            keys,
            values,
            self.repartition_required,
            grouped.name,
        )
    }
}
