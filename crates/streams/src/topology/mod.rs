//! The topology: source, processor and sink nodes, the stores connected to them, and the
//! sub-topologies they fall into (Kafka's `Topology` / `InternalTopologyBuilder`).

mod describe;
pub(crate) mod endpoints;
mod groups;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use describe::TopologyDescription;
pub use endpoints::TopicNameExtractor;
pub(crate) use endpoints::{SinkTarget, SourceFactory};
pub(crate) use groups::NodeGroup;

use crate::error::{Result, StreamsError};
use crate::processor::{node_factory, NodeFactory, ProcessorSupplier};
use crate::serde::{SerdeRef, SerdeSpec};
use crate::state::{StoreBuilder, StoreSpec};

/// What a node is.
#[derive(Clone)]
pub(crate) enum NodeKind {
    Source {
        topics: Vec<String>,
        factory: SourceFactory,
    },
    Processor {
        factory: NodeFactory,
        stores: Vec<String>,
    },
    Sink {
        /// The topic, or `None` with the extractor's name in `extractor`.
        topic: Option<String>,
        extractor: Option<String>,
        factory: NodeFactory,
    },
}

/// A node as the topology keeps it.
#[derive(Clone)]
pub(crate) struct NodeDef {
    pub name: String,
    pub parents: Vec<usize>,
    pub children: Vec<usize>,
    pub kind: NodeKind,
}

/// A global store: filled from all partitions of its topic by every instance.
#[derive(Clone)]
pub(crate) struct GlobalStoreDef {
    pub store: String,
    pub topic: String,
    /// Its source and processor nodes.
    pub source: usize,
    pub processor: usize,
}

/// A processing topology. Build it with the Processor API methods here or with
/// [`StreamsBuilder`](crate::StreamsBuilder); run it with
/// [`KafkaStreams`](crate::KafkaStreams) or the [`TopologyTestDriver`](crate::TopologyTestDriver).
#[derive(Clone, Default)]
pub struct Topology {
    pub(crate) nodes: Vec<NodeDef>,
    pub(crate) index: HashMap<String, usize>,
    pub(crate) stores: BTreeMap<String, StoreSpec>,
    pub(crate) globals: Vec<GlobalStoreDef>,
    /// Repartition topics (names without the application id), with the partition count asked
    /// for (`None`: as many as the upstream sources have).
    pub(crate) repartition_topics: BTreeMap<String, Option<i32>>,
    /// Source topics that must have the same partition count (joins).
    pub(crate) copartition: Vec<BTreeSet<String>>,
}

impl std::fmt::Debug for Topology {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.describe())
    }
}

impl Topology {
    /// An empty topology.
    pub fn new() -> Topology {
        Topology::default()
    }

    fn check_new_name(&self, name: &str) -> Result<()> {
        if name.is_empty() {
            return Err(StreamsError::topology("a node name must not be empty"));
        }
        if self.index.contains_key(name) {
            return Err(StreamsError::topology(format!(
                "Processor {name} is already added."
            )));
        }
        Ok(())
    }

    fn parents(&self, name: &str, parents: &[&str]) -> Result<Vec<usize>> {
        if parents.is_empty() {
            return Err(StreamsError::topology(format!(
                "Processor {name} must have at least one parent"
            )));
        }
        parents
            .iter()
            .map(|p| {
                if *p == name {
                    return Err(StreamsError::topology(format!(
                        "Processor {name} cannot be a predecessor of itself."
                    )));
                }
                match self.index.get(*p) {
                    Some(&i) if matches!(self.nodes[i].kind, NodeKind::Sink { .. }) => Err(
                        StreamsError::topology(format!("Sink {p} cannot be used a parent.")),
                    ),
                    Some(&i) => Ok(i),
                    None => Err(StreamsError::topology(format!(
                        "Parent processor {p} is not added yet for {name}"
                    ))),
                }
            })
            .collect()
    }

