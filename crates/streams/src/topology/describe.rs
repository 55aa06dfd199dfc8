//! `Topology#describe()` in Kafka's text format (`InternalTopologyBuilder`'s
//! `TopologyDescription`): sub-topologies and global stores by id; within one, nodes by the
//! number of downstream paths (largest first), then by name.

use std::fmt;

use super::{NodeKind, Topology};

/// A described node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDescription {
    /// Its name.
    pub name: String,
    /// What it prints as, before its successors and predecessors.
    pub head: String,
    /// Successor names, in print order.
    pub successors: Vec<String>,
    /// Predecessor names, in print order (sources have none and print none).
    pub predecessors: Vec<String>,
    is_source: bool,
    is_sink: bool,
}

/// One sub-topology or global store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtopologyDescription {
    /// Its id.
    pub id: u32,
    /// Whether it fills a global store.
    pub global: bool,
    /// Its nodes, in print order.
    pub nodes: Vec<NodeDescription>,
}

/// What [`Topology::describe`] returns; `Display` gives Kafka's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopologyDescription {
    /// Sub-topologies and global stores by id.
    pub subtopologies: Vec<SubtopologyDescription>,
}

/// Java's `AbstractList.toString` / `AbstractSet.toString`.
fn java_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

pub(crate) fn describe(t: &Topology) -> TopologyDescription {
    let n = t.nodes.len();
    // size: 1 + the sizes of the children (Kafka's updateSize: the number of paths down)
    let mut size = vec![0u64; n];
    for i in (0..n).rev() {
        size[i] = 1 + t.nodes[i].children.iter().map(|&c| size[c]).sum::<u64>();
    }
    let order = |a: &usize, b: &usize| {
        size[*b]
            .cmp(&size[*a])
            .then_with(|| t.nodes[*a].name.cmp(&t.nodes[*b].name))
    };
    let names = |mut v: Vec<usize>| {
        v.sort_by(order);
        v.into_iter()
            .map(|i| t.nodes[i].name.clone())
            .collect::<Vec<_>>()
    };
    let subtopologies = t
        .node_groups()
        .into_iter()
        .map(|g| {
            let mut members = g.nodes.clone();
            members.sort_by(order);
            let nodes = members
                .into_iter()
                .map(|i| {
                    let node = &t.nodes[i];
                    let (head, is_source, is_sink) = match &node.kind {
                        NodeKind::Source { topics, .. } => (
                            format!("Source: {} (topics: {})", node.name, java_list(topics)),
                            true,
                            false,
                        ),
                        NodeKind::Processor { stores, .. } => (
                            format!("Processor: {} (stores: {})", node.name, java_list(stores)),
                            false,
                            false,
                        ),
                        NodeKind::Sink {
                            topic, extractor, ..
                        } => (
                            match (topic, extractor) {
                                (Some(topic), _) => format!("Sink: {} (topic: {topic})", node.name),
                                (None, e) => format!(
                                    "Sink: {} (extractor class: {})",
                                    node.name,
                                    e.clone().unwrap_or_default()
                                ),
                            },
                            false,
                            true,
                        ),
                    };
                    NodeDescription {
                        name: node.name.clone(),
                        head,
                        successors: names(node.children.clone()),
                        predecessors: names(node.parents.clone()),
                        is_source,
                        is_sink,
                    }
                })
                .collect();
            SubtopologyDescription {
                id: g.id,
                global: g.global,
                nodes,
            }
        })
        .collect();
    TopologyDescription { subtopologies }
}

fn or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

impl fmt::Display for NodeDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.head)?;
        if !self.is_sink {
            write!(f, "\n      --> {}", or_none(&self.successors))?;
        }
        if !self.is_source {
            write!(f, "\n      <-- {}", or_none(&self.predecessors))?;
        }
        Ok(())
    }
}

impl fmt::Display for SubtopologyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.global {
            writeln!(
                f,
                "Sub-topology: {} for global store (will not generate tasks)",
                self.id
            )?;
            for node in &self.nodes {
                writeln!(f, "    {node}")?;
            }
            Ok(())
        } else {
            writeln!(f, "Sub-topology: {}", self.id)?;
            for node in &self.nodes {
                writeln!(f, "    {node}")?;
            }
            writeln!(f)
        }
    }
}

impl fmt::Display for TopologyDescription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Topologies:\n ")?;
        for s in &self.subtopologies {
            write!(f, "  {s}")?;
        }
        Ok(())
    }
}
