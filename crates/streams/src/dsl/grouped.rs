//! `KGroupedStream`: a stream grouped by key, and its aggregations (`count`, `reduce`,
//! `aggregate`) into tables backed by a store and its changelog.

use std::marker::PhantomData;
use std::sync::Arc;

use super::ktable::{table_store, Change, Getter, KTable};
use super::options::{key_spec, Materialized};
use super::repartition::repartitioned_source;
use super::{dropped, Shared};
use crate::error::Result;
use crate::processor::{node_factory, Processor, ProcessorContext};
use crate::record::Record;
use crate::serde::{LongSerde, SerdeSpec};
use crate::state::{KeyValueBytesStoreSupplier, KeyValueStore, StoreBuilder};

/// A grouped stream (Kafka's `KGroupedStream`).
pub struct KGroupedStream<K, V> {
    b: Shared,
    /// The node the grouped records come out of.
    parent: String,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
    repartition_required: bool,
    /// `Grouped.as` name: the repartition topic's prefix.
    grouped_name: Option<String>,
    _types: PhantomData<fn(K, V)>,
}

type Step<K, V, VA> = Arc<dyn Fn(&K, &V, Option<VA>) -> VA + Send + Sync>;

/// Kafka's `KStreamAggregate` / `KStreamReduce`.
struct Aggregate<K, V, VA> {
    store_name: String,
    step: Step<K, V, VA>,
    store: Option<KeyValueStore<K, VA>>,
}

impl<K: Clone + 'static, V: Clone + 'static, VA: Clone + 'static> Processor<K, V, K, Change<VA>>
    for Aggregate<K, V, VA>
{
    fn init(&mut self, ctx: &mut ProcessorContext<'_, '_, K, Change<VA>>) -> Result<()> {
        self.store = Some(table_store(ctx, &self.store_name)?);
        Ok(())
    }

    fn process(
        &mut self,
        r: Record<K, V>,
        ctx: &mut ProcessorContext<'_, '_, K, Change<VA>>,
    ) -> Result<()> {
        let (Some(key), Some(value)) = (&r.key, &r.value) else {
            dropped(ctx, "null key or value");
            return Ok(());
        };
        let Some(store) = &self.store else {
            return Ok(());
        };
        let (old, timestamp) = match store.get_with_timestamp(key)? {
            Some((old, ts)) => (Some(old), ts.max(r.timestamp)),
            None => (None, r.timestamp),
        };
        let new = (self.step)(key, value, old.clone());
        store.put_with_timestamp(key, Some(&new), timestamp)?;
        if !store.is_cached() {
            ctx.forward(Record {
                key: r.key,
                value: Some(Change {
                    new_value: Some(new),
                    old_value: old,
                }),
                timestamp,
                headers: r.headers,
            });
        }
        Ok(())
    }
}

impl<K: Clone + 'static, V: Clone + 'static> KGroupedStream<K, V> {
    pub(crate) fn new(
        b: Shared,
        parent: String,
        keys: SerdeSpec<K>,
        values: SerdeSpec<V>,
        repartition_required: bool,
        grouped_name: Option<String>,
    ) -> Self {
        KGroupedStream {
            b,
            parent,
            keys,
            values,
            repartition_required,
            grouped_name,
            _types: PhantomData,
        }
    }

    /// Counts records per key (`count()`): a `KTable<K, i64>` in store
    /// `KSTREAM-AGGREGATE-STATE-STORE-…`.
    pub fn count(&self) -> KTable<K, i64> {
        self.count_impl(Materialized::default(), false)
    }

    /// `count(Materialized)`.
    pub fn count_with(&self, materialized: Materialized<K, i64>) -> KTable<K, i64> {
        self.count_impl(materialized, true)
    }

