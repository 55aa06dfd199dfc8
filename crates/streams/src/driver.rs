//! A driver that runs a topology without a broker (Kafka's `TopologyTestDriver`), for users'
//! tests: records piped into input topics are processed at once, one partition per topic, as
//! if `commit.interval.ms` and the cache size were 0; what the topology writes can be read
//! from output topics.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use crate::config::{OnError, StreamsConfig};
use crate::error::{Result, StreamsError};
use crate::record::Headers;
use crate::serde::SerdeRef;
use crate::state::core::{OutRecord, StoreCore};
use crate::state::KeyValueStore;
use crate::task::{Task, TaskSetup};
use crate::topology::Topology;

/// A record the topology wrote, as bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct ProducedRecord {
    /// The topic (internal topics with their `application.id-` prefix).
    pub topic: String,
    /// The key.
    pub key: Option<Vec<u8>>,
    /// The value.
    pub value: Option<Vec<u8>>,
    /// The timestamp.
    pub timestamp: i64,
    /// The headers.
    pub headers: Headers,
}

/// A record waiting to be processed: topic, key, value, timestamp, headers, offset.
type Piped = (String, Option<Vec<u8>>, Option<Vec<u8>>, i64, Headers, i64);

struct Inner {
    tasks: Vec<Task>,
    global: Option<Task>,
    global_topics: Vec<String>,
    /// Everything written, per topic, not yet read.
    produced: HashMap<String, VecDeque<ProducedRecord>>,
    offsets: HashMap<String, i64>,
    wall_clock_ms: i64,
    on_deserialization_error: OnError,
}

/// Runs a topology synchronously (Kafka's `TopologyTestDriver`).
pub struct TopologyTestDriver {
    inner: Rc<RefCell<Inner>>,
    topology: Arc<Topology>,
}

impl TopologyTestDriver {
    /// A driver for `topology` with Streams configs `props` (`application.id` is required;
    /// `bootstrap.servers` is not used). The mock wall clock starts at 0.
    pub fn new(topology: Topology, props: &BTreeMap<String, String>) -> Result<Self> {
        Self::with_start_time(topology, props, 0)
    }

    /// A driver whose mock wall clock starts at `start_ms`.
    pub fn with_start_time(
        topology: Topology,
        props: &BTreeMap<String, String>,
        start_ms: i64,
    ) -> Result<Self> {
        let mut props = props.clone();
        props
            .entry("bootstrap.servers".into())
            .or_insert_with(|| "dummy:1234".into());
        let config = StreamsConfig::new(&props)?;
        let topology = Arc::new(topology);
        let app = config.application_id.clone();
        let t = Arc::clone(&topology);
        let topics = move |name: &str| t.broker_topic(&app, name);
        let groups = topology.node_groups();
        let app_configs = Arc::new(props.clone());
        let mut global = None;
        let mut global_topics = Vec::new();
        let mut shared: Vec<(String, Rc<RefCell<StoreCore>>)> = Vec::new();
        let mut setup = TaskSetup {
            application_id: &config.application_id,
            app_configs: Arc::clone(&app_configs),
            defaults: &config.default_serdes,
            cache: None,
            topics: &topics,
            wall_clock_ms: start_ms,
            state_dir: None,
            exactly_once: false,
            globals: &[],
        };
        if let Some(g) = groups.iter().find(|g| g.global) {
            let mut task = Task::new(&topology, g, 0, &setup)?;
            task.init()?;
            for def in &topology.globals {
                global_topics.push(def.topic.clone());
                if let Some((core, _, _)) = task.store_slot(&def.store) {
                    shared.push((def.store.clone(), core));
                }
            }
            global = Some(task);
        }
        setup.globals = &shared;
        let mut tasks = Vec::new();
        for g in groups.iter().filter(|g| !g.global) {
            let mut task = Task::new(&topology, g, 0, &setup)?;
            task.init()?;
            tasks.push(task);
        }
        Ok(TopologyTestDriver {
            inner: Rc::new(RefCell::new(Inner {
                tasks,
                global,
                global_topics,
                produced: HashMap::new(),
                offsets: HashMap::new(),
                wall_clock_ms: start_ms,
                on_deserialization_error: config.on_deserialization_error,
            })),
            topology,
        })
    }

    /// Pipes one record (bytes) into `topic` and processes everything it causes.
    pub fn pipe_raw(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        timestamp: i64,
        headers: Headers,
    ) -> Result<()> {
        self.inner
            .borrow_mut()
            .pipe(topic, key, value, timestamp, headers)
    }

    /// An input topic that serializes with `keys` and `values`.
    pub fn create_input_topic<K, V>(
        &self,
        topic: &str,
        keys: SerdeRef<K>,
        values: SerdeRef<V>,
    ) -> TestInputTopic<K, V> {
        let start = self.inner.borrow().wall_clock_ms;
        TestInputTopic {
            inner: Rc::clone(&self.inner),
            topic: topic.to_string(),
            keys,
            values,
            next_timestamp: start,
            advance_ms: 0,
        }
    }

