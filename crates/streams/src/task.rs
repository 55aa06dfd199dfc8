//! A task: one instance of a sub-topology for one input partition. It owns the nodes, the
//! stores and the punctuation schedule, and turns input records into output records
//! (sink writes and changelog writes) depth-first, as Kafka's `StreamTask` does.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use crate::error::{Result, StreamsError};
use crate::processor::{BuildCtx, Cancellable, Node, NodeCtx, PunctuationType, Target};
use crate::record::{Erased, Headers, RecordMetadata};
use crate::serde::{DefaultSerdes, SerdeRef};
use crate::state::cache::CacheBudget;
use crate::state::core::{Backend, Changelog, OutRecord, PendingForwards, StoreCore};
use crate::state::disk::DiskStore;
use crate::state::KeyValueStore;
use crate::state::StoreKind;
use crate::topology::endpoints::{SourceDeser, SourceNode};
use crate::topology::{NodeGroup, NodeKind, Topology};

/// A task's id: `<sub-topology>_<partition>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId {
    /// The sub-topology.
    pub subtopology: u32,
    /// The input partition.
    pub partition: i32,
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.subtopology, self.partition)
    }
}

struct Schedule {
    id: Cancellable,
    node: usize,
    interval: i64,
    kind: PunctuationType,
    next: i64,
}

struct StoreSlot {
    core: Rc<RefCell<StoreCore>>,
    /// `(SerdeRef<K>, SerdeRef<V>)`.
    serdes: Box<dyn Any>,
    topic: Rc<str>,
}

/// What the nodes of a task share.
pub(crate) struct TaskEnv {
    pub task_id: TaskId,
    pub application_id: String,
    pub app_configs: Arc<BTreeMap<String, String>>,
    pub metadata: Option<RecordMetadata>,
    pub stream_time: i64,
    pub wall_clock_ms: i64,
    pub commit_requested: bool,
    pub outputs: Vec<OutRecord>,
    names: Vec<String>,
    children: Vec<Vec<usize>>,
    node_stores: Vec<Vec<String>>,
    stores: HashMap<String, StoreSlot>,
    /// Global stores: readable from every node.
    globals: Vec<String>,
    schedules: Vec<Schedule>,
    next_schedule: u64,
    clock: Rc<Cell<i64>>,
}

impl TaskEnv {
    /// Whether `node` may use `store`.
    pub fn has_store(&self, node: usize, store: &str) -> bool {
        self.node_stores[node].iter().any(|s| s == store) || self.globals.iter().any(|s| s == store)
    }

    pub fn child_index(&self, node: usize, child: &str) -> Result<usize> {
        self.children[node]
            .iter()
            .copied()
            .find(|&c| self.names[c] == child)
            .ok_or_else(|| {
                StreamsError::topology(format!(
                    "Unknown downstream node: {child} either does not exist or is not connected to this processor."
                ))
            })
    }

    pub fn key_value_store<K: Clone + 'static, V: Clone + 'static>(
        &self,
        node: usize,
        name: &str,
    ) -> Result<KeyValueStore<K, V>> {
        if !self.has_store(node, name) {
            return Err(StreamsError::topology(format!(
                "Processor {} has no access to StateStore {name} as the store is not connected to the processor. \
                 Connect it with Topology::add_state_store or connect_processor_and_state_stores.",
                self.names[node]
            )));
        }
        let slot = self.stores.get(name).ok_or_else(|| {
            StreamsError::topology(format!("StateStore {name} is not added yet."))
        })?;
        let (keys, values) = slot
            .serdes
            .downcast_ref::<(SerdeRef<K>, SerdeRef<V>)>()
            .ok_or_else(|| {
                StreamsError::topology(format!(
                    "StateStore {name} does not hold keys of {} and values of {}",
                    std::any::type_name::<K>(),
                    std::any::type_name::<V>()
                ))
            })?;
        Ok(KeyValueStore {
            core: Rc::clone(&slot.core),
            keys: keys.clone(),
            values: values.clone(),
            topic: Rc::clone(&slot.topic),
        })
    }