    fn push(&mut self, name: &str, parents: Vec<usize>, kind: NodeKind) -> usize {
        let i = self.nodes.len();
        for &p in &parents {
            self.nodes[p].children.push(i);
        }
        self.nodes.push(NodeDef {
            name: name.to_string(),
            parents,
            children: Vec::new(),
            kind,
        });
        self.index.insert(name.to_string(), i);
        i
    }

    /// `addSource(name, topics…)` with the default serdes.
    pub fn add_source<K: Clone + 'static, V: Clone + 'static>(
        &mut self,
        name: &str,
        topics: &[&str],
    ) -> Result<&mut Self> {
        self.add_source_specs::<K, V>(
            name,
            topics,
            SerdeSpec::default_key(),
            SerdeSpec::default_value(),
        )
    }

    /// `addSource(name, keyDeserializer, valueDeserializer, topics…)`.
    pub fn add_source_with<K: Clone + 'static, V: Clone + 'static>(
        &mut self,
        name: &str,
        keys: SerdeRef<K>,
        values: SerdeRef<V>,
        topics: &[&str],
    ) -> Result<&mut Self> {
        self.add_source_specs(
            name,
            topics,
            SerdeSpec::Given(keys),
            SerdeSpec::Given(values),
        )
    }

    pub(crate) fn add_source_specs<K: Clone + 'static, V: Clone + 'static>(
        &mut self,
        name: &str,
        topics: &[&str],
        keys: SerdeSpec<K>,
        values: SerdeSpec<V>,
    ) -> Result<&mut Self> {
        self.check_new_name(name)?;
        if topics.is_empty() {
            return Err(StreamsError::topology(
                "You must provide at least one topic",
            ));
        }
        for t in topics {
            if self.source_topics().contains(*t) {
                return Err(StreamsError::topology(format!(
                    "Topic {t} has already been registered by another source."
                )));
            }
        }
        let factory = endpoints::source_factory(name, keys, values);
        self.push(
            name,
            Vec::new(),
            NodeKind::Source {
                topics: topics.iter().map(|t| t.to_string()).collect(),
                factory,
            },
        );
        Ok(self)
    }

    /// `addProcessor(name, supplier, parentNames…)`.
    pub fn add_processor<KIn, VIn, KOut, VOut>(
        &mut self,
        name: &str,
        supplier: impl ProcessorSupplier<KIn, VIn, KOut, VOut> + 'static,
        parents: &[&str],
    ) -> Result<&mut Self>
    where
        KIn: 'static,
        VIn: 'static,
        KOut: Clone + 'static,
        VOut: Clone + 'static,
    {
        self.add_processor_node(name, node_factory(name, supplier), parents)
    }

    pub(crate) fn add_processor_node(
        &mut self,
        name: &str,
        factory: NodeFactory,
        parents: &[&str],
    ) -> Result<&mut Self> {
        self.check_new_name(name)?;
        let parents = self.parents(name, parents)?;
        self.push(
            name,
            parents,
            NodeKind::Processor {
                factory,
                stores: Vec::new(),
            },
        );
        Ok(self)
    }

    /// `addSink(name, topic, parentNames…)` with the default serdes.
    pub fn add_sink<K: 'static, V: 'static>(
        &mut self,
        name: &str,
        topic: &str,
        parents: &[&str],
    ) -> Result<&mut Self> {
        self.add_sink_specs::<K, V>(
            name,
            SinkTarget::Topic(topic.to_string()),
            SerdeSpec::default_key(),
            SerdeSpec::default_value(),
            parents,
        )
    }

    /// `addSink(name, topic, keySerializer, valueSerializer, parentNames…)`.
    pub fn add_sink_with<K: 'static, V: 'static>(
        &mut self,
        name: &str,
        topic: &str,
        keys: SerdeRef<K>,
        values: SerdeRef<V>,
        parents: &[&str],
    ) -> Result<&mut Self> {
        self.add_sink_specs(
            name,
            SinkTarget::Topic(topic.to_string()),
            SerdeSpec::Given(keys),
            SerdeSpec::Given(values),
            parents,
        )
    }