    fn count_impl(&self, mut materialized: Materialized<K, i64>, burn: bool) -> KTable<K, i64> {
        if burn && materialized.name.is_none() {
            // Kafka used to allocate a name here and still uses the index
            self.b.borrow_mut().store_name("KSTREAM-AGGREGATE-");
        }
        if materialized.values.is_none() {
            materialized.values = Some(Arc::new(LongSerde));
        }
        self.build(
            "KSTREAM-AGGREGATE-",
            materialized,
            Arc::new(|_: &K, _: &V, old: Option<i64>| old.unwrap_or(0) + 1),
        )
    }

    /// Combines the values of each key (`reduce`): the first value as it is, then
    /// `reducer(aggregate, value)`.
    pub fn reduce(&self, reducer: impl Fn(&V, &V) -> V + Send + Sync + 'static) -> KTable<K, V> {
        self.reduce_with(reducer, Materialized::default())
    }

    /// `reduce(reducer, Materialized)`.
    pub fn reduce_with(
        &self,
        reducer: impl Fn(&V, &V) -> V + Send + Sync + 'static,
        mut materialized: Materialized<K, V>,
    ) -> KTable<K, V> {
        if materialized.values.is_none() {
            if let SerdeSpec::Given(s) = &self.values {
                materialized.values = Some(s.clone());
            }
        }
        let step: Step<K, V, V> = Arc::new(move |_, v, old| match old {
            None => v.clone(),
            Some(agg) => reducer(&agg, v),
        });
        self.build("KSTREAM-REDUCE-", materialized, step)
    }

    /// Aggregates the values of each key (`aggregate`): `initializer()` for a new key, then
    /// `aggregator(key, value, aggregate)`.
    pub fn aggregate<VA: Clone + 'static>(
        &self,
        initializer: impl Fn() -> VA + Send + Sync + 'static,
        aggregator: impl Fn(&K, &V, VA) -> VA + Send + Sync + 'static,
        materialized: Materialized<K, VA>,
    ) -> KTable<K, VA> {
        let step: Step<K, V, VA> =
            Arc::new(move |k, v, old| aggregator(k, v, old.unwrap_or_else(&initializer)));
        self.build("KSTREAM-AGGREGATE-", materialized, step)
    }

    fn build<VA: Clone + 'static>(
        &self,
        prefix: &str,
        materialized: Materialized<K, VA>,
        step: Step<K, V, VA>,
    ) -> KTable<K, VA> {
        let mut b = self.b.borrow_mut();
        let store = match &materialized.name {
            Some(n) => n.clone(),
            None => b.store_name(prefix),
        };
        let name = b.processor_name(prefix);
        let mut parent = self.parent.clone();
        if self.repartition_required {
            let topic_prefix = self.grouped_name.clone().unwrap_or_else(|| store.clone());
            parent = repartitioned_source(
                &mut b,
                &parent,
                &topic_prefix,
                self.keys.clone(),
                self.values.clone(),
                None,
            );
        }
        let keys = key_spec(&materialized.keys, &self.keys);
        let values = materialized
            .values
            .clone()
            .map_or_else(SerdeSpec::default_value, SerdeSpec::Given);
        let store_name = store.clone();
        let supplier = move || {
            Box::new(Aggregate {
                store_name: store_name.clone(),
                step: Arc::clone(&step),
                store: None,
            }) as Box<dyn Processor<K, V, K, Change<VA>>>
        };
        b.add_node(&name, node_factory(&name, supplier), &[&parent]);
        let mut builder = StoreBuilder::with_specs(
            KeyValueBytesStoreSupplier {
                name: store.clone(),
                kind: materialized.kind,
            },
            keys.clone(),
            values.clone(),
        );
        builder = if materialized.logging {
            builder.with_logging_enabled(materialized.log_config.clone())
        } else {
            builder.with_logging_disabled()
        };
        if materialized.caching {
            builder = builder.with_caching_enabled();
        }
        if let Err(e) = b.topology.add_state_store(builder, &[&name]) {
            b.fail(e);
        }
        drop(b);
        KTable {
            b: self.b.clone(),
            name,
            keys,
            values,
            getter: Getter::of_store(&store),
            materialize: None,
            old_values: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
            next_name: None,
            _types: PhantomData,
        }
    }
}
