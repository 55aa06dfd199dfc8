//! The Processor API: processors with `init`/`process`/`close`, the context they forward
//! records through, punctuations, and the erased node form a task runs.

use std::marker::PhantomData;
use std::time::Duration;

use crate::error::{Result, StreamsError};
use crate::record::{Erased, Record, RecordMetadata};
use crate::state::KeyValueStore;
use crate::task::{TaskEnv, TaskId};

/// What drives a punctuation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PunctuationType {
    /// Stream time: advanced only by the timestamps of records the task processes.
    StreamTime,
    /// The system clock (in the test driver, its mock clock).
    WallClockTime,
}

/// A scheduled punctuation, as `schedule` returns it (Kafka's `Cancellable`); cancel it with
/// [`ProcessorContext::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cancellable(pub(crate) u64);

/// A record processor (Kafka's `processor.api.Processor`). One instance runs per task, on that
/// task's stream thread.
pub trait Processor<KIn, VIn, KOut, VOut> {
    /// Called once when the task starts, before any record; get stores and schedule
    /// punctuations here. An `Err` fails the task.
    fn init(&mut self, _ctx: &mut ProcessorContext<'_, '_, KOut, VOut>) -> Result<()> {
        Ok(())
    }

    /// Called for each record a parent forwards. An `Err` goes to
    /// `processing.exception.handler` (fail the thread, or log and skip the record).
    fn process(
        &mut self,
        record: Record<KIn, VIn>,
        ctx: &mut ProcessorContext<'_, '_, KOut, VOut>,
    ) -> Result<()>;

    /// Called when a punctuation scheduled by this processor is due, with the stream time or
    /// system time it fired at. An `Err` fails the thread.
    fn punctuate(
        &mut self,
        _punctuation: Cancellable,
        _timestamp: i64,
        _ctx: &mut ProcessorContext<'_, '_, KOut, VOut>,
    ) -> Result<()> {
        Ok(())
    }

    /// Called once when the task closes (rebalance or shutdown). Errors are logged by the
    /// processor itself; closing continues.
    fn close(&mut self) {}
}

/// Makes one processor per task (Kafka's `ProcessorSupplier`).
pub trait ProcessorSupplier<KIn, VIn, KOut, VOut>: Send + Sync {
    /// Called when a task is created. Must return a new instance each time.
    fn get(&self) -> Box<dyn Processor<KIn, VIn, KOut, VOut>>;
}

impl<F, KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> for F
where
    F: Fn() -> Box<dyn Processor<KIn, VIn, KOut, VOut>> + Send + Sync,
{
    fn get(&self) -> Box<dyn Processor<KIn, VIn, KOut, VOut>> {
        self()
    }
}

/// Where a forwarded record goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// Every child.
    All,
    /// One child, by its index in the task.
    Child(usize),
}

/// The erased context a node runs with.
pub(crate) struct NodeCtx<'a> {
    pub node: usize,
    pub forwards: &'a mut Vec<(Target, Erased)>,
    pub env: &'a mut TaskEnv,
}

/// A processor's view of its task (Kafka's `processor.api.ProcessorContext`).
pub struct ProcessorContext<'a, 'b, KOut, VOut> {
    pub(crate) inner: &'a mut NodeCtx<'b>,
    pub(crate) _types: PhantomData<fn(KOut, VOut)>,
}

impl<'a, 'b, KOut: Clone + 'static, VOut: Clone + 'static> ProcessorContext<'a, 'b, KOut, VOut> {
    pub(crate) fn new(inner: &'a mut NodeCtx<'b>) -> Self {
        ProcessorContext {
            inner,
            _types: PhantomData,
        }
    }

    /// Sends `record` to every child, which processes it once this processor returns.
    pub fn forward(&mut self, record: Record<KOut, VOut>) {
        self.inner
            .forwards
            .push((Target::All, Erased::from_typed(record)));
    }

    /// Sends `record` to the child named `child` only. Naming a node that is not a child is a
    /// topology error.
    pub fn forward_to(&mut self, child: &str, record: Record<KOut, VOut>) -> Result<()> {
        let index = self.inner.env.child_index(self.inner.node, child)?;
        self.inner
            .forwards
            .push((Target::Child(index), Erased::from_typed(record)));
        Ok(())
    }

    /// The key-value store `name`, which must be connected to this processor. `K` and `V` must
    /// be the types the store was built with.
    pub fn get_key_value_store<K: Clone + 'static, V: Clone + 'static>(
        &mut self,
        name: &str,
    ) -> Result<KeyValueStore<K, V>> {
        self.inner.env.key_value_store(self.inner.node, name)
    }