    pub(crate) fn add_sink_specs<K: 'static, V: 'static>(
        &mut self,
        name: &str,
        target: SinkTarget<K, V>,
        keys: SerdeSpec<K>,
        values: SerdeSpec<V>,
        parents: &[&str],
    ) -> Result<&mut Self> {
        self.check_new_name(name)?;
        let parents = self.parents(name, parents)?;
        let (topic, extractor) = match &target {
            SinkTarget::Topic(t) => (Some(t.clone()), None),
            SinkTarget::Extractor(e) => (None, Some(extractor_name(e))),
        };
        let factory = endpoints::sink_factory(name, target, keys, values);
        self.push(
            name,
            parents,
            NodeKind::Sink {
                topic,
                extractor,
                factory,
            },
        );
        Ok(self)
    }

    /// `addStateStore(storeBuilder, processorNames…)`.
    pub fn add_state_store<K: 'static, V: 'static>(
        &mut self,
        builder: StoreBuilder<K, V>,
        processors: &[&str],
    ) -> Result<&mut Self> {
        let name = builder.name().to_string();
        if self.stores.contains_key(&name) {
            return Err(StreamsError::topology(format!(
                "StateStore {name} is already added."
            )));
        }
        self.stores.insert(name.clone(), builder.into_spec());
        self.connect_processor_and_state_stores_list(processors, &[&name])?;
        Ok(self)
    }

    /// `connectProcessorAndStateStores(processorName, stateStoreNames…)`.
    pub fn connect_processor_and_state_stores(
        &mut self,
        processor: &str,
        stores: &[&str],
    ) -> Result<&mut Self> {
        self.connect_processor_and_state_stores_list(&[processor], stores)
    }

    fn connect_processor_and_state_stores_list(
        &mut self,
        processors: &[&str],
        stores: &[&str],
    ) -> Result<&mut Self> {
        for store in stores {
            if !self.stores.contains_key(*store) {
                return Err(StreamsError::topology(format!(
                    "StateStore {store} is not added yet."
                )));
            }
        }
        for p in processors {
            let Some(&i) = self.index.get(*p) else {
                return Err(StreamsError::topology(format!(
                    "Processor {p} is not added yet."
                )));
            };
            match &mut self.nodes[i].kind {
                NodeKind::Processor { stores: list, .. } => {
                    for s in stores {
                        if !list.iter().any(|x| x == s) {
                            list.push(s.to_string());
                        }
                    }
                }
                _ => {
                    return Err(StreamsError::topology(format!(
                        "cannot connect a store to {p}: only processors have stores"
                    )))
                }
            }
        }
        Ok(self)
    }

    /// Every topic a (non-global) source reads, as the topology spells it.
    pub(crate) fn source_topics(&self) -> BTreeSet<String> {
        self.nodes
            .iter()
            .filter_map(|n| match &n.kind {
                NodeKind::Source { topics, .. } => Some(topics.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The broker's name for a topic the topology names: repartition topics and changelogs
    /// get the `application.id-` prefix.
    pub(crate) fn broker_topic(&self, application_id: &str, name: &str) -> String {
        let internal = self.repartition_topics.contains_key(name)
            || name
                .strip_suffix("-changelog")
                .is_some_and(|store| self.stores.contains_key(store));
        if internal {
            format!("{application_id}-{name}")
        } else {
            name.to_string()
        }
    }

    /// The index of a node.
    pub(crate) fn node(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Kafka's `describe()`.
    pub fn describe(&self) -> TopologyDescription {
        describe::describe(self)
    }

    /// The sub-topologies, numbered as Kafka numbers them.
    pub(crate) fn node_groups(&self) -> Vec<NodeGroup> {
        groups::node_groups(self)
    }
}

fn extractor_name<K, V>(_e: &TopicNameExtractor<K, V>) -> String {
    format!(
        "ferry.streams.TopicNameExtractor<{}, {}>",
        std::any::type_name::<K>(),
        std::any::type_name::<V>()
    )
}
