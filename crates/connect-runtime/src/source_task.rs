//! The source task loop (Kafka's `WorkerSourceTask`): poll → transforms → converters →
//! produce; source offsets are committed every `offset.flush.interval.ms` (and at shutdown)
//! for the records whose delivery was acknowledged, and only up to the first poll batch not
//! yet fully acknowledged ([`crate::submitted`]), so no committed offset ever runs ahead of a
//! record that could still be lost.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::plugin::{ConfigMap, SourceTask, SourceTaskContext};
use connect_api::{ConnectError, Result, SourceMeta, SourceRecord, Stage, Transformed, Value};
use connect_transforms::chain::TransformationChain;
use kafka::admin::{Admin, TopicSpec};
use kafka::config::{task_client_settings, ClientRole};
use kafka::producer::{Delivered, DeliveryListener, Producer};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{SourceConfig, WorkerConfig};
use crate::convert::RecordConverters;
use crate::dlq::{DeadLetterQueue, SourceDeadLetters};
use crate::errors::{ErrorHandler, Failure};
use crate::offsets::codec::ConnectorOffsets;
use crate::offsets::{OffsetCodec, OffsetStore};
use crate::status::TaskReporter;
use crate::submitted::{BatchOffsets, PartitionKey, Submitted};
use crate::target::{is_paused, TargetReceiver};
use crate::topics::TopicTracker;

/// The delivery listener of a source task's producer.
#[derive(Debug, Default)]
struct Acks {
    submitted: Mutex<Submitted>,
    /// Tolerate delivery failures (`errors.tolerance=all`): count the record as done.
    tolerate: bool,
}

impl Acks {
    fn lock(&self) -> std::sync::MutexGuard<'_, Submitted> {
        self.submitted.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl DeliveryListener for Acks {
    fn delivered(&self, records: &[(u64, Delivered)]) {
        let mut s = self.lock();
        for (seq, _) in records {
            s.ack(*seq);
        }
    }

    fn failed(&self, seq: u64, error: ConnectError) {
        let mut s = self.lock();
        if self.tolerate {
            tracing::error!("{error} (errors.tolerance=all: the record is skipped)");
            s.ack(seq);
        } else if s.failure.is_none() {
            s.failure = Some(error);
        }
    }
}

/// Everything a source task loop needs.
pub struct SourceTaskSpec {
    /// The worker config.
    pub worker: Arc<WorkerConfig>,
    /// The connector config.
    pub connector: SourceConfig,
    /// The task id.
    pub task_id: u32,
    /// The task config.
    pub task_config: ConfigMap,
    /// The offsets store.
    pub offsets: Arc<dyn OffsetStore>,
    /// The offset codec.
    pub codec: Arc<OffsetCodec>,
    /// Status reporting.
    pub status: TaskReporter,
    /// The connector's target state: the loop holds still while it is `PAUSED`.
    pub target: TargetReceiver,
    /// Records the topics produced to (`None` when `topic.tracking.enable=false`).
    pub topics: Option<TopicTracker>,
}

struct Loop {
    spec: SourceTaskSpec,
    converters: RecordConverters,
    chain: TransformationChain<SourceMeta>,
    producer: Arc<Producer>,
    acks: Arc<Acks>,
    errors: ErrorHandler,
    admin: Option<Admin>,
    known_topics: HashSet<String>,
    last_partition: Option<(Arc<Value>, PartitionKey)>,
    /// Encodes failed records for the dead letter queue, when there is one.
    dead_letters: Option<SourceDeadLetters>,
}

/// Runs a source task until `shutdown`; the task's state is reported through the spec's
/// reporter (a failure leaves it `FAILED` with its trace).
pub async fn run(spec: SourceTaskSpec, task: Box<dyn SourceTask>, shutdown: CancellationToken) {
    let status = spec.status.clone();
    match setup(spec).await {
        Ok(state) => {
            if let Err(e) = state.run(task, shutdown).await {
                status.failed(crate::errors::trace(&e, crate::errors::exception_class(&e)));
            }
        }
        Err(e) => status.failed(crate::errors::trace(&e, crate::errors::exception_class(&e))),
    }
}

async fn setup(spec: SourceTaskSpec) -> Result<Loop> {
    let name = spec.connector.common.name.clone();
    let worker_base = spec.worker.client_base();
    let originals = &spec.connector.common.originals;
    let converters = RecordConverters::from_configs(&spec.worker.originals, originals)?;
    let chain = TransformationChain::from_config(originals)?;
    let acks = Arc::new(Acks {
        submitted: Mutex::new(Submitted::default()),
        tolerate: spec.connector.common.errors.tolerance == crate::config::Tolerance::All,
    });
    let settings = task_client_settings(
        ClientRole::Producer,
        &worker_base,
        originals,
        &name,
        spec.task_id,
    )?;
    let producer = Arc::new(Producer::new(&settings, acks.clone())?);
    let admin = if spec.connector.topic_creation.is_empty() {
        None
    } else {
        let settings = task_client_settings(
            ClientRole::Admin,
            &worker_base,
            originals,
            &name,
            spec.task_id,
        )?;
        Some(Admin::new(&settings)?)
    };
    let (dlq, dead_letters) = match &spec.connector.dlq {
        None => (None, None),
        Some(config) => (
            Some(
                DeadLetterQueue::open(config, &worker_base, originals, &name, spec.task_id).await?,
            ),
            Some(SourceDeadLetters::new()?),
        ),
    };
    let errors = ErrorHandler::new(
        spec.connector.common.errors.clone(),
        &name,
        spec.task_id,
        dlq,
    );
    Ok(Loop {
        spec,
        converters,
        chain,
        producer,
        acks,
        errors,
        admin,
        known_topics: HashSet::new(),
        last_partition: None,
        dead_letters,
    })
}

impl Loop {
    fn name(&self) -> &str {
        &self.spec.connector.common.name
    }

