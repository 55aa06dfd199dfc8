//! The sink task loop (Kafka's `WorkerSinkTask`): consume → converters → transforms → `put`;
//! every `offset.flush.interval.ms` (or when the task asks) `pre_commit` says which offsets
//! are safe and they are committed to the consumer group `connect-<name>`. Failed records go
//! to `errors.tolerance` and the dead letter queue; their offsets advance like the others'.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use connect_api::plugin::{ConfigMap, SinkOffsets, SinkTask, SinkTaskContext, TopicPartition};
use connect_api::{ConnectError, Result, SinkMeta, SinkRecord, Stage, Transformed};
use connect_transforms::chain::TransformationChain;
use kafka::config::{task_client_settings, ClientRole};
use kafka::consumer::{ConsumerEvent, SinkConsumer, Subscription};
use kafka::record::RawRecord;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{SinkConfig, Topics, WorkerConfig};
use crate::convert::RecordConverters;
use crate::dlq::DeadLetterQueue;
use crate::errors::{ErrorHandler, Failure};
use crate::status::TaskReporter;
use crate::target::{is_paused, TargetReceiver};
use crate::topics::TopicTracker;

/// Kafka's `max.poll.records` default: the largest batch given to `put`.
const DEFAULT_MAX_POLL_RECORDS: usize = 500;

/// Everything a sink task loop needs.
pub struct SinkTaskSpec {
    /// The worker config.
    pub worker: Arc<WorkerConfig>,
    /// The connector config.
    pub connector: SinkConfig,
    /// The task id.
    pub task_id: u32,
    /// The task config.
    pub task_config: ConfigMap,
    /// Status reporting.
    pub status: TaskReporter,
    /// The connector's target state: while it is `PAUSED` the consumer is paused and
    /// nothing is put.
    pub target: TargetReceiver,
    /// Records the topics consumed from (`None` when `topic.tracking.enable=false`).
    pub topics: Option<TopicTracker>,
}

struct Loop {
    spec: SinkTaskSpec,
    converters: RecordConverters,
    chain: TransformationChain<SinkMeta>,
    errors: ErrorHandler,
    context: SinkTaskContext,
    /// Offsets of everything consumed and handled (put or skipped), per partition.
    current: SinkOffsets,
    /// What was committed last.
    committed: SinkOffsets,
}

/// Runs a sink task until `shutdown`; the task's state is reported through the spec's
/// reporter (a failure leaves it `FAILED` with its trace).
pub async fn run(spec: SinkTaskSpec, task: Box<dyn SinkTask>, shutdown: CancellationToken) {
    let status = spec.status.clone();
    let result = match setup(spec).await {
        Ok((state, consumer)) => state.run(task, consumer, shutdown).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        status.failed(crate::errors::trace(&e, crate::errors::exception_class(&e)));
    }
}

async fn setup(spec: SinkTaskSpec) -> Result<(Loop, SinkConsumer)> {
    let name = spec.connector.common.name.clone();
    let originals = spec.connector.common.originals.clone();
    let worker_base = spec.worker.client_base();
    let converters = RecordConverters::from_configs(&spec.worker.originals, &originals)?;
    let chain = TransformationChain::from_config(&originals)?;
    let dlq = match &spec.connector.dlq {
        None => None,
        Some(config) => Some(
            DeadLetterQueue::open(config, &worker_base, &originals, &name, spec.task_id).await?,
        ),
    };
    let errors = ErrorHandler::new(
        spec.connector.common.errors.clone(),
        &name,
        spec.task_id,
        dlq,
    );
    let settings = task_client_settings(
        ClientRole::Consumer,
        &worker_base,
        &originals,
        &name,
        spec.task_id,
    )?;
    let max_batch = settings
        .get("max.poll.records")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(DEFAULT_MAX_POLL_RECORDS);
    let subscription = match &spec.connector.topics {
        Topics::List(t) => Subscription::Topics(t.clone()),
        Topics::Regex(r) => Subscription::Pattern(r.clone()),
    };
    let consumer = SinkConsumer::start(&settings, subscription, max_batch)?;
    // Kafka gives tasks an errant record reporter when failures go somewhere
    let context = if spec.connector.dlq.is_some() || spec.connector.common.errors.log_enable {
        SinkTaskContext::with_errant_record_reporter()
    } else {
        SinkTaskContext::new()
    };
    Ok((
        Loop {
            spec,
            converters,
            chain,
            errors,
            context,
            current: SinkOffsets::new(),
            committed: SinkOffsets::new(),
        },
        consumer,
    ))
}