    /// Schedules [`Processor::punctuate`] every `interval` of `kind` time. Intervals below 1 ms
    /// are refused, as in Kafka.
    pub fn schedule(&mut self, interval: Duration, kind: PunctuationType) -> Result<Cancellable> {
        let ms = interval.as_millis();
        if ms < 1 {
            return Err(StreamsError::topology(
                "The minimum supported scheduling interval is 1 millisecond.",
            ));
        }
        Ok(self.inner.env.schedule(self.inner.node, ms as i64, kind))
    }

    /// Cancels a punctuation.
    pub fn cancel(&mut self, punctuation: Cancellable) {
        self.inner.env.cancel(punctuation);
    }

    /// Asks for a commit as soon as possible.
    pub fn commit(&mut self) {
        self.inner.env.commit_requested = true;
    }

    /// Where the current record came from; `None` in a punctuation.
    pub fn record_metadata(&self) -> Option<&RecordMetadata> {
        self.inner.env.metadata.as_ref()
    }

    /// The task.
    pub fn task_id(&self) -> TaskId {
        self.inner.env.task_id
    }

    /// `application.id`.
    pub fn application_id(&self) -> &str {
        &self.inner.env.application_id
    }

    /// The task's stream time: the largest record timestamp it has processed.
    pub fn current_stream_time_ms(&self) -> i64 {
        self.inner.env.stream_time
    }

    /// The system time (the mock clock in the test driver).
    pub fn current_system_time_ms(&self) -> i64 {
        self.inner.env.wall_clock_ms
    }

    /// The configs the application was started with (`appConfigs`).
    pub fn app_configs(&self) -> &std::collections::BTreeMap<String, String> {
        &self.inner.env.app_configs
    }
}

/// A node as a task runs it: types erased.
pub(crate) trait Node {
    fn init(&mut self, ctx: &mut NodeCtx<'_>) -> Result<()>;
    fn process(&mut self, record: Erased, ctx: &mut NodeCtx<'_>) -> Result<()>;
    fn punctuate(&mut self, id: Cancellable, timestamp: i64, ctx: &mut NodeCtx<'_>) -> Result<()>;
    fn close(&mut self);
}

/// A typed processor in erased form.
pub(crate) struct ProcessorNode<KIn, VIn, KOut, VOut> {
    pub name: String,
    pub processor: Box<dyn Processor<KIn, VIn, KOut, VOut>>,
}

impl<KIn, VIn, KOut, VOut> Node for ProcessorNode<KIn, VIn, KOut, VOut>
where
    KIn: 'static,
    VIn: 'static,
    KOut: Clone + 'static,
    VOut: Clone + 'static,
{
    fn init(&mut self, ctx: &mut NodeCtx<'_>) -> Result<()> {
        self.processor.init(&mut ProcessorContext::new(ctx))
    }

    fn process(&mut self, record: Erased, ctx: &mut NodeCtx<'_>) -> Result<()> {
        let typed = record.into_typed::<KIn, VIn>().map_err(|m| {
            StreamsError::topology(format!(
                "processor {} takes records of {} but its parent forwarded {}",
                self.name, m.expected, m.found
            ))
        })?;
        self.processor
            .process(typed, &mut ProcessorContext::new(ctx))
    }

    fn punctuate(&mut self, id: Cancellable, timestamp: i64, ctx: &mut NodeCtx<'_>) -> Result<()> {
        self.processor
            .punctuate(id, timestamp, &mut ProcessorContext::new(ctx))
    }

    fn close(&mut self) {
        self.processor.close();
    }
}

/// What node factories get when a task is created.
pub(crate) struct BuildCtx<'a> {
    pub defaults: &'a crate::serde::DefaultSerdes,
    /// Topic names as the topology spells them → as the broker knows them (internal topics
    /// get the `application.id-` prefix).
    pub topics: &'a dyn Fn(&str) -> String,
}

/// Erased processor factories, as the topology keeps them.
pub(crate) type NodeFactory =
    std::sync::Arc<dyn Fn(&BuildCtx<'_>) -> Result<Box<dyn Node>> + Send + Sync>;

/// Wraps a supplier as a node factory.
pub(crate) fn node_factory<KIn, VIn, KOut, VOut>(
    name: &str,
    supplier: impl ProcessorSupplier<KIn, VIn, KOut, VOut> + 'static,
) -> NodeFactory
where
    KIn: 'static,
    VIn: 'static,
    KOut: Clone + 'static,
    VOut: Clone + 'static,
{
    let name = name.to_string();
    std::sync::Arc::new(move |_ctx: &BuildCtx<'_>| {
        Ok(Box::new(ProcessorNode {
            name: name.clone(),
            processor: supplier.get(),
        }) as Box<dyn Node>)
    })
}