    async fn run(
        mut self,
        mut task: Box<dyn SourceTask>,
        shutdown: CancellationToken,
    ) -> Result<()> {
        let reader = Arc::new(ConnectorOffsets::new(
            self.name(),
            Arc::clone(&self.spec.codec),
            Arc::clone(&self.spec.offsets),
        ));
        let context = SourceTaskContext { offsets: reader };
        task.start(&self.spec.task_config, context).await?;
        self.spec.status.running();
        let interval = self
            .spec
            .worker
            .offset_flush_interval
            .max(Duration::from_millis(10));
        let mut next_commit = Instant::now() + interval;
        let mut poll_backoff = Duration::from_millis(100);
        // one batch buffer for the task's life: polls append to it, sending drains it
        let mut batch: Vec<SourceRecord> = Vec::new();
        let result = loop {
            if is_paused(&self.spec.target) && !self.hold_while_paused(&mut task, &shutdown).await {
                break Ok(());
            }
            // only shutdown interrupts a poll: a poll dropped midway may lose what it read
            let polled = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break Ok(()),
                polled = task.poll_into(&mut batch) => polled,
            };
            match polled {
                Ok(()) => poll_backoff = Duration::from_millis(100),
                Err(e) if e.is_retriable() => {
                    batch.clear();
                    tracing::warn!("{}: poll failed, retrying: {e}", self.spec.status.id());
                    tokio::time::sleep(poll_backoff).await;
                    poll_backoff = (poll_backoff * 2).min(Duration::from_secs(10));
                    continue;
                }
                Err(e) => break Err(e),
            }
            if let Err(e) = self.send_all(&mut batch).await {
                break Err(e);
            }
            // delivery reports ready now are served here, between batches, where the memory of
            // delivered records is freed on the thread that allocates it next
            self.producer.serve_reports();
            if let Some(e) = self.acks.lock().failure.take() {
                break Err(e);
            }
            if Instant::now() >= next_commit {
                self.commit(&mut task).await;
                next_commit = Instant::now() + interval;
            }
        };
        // Shutdown (or failure): wait for what is in flight, commit what was delivered.
        let producer = Arc::clone(&self.producer);
        let timeout = self.spec.worker.offset_flush_timeout;
        let flushed = tokio::task::spawn_blocking(move || producer.flush(timeout)).await;
        if let Ok(Err(e)) = flushed {
            tracing::warn!("{}: {e}", self.spec.status.id());
        }
        self.commit(&mut task).await;
        if let Err(e) = task.stop().await {
            tracing::warn!("{}: stop failed: {e}", self.spec.status.id());
        }
        if result.is_ok() {
            self.spec.status.unassigned();
        }
        result
    }

