//! Running a topology against a broker (Kafka's `KafkaStreams`): internal topics are created,
//! then `num.stream.threads` stream threads join the application's consumer group and run the
//! tasks of the partitions they are assigned.

mod clients;
mod consumed;
mod process_id;
mod restore;
mod thread;
mod topics;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use kafka::rdkafka::consumer::BaseConsumer;

use crate::config::StreamsConfig;
use crate::error::{Result, StreamsError};
use crate::topology::Topology;

/// The life cycle of an instance (Kafka's `KafkaStreams.State`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Built, not started.
    Created,
    /// Started; threads are joining the group.
    Rebalancing,
    /// Every thread has tasks assigned (or the group has no more partitions for it).
    Running,
    /// Closing.
    PendingShutdown,
    /// Closed.
    NotRunning,
    /// A thread failed.
    Error,
}

/// What an instance's threads have done so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Metrics {
    /// Input records processed.
    pub processed: u64,
    /// Commits (each flushes caches and commits offsets, in a transaction under exactly-once).
    pub commits: u64,
    /// Transactions committed (exactly-once).
    pub transactions_committed: u64,
    /// Transactions aborted after a failed commit (exactly-once).
    pub transactions_aborted: u64,
    /// Offset commits sent into transactions (`sendOffsetsToTransaction`).
    pub offsets_sent_to_transactions: u64,
}

/// A running Streams application instance.
pub struct KafkaStreams {
    topology: Arc<Topology>,
    config: Arc<StreamsConfig>,
    shared: Arc<thread::Shared>,
    threads: Vec<JoinHandle<Result<()>>>,
    state: State,
}

impl KafkaStreams {
    /// An instance of `topology` with `config`; nothing connects until [`start`](Self::start).
    pub fn new(topology: Topology, config: StreamsConfig) -> KafkaStreams {
        KafkaStreams {
            topology: Arc::new(topology),
            config: Arc::new(config),
            shared: Arc::new(thread::Shared {
                shutdown: AtomicBool::new(false),
                errors: Mutex::new(Vec::new()),
                assigned: AtomicUsize::new(0),
                counters: thread::Counters::default(),
            }),
            threads: Vec::new(),
            state: State::Created,
        }
    }

    /// Creates the internal topics and starts the stream threads. Fails when a source topic
    /// is missing, co-partitioned topics differ in partitions, or a client cannot be created.
    pub fn start(&mut self) -> Result<()> {
        if self.state != State::Created {
            return Err(StreamsError::topology(
                "KafkaStreams can only be started once",
            ));
        }
        let metadata_client: BaseConsumer = clients::create(
            &clients::restore_consumer(&self.config, "admin")?,
            "metadata client",
        )?;
        let plan = topics::plan(&self.topology, &self.config, &metadata_client)?;
        drop(metadata_client);
        topics::create(&self.config, &plan)?;
        let plan = Arc::new(plan);
        let process_id = process_id::load_or_create(&self.config)?;
        for index in 0..self.config.num_stream_threads {
            let spec = thread::ThreadSpec {
                index,
                topology: Arc::clone(&self.topology),
                config: Arc::clone(&self.config),
                plan: Arc::clone(&plan),
                process_id: process_id.clone(),
                shared: Arc::clone(&self.shared),
            };
            let shared = Arc::clone(&self.shared);
            let handle = std::thread::Builder::new()
                .name(format!(
                    "{}-StreamThread-{}",
                    self.config.client_id,
                    index + 1
                ))
                .spawn(move || {
                    let result = thread::run(spec);
                    if let Err(e) = &result {
                        tracing::error!("stream-thread {} failed: {e}", index + 1);
                        if let Ok(mut errors) = shared.errors.lock() {
                            errors.push(e.to_string());
                        }
                    }
                    result
                })
                .map_err(|e| {
                    StreamsError::kafka(format!("could not start a stream thread: {e}"), false)
                })?;
            self.threads.push(handle);
        }
        self.state = State::Rebalancing;
        Ok(())
    }

    /// The instance's state.
    pub fn state(&mut self) -> State {
        if matches!(self.state, State::Rebalancing | State::Running) {
            if self
                .shared
                .errors
                .lock()
                .map(|e| !e.is_empty())
                .unwrap_or(true)
            {
                self.state = State::Error;
            } else if self.shared.assigned.load(Ordering::Relaxed) >= self.threads.len() {
                self.state = State::Running;
            }
        }
        self.state
    }

    /// Counts of what the threads did.
    pub fn metrics(&self) -> Metrics {
        let c = &self.shared.counters;
        let get = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed);
        Metrics {
            processed: get(&c.processed),
            commits: get(&c.commits),
            transactions_committed: get(&c.transactions_committed),
            transactions_aborted: get(&c.transactions_aborted),
            offsets_sent_to_transactions: get(&c.offsets_sent_to_transactions),
        }
    }

    /// The first error a thread failed with, if any.
    pub fn error(&self) -> Option<String> {
        self.shared
            .errors
            .lock()
            .ok()
            .and_then(|e| e.first().cloned())
    }

    /// Stops the threads after a last commit, and waits up to `timeout` for them. Returns the
    /// first error a thread failed with.
    pub fn close(&mut self, timeout: Duration) -> Result<()> {
        self.state = State::PendingShutdown;
        self.shared.shutdown.store(true, Ordering::Relaxed);
        let deadline = std::time::Instant::now() + timeout;
        let mut first = None;
        for handle in self.threads.drain(..) {
            while !handle.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            if !handle.is_finished() {
                first.get_or_insert(StreamsError::kafka(
                    "a stream thread did not stop in time",
                    true,
                ));
                continue;
            }
            match handle.join() {
                Ok(Err(e)) => {
                    first.get_or_insert(e);
                }
                Err(_) => {
                    first.get_or_insert(StreamsError::kafka("a stream thread panicked", false));
                }
                Ok(Ok(())) => {}
            }
        }
        match first {
            Some(e) => {
                self.state = State::Error;
                Err(e)
            }
            None => {
                self.state = State::NotRunning;
                Ok(())
            }
        }
    }
}

impl Drop for KafkaStreams {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            let _ = self.close(Duration::from_secs(30));
        }
    }
}
