//! `KTable` and `GlobalKTable`: changelog streams, as updates `Change { new, old }` flowing
//! between table nodes, and the value getters joins read tables through.

use std::cell::RefCell;
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::kstream::KStream;
use super::{dropped, stateless, BuilderInner, Shared};
use crate::error::Result;
use crate::processor::{Processor, ProcessorContext};
use crate::record::{Erased, Record};
use crate::serde::SerdeSpec;
use crate::state::KeyValueStore;
use crate::task::TaskEnv;

/// An update of a table row: the new value (`None`: deleted) and the one it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct Change<V> {
    /// The value now.
    pub new_value: Option<V>,
    /// The value before.
    pub old_value: Option<V>,
}

/// Reads a table's current value of a key, with its timestamp.
pub(crate) type GetFn<K, V> = Rc<dyn Fn(&K) -> Result<Option<(V, i64)>>>;

/// How a downstream node reads a table: the stores it must be connected to, and how to make
/// the reader in a task.
pub(crate) struct Getter<K, V> {
    pub stores: Vec<String>,
    #[allow(clippy::type_complexity)]
    pub make: Arc<dyn Fn(&TaskEnv, usize) -> Result<GetFn<K, V>> + Send + Sync>,
}

impl<K, V> Clone for Getter<K, V> {
    fn clone(&self) -> Self {
        Getter {
            stores: self.stores.clone(),
            make: Arc::clone(&self.make),
        }
    }
}

impl<K: Clone + 'static, V: Clone + 'static> Getter<K, V> {
    /// Reads the store `name`.
    pub fn of_store(name: &str) -> Self {
        let store = name.to_string();
        Getter {
            stores: vec![store.clone()],
            make: Arc::new(move |env, node| {
                let s: KeyValueStore<K, V> = env.key_value_store(node, &store)?;
                Ok(Rc::new(move |k: &K| s.get_with_timestamp(k)) as GetFn<K, V>)
            }),
        }
    }
}

/// Materializes a source table's store the first time something needs to read it.
pub(crate) type Materializer = Rc<dyn Fn(&mut BuilderInner)>;

/// A table: the latest value per key (Kafka's `KTable`).
pub struct KTable<K, V> {
    pub(crate) b: Shared,
    pub(crate) name: String,
    pub(crate) keys: SerdeSpec<K>,
    pub(crate) values: SerdeSpec<V>,
    pub(crate) getter: Getter<K, V>,
    /// For a source table not yet materialized.
    pub(crate) materialize: Option<Materializer>,
    /// Whether updates carry the old value (the parent is materialized): a filter then drops
    /// updates that were and stay filtered out; otherwise it forwards them as deletes, as
    /// Kafka's `KTableFilter` does.
    pub(crate) old_values: Arc<AtomicBool>,
    pub(crate) next_name: Option<String>,
    pub(crate) _types: PhantomData<fn(K, V)>,
}

impl<K, V> Clone for KTable<K, V> {
    fn clone(&self) -> Self {
        KTable {
            b: self.b.clone(),
            name: self.name.clone(),
            keys: self.keys.clone(),
            values: self.values.clone(),
            getter: self.getter.clone(),
            materialize: self.materialize.clone(),
            old_values: Arc::clone(&self.old_values),
            next_name: self.next_name.clone(),
            _types: PhantomData,
        }
    }
}

impl<K: Clone + 'static, V: Clone + 'static> KTable<K, V> {
    /// The name of the node this table's updates come out of.
    pub fn node_name(&self) -> &str {
        &self.name
    }

    /// Names the node the next operator creates (Kafka's `Named` argument).
    pub fn named(&self, name: &str) -> KTable<K, V> {
        let mut t = self.clone();
        t.next_name = Some(name.to_string());
        t
    }

    /// The reader of this table's values; materializes a source table's store.
    pub(crate) fn value_getter(&self) -> Getter<K, V> {
        if let Some(m) = &self.materialize {
            m(&mut self.b.borrow_mut());
        }
        self.getter.clone()
    }

    /// Keeps the rows `predicate` accepts; a row that stops matching becomes a delete
    /// (`KTABLE-FILTER-`).
    pub fn filter(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
    ) -> KTable<K, V> {
        self.filter_impl(predicate, false)
    }