    /// The offset key of a source partition, cached for runs of records of one partition.
    /// While the connector is paused: commits what was delivered, then waits for a resume
    /// (`true`) or shutdown (`false`), committing as acknowledgements come in.
    async fn hold_while_paused(
        &mut self,
        task: &mut Box<dyn SourceTask>,
        shutdown: &CancellationToken,
    ) -> bool {
        self.spec.status.paused();
        tracing::info!("{} paused", self.spec.status.id());
        let mut target = self.spec.target.clone();
        let resumed = loop {
            self.producer.serve_reports();
            self.commit(task).await;
            if !is_paused(&target) {
                break true;
            }
            tokio::select! {
                _ = shutdown.cancelled() => break false,
                changed = target.changed() => {
                    if changed.is_err() {
                        // the worker dropped the connector: shutdown follows
                        shutdown.cancelled().await;
                        break false;
                    }
                }
                _ = tokio::time::sleep(self.spec.worker.offset_flush_interval.max(Duration::from_millis(10))) => {}
            }
        };
        if resumed {
            self.spec.status.running();
            tracing::info!("{} resumed", self.spec.status.id());
        }
        resumed
    }

    fn partition_key(&mut self, partition: &Arc<Value>) -> Result<Option<PartitionKey>> {
        if partition.is_null() {
            return Ok(None);
        }
        if let Some((p, k)) = &self.last_partition {
            if Arc::ptr_eq(p, partition) || **p == **partition {
                return Ok(Some(Arc::clone(k)));
            }
        }
        let key: PartitionKey = self.spec.codec.key(self.name(), partition)?.into();
        self.last_partition = Some((Arc::clone(partition), Arc::clone(&key)));
        Ok(Some(key))
    }

    /// Sends the records of one poll, leaving `records` empty.
    async fn send_all(&mut self, records: &mut Vec<SourceRecord>) -> Result<()> {
        let sent = self.send_batch(records).await;
        records.clear();
        sent
    }

