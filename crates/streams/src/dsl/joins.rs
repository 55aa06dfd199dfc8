//! Stream–table joins: each stream record looks up the table's current value for its key
//! (`KStream#join(KTable)`, `leftJoin`), or for a key it maps to in a global table
//! (`join(GlobalKTable)`). Table updates produce no output.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::ktable::{GetFn, Getter, GlobalKTable, KTable};
use super::options::{key_spec, Joined};
use super::repartition::repartitioned_source;
use super::{dropped, KStream};
use crate::error::Result;
use crate::processor::{node_factory, Processor, ProcessorContext};
use crate::record::Record;
use crate::serde::SerdeSpec;
use crate::topology::NodeKind;

type Joiner<K, V, VT, VR> = Arc<dyn Fn(Option<&K>, &V, Option<&VT>) -> Option<VR> + Send + Sync>;
type KeyMapper<K, V, KT> = Arc<dyn Fn(Option<&K>, &V) -> Option<KT> + Send + Sync>;

/// Kafka's `KStreamKTableJoinProcessor` (also for global tables, with a key mapper).
struct JoinProcessor<K, V, KT, VT, VR> {
    getter: Getter<KT, VT>,
    get: Option<GetFn<KT, VT>>,
    key_of: KeyMapper<K, V, KT>,
    joiner: Joiner<K, V, VT, VR>,
    left: bool,
}

impl<K, V, KT, VT, VR> Processor<K, V, K, VR> for JoinProcessor<K, V, KT, VT, VR>
where
    K: Clone + 'static,
    V: Clone + 'static,
    KT: Clone + 'static,
    VT: Clone + 'static,
    VR: Clone + 'static,
{
    fn init(&mut self, ctx: &mut ProcessorContext<'_, '_, K, VR>) -> Result<()> {
        self.get = Some((self.getter.make)(ctx.inner.env, ctx.inner.node)?);
        Ok(())
    }

    fn process(
        &mut self,
        r: Record<K, V>,
        ctx: &mut ProcessorContext<'_, '_, K, VR>,
    ) -> Result<()> {
        let Some(value) = &r.value else {
            dropped(ctx, "null join key or value");
            return Ok(());
        };
        let table_key = (self.key_of)(r.key.as_ref(), value);
        let found = match (&table_key, &self.get) {
            (Some(k), Some(get)) => get(k)?.map(|(v, _)| v),
            (None, _) if !self.left => {
                dropped(ctx, "null join key or value");
                return Ok(());
            }
            _ => None,
        };
        if found.is_none() && !self.left {
            return Ok(());
        }
        if let Some(out) = (self.joiner)(r.key.as_ref(), value, found.as_ref()) {
            ctx.forward(Record {
                key: r.key,
                value: Some(out),
                timestamp: r.timestamp,
                headers: r.headers,
            });
        }
        Ok(())
    }
}

