//! A stream thread: one consumer in the application's group, the tasks of the partitions it
//! is assigned, one producer; it processes records, punctuates, and commits every
//! `commit.interval.ms` (inside a transaction under exactly-once).
//!
//! librdkafka calls the rebalance callbacks from inside `poll` on this thread, so the tasks
//! live in a thread-local the callbacks reach: revoked tasks are committed and closed before
//! their partitions move, new ones are restored from their changelogs before they run.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kafka::rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use kafka::rdkafka::error::{KafkaError, RDKafkaErrorCode};
use kafka::rdkafka::message::{BorrowedMessage, Header, Headers as _, Message, OwnedHeaders};
use kafka::rdkafka::producer::{
    BaseRecord, DeliveryResult, Producer, ProducerContext, PurgeConfig, ThreadedProducer,
};
use kafka::rdkafka::{ClientContext, Offset, TopicPartitionList};

use super::clients;
use super::consumed::Consumed;
use super::restore::{read_to_end, restore_task};
use super::topics::Plan;
use crate::config::{OnError, StreamsConfig};
use crate::error::{Result, StreamsError};
use crate::record::Headers;
use crate::state::cache::CacheBudget;
use crate::state::core::{OutRecord, StoreCore};
use crate::task::{Task, TaskId, TaskSetup};
use crate::topology::Topology;

const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// Records processed between checks for punctuations and commits (Kafka's
/// `max.poll.records` default for Streams).
const MAX_BATCH: usize = 1000;

/// What the threads of one instance share.
pub(crate) struct Shared {
    pub shutdown: AtomicBool,
    pub errors: Mutex<Vec<String>>,
    /// Threads that have had their first assignment.
    pub assigned: std::sync::atomic::AtomicUsize,
    pub counters: Counters,
}

/// Counts of what the threads did, for [`Metrics`](super::Metrics).
#[derive(Default)]
pub(crate) struct Counters {
    pub processed: AtomicU64,
    pub commits: AtomicU64,
    pub transactions_committed: AtomicU64,
    pub transactions_aborted: AtomicU64,
    pub offsets_sent_to_transactions: AtomicU64,
}

/// Everything a thread needs to start.
pub(crate) struct ThreadSpec {
    pub index: usize,
    pub topology: Arc<Topology>,
    pub config: Arc<StreamsConfig>,
    pub plan: Arc<Plan>,
    pub process_id: String,
    pub shared: Arc<Shared>,
}

thread_local! {
    static STATE: RefCell<Option<ThreadState>> = const { RefCell::new(None) };
}

fn with_state<R>(f: impl FnOnce(&mut ThreadState) -> R) -> Option<R> {
    STATE.with(|s| s.try_borrow_mut().ok().and_then(|mut g| g.as_mut().map(f)))
}

#[derive(Clone)]
struct ConsumerCtx {
    failed: Arc<Mutex<Option<String>>>,
}

impl ClientContext for ConsumerCtx {}

fn partitions(list: &TopicPartitionList) -> Vec<(String, i32)> {
    list.elements()
        .iter()
        .map(|e| (e.topic().to_string(), e.partition()))
        .collect()
}

impl ConsumerContext for ConsumerCtx {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(list) = rebalance {
            let revoked = partitions(list);
            if let Some(Err(e)) = with_state(|st| st.on_revoked(consumer, &revoked)) {
                self.fail(e);
            }
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        match rebalance {
            Rebalance::Assign(list) => {
                let assigned = partitions(list);
                if let Some(Err(e)) = with_state(|st| st.on_assigned(&assigned)) {
                    self.fail(e);
                }
            }
            Rebalance::Error(e) => tracing::warn!("rebalance failed: {e}"),
            Rebalance::Revoke(_) => {}
        }
    }
}

impl ConsumerCtx {
    fn fail(&self, e: StreamsError) {
        if let Ok(mut f) = self.failed.lock() {
            f.get_or_insert_with(|| e.to_string());
        }
    }
}

/// The producer reports failed deliveries only (`delivery.report.only.error`): the first one
/// fails the next commit.
#[derive(Clone)]
struct ProducerCtx {
    error: Arc<Mutex<Option<String>>>,
}

impl ClientContext for ProducerCtx {}