impl Loop {
    async fn run(
        mut self,
        mut task: Box<dyn SinkTask>,
        mut consumer: SinkConsumer,
        shutdown: CancellationToken,
    ) -> Result<()> {
        if let Err(e) = task
            .start(&self.spec.task_config, self.context.clone())
            .await
        {
            consumer.shutdown().await;
            return Err(e);
        }
        self.spec.status.running();
        let interval = self
            .spec
            .worker
            .offset_flush_interval
            .max(Duration::from_millis(10));
        let mut next_commit = Instant::now() + interval;
        let mut assigned: Vec<TopicPartition> = Vec::new();
        let mut target = self.spec.target.clone();
        let mut target_open = true;
        let mut paused = false;
        // batches fetched before a pause took effect, put after the resume
        let mut held: VecDeque<Vec<RawRecord>> = VecDeque::new();
        let result: Result<()> = loop {
            if is_paused(&target) != paused {
                paused = !paused;
                if let Err(e) = consumer.set_paused(paused) {
                    break Err(e);
                }
                if paused {
                    self.spec.status.paused();
                    tracing::info!("{} paused", self.spec.status.id());
                } else {
                    self.spec.status.running();
                    tracing::info!("{} resumed", self.spec.status.id());
                    let mut step = Ok(());
                    while let Some(batch) = held.pop_front() {
                        step = self.deliver(&mut task, batch, &shutdown).await;
                        if step.is_err() {
                            break;
                        }
                    }
                    if let Err(e) = step {
                        break Err(e);
                    }
                }
            }
            let event = tokio::select! {
                biased;
                _ = shutdown.cancelled() => break Ok(()),
                changed = target.changed(), if target_open => {
                    // a closed channel: the worker dropped the connector, shutdown follows
                    target_open = changed.is_ok();
                    continue;
                }
                _ = tokio::time::sleep_until(next_commit) => {
                    if let Err(e) = self.commit(&mut task, &consumer, false).await {
                        break Err(e);
                    }
                    next_commit = Instant::now() + interval;
                    continue;
                }
                event = consumer.next() => event,
            };
            let step = match event {
                None => break Err(ConnectError::other("the consumer stopped unexpectedly")),
                Some(ConsumerEvent::Records(batch)) if paused => {
                    held.push_back(batch);
                    Ok(())
                }
                Some(ConsumerEvent::Records(batch)) => {
                    self.deliver(&mut task, batch, &shutdown).await
                }
                Some(ConsumerEvent::Assigned(tps)) => {
                    assigned.extend(tps.iter().cloned());
                    task.open(&tps).await
                }
                Some(ConsumerEvent::Revoked(tps, reply)) => {
                    // held records of revoked partitions are read again by their next owner
                    for batch in held.iter_mut() {
                        batch.retain(|r| {
                            !r.partition
                                .is_some_and(|p| tps.contains(&TopicPartition::new(&*r.topic, p)))
                        });
                    }
                    let offsets = self.revoke(&mut task, &tps).await;
                    assigned.retain(|tp| !tps.contains(tp));
                    let _ = reply.send(offsets);
                    Ok(())
                }
                Some(ConsumerEvent::Error(e)) => {
                    tracing::warn!("{}: {e}", self.spec.status.id());
                    Ok(())
                }
            };
            if let Err(e) = step {
                break Err(e);
            }
            if Instant::now() >= next_commit || self.context.take_commit_request() {
                if let Err(e) = self.commit(&mut task, &consumer, false).await {
                    break Err(e);
                }
                next_commit = Instant::now() + interval;
            }
        };
        if result.is_ok() {
            if let Err(e) = self.commit(&mut task, &consumer, true).await {
                tracing::warn!("{}: final commit failed: {e}", self.spec.status.id());
            }
        }
        if let Err(e) = task.close(&assigned).await {
            tracing::warn!("{}: close failed: {e}", self.spec.status.id());
        }
        if let Err(e) = task.stop().await {
            tracing::warn!("{}: stop failed: {e}", self.spec.status.id());
        }
        consumer.shutdown().await;
        if result.is_ok() {
            self.spec.status.unassigned();
        }
        result
    }