impl<K: Clone + 'static, V: Clone + 'static> KStream<K, V> {
    /// Joins each record with the table's value for its key; records whose key is not in the
    /// table are dropped (`join(KTable)`, `KSTREAM-JOIN-`).
    pub fn join<VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &KTable<K, VT>,
        joiner: impl Fn(&V, &VT) -> VR + Send + Sync + 'static,
    ) -> KStream<K, VR> {
        let j: Joiner<K, V, VT, VR> = Arc::new(move |_, v, t| t.map(|t| joiner(v, t)));
        self.table_join(table, j, false, Joined::default())
    }

    /// Joins each record with the table's value for its key, or `None` when it has none
    /// (`leftJoin(KTable)`, `KSTREAM-LEFTJOIN-`).
    pub fn left_join<VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &KTable<K, VT>,
        joiner: impl Fn(&V, Option<&VT>) -> VR + Send + Sync + 'static,
    ) -> KStream<K, VR> {
        let j: Joiner<K, V, VT, VR> = Arc::new(move |_, v, t| Some(joiner(v, t)));
        self.table_join(table, j, true, Joined::default())
    }

    /// `join(KTable, joiner, Joined)` / `leftJoin` with options (`left` picks which).
    pub fn join_with<VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &KTable<K, VT>,
        joiner: impl Fn(&V, Option<&VT>) -> VR + Send + Sync + 'static,
        left: bool,
        joined: Joined<K, V>,
    ) -> KStream<K, VR> {
        let j: Joiner<K, V, VT, VR> = Arc::new(move |_, v, t| Some(joiner(v, t)));
        self.table_join(table, j, left, joined)
    }

    fn table_join<VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &KTable<K, VT>,
        joiner: Joiner<K, V, VT, VR>,
        left: bool,
        joined: Joined<K, V>,
    ) -> KStream<K, VR> {
        let getter = table.value_getter();
        let mut b = self.b.borrow_mut();
        let mut parent = self.name.clone();
        let keys = key_spec(&joined.keys, &self.keys);
        let values = key_spec(&joined.values, &self.values);
        if self.repartition_required {
            let prefix = joined.name.clone().unwrap_or_else(|| self.name.clone());
            parent =
                repartitioned_source(&mut b, &parent, &prefix, keys.clone(), values.clone(), None);
        }
        let prefix = if left {
            "KSTREAM-LEFTJOIN-"
        } else {
            "KSTREAM-JOIN-"
        };
        let given = joined.name.clone().or_else(|| self.next_name.clone());
        let name = b.name_or(given.as_deref(), prefix);
        let stores = getter.stores.clone();
        let supplier = move || {
            Box::new(JoinProcessor {
                getter: getter.clone(),
                get: None,
                key_of: Arc::new(|k: Option<&K>, _: &V| k.cloned()) as KeyMapper<K, V, K>,
                joiner: Arc::clone(&joiner),
                left,
            }) as Box<dyn Processor<K, V, K, VR>>
        };
        b.add_node(&name, node_factory(&name, supplier), &[&parent]);
        let refs: Vec<&str> = stores.iter().map(String::as_str).collect();
        if let Err(e) = b.topology.connect_processor_and_state_stores(&name, &refs) {
            b.fail(e);
        }
        // both sides' source topics must be co-partitioned
        let mut topics = BTreeSet::new();
        for side in [parent.as_str(), table.name.as_str()] {
            topics.extend(upstream_topics(&b.topology, side));
        }
        b.topology.copartition.push(topics);
        drop(b);
        KStream::new(
            self.b.clone(),
            name,
            keys,
            SerdeSpec::default_value(),
            false,
        )
    }

    /// Joins each record with the global table's value for the key `key_mapper` picks;
    /// records with no match are dropped (`join(GlobalKTable)`).
    pub fn join_global<KT: Clone + 'static, VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &GlobalKTable<KT, VT>,
        key_mapper: impl Fn(Option<&K>, &V) -> KT + Send + Sync + 'static,
        joiner: impl Fn(&V, &VT) -> VR + Send + Sync + 'static,
    ) -> KStream<K, VR> {
        let j: Joiner<K, V, VT, VR> = Arc::new(move |_, v, t| t.map(|t| joiner(v, t)));
        self.global_join(
            table,
            Arc::new(move |k, v| Some(key_mapper(k, v))),
            j,
            false,
        )
    }

    /// Like [`join_global`](Self::join_global), with `None` for records with no match
    /// (`leftJoin(GlobalKTable)`).
    pub fn left_join_global<KT: Clone + 'static, VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &GlobalKTable<KT, VT>,
        key_mapper: impl Fn(Option<&K>, &V) -> KT + Send + Sync + 'static,
        joiner: impl Fn(&V, Option<&VT>) -> VR + Send + Sync + 'static,
    ) -> KStream<K, VR> {
        let j: Joiner<K, V, VT, VR> = Arc::new(move |_, v, t| Some(joiner(v, t)));
        self.global_join(table, Arc::new(move |k, v| Some(key_mapper(k, v))), j, true)
    }

    fn global_join<KT: Clone + 'static, VT: Clone + 'static, VR: Clone + 'static>(
        &self,
        table: &GlobalKTable<KT, VT>,
        key_of: KeyMapper<K, V, KT>,
        joiner: Joiner<K, V, VT, VR>,
        left: bool,
    ) -> KStream<K, VR> {
        // Kafka names both global joins KSTREAM-LEFTJOIN-
        let name = self
            .b
            .borrow_mut()
            .name_or(self.next_name.as_deref(), "KSTREAM-LEFTJOIN-");
        let getter = Getter::<KT, VT>::of_store(&table.store);
        let supplier = move || {
            Box::new(JoinProcessor {
                getter: getter.clone(),
                get: None,
                key_of: Arc::clone(&key_of),
                joiner: Arc::clone(&joiner),
                left,
            }) as Box<dyn Processor<K, V, K, VR>>
        };
        self.b
            .borrow_mut()
            .add_node(&name, node_factory(&name, supplier), &[&self.name]);
        KStream::new(
            self.b.clone(),
            name,
            self.keys.clone(),
            SerdeSpec::default_value(),
            self.repartition_required,
        )
    }
}

/// The topics of the sources upstream of `node`.
fn upstream_topics(t: &crate::topology::Topology, node: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack: Vec<usize> = t.node(node).into_iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        if let NodeKind::Source { topics, .. } = &t.nodes[i].kind {
            out.extend(topics.iter().cloned());
        }
        stack.extend(t.nodes[i].parents.iter().copied());
    }
    out
}