    pub fn schedule(&mut self, node: usize, interval: i64, kind: PunctuationType) -> Cancellable {
        self.next_schedule += 1;
        let id = Cancellable(self.next_schedule);
        let next = match kind {
            // aligned to 0: the first record punctuates (Kafka's StreamTask)
            PunctuationType::StreamTime => 0,
            PunctuationType::WallClockTime => self.wall_clock_ms + interval,
        };
        self.schedules.push(Schedule {
            id,
            node,
            interval,
            kind,
            next,
        });
        id
    }

    pub fn cancel(&mut self, id: Cancellable) {
        self.schedules.retain(|s| s.id != id);
    }
}

/// A store of a task: its data, its serdes (`(SerdeRef<K>, SerdeRef<V>)`) and the topic
/// name its serdes see.
pub(crate) type StoreView<'a> = (Rc<RefCell<StoreCore>>, &'a dyn Any, Rc<str>);

/// How a task is set up.
pub(crate) struct TaskSetup<'a> {
    pub application_id: &'a str,
    pub app_configs: Arc<BTreeMap<String, String>>,
    pub defaults: &'a DefaultSerdes,
    /// The thread's record cache; `None` turns caching off.
    pub cache: Option<Rc<CacheBudget>>,
    /// Topology topic names → broker topic names.
    pub topics: &'a dyn Fn(&str) -> String,
    pub wall_clock_ms: i64,
    /// `state.dir/<application.id>`, where persistent stores live (`None`: every store is
    /// kept in memory, as in the test driver).
    pub state_dir: Option<std::path::PathBuf>,
    /// Under exactly-once a checkpoint is only trusted after a clean close.
    pub exactly_once: bool,
    /// Global stores, shared by every task of the thread.
    pub globals: &'a [(String, Rc<RefCell<StoreCore>>)],
}

/// Opens a store's data: on disk for persistent stores (wiped when no checkpoint says which
/// changelog offset it holds), else in memory. Returns the checkpoint.
fn open_backend(
    name: &str,
    spec: &crate::state::StoreSpec,
    task: TaskId,
    setup: &TaskSetup<'_>,
) -> Result<(Backend, Option<i64>)> {
    let (StoreKind::Persistent, Some(dir)) = (spec.kind, &setup.state_dir) else {
        return Ok((Backend::Memory(BTreeMap::new()), None));
    };
    let path = dir.join(task.to_string()).join("redb").join(name);
    let mut disk = DiskStore::open(name, &path)?;
    let mut checkpoint = None;
    if spec.logging {
        checkpoint = disk.checkpoint()?;
        match checkpoint {
            None => disk.wipe()?,
            // under exactly-once the checkpoint holds until the next clean close only
            Some(_) if setup.exactly_once => disk.commit(Some(None))?,
            Some(_) => {}
        }
    }
    Ok((Backend::Disk(Box::new(disk)), checkpoint))
}

/// One task.
pub(crate) struct Task {
    pub id: TaskId,
    nodes: Vec<Box<dyn Node>>,
    /// Broker topic → (source node, deserializer).
    sources: HashMap<String, (usize, Box<dyn SourceDeser>)>,
    pub env: TaskEnv,
    pending: PendingForwards,
    pool: Vec<Vec<(Target, Erased)>>,
    /// Store name → its changelog topic (broker name), for restoration.
    pub changelogs: BTreeMap<String, String>,
}