impl ProducerContext for ProducerCtx {
    type DeliveryOpaque = ();
    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, m)) = result {
            if let Ok(mut slot) = self.error.lock() {
                slot.get_or_insert_with(|| {
                    format!(
                        "Error encountered sending record to topic {}: {e}",
                        m.topic()
                    )
                });
            }
        }
    }
}

/// Global stores by name, shared by the thread's tasks.
type GlobalStores = Vec<(String, Rc<RefCell<StoreCore>>)>;

struct ThreadState {
    spec: ThreadSpec,
    /// Broker topic → sub-topology (looked up per record: a fast hash).
    topic_groups: HashMap<String, u32, foldhash::fast::RandomState>,
    tasks: BTreeMap<TaskId, Task>,
    producer: ThreadedProducer<ProducerCtx>,
    delivery_error: Arc<Mutex<Option<String>>>,
    restore: BaseConsumer,
    cache: Option<Rc<CacheBudget>>,
    global: Option<(Task, BaseConsumer)>,
    globals: GlobalStores,
    /// Next offset to commit per input partition.
    consumed: Consumed,
    last_commit: Instant,
    in_transaction: bool,
    outputs: Vec<OutRecord>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn kafka_err(what: &str, e: &KafkaError) -> StreamsError {
    if matches!(
        e.rdkafka_error_code(),
        Some(
            RDKafkaErrorCode::Fenced
                | RDKafkaErrorCode::ProducerFenced
                | RDKafkaErrorCode::InvalidProducerEpoch
        )
    ) {
        return StreamsError::Fenced(format!("{what}: {e}"));
    }
    StreamsError::kafka(format!("{what}: {e}"), false)
}

impl ThreadState {
    fn on_assigned(&mut self, assigned: &[(String, i32)]) -> Result<()> {
        let groups = self.spec.topology.node_groups();
        for (topic, partition) in assigned {
            let Some(&group) = self.topic_groups.get(topic) else {
                continue;
            };
            let id = TaskId {
                subtopology: group,
                partition: *partition,
            };
            if self.tasks.contains_key(&id) {
                continue;
            }
            let Some(g) = groups.iter().find(|g| g.id == group) else {
                continue;
            };
            let (topology, app) = (
                Arc::clone(&self.spec.topology),
                self.spec.config.application_id.clone(),
            );
            let topics = move |name: &str| topology.broker_topic(&app, name);
            let setup = TaskSetup {
                application_id: &self.spec.config.application_id,
                app_configs: Arc::new(self.spec.config.originals.clone()),
                defaults: &self.spec.config.default_serdes,
                cache: self.cache.clone(),
                topics: &topics,
                wall_clock_ms: now_ms(),
                state_dir: Some(
                    self.spec
                        .config
                        .state_dir
                        .join(&self.spec.config.application_id),
                ),
                exactly_once: self.spec.config.exactly_once(),
                globals: &self.globals,
            };
            let mut task = Task::new(&self.spec.topology, g, *partition, &setup)?;
            drop(setup);
            restore_task(&mut task, &self.restore, CLIENT_TIMEOUT)?;
            task.init()?;
            tracing::info!("stream-thread {}: task {id} assigned", self.spec.index + 1);
            self.tasks.insert(id, task);
        }
        self.spec.shared.assigned.fetch_add(1, Ordering::Relaxed);
        // nothing was processed yet: the first commit interval starts now
        if self.consumed.is_empty() {
            self.last_commit = Instant::now();
        }
        Ok(())
    }

    fn on_revoked(
        &mut self,
        consumer: &BaseConsumer<ConsumerCtx>,
        revoked: &[(String, i32)],
    ) -> Result<()> {
        let ids: Vec<TaskId> = revoked
            .iter()
            .filter_map(|(t, p)| {
                self.topic_groups.get(t).map(|&g| TaskId {
                    subtopology: g,
                    partition: *p,
                })
            })
            .filter(|id| self.tasks.contains_key(id))
            .collect();
        if ids.is_empty() {
            return Ok(());
        }
        self.commit(consumer)?;
        for id in ids {
            if let Some(mut task) = self.tasks.remove(&id) {
                task.close();
                tracing::info!("stream-thread {}: task {id} revoked", self.spec.index + 1);
            }
        }
        self.consumed.forget(revoked);
        Ok(())
    }