    /// Converts, transforms and `put`s one consumed batch.
    async fn deliver(
        &mut self,
        task: &mut Box<dyn SinkTask>,
        batch: Vec<RawRecord>,
        shutdown: &CancellationToken,
    ) -> Result<()> {
        let mut records: Vec<SinkRecord> = Vec::with_capacity(batch.len());
        if let Some(t) = self.spec.topics.as_mut() {
            for raw in &batch {
                t.record(&raw.topic);
            }
        }
        for raw in &batch {
            if let Some(record) = self.convert(raw).await? {
                records.push(record);
            }
        }
        // offsets advance only once the batch is put (or every record was skipped): a batch
        // still failing when the task stops is read again by the next run
        let advance = |current: &mut SinkOffsets| {
            for raw in &batch {
                if let (Some(p), Some(o)) = (raw.partition, raw.offset) {
                    current.insert(TopicPartition::new(&*raw.topic, p), o + 1);
                }
            }
        };
        if records.is_empty() {
            advance(&mut self.current);
            return Ok(());
        }
        // a retriable put gets the same batch again
        loop {
            match task.put(&records).await {
                Ok(()) => {
                    self.handle_errant(&batch).await?;
                    advance(&mut self.current);
                    return Ok(());
                }
                Err(e) if e.is_retriable() => {
                    let wait = self.context.retry_timeout_ms().unwrap_or(100) as u64;
                    tracing::warn!(
                        "{}: put failed, retrying in {wait} ms: {e}",
                        self.spec.status.id()
                    );
                    tokio::select! {
                        _ = shutdown.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(Duration::from_millis(wait)) => {}
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Records the task reported as unwritable during `put` fail in stage `TASK_PUT`:
    /// tolerated (logged, dead-lettered) or failing the task, as `errors.tolerance` says.
    async fn handle_errant(&mut self, batch: &[RawRecord]) -> Result<()> {
        let class = self
            .spec
            .task_config
            .get("task.class")
            .cloned()
            .unwrap_or_default();
        for errant in self.context.take_errant_records() {
            let raw = batch.iter().find(|r| {
                *r.topic == *errant.topic
                    && r.partition == Some(errant.partition)
                    && r.offset == Some(errant.offset)
            });
            self.errors
                .handle(Failure {
                    stage: Stage::TaskPut,
                    class: &class,
                    error: &errant.error,
                    record: raw,
                    describe: None,
                    dead_letter: None,
                })
                .await?;
        }
        Ok(())
    }

    async fn convert(&mut self, raw: &RawRecord) -> Result<Option<SinkRecord>> {
        let converters = &self.converters;
        let converted = self
            .errors
            .retry_when(|| converters.to_sink_record(raw), |e| e.is_retriable())
            .await;
        let mut record = match converted {
            Ok(r) => r,
            Err(e) => {
                self.errors
                    .handle(Failure {
                        stage: e.stage,
                        class: &e.class,
                        error: &e.source,
                        record: Some(raw),
                        describe: None,
                        dead_letter: None,
                    })
                    .await?;
                return Ok(None);
            }
        };
        match self.chain.apply_in_place(&mut record) {
            Ok(Transformed::Keep) => Ok(Some(record)),
            Ok(Transformed::Drop) => Ok(None),
            Err(e) => {
                let class = e.class.to_string();
                let error = e.into_source();
                self.errors
                    .handle(Failure {
                        stage: Stage::Transformation,
                        class: &class,
                        error: &error,
                        record: Some(raw),
                        describe: None,
                        dead_letter: None,
                    })
                    .await?;
                Ok(None)
            }
        }
    }

    /// Flushes the task and commits what `pre_commit` allows (after the dead letter queue
    /// holds every record reported to it).
    async fn commit(
        &mut self,
        task: &mut Box<dyn SinkTask>,
        consumer: &SinkConsumer,
        wait: bool,
    ) -> Result<()> {
        if self.current == self.committed {
            return Ok(());
        }
        let offsets = match task.pre_commit(&self.current).await {
            Ok(o) => o,
            Err(e) if e.is_retriable() || e.is_data() => {
                tracing::warn!(
                    "{}: offset commit skipped, pre_commit failed: {e}",
                    self.spec.status.id()
                );
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        let timeout = self.spec.worker.offset_flush_timeout;
        if let Err(e) = self.errors.flush_dlq(timeout).await {
            tracing::warn!(
                "{}: dead letter queue not flushed, commit skipped: {e}",
                self.spec.status.id()
            );
            return Ok(());
        }
        let committed = if wait {
            consumer.commit_sync(&offsets).await
        } else {
            consumer.commit_async(&offsets)
        };
        match committed {
            Ok(()) => {
                self.committed = self.current.clone();
                Ok(())
            }
            Err(e) => {
                tracing::warn!("{}: offset commit failed: {e}", self.spec.status.id());
                Ok(())
            }
        }
    }

    /// Partitions taken away: flush them, close them, and answer the offsets to commit.
    async fn revoke(
        &mut self,
        task: &mut Box<dyn SinkTask>,
        tps: &[TopicPartition],
    ) -> SinkOffsets {
        let mine: SinkOffsets = self
            .current
            .iter()
            .filter(|(tp, _)| tps.contains(tp))
            .map(|(tp, o)| (tp.clone(), *o))
            .collect();
        let offsets = match task.pre_commit(&mine).await {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(
                    "{}: pre_commit of revoked partitions failed: {e}",
                    self.spec.status.id()
                );
                SinkOffsets::new()
            }
        };
        if let Err(e) = task.close(tps).await {
            tracing::warn!("{}: close failed: {e}", self.spec.status.id());
        }
        for tp in tps {
            self.current.remove(tp);
            self.committed.remove(tp);
        }
        offsets
    }
}