impl Task {
    /// Creates the task's nodes and stores (not yet initialized).
    pub fn new(
        topology: &Topology,
        group: &NodeGroup,
        partition: i32,
        setup: &TaskSetup<'_>,
    ) -> Result<Task> {
        let id = TaskId {
            subtopology: group.id,
            partition,
        };
        let local: HashMap<usize, usize> = group
            .nodes
            .iter()
            .enumerate()
            .map(|(l, &g)| (g, l))
            .collect();
        let ctx = BuildCtx {
            defaults: setup.defaults,
            topics: setup.topics,
        };
        let mut nodes: Vec<Box<dyn Node>> = Vec::with_capacity(group.nodes.len());
        let mut sources = HashMap::new();
        let mut names = Vec::new();
        let mut children = Vec::new();
        let mut node_stores = Vec::new();
        for (l, &g) in group.nodes.iter().enumerate() {
            let def = &topology.nodes[g];
            names.push(def.name.clone());
            children.push(
                def.children
                    .iter()
                    .filter_map(|c| local.get(c).copied())
                    .collect(),
            );
            match &def.kind {
                NodeKind::Source { topics, factory } => {
                    for t in topics {
                        sources.insert((setup.topics)(t), (l, factory(&ctx)?));
                    }
                    nodes.push(Box::new(SourceNode));
                    node_stores.push(Vec::new());
                }
                NodeKind::Processor { factory, stores } => {
                    nodes.push(factory(&ctx)?);
                    node_stores.push(stores.clone());
                }
                NodeKind::Sink { factory, .. } => {
                    nodes.push(factory(&ctx)?);
                    node_stores.push(Vec::new());
                }
            }
        }
        let clock = Rc::new(Cell::new(0));
        let pending: PendingForwards = Rc::new(RefCell::new(Vec::new()));
        let mut stores = HashMap::new();
        let mut changelogs = BTreeMap::new();
        for name in group.stores(topology) {
            let Some(spec) = topology.stores.get(&name) else {
                return Err(StreamsError::topology(format!(
                    "StateStore {name} is not added yet."
                )));
            };
            let changelog = spec.logging.then(|| Changelog {
                topic: (setup.topics)(&format!("{name}-changelog")).into(),
                partition,
            });
            if let Some(c) = &changelog {
                changelogs.insert(name.clone(), c.topic.to_string());
            }
            let topic: Rc<str> = changelog
                .as_ref()
                .map_or_else(|| name.as_str().into(), |c| Rc::clone(&c.topic));
            let cache = if spec.caching {
                setup.cache.clone()
            } else {
                None
            };
            let (backend, checkpoint) = open_backend(&name, spec, id, setup)?;
            let mut core = StoreCore::new(
                &name,
                backend,
                changelog,
                cache,
                Rc::clone(&clock),
                Rc::clone(&pending),
            );
            core.set_checkpoint(checkpoint);
            stores.insert(
                name.clone(),
                StoreSlot {
                    core: Rc::new(RefCell::new(core)),
                    serdes: (spec.serdes)(setup.defaults)?,
                    topic,
                },
            );
        }
        let mut global_names = Vec::new();
        for (name, core) in setup.globals {
            let Some(spec) = topology.stores.get(name) else {
                continue;
            };
            if stores.contains_key(name) {
                continue;
            }
            global_names.push(name.clone());
            stores.insert(
                name.clone(),
                StoreSlot {
                    core: Rc::clone(core),
                    serdes: (spec.serdes)(setup.defaults)?,
                    topic: name.as_str().into(),
                },
            );
        }
        Ok(Task {
            id,
            nodes,
            sources,
            env: TaskEnv {
                task_id: id,
                application_id: setup.application_id.to_string(),
                app_configs: Arc::clone(&setup.app_configs),
                metadata: None,
                stream_time: -1,
                wall_clock_ms: setup.wall_clock_ms,
                commit_requested: false,
                outputs: Vec::new(),
                names,
                children,
                node_stores,
                stores,
                globals: global_names,
                schedules: Vec::new(),
                next_schedule: 0,
                clock,
            },
            pending,
            pool: Vec::new(),
            changelogs,
        })
    }

    /// Initializes every node, in the order they were added (after restoration).
    pub fn init(&mut self) -> Result<()> {
        for i in 0..self.nodes.len() {
            let mut fwd = Vec::new();
            let mut ctx = NodeCtx {
                node: i,
                forwards: &mut fwd,
                env: &mut self.env,
            };
            self.nodes[i].init(&mut ctx)?;
        }
        Ok(())
    }