    /// An output topic that deserializes with `keys` and `values`.
    pub fn create_output_topic<K, V>(
        &self,
        topic: &str,
        keys: SerdeRef<K>,
        values: SerdeRef<V>,
    ) -> TestOutputTopic<K, V> {
        TestOutputTopic {
            inner: Rc::clone(&self.inner),
            topic: topic.to_string(),
            keys,
            values,
        }
    }

    /// Advances the mock wall clock, running the wall-clock punctuations that fall due.
    pub fn advance_wall_clock_time(&self, by: Duration) -> Result<()> {
        let mut inner = self.inner.borrow_mut();
        inner.wall_clock_ms += by.as_millis() as i64;
        let now = inner.wall_clock_ms;
        for i in 0..inner.tasks.len() {
            inner.tasks[i].punctuate_wall_clock(now)?;
            inner.drain(i)?;
        }
        Ok(())
    }

    /// The key-value store `name` (of the task that has it), typed.
    pub fn get_key_value_store<K: Clone + 'static, V: Clone + 'static>(
        &self,
        name: &str,
    ) -> Option<KeyValueStore<K, V>> {
        let inner = self.inner.borrow();
        let task = inner
            .tasks
            .iter()
            .chain(inner.global.iter())
            .find(|t| t.store_slot(name).is_some())?;
        let (core, serdes, topic) = task.store_slot(name)?;
        let (keys, values) = serdes.downcast_ref::<(SerdeRef<K>, SerdeRef<V>)>()?;
        Some(KeyValueStore {
            core,
            keys: keys.clone(),
            values: values.clone(),
            topic,
        })
    }

    /// Every record written to `topic` and not yet read, as bytes.
    pub fn read_raw(&self, topic: &str) -> Vec<ProducedRecord> {
        self.inner
            .borrow_mut()
            .produced
            .get_mut(topic)
            .map(|q| q.drain(..).collect())
            .unwrap_or_default()
    }

    /// The topology being run.
    pub fn topology(&self) -> &Topology {
        &self.topology
    }
}

impl Drop for TopologyTestDriver {
    fn drop(&mut self) {
        if let Ok(mut inner) = self.inner.try_borrow_mut() {
            let inner = &mut *inner;
            for t in inner.tasks.iter_mut().chain(inner.global.iter_mut()) {
                t.close();
            }
        }
    }
}

impl Inner {
    fn pipe(
        &mut self,
        topic: &str,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        timestamp: i64,
        headers: Headers,
    ) -> Result<()> {
        let offset = {
            let o = self.offsets.entry(topic.to_string()).or_insert(0);
            *o += 1;
            *o - 1
        };
        if self.global_topics.iter().any(|t| t == topic) {
            if let Some(g) = self.global.as_mut() {
                g.process(topic, 0, offset, key, value, timestamp, headers.clone())?;
                let mut sink = Vec::new();
                g.take_outputs(&mut sink);
            }
        }
        let mut queue: VecDeque<Piped> = VecDeque::new();
        queue.push_back((
            topic.to_string(),
            key.map(<[u8]>::to_vec),
            value.map(<[u8]>::to_vec),
            timestamp,
            headers,
            offset,
        ));
        while let Some((topic, key, value, ts, headers, offset)) = queue.pop_front() {
            for i in 0..self.tasks.len() {
                if !self.tasks[i].reads(&topic) {
                    continue;
                }
                match self.tasks[i].process(&topic, 0, offset, key.as_deref(), value.as_deref(), ts, headers.clone()) {
                    Err(StreamsError::Serde(e)) if self.on_deserialization_error == OnError::Continue => {
                        tracing::warn!("Skipping record due to deserialization error. topic=[{topic}] offset=[{offset}]: {e}");
                    }
                    Err(StreamsError::Serde(e)) => {
                        return Err(StreamsError::Processing {
                            task: self.tasks[i].id.to_string(),
                            processor: "source".into(),
                            message: format!("Deserialization exception handler is set to fail upon a deserialization error: {e}"),
                        })
                    }
                    other => other?,
                }
                for out in self.drain_outputs(i)? {
                    let o = self.offsets.entry(out.topic.to_string()).or_insert(0);
                    *o += 1;
                    queue.push_back((
                        out.topic.to_string(),
                        out.key,
                        out.value,
                        out.timestamp,
                        out.headers,
                        *o - 1,
                    ));
                }
            }
        }
        Ok(())
    }

    /// Commits task `i` (flushing caches) and records what it wrote; returns the records for
    /// topics some task reads.
    fn drain_outputs(&mut self, i: usize) -> Result<Vec<OutRecord>> {
        self.tasks[i].flush()?;
        let mut outs = Vec::new();
        self.tasks[i].take_outputs(&mut outs);
        let mut internal = Vec::new();
        for out in outs {
            self.produced
                .entry(out.topic.to_string())
                .or_default()
                .push_back(ProducedRecord {
                    topic: out.topic.to_string(),
                    key: out.key.clone(),
                    value: out.value.clone(),
                    timestamp: out.timestamp,
                    headers: out.headers.clone(),
                });
            if self.tasks.iter().any(|t| t.reads(&out.topic)) {
                internal.push(out);
            }
        }
        Ok(internal)
    }