    fn process(&mut self, m: &BorrowedMessage<'_>) -> Result<()> {
        let topic = m.topic();
        let partition = m.partition();
        let Some(&group) = self.topic_groups.get(topic) else {
            return Ok(());
        };
        let id = TaskId {
            subtopology: group,
            partition,
        };
        let on_deser = self.spec.config.on_deserialization_error;
        let on_processing = self.spec.config.on_processing_error;
        let Some(task) = self.tasks.get_mut(&id) else {
            tracing::warn!(
                "stream-thread {}: no task {id} for a record of {topic}-{partition}",
                self.spec.index + 1
            );
            return Ok(());
        };
        let headers: Headers = m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| (h.key.to_string(), h.value.map(<[u8]>::to_vec)))
                    .collect()
            })
            .unwrap_or_default();
        let timestamp = m.timestamp().to_millis().unwrap_or(-1);
        if timestamp < 0 {
            return Err(StreamsError::Processing {
                task: id.to_string(),
                processor: "source".into(),
                message: format!(
                    "Input record with key {:?} has invalid (negative) timestamp. topic=[{topic}] partition=[{partition}] offset=[{}]",
                    m.key(),
                    m.offset()
                ),
            });
        }
        match task.process(topic, partition, m.offset(), m.key(), m.payload(), timestamp, headers) {
            Ok(()) => {}
            Err(StreamsError::Serde(e)) if on_deser == OnError::Continue => {
                tracing::warn!("Skipping record due to deserialization error. topic=[{topic}] partition=[{partition}] offset=[{}]: {e}", m.offset());
            }
            Err(StreamsError::Serde(e)) => {
                return Err(StreamsError::Processing {
                    task: id.to_string(),
                    processor: "source".into(),
                    message: format!("Deserialization exception handler is set to fail upon a deserialization error. topic=[{topic}] partition=[{partition}] offset=[{}]: {e}", m.offset()),
                })
            }
            Err(e @ StreamsError::Processing { .. }) if on_processing == OnError::Continue => {
                tracing::warn!("Skipping record after a processing error: {e}");
            }
            Err(e) => return Err(e),
        }
        self.consumed.record(topic, partition, m.offset() + 1);
        self.spec
            .shared
            .counters
            .processed
            .fetch_add(1, Ordering::Relaxed);
        task.take_outputs(&mut self.outputs);
        self.send_outputs()
    }

    fn send_outputs(&mut self) -> Result<()> {
        if self.outputs.is_empty() {
            return Ok(());
        }
        if self.spec.config.exactly_once() && !self.in_transaction {
            self.producer
                .begin_transaction()
                .map_err(|e| kafka_err("could not begin a transaction", &e))?;
            self.in_transaction = true;
        }
        for out in self.outputs.drain(..) {
            let mut record: BaseRecord<'_, [u8], [u8]> =
                BaseRecord::to(&out.topic).timestamp(out.timestamp);
            if let Some(k) = &out.key {
                record = record.key(k.as_slice());
            }
            if let Some(v) = &out.value {
                record = record.payload(v.as_slice());
            }
            if let Some(p) = out.partition {
                record = record.partition(p);
            }
            if !out.headers.is_empty() {
                let mut h = OwnedHeaders::new();
                for (key, value) in &out.headers {
                    h = h.insert(Header {
                        key,
                        value: value.as_deref(),
                    });
                }
                record = record.headers(h);
            }
            let mut pending = record;
            loop {
                match self.producer.send(pending) {
                    Ok(()) => break,
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                        pending = back;
                        std::thread::sleep(Duration::from_millis(1));
                    }
                    Err((e, _)) => {
                        return Err(kafka_err(
                            &format!("could not send a record to {}", out.topic),
                            &e,
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    fn maybe_punctuate(&mut self) -> Result<()> {
        let now = now_ms();
        for task in self.tasks.values_mut() {
            task.punctuate_wall_clock(now)?;
            task.take_outputs(&mut self.outputs);
        }
        self.send_outputs()
    }

    fn commit_due(&self) -> bool {
        self.last_commit.elapsed() >= Duration::from_millis(self.spec.config.commit_interval_ms)
            || self.tasks.values().any(|t| t.env.commit_requested)
    }

    /// Flushes caches, waits for every record to be acknowledged, then commits the consumed
    /// offsets (in the transaction under exactly-once).
    fn commit(&mut self, consumer: &BaseConsumer<ConsumerCtx>) -> Result<()> {
        for task in self.tasks.values_mut() {
            task.flush()?;
            task.take_outputs(&mut self.outputs);
            task.env.commit_requested = false;
        }
        self.send_outputs()?;
        let offsets = self.consumed.to_list()?;
        if self.spec.config.exactly_once() {
            if !self.in_transaction && offsets.count() > 0 {
                self.producer
                    .begin_transaction()
                    .map_err(|e| kafka_err("could not begin a transaction", &e))?;
                self.in_transaction = true;
            }
            if self.in_transaction {
                let result = self.commit_transaction(consumer, &offsets);
                if let Err(e) = result {
                    if self.producer.abort_transaction(CLIENT_TIMEOUT).is_ok() {
                        self.spec
                            .shared
                            .counters
                            .transactions_aborted
                            .fetch_add(1, Ordering::Relaxed);
                    }
                    self.in_transaction = false;
                    return Err(e);
                }
                self.spec
                    .shared
                    .counters
                    .transactions_committed
                    .fetch_add(1, Ordering::Relaxed);
                self.in_transaction = false;
            }
        } else {
            self.producer
                .flush(CLIENT_TIMEOUT)
                .map_err(|e| kafka_err("could not flush the producer", &e))?;
            self.check_delivery()?;
            if offsets.count() > 0 {
                consumer
                    .commit(&offsets, CommitMode::Sync)
                    .map_err(|e| kafka_err("could not commit offsets", &e))?;
            }
        }
        if !self.consumed.is_empty() {
            self.spec
                .shared
                .counters
                .commits
                .fetch_add(1, Ordering::Relaxed);
        }
        self.consumed.clear();
        self.last_commit = Instant::now();
        let eos = self.spec.config.exactly_once();
        // under exactly-once, stores are checkpointed at a clean close only
        let ends = if eos {
            HashMap::new()
        } else {
            self.changelog_ends()?
        };
        for task in self.tasks.values_mut() {
            task.committed(&ends, eos)?;
        }
        Ok(())
    }

    /// The last offset of each changelog partition of the thread's tasks: after a flush, the
    /// last record this thread wrote (each changelog partition has one writer).
    fn changelog_ends(&self) -> Result<HashMap<(String, i32), i64>> {
        let mut ends = HashMap::new();
        for task in self.tasks.values() {
            if !task.has_checkpointed_stores() {
                continue;
            }
            let partition = task.id.partition;
            for topic in task.changelogs.values() {
                let (_, high) = self
                    .restore
                    .fetch_watermarks(topic, partition, CLIENT_TIMEOUT)
                    .map_err(|e| kafka_err(&format!("could not read the end of {topic}"), &e))?;
                ends.insert((topic.clone(), partition), high - 1);
            }
        }
        Ok(ends)
    }

    fn commit_transaction(
        &mut self,
        consumer: &BaseConsumer<ConsumerCtx>,
        offsets: &TopicPartitionList,
    ) -> Result<()> {
        if offsets.count() > 0 {
            let metadata = consumer
                .group_metadata()
                .ok_or_else(|| StreamsError::kafka("the consumer has no group metadata", true))?;
            self.producer
                .send_offsets_to_transaction(offsets, &metadata, CLIENT_TIMEOUT)
                .map_err(|e| kafka_err("could not send offsets to the transaction", &e))?;
            self.spec
                .shared
                .counters
                .offsets_sent_to_transactions
                .fetch_add(1, Ordering::Relaxed);
        }
        self.producer
            .commit_transaction(CLIENT_TIMEOUT)
            .map_err(|e| kafka_err("could not commit the transaction", &e))?;
        self.check_delivery()
    }

    fn check_delivery(&self) -> Result<()> {
        let failed = self.delivery_error.lock().ok().and_then(|mut e| e.take());
        match failed {
            Some(e) => Err(StreamsError::kafka(e, false)),
            None => Ok(()),
        }
    }

    /// Applies what arrived on the global topics.
    fn poll_global(&mut self) -> Result<()> {
        let Some((task, consumer)) = self.global.as_mut() else {
            return Ok(());
        };
        while let Some(m) = consumer.poll(Duration::ZERO) {
            let m = m.map_err(|e| kafka_err("could not read a global topic", &e))?;
            let ts = m.timestamp().to_millis().unwrap_or(0);
            task.process(
                m.topic(),
                m.partition(),
                m.offset(),
                m.key(),
                m.payload(),
                ts,
                Vec::new(),
            )?;
            let mut sink = Vec::new();
            task.take_outputs(&mut sink);
        }
        Ok(())
    }

    /// Closes every task; after a clean last commit (`clean`) their stores on disk get
    /// checkpoints.
    fn close(&mut self, clean: bool) {
        let ends = if clean {
            self.changelog_ends().unwrap_or_else(|e| {
                tracing::warn!("stores will be restored in full next time: {e}");
                HashMap::new()
            })
        } else {
            HashMap::new()
        };
        for (id, mut task) in std::mem::take(&mut self.tasks) {
            if clean {
                if let Err(e) = task.checkpoint_on_close(&ends) {
                    tracing::warn!("task {id}: could not checkpoint its stores: {e}");
                }
            }
            task.close();
        }
        if let Some((task, _)) = self.global.as_mut() {
            task.close();
        }
    }
}

/// Builds the thread's global task and reads the global topics to their ends.
fn bootstrap_globals(spec: &ThreadSpec) -> Result<(Option<(Task, BaseConsumer)>, GlobalStores)> {
    let topology = &spec.topology;
    let Some(group) = topology.node_groups().into_iter().find(|g| g.global) else {
        return Ok((None, Vec::new()));
    };
    let app = spec.config.application_id.clone();
    let topics = |name: &str| topology.broker_topic(&app, name);
    let setup = TaskSetup {
        application_id: &spec.config.application_id,
        app_configs: Arc::new(spec.config.originals.clone()),
        defaults: &spec.config.default_serdes,
        cache: None,
        topics: &topics,
        wall_clock_ms: now_ms(),
        state_dir: None,
        exactly_once: false,
        globals: &[],
    };
    let mut task = Task::new(topology, &group, 0, &setup)?;
    task.init()?;
    let consumer: BaseConsumer = clients::create(
        &clients::restore_consumer(&spec.config, &format!("global-{}", spec.index + 1))?,
        "global consumer",
    )?;
    let mut assignment = TopicPartitionList::new();
    for def in &topology.globals {
        let partitions = spec.plan.topics.get(&def.topic).copied().unwrap_or(1);
        for p in 0..partitions {
            read_to_end(
                &consumer,
                &def.topic,
                p,
                Offset::Beginning,
                CLIENT_TIMEOUT,
                |k, v, ts, offset| {
                    if let Err(e) = task.process(&def.topic, p, offset, k, v, ts, Vec::new()) {
                        tracing::warn!(
                            "global store {}: skipping a record of {}: {e}",
                            def.store,
                            def.topic
                        );
                    }
                },
            )?;
            let end = consumer
                .fetch_watermarks(&def.topic, p, CLIENT_TIMEOUT)
                .map_err(|e| kafka_err("could not read a global topic's end", &e))?
                .1;
            assignment
                .add_partition_offset(&def.topic, p, Offset::Offset(end))
                .map_err(|e| kafka_err("invalid offset", &e))?;
        }
    }
    consumer
        .assign(&assignment)
        .map_err(|e| kafka_err("could not assign the global consumer", &e))?;
    let mut globals = Vec::new();
    for def in &topology.globals {
        if let Some((core, _, _)) = task.store_slot(&def.store) {
            globals.push((def.store.clone(), core));
        }
    }
    Ok((Some((task, consumer)), globals))
}

/// Runs one stream thread until shutdown or a fatal error.
pub(crate) fn run(spec: ThreadSpec) -> Result<()> {
    let config = Arc::clone(&spec.config);
    let topology = Arc::clone(&spec.topology);
    let groups = topology.node_groups();
    let cooperative = !groups
        .iter()
        .any(|g| !g.global && g.source_topics(&topology).len() > 1);
    let failed = Arc::new(Mutex::new(None));
    let consumer: BaseConsumer<ConsumerCtx> = clients::create_with(
        &clients::main_consumer(&config, spec.index, cooperative)?,
        ConsumerCtx {
            failed: Arc::clone(&failed),
        },
        "main consumer",
    )?;
    let delivery_error = Arc::new(Mutex::new(None));
    let producer: ThreadedProducer<ProducerCtx> = clients::create_with(
        &clients::producer(&config, spec.index, &spec.process_id)?,
        ProducerCtx {
            error: Arc::clone(&delivery_error),
        },
        "producer",
    )?;
    if config.exactly_once() {
        producer
            .init_transactions(CLIENT_TIMEOUT)
            .map_err(|e| kafka_err("could not initialize transactions", &e))?;
    }
    let restore: BaseConsumer = clients::create(
        &clients::restore_consumer(&config, &format!("restore-{}", spec.index + 1))?,
        "restore consumer",
    )?;
    let (global, globals) = bootstrap_globals(&spec)?;
    let mut topic_groups = HashMap::default();
    let mut subscribe = Vec::new();
    for g in groups.iter().filter(|g| !g.global) {
        for t in g.source_topics(&topology) {
            let broker = topology.broker_topic(&config.application_id, &t);
            subscribe.push(broker.clone());
            topic_groups.insert(broker, g.id);
        }
    }
    let cache = (config.cache_max_bytes > 0)
        .then(|| CacheBudget::new(config.cache_max_bytes / config.num_stream_threads as u64));
    let shared = Arc::clone(&spec.shared);
    let index = spec.index;
    STATE.with(|s| {
        *s.borrow_mut() = Some(ThreadState {
            spec,
            topic_groups,
            tasks: BTreeMap::new(),
            producer,
            delivery_error,
            restore,
            cache,
            global,
            globals,
            consumed: Consumed::default(),
            last_commit: Instant::now(),
            in_transaction: false,
            outputs: Vec::new(),
        })
    });
    let refs: Vec<&str> = subscribe.iter().map(String::as_str).collect();
    consumer
        .subscribe(&refs)
        .map_err(|e| kafka_err("could not subscribe", &e))?;
    tracing::info!("stream-thread {}: subscribed to {refs:?}", index + 1);
    let poll = Duration::from_millis(config.poll_ms.max(1));
    let mut result = Ok(());
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while !shared.shutdown.load(Ordering::Relaxed) {
        // a batch of what is there (rebalance callbacks run inside poll, outside the state)
        batch.clear();
        let mut next = consumer.poll(poll);
        while let Some(message) = next {
            batch.push(message);
            if batch.len() >= MAX_BATCH {
                break;
            }
            next = consumer.poll(Duration::ZERO);
        }
        if let Some(e) = failed.lock().ok().and_then(|mut f| f.take()) {
            result = Err(StreamsError::kafka(e, false));
            break;
        }
        let step = with_state(|st| -> Result<()> {
            for message in batch.drain(..) {
                match message {
                    Ok(m) => st.process(&m)?,
                    Err(e) => tracing::warn!("stream-thread {}: consumer error: {e}", index + 1),
                }
            }
            st.poll_global()?;
            st.maybe_punctuate()?;
            if st.commit_due() {
                st.commit(&consumer)?;
            }
            Ok(())
        });
        if let Some(Err(e)) = step {
            result = Err(e);
            break;
        }
    }
    if result.is_ok() {
        if let Some(Err(e)) = with_state(|st| st.commit(&consumer)) {
            result = Err(e);
        }
    }
    let clean = result.is_ok();
    with_state(|st| st.close(clean));
    // leave the group at once, so the other members take the partitions over without waiting
    // for the session to time out
    consumer.unsubscribe();
    drop(consumer);
    let state = STATE.with(|s| s.borrow_mut().take());
    if let (Some(st), false) = (&state, clean) {
        // what a failed (or fenced) producer still holds can never be delivered: do not wait
        st.producer.purge(PurgeConfig::default().queue().inflight());
    }
    drop(state);
    result
}