    /// Keeps the rows `predicate` rejects (`KTABLE-FILTER-`).
    pub fn filter_not(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
    ) -> KTable<K, V> {
        self.filter_impl(predicate, true)
    }

    fn filter_impl(
        &self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
        not: bool,
    ) -> KTable<K, V> {
        let name = self
            .b
            .borrow_mut()
            .name_or(self.next_name.as_deref(), "KTABLE-FILTER-");
        let predicate = Arc::new(predicate);
        let p = Arc::clone(&predicate);
        let old_values = Arc::clone(&self.old_values);
        let f = stateless::<K, Change<V>, K, Change<V>>(&name, move |r, ctx| {
            let keep = |v: Option<V>| v.filter(|v| p(r.key.as_ref(), v) != not);
            let Some(change) = r.value.clone() else {
                return Ok(());
            };
            let new_value = keep(change.new_value);
            let old_value = keep(change.old_value);
            if new_value.is_some() || old_value.is_some() || !old_values.load(Ordering::Relaxed) {
                ctx.forward(r.with_value(Some(Change {
                    new_value,
                    old_value,
                })));
            }
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        let parent = self.getter.clone();
        let materialize = self.materialize.clone();
        let getter = Getter {
            stores: parent.stores.clone(),
            make: Arc::new(move |env, node| {
                let get = (parent.make)(env, node)?;
                let p = Arc::clone(&predicate);
                Ok(
                    Rc::new(move |k: &K| Ok(get(k)?.filter(|(v, _)| p(Some(k), v) != not)))
                        as GetFn<K, V>,
                )
            }),
        };
        KTable {
            b: self.b.clone(),
            name,
            keys: self.keys.clone(),
            values: self.values.clone(),
            getter,
            materialize,
            old_values: Arc::clone(&self.old_values),
            next_name: None,
            _types: PhantomData,
        }
    }

    /// Maps each row's value (`KTABLE-MAPVALUES-`); deletes stay deletes.
    pub fn map_values<V2: Clone + 'static>(
        &self,
        mapper: impl Fn(&V) -> V2 + Send + Sync + 'static,
    ) -> KTable<K, V2> {
        let name = self
            .b
            .borrow_mut()
            .name_or(self.next_name.as_deref(), "KTABLE-MAPVALUES-");
        let mapper = Arc::new(mapper);
        let m = Arc::clone(&mapper);
        let f = stateless::<K, Change<V>, K, Change<V2>>(&name, move |r, ctx| {
            let Some(change) = &r.value else {
                return Ok(());
            };
            let mapped = Change {
                new_value: change.new_value.as_ref().map(|v| m(v)),
                old_value: change.old_value.as_ref().map(|v| m(v)),
            };
            ctx.forward(r.with_value(Some(mapped)));
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        let parent = self.getter.clone();
        let getter = Getter {
            stores: parent.stores.clone(),
            make: Arc::new(move |env, node| {
                let get = (parent.make)(env, node)?;
                let m = Arc::clone(&mapper);
                Ok(Rc::new(move |k: &K| Ok(get(k)?.map(|(v, ts)| (m(&v), ts)))) as GetFn<K, V2>)
            }),
        };
        KTable {
            b: self.b.clone(),
            name,
            keys: self.keys.clone(),
            values: SerdeSpec::default_value(),
            getter,
            materialize: self.materialize.clone(),
            old_values: Arc::clone(&self.old_values),
            next_name: None,
            _types: PhantomData,
        }
    }

    /// The table's updates as a stream of new values (deletes as null values,
    /// `KTABLE-TOSTREAM-`).
    pub fn to_stream(&self) -> KStream<K, V> {
        let name = self
            .b
            .borrow_mut()
            .name_or(self.next_name.as_deref(), "KTABLE-TOSTREAM-");
        let f = stateless::<K, Change<V>, K, V>(&name, |r, ctx| {
            let value = r.value.as_ref().and_then(|c| c.new_value.clone());
            ctx.forward(Record {
                key: r.key,
                value,
                timestamp: r.timestamp,
                headers: r.headers,
            });
            Ok(())
        });
        self.b.borrow_mut().add_node(&name, f, &[&self.name]);
        KStream::new(
            self.b.clone(),
            name,
            self.keys.clone(),
            self.values.clone(),
            false,
        )
    }
}

/// A table replicated in full to every instance (Kafka's `GlobalKTable`).
pub struct GlobalKTable<K, V> {
    pub(crate) store: String,
    pub(crate) _types: PhantomData<fn(K, V)>,
}

impl<K, V> GlobalKTable<K, V> {
    /// The name of its store.
    pub fn queryable_store_name(&self) -> &str {
        &self.store
    }
}

/// The store `name` of a table node (a source table or an aggregation); when it is cached,
/// what its cache flushes comes out of the node owning `ctx` as table updates, as Kafka's
/// cache flush listeners forward them.
pub(crate) fn table_store<K, V, KO, VO>(
    ctx: &mut ProcessorContext<'_, '_, KO, VO>,
    name: &str,
) -> Result<KeyValueStore<K, V>>
where
    K: Clone + 'static,
    V: Clone + 'static,
    KO: Clone + 'static,
    VO: Clone + 'static,
{
    let store = ctx.get_key_value_store::<K, V>(name)?;
    if store.is_cached() {
        forward_cache_flushes(ctx, &store);
    }
    Ok(store)
}

fn forward_cache_flushes<K, V, KO, VO>(
    ctx: &mut ProcessorContext<'_, '_, KO, VO>,
    store: &KeyValueStore<K, V>,
) where
    K: Clone + 'static,
    V: Clone + 'static,
    KO: Clone + 'static,
    VO: Clone + 'static,
{
    let node = ctx.inner.node;
    let (keys, values, topic) = (
        store.keys.clone(),
        store.values.clone(),
        Rc::clone(&store.topic),
    );
    let forwarder = Box::new(
        move |k: &[u8], new: Option<&[u8]>, old: Option<&[u8]>, ts: i64| -> Result<Erased> {
            let key = keys.deserialize(&topic, k)?;
            let read = |b: Option<&[u8]>| b.map(|b| values.deserialize(&topic, b)).transpose();
            let change = Change {
                new_value: read(new)?,
                old_value: read(old)?,
            };
            Ok(Erased::from_typed(Record::new(Some(key), Some(change), ts)))
        },
    );
    store.core.borrow_mut().set_flush_listener(node, forwarder);
}

/// Kafka's `KTableSource`: keeps the latest value per key in the store (if materialized) and
/// forwards each update.
pub(crate) struct TableSource<K, V> {
    pub store_name: String,
    pub store: Option<KeyValueStore<K, V>>,
}

impl<K: Clone + 'static, V: Clone + 'static> Processor<K, V, K, Change<V>> for TableSource<K, V> {
    fn init(&mut self, ctx: &mut ProcessorContext<'_, '_, K, Change<V>>) -> Result<()> {
        if ctx.inner.env.has_store(ctx.inner.node, &self.store_name) {
            self.store = Some(table_store(ctx, &self.store_name)?);
        }
        Ok(())
    }

    fn process(
        &mut self,
        r: Record<K, V>,
        ctx: &mut ProcessorContext<'_, '_, K, Change<V>>,
    ) -> Result<()> {
        let Some(key) = &r.key else {
            dropped(ctx, "null key");
            return Ok(());
        };
        match &self.store {
            Some(store) => {
                let old = store.get_with_timestamp(key)?;
                if let Some((_, old_ts)) = &old {
                    if r.timestamp < *old_ts {
                        tracing::warn!(
                            "Detected out-of-order KTable update for {} at offset {:?}",
                            store.name(),
                            ctx.record_metadata().map(|m| m.offset)
                        );
                    }
                }
                store.put_with_timestamp(key, r.value.as_ref(), r.timestamp)?;
                if !store.is_cached() {
                    let change = Change {
                        new_value: r.value.clone(),
                        old_value: old.map(|(v, _)| v),
                    };
                    ctx.forward(r.with_value(Some(change)));
                }
            }
            None => {
                let change = Change {
                    new_value: r.value.clone(),
                    old_value: None,
                };
                ctx.forward(r.with_value(Some(change)));
            }
        }
        Ok(())
    }
}

/// A shared, lazily-run materialization.
pub(crate) fn once(f: impl Fn(&mut BuilderInner) + 'static) -> Materializer {
    let done = Rc::new(RefCell::new(false));
    Rc::new(move |b: &mut BuilderInner| {
        if !*done.borrow() {
            *done.borrow_mut() = true;
            f(b);
        }
    })
}
