//! Source and sink nodes: where records enter a task from topics (deserialized) and leave it
//! for topics (serialized).

use std::sync::Arc;

use crate::error::{Result, SerdeError, StreamsError};
use crate::processor::{BuildCtx, Cancellable, Node, NodeCtx, NodeFactory, Target};
use crate::record::{Datum, Erased, RecordMetadata};
use crate::serde::{SerdeRef, SerdeSpec};
use crate::state::core::OutRecord;

/// Deserializes the records of a source's topics.
pub(crate) trait SourceDeser {
    #[allow(clippy::type_complexity)]
    fn deserialize(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
    ) -> Result<(Option<Box<dyn Datum>>, Option<Box<dyn Datum>>), SerdeError>;
}

struct TypedSource<K, V> {
    keys: SerdeRef<K>,
    values: SerdeRef<V>,
}

impl<K: Clone + 'static, V: Clone + 'static> SourceDeser for TypedSource<K, V> {
    fn deserialize(
        &self,
        topic: &str,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
    ) -> Result<(Option<Box<dyn Datum>>, Option<Box<dyn Datum>>), SerdeError> {
        let k = match key {
            Some(k) => Some(Box::new(self.keys.deserialize(topic, k)?) as Box<dyn Datum>),
            None => None,
        };
        let v = match value {
            Some(v) => Some(Box::new(self.values.deserialize(topic, v)?) as Box<dyn Datum>),
            None => None,
        };
        Ok((k, v))
    }
}

/// Makes a source's deserializer for a task.
pub(crate) type SourceFactory =
    Arc<dyn Fn(&BuildCtx<'_>) -> Result<Box<dyn SourceDeser>> + Send + Sync>;

pub(crate) fn source_factory<K: Clone + 'static, V: Clone + 'static>(
    name: &str,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
) -> SourceFactory {
    let name = name.to_string();
    Arc::new(move |ctx: &BuildCtx<'_>| {
        let keys = keys.resolve(ctx.defaults, &format!("the keys of source {name}"))?;
        let values = values.resolve(ctx.defaults, &format!("the values of source {name}"))?;
        Ok(Box::new(TypedSource { keys, values }) as Box<dyn SourceDeser>)
    })
}

/// A source node inside a task: it forwards what the task deserialized.
pub(crate) struct SourceNode;

impl Node for SourceNode {
    fn init(&mut self, _ctx: &mut NodeCtx<'_>) -> Result<()> {
        Ok(())
    }
    fn process(&mut self, record: Erased, ctx: &mut NodeCtx<'_>) -> Result<()> {
        ctx.forwards.push((Target::All, record));
        Ok(())
    }
    fn punctuate(&mut self, _: Cancellable, _: i64, _: &mut NodeCtx<'_>) -> Result<()> {
        Ok(())
    }
    fn close(&mut self) {}
}

/// Picks a sink's topic per record (Kafka's `TopicNameExtractor`).
pub type TopicNameExtractor<K, V> =
    Arc<dyn Fn(Option<&K>, Option<&V>, Option<&RecordMetadata>) -> String + Send + Sync>;

/// Where a sink writes.
pub(crate) enum SinkTarget<K, V> {
    Topic(String),
    Extractor(TopicNameExtractor<K, V>),
}

impl<K, V> Clone for SinkTarget<K, V> {
    fn clone(&self) -> Self {
        match self {
            SinkTarget::Topic(t) => SinkTarget::Topic(t.clone()),
            SinkTarget::Extractor(e) => SinkTarget::Extractor(Arc::clone(e)),
        }
    }
}

struct SinkNode<K, V> {
    name: String,
    target: SinkTarget<K, V>,
    /// The topic, as the broker knows it (`None` with an extractor).
    topic: Option<std::rc::Rc<str>>,
    keys: SerdeRef<K>,
    values: SerdeRef<V>,
}

impl<K: 'static, V: 'static> Node for SinkNode<K, V> {
    fn init(&mut self, _ctx: &mut NodeCtx<'_>) -> Result<()> {
        Ok(())
    }

    fn process(&mut self, record: Erased, ctx: &mut NodeCtx<'_>) -> Result<()> {
        let r = record.into_typed::<K, V>().map_err(|m| {
            StreamsError::topology(format!(
                "sink {} takes records of {} but its parent forwarded {}",
                self.name, m.expected, m.found
            ))
        })?;
        let topic: std::rc::Rc<str> = match (&self.topic, &self.target) {
            (Some(t), _) => std::rc::Rc::clone(t),
            (None, SinkTarget::Extractor(f)) => {
                f(r.key.as_ref(), r.value.as_ref(), ctx.env.metadata.as_ref()).into()
            }
            (None, SinkTarget::Topic(t)) => t.as_str().into(),
        };
        let key = match &r.key {
            Some(k) => Some(self.keys.serialize(&topic, k)?),
            None => None,
        };
        let value = match &r.value {
            Some(v) => Some(self.values.serialize(&topic, v)?),
            None => None,
        };
        ctx.env.outputs.push(OutRecord {
            topic,
            partition: None,
            key,
            value,
            timestamp: r.timestamp,
            headers: r.headers,
        });
        Ok(())
    }

    fn punctuate(&mut self, _: Cancellable, _: i64, _: &mut NodeCtx<'_>) -> Result<()> {
        Ok(())
    }

    fn close(&mut self) {}
}

pub(crate) fn sink_factory<K: 'static, V: 'static>(
    name: &str,
    target: SinkTarget<K, V>,
    keys: SerdeSpec<K>,
    values: SerdeSpec<V>,
) -> NodeFactory {
    let name = name.to_string();
    Arc::new(move |ctx: &BuildCtx<'_>| {
        let keys = keys.resolve(ctx.defaults, &format!("the keys of sink {name}"))?;
        let values = values.resolve(ctx.defaults, &format!("the values of sink {name}"))?;
        let target = match &target {
            SinkTarget::Topic(t) => SinkTarget::Topic((ctx.topics)(t)),
            SinkTarget::Extractor(e) => SinkTarget::Extractor(Arc::clone(e)),
        };
        Ok(Box::new(SinkNode {
            name: name.clone(),
            topic: match &target {
                SinkTarget::Topic(t) => Some(t.as_str().into()),
                SinkTarget::Extractor(_) => None,
            },
            target,
            keys,
            values,
        }) as Box<dyn Node>)
    })
}