    /// Whether this task reads `topic`.
    pub fn reads(&self, topic: &str) -> bool {
        self.sources.contains_key(topic)
    }

    /// Processes one input record. A deserialization error is returned as
    /// [`StreamsError::Serde`] before anything was processed, so the caller may skip it.
    #[allow(clippy::too_many_arguments)]
    pub fn process(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        timestamp: i64,
        headers: Headers,
    ) -> Result<()> {
        let Some((node, deser)) = self.sources.get(topic) else {
            return Err(StreamsError::topology(format!(
                "task {} does not read topic {topic}",
                self.id
            )));
        };
        let node = *node;
        let (k, v) = deser.deserialize(topic, key, value)?;
        self.env.metadata = Some(RecordMetadata {
            topic: topic.to_string(),
            partition,
            offset,
        });
        self.env.stream_time = self.env.stream_time.max(timestamp);
        let record = Erased {
            key: k,
            value: v,
            timestamp,
            headers,
        };
        self.dispatch(node, record)?;
        self.drain_pending()?;
        let now = self.env.stream_time;
        self.punctuate(PunctuationType::StreamTime, now)?;
        Ok(())
    }

    /// Runs the wall-clock punctuations due at `now`.
    pub fn punctuate_wall_clock(&mut self, now: i64) -> Result<()> {
        self.env.wall_clock_ms = now;
        self.punctuate(PunctuationType::WallClockTime, now)
    }

    fn punctuate(&mut self, kind: PunctuationType, now: i64) -> Result<()> {
        loop {
            let due = self
                .env
                .schedules
                .iter()
                .enumerate()
                .filter(|(_, s)| s.kind == kind && s.next <= now)
                .min_by_key(|(_, s)| s.next)
                .map(|(i, _)| i);
            let Some(i) = due else { return Ok(()) };
            let s = &mut self.env.schedules[i];
            let (id, node, scheduled) = (s.id, s.node, s.next);
            let mut next = scheduled + s.interval;
            if now >= next {
                next = scheduled + ((now - scheduled) / s.interval + 1) * s.interval;
            }
            s.next = next;
            let saved = self.env.metadata.take();
            self.env.clock.set(now);
            let mut fwd = self.pool.pop().unwrap_or_default();
            let result = {
                let mut ctx = NodeCtx {
                    node,
                    forwards: &mut fwd,
                    env: &mut self.env,
                };
                self.nodes[node].punctuate(id, now, &mut ctx)
            };
            let result = result.and_then(|()| self.route(node, &mut fwd));
            fwd.clear();
            self.pool.push(fwd);
            self.env.metadata = saved;
            result?;
            self.drain_pending()?;
        }
    }

    fn dispatch(&mut self, node: usize, record: Erased) -> Result<()> {
        self.env.clock.set(record.timestamp);
        let mut fwd = self.pool.pop().unwrap_or_default();
        let result = {
            let mut ctx = NodeCtx {
                node,
                forwards: &mut fwd,
                env: &mut self.env,
            };
            self.nodes[node].process(record, &mut ctx)
        };
        let result = match result {
            Err(StreamsError::Serde(e)) => Err(StreamsError::Processing {
                task: self.id.to_string(),
                processor: self.env.names[node].clone(),
                message: e.to_string(),
            }),
            other => other,
        };
        let result = result.and_then(|()| self.route(node, &mut fwd));
        fwd.clear();
        self.pool.push(fwd);
        result
    }

    fn route(&mut self, node: usize, fwd: &mut Vec<(Target, Erased)>) -> Result<()> {
        for (target, record) in fwd.drain(..) {
            match target {
                Target::Child(c) => self.dispatch(c, record)?,
                Target::All => self.forward_to_children(node, record)?,
            }
        }
        Ok(())
    }