    fn drain(&mut self, i: usize) -> Result<()> {
        for out in self.drain_outputs(i)? {
            self.pipe(
                &out.topic,
                out.key.as_deref(),
                out.value.as_deref(),
                out.timestamp,
                out.headers,
            )?;
        }
        Ok(())
    }
}

/// An input topic of the driver (Kafka's `TestInputTopic`).
pub struct TestInputTopic<K, V> {
    inner: Rc<RefCell<Inner>>,
    topic: String,
    keys: SerdeRef<K>,
    values: SerdeRef<V>,
    next_timestamp: i64,
    advance_ms: i64,
}

impl<K, V> TestInputTopic<K, V> {
    /// Advances the timestamp of each record piped after this by `ms` (auto-advance).
    pub fn with_auto_advance(mut self, start_ms: i64, ms: i64) -> Self {
        self.next_timestamp = start_ms;
        self.advance_ms = ms;
        self
    }

    fn next_ts(&mut self) -> i64 {
        let ts = self.next_timestamp;
        self.next_timestamp += self.advance_ms;
        ts
    }

    /// Pipes a record with the topic's current timestamp.
    pub fn pipe_input(&mut self, key: Option<&K>, value: Option<&V>) -> Result<()> {
        let ts = self.next_ts();
        self.pipe_input_at(key, value, ts)
    }

    /// Pipes a record with a timestamp.
    pub fn pipe_input_at(
        &mut self,
        key: Option<&K>,
        value: Option<&V>,
        timestamp: i64,
    ) -> Result<()> {
        let k = key
            .map(|k| self.keys.serialize(&self.topic, k))
            .transpose()?;
        let v = value
            .map(|v| self.values.serialize(&self.topic, v))
            .transpose()?;
        self.inner.borrow_mut().pipe(
            &self.topic,
            k.as_deref(),
            v.as_deref(),
            timestamp,
            Vec::new(),
        )
    }

    /// Pipes a value with a null key.
    pub fn pipe_value(&mut self, value: &V) -> Result<()> {
        self.pipe_input(None, Some(value))
    }

    /// Pipes values with null keys, in order.
    pub fn pipe_value_list(&mut self, values: &[V]) -> Result<()> {
        for v in values {
            self.pipe_value(v)?;
        }
        Ok(())
    }

    /// Pipes key-value pairs, in order.
    pub fn pipe_key_value_list(&mut self, pairs: &[(K, V)]) -> Result<()> {
        for (k, v) in pairs {
            self.pipe_input(Some(k), Some(v))?;
        }
        Ok(())
    }
}

/// An output topic of the driver (Kafka's `TestOutputTopic`).
pub struct TestOutputTopic<K, V> {
    inner: Rc<RefCell<Inner>>,
    topic: String,
    keys: SerdeRef<K>,
    values: SerdeRef<V>,
}

impl<K, V> TestOutputTopic<K, V> {
    /// Reads the next record: key, value, timestamp.
    #[allow(clippy::type_complexity)]
    pub fn read_record(&self) -> Result<Option<(Option<K>, Option<V>, i64)>> {
        let next = self
            .inner
            .borrow_mut()
            .produced
            .get_mut(&self.topic)
            .and_then(VecDeque::pop_front);
        let Some(r) = next else { return Ok(None) };
        let k = r
            .key
            .as_deref()
            .map(|k| self.keys.deserialize(&self.topic, k))
            .transpose()?;
        let v = r
            .value
            .as_deref()
            .map(|v| self.values.deserialize(&self.topic, v))
            .transpose()?;
        Ok(Some((k, v, r.timestamp)))
    }

    /// Reads the next key and value (`readKeyValue`).
    pub fn read_key_value(&self) -> Result<Option<(Option<K>, Option<V>)>> {
        Ok(self.read_record()?.map(|(k, v, _)| (k, v)))
    }

    /// Reads every remaining key and value, in order.
    #[allow(clippy::type_complexity)]
    pub fn read_key_values_to_list(&self) -> Result<Vec<(Option<K>, Option<V>)>> {
        let mut out = Vec::new();
        while let Some(kv) = self.read_key_value()? {
            out.push(kv);
        }
        Ok(out)
    }

    /// Reads every remaining record into a map of the latest value per key
    /// (`readKeyValuesToMap`); a null value removes the key.
    pub fn read_key_values_to_map(&self) -> Result<BTreeMap<K, V>>
    where
        K: Ord,
    {
        let mut out = BTreeMap::new();
        for (k, v) in self.read_key_values_to_list()? {
            let Some(k) = k else {
                return Err(StreamsError::topology(
                    "readKeyValuesToMap() does not support null keys",
                ));
            };
            match v {
                Some(v) => {
                    out.insert(k, v);
                }
                None => {
                    out.remove(&k);
                }
            }
        }
        Ok(out)
    }

    /// Whether every record has been read.
    pub fn is_empty(&self) -> bool {
        self.queue_size() == 0
    }

    /// How many records are left to read.
    pub fn queue_size(&self) -> usize {
        self.inner
            .borrow()
            .produced
            .get(&self.topic)
            .map_or(0, VecDeque::len)
    }
}