    /// Sends the records of one poll where they lie (each is emptied as it is converted).
    async fn send_batch(&mut self, records: &mut [SourceRecord]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut offsets = BatchOffsets::default();
        let keep_offsets = self.dead_letters.is_some();
        for record in records.iter_mut() {
            if let Some(key) = self.partition_key(&record.meta.source_partition)? {
                let offset = if keep_offsets {
                    // a dead-lettered record carries its offset
                    record.meta.source_offset.clone()
                } else {
                    std::mem::take(&mut record.meta.source_offset)
                };
                offsets.set(key, offset);
            }
        }
        let first_seq = self.acks.lock().push_batch(records.len() as u64, offsets);
        for (seq, record) in (first_seq..).zip(records.iter_mut()) {
            let errors = &self.spec.connector.common.errors;
            let describe =
                (errors.log_enable && errors.log_include_messages).then(|| format!("{record:?}"));
            // the record as the connector produced it, for the dead letter queue
            let original = self.dead_letters.as_ref().map(|_| record.clone());
            let dead_letter = |original: Option<SourceRecord>| {
                original.and_then(|r| self.dead_letters.as_ref().map(|d| d.raw(&r)))
            };
            match self.chain.apply_in_place(record) {
                Ok(Transformed::Keep) => {}
                Ok(Transformed::Drop) => {
                    self.acks.lock().ack(seq);
                    continue;
                }
                Err(e) => {
                    let class = e.class.to_string();
                    let error = e.into_source();
                    self.errors
                        .handle(Failure {
                            stage: Stage::Transformation,
                            class: &class,
                            error: &error,
                            record: None,
                            dead_letter: dead_letter(original),
                            describe,
                        })
                        .await?;
                    self.acks.lock().ack(seq);
                    continue;
                }
            }
            let raw = match self.converters.from_source_record(record) {
                Ok(raw) => raw,
                Err(e) => {
                    self.errors
                        .handle(Failure {
                            stage: e.stage,
                            class: &e.class,
                            error: &e.source,
                            record: None,
                            dead_letter: dead_letter(original),
                            describe,
                        })
                        .await?;
                    self.acks.lock().ack(seq);
                    continue;
                }
            };
            self.ensure_topic(&raw.topic).await?;
            if let Some(t) = self.spec.topics.as_mut() {
                t.record(&raw.topic);
            }
            self.producer.send(&raw, seq).await?;
        }
        Ok(())
    }

    /// Creates a topic the first time a record goes to it, when KIP-158 topic creation is
    /// configured for the connector.
    async fn ensure_topic(&mut self, topic: &str) -> Result<()> {
        let Some(admin) = &self.admin else {
            return Ok(());
        };
        if self.known_topics.contains(topic) {
            return Ok(());
        }
        if let Some(group) = self.spec.connector.creation_group(topic) {
            let spec = TopicSpec {
                name: topic.to_string(),
                partitions: group.partitions,
                replication_factor: group.replication_factor,
                configs: group.configs.clone(),
            };
            let mut attempt = 0;
            let created = loop {
                match admin.create_topic(&spec).await {
                    Err(e) if e.is_retriable() && attempt < 5 => {
                        attempt += 1;
                        tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
                    }
                    other => break other,
                }
            };
            if created? {
                tracing::info!(
                    "Created topic '{topic}' ({} partitions, replication factor {}) for connector {}",
                    group.partitions,
                    group.replication_factor,
                    self.name()
                );
            }
        }
        self.known_topics.insert(topic.to_string());
        Ok(())
    }

    /// Commits the offsets of acknowledged records, then calls the task's `commit`.
    async fn commit(&mut self, task: &mut Box<dyn SourceTask>) {
        // records skipped into the dead letter queue count as done: their dead letters must
        // be delivered before an offset past them is stored
        let timeout = self.spec.worker.offset_flush_timeout;
        if let Err(e) = self.errors.flush_dlq(timeout).await {
            tracing::warn!(
                "{}: dead letter queue not flushed, commit skipped: {e}",
                self.spec.status.id()
            );
            return;
        }
        let committable = self.acks.lock().committable();
        if committable.is_empty() {
            return;
        }
        let mut entries = Vec::with_capacity(committable.len());
        for (k, offset) in committable {
            match self.spec.codec.value(&offset) {
                Ok(v) => entries.push((k.to_vec(), v)),
                Err(e) => tracing::error!(
                    "{}: offset {offset} cannot be stored: {e}",
                    self.spec.status.id()
                ),
            }
        }
        let store = Arc::clone(&self.spec.offsets);
        let stored = tokio::task::spawn_blocking(move || store.put_all(entries)).await;
        match stored {
            Ok(Ok(())) => {
                if let Err(e) = task.commit().await {
                    tracing::warn!("{}: commit failed: {e}", self.spec.status.id());
                }
            }
            Ok(Err(e)) => {
                tracing::error!("{}: could not commit offsets: {e}", self.spec.status.id())
            }
            Err(e) => tracing::error!("{}: could not commit offsets: {e}", self.spec.status.id()),
        }
    }
}