    fn forward_to_children(&mut self, node: usize, record: Erased) -> Result<()> {
        let n = self.env.children[node].len();
        if n == 0 {
            return Ok(());
        }
        for k in 0..n - 1 {
            let c = self.env.children[node][k];
            self.dispatch(c, record.clone())?;
        }
        let last = self.env.children[node][n - 1];
        self.dispatch(last, record)
    }

    /// Forwards what caches flushed, from the nodes that own them.
    fn drain_pending(&mut self) -> Result<()> {
        loop {
            let batch = std::mem::take(&mut *self.pending.borrow_mut());
            if batch.is_empty() {
                return Ok(());
            }
            for (node, record) in batch {
                self.env.clock.set(record.timestamp);
                self.forward_to_children(node, record)?;
            }
        }
    }

    /// Flushes the caches (forwarding what they held) before a commit.
    pub fn flush(&mut self) -> Result<()> {
        let cores: Vec<_> = self
            .env
            .stores
            .values()
            .map(|s| Rc::clone(&s.core))
            .collect();
        for core in cores {
            core.borrow_mut().flush()?;
            self.drain_pending()?;
        }
        Ok(())
    }

    /// Takes the records to produce: sink writes, then changelog writes.
    pub fn take_outputs(&mut self, into: &mut Vec<OutRecord>) {
        into.append(&mut self.env.outputs);
        for slot in self.env.stores.values() {
            into.append(&mut slot.core.borrow_mut().logged);
        }
    }

    /// Applies the changelog record at `offset` to `store` while restoring.
    pub fn restore(
        &mut self,
        store: &str,
        key: Vec<u8>,
        value: Option<Vec<u8>>,
        timestamp: i64,
        offset: i64,
    ) {
        if let Some(slot) = self.env.stores.get(store) {
            slot.core
                .borrow_mut()
                .restore(key, value, timestamp, offset);
        }
    }

    /// Where restoring `store` starts: the offset after the last one the store has on disk.
    pub fn checkpoint(&self, store: &str) -> Option<i64> {
        self.env
            .stores
            .get(store)
            .and_then(|s| s.core.borrow().checkpoint())
    }

    /// After a commit: writes the stores on disk, with checkpoints from `acked` (the last
    /// acknowledged offset per changelog partition) unless `exactly_once`.
    pub fn committed(
        &mut self,
        acked: &HashMap<(String, i32), i64>,
        exactly_once: bool,
    ) -> Result<()> {
        let partition = self.id.partition;
        for (name, slot) in &self.env.stores {
            if self.env.globals.contains(name) {
                continue;
            }
            let acked_offset = self
                .changelogs
                .get(name)
                .and_then(|t| acked.get(&(t.clone(), partition)).copied());
            slot.core
                .borrow_mut()
                .committed(acked_offset, !exactly_once)?;
        }
        Ok(())
    }

    /// Whether a store of this task keeps a checkpoint (a logged store on disk).
    pub fn has_checkpointed_stores(&self) -> bool {
        self.env
            .stores
            .iter()
            .any(|(name, slot)| self.changelogs.contains_key(name) && slot.core.borrow().on_disk())
    }

    /// After the last commit of a clean close: checkpoints every store on disk.
    pub fn checkpoint_on_close(&mut self, acked: &HashMap<(String, i32), i64>) -> Result<()> {
        self.committed(acked, false)
    }

    /// Closes the nodes and gives the cache back.
    pub fn close(&mut self) {
        for node in &mut self.nodes {
            node.close();
        }
        for slot in self.env.stores.values() {
            slot.core.borrow_mut().close();
        }
    }

    /// A store of this task, for the test driver and interactive queries.
    pub fn store_slot(&self, name: &str) -> Option<StoreView<'_>> {
        self.env
            .stores
            .get(name)
            .map(|s| (Rc::clone(&s.core), s.serdes.as_ref(), Rc::clone(&s.topic)))
    }
}
