//! The Streams DSL: [`StreamsBuilder`], [`KStream`], [`KTable`], [`GlobalKTable`] and the
//! grouped streams, building a [`Topology`] with Kafka's node, store and topic names.
//!
//! Nulls: closures see keys as `Option<&K>` (input topics often have null keys) and values as
//! `&V`. A record whose value is null never reaches a user function: an operator that would
//! call one with it drops the record (Kafka would hand the function a `null`, and WordCount's
//! `flatMapValues` would throw). Operators that call no function on the value (`merge`, `to`,
//! `repartition`, `group_by_key`) pass such records on; aggregations skip them, as Kafka's do.

mod branch;
mod grouped;
mod joins;
mod kstream;
mod ktable;
mod options;
mod repartition;
mod sources;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

pub use branch::{Branched, BranchedKStream};
pub use grouped::KGroupedStream;
pub use kstream::KStream;
pub use ktable::{Change, GlobalKTable, KTable};
pub use options::{Consumed, Grouped, Joined, Materialized, Produced, Repartitioned};

use crate::error::{Result, StreamsError};
use crate::processor::{NodeFactory, Processor, ProcessorContext};
use crate::record::Record;
use crate::topology::Topology;

/// The DSL's state while a topology is built: the topology so far, Kafka's name counter, and
/// the first error (reported by [`StreamsBuilder::build`]).
pub(crate) struct BuilderInner {
    pub topology: Topology,
    index: u32,
    pub error: Option<StreamsError>,
}

pub(crate) type Shared = Rc<RefCell<BuilderInner>>;

impl BuilderInner {
    /// `newProcessorName(prefix)`.
    pub fn processor_name(&mut self, prefix: &str) -> String {
        let name = format!("{prefix}{:010}", self.index);
        self.index += 1;
        name
    }

    /// `newStoreName(prefix)`.
    pub fn store_name(&mut self, prefix: &str) -> String {
        let name = format!("{prefix}STATE-STORE-{:010}", self.index);
        self.index += 1;
        name
    }

    /// `NamedInternal.orElseGenerateWithPrefix`: the given name, or a generated one; an index
    /// is used either way.
    pub fn name_or(&mut self, given: Option<&str>, prefix: &str) -> String {
        let generated = self.processor_name(prefix);
        given.map_or(generated, str::to_string)
    }

    /// Keeps the first error.
    pub fn fail(&mut self, e: StreamsError) {
        if self.error.is_none() {
            self.error = Some(e);
        }
    }

    /// Adds a processor node, keeping the first error.
    pub fn add_node(&mut self, name: &str, factory: NodeFactory, parents: &[&str]) {
        if let Err(e) = self.topology.add_processor_node(name, factory, parents) {
            self.fail(e);
        }
    }
}

/// Builds a topology with the DSL (Kafka's `StreamsBuilder`).
#[derive(Clone)]
pub struct StreamsBuilder {
    pub(crate) inner: Shared,
}

impl Default for StreamsBuilder {
    fn default() -> Self {
        StreamsBuilder::new()
    }
}

impl StreamsBuilder {
    /// An empty builder.
    pub fn new() -> StreamsBuilder {
        StreamsBuilder {
            inner: Rc::new(RefCell::new(BuilderInner {
                topology: Topology::new(),
                index: 0,
                error: None,
            })),
        }
    }

    /// The topology built so far, or the first error any DSL call made.
    pub fn build(&self) -> Result<Topology> {
        let mut inner = self.inner.borrow_mut();
        if let Some(e) = inner.error.take() {
            return Err(e);
        }
        Ok(inner.topology.clone())
    }
}

type StatelessFn<KIn, VIn, KOut, VOut> = Arc<
    dyn Fn(Record<KIn, VIn>, &mut ProcessorContext<'_, '_, KOut, VOut>) -> Result<()> + Send + Sync,
>;

/// A processor made of a function (the DSL's stateless operators).
struct FnProcessor<KIn, VIn, KOut, VOut>(StatelessFn<KIn, VIn, KOut, VOut>);

impl<KIn, VIn, KOut, VOut> Processor<KIn, VIn, KOut, VOut> for FnProcessor<KIn, VIn, KOut, VOut> {
    fn process(
        &mut self,
        record: Record<KIn, VIn>,
        ctx: &mut ProcessorContext<'_, '_, KOut, VOut>,
    ) -> Result<()> {
        (self.0)(record, ctx)
    }
}

/// A node factory for a stateless operator.
pub(crate) fn stateless<KIn, VIn, KOut, VOut>(
    name: &str,
    f: impl Fn(Record<KIn, VIn>, &mut ProcessorContext<'_, '_, KOut, VOut>) -> Result<()>
        + Send
        + Sync
        + 'static,
) -> NodeFactory
where
    KIn: 'static,
    VIn: 'static,
    KOut: Clone + 'static,
    VOut: Clone + 'static,
{
    let f: StatelessFn<KIn, VIn, KOut, VOut> = Arc::new(f);
    crate::processor::node_factory(name, move || {
        Box::new(FnProcessor(Arc::clone(&f))) as Box<dyn Processor<KIn, VIn, KOut, VOut>>
    })
}

/// Logs a record a DSL operator drops (Kafka's `dropped-records` warning).
pub(crate) fn dropped<K, V>(ctx: &ProcessorContext<'_, '_, K, V>, why: &str)
where
    K: Clone + 'static,
    V: Clone + 'static,
{
    match ctx.record_metadata() {
        Some(m) => tracing::warn!(
            "Skipping record due to {why}. topic=[{}] partition=[{}] offset=[{}]",
            m.topic,
            m.partition,
            m.offset
        ),
        None => tracing::warn!("Skipping record due to {why}."),
    }
}
