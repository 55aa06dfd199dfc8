//! Sub-topologies (Kafka's node groups): nodes joined by parent links or by a shared store,
//! numbered in the order their first node was added (Kafka 2.5+, KAFKA-9020).

use std::collections::{BTreeSet, HashMap};

use super::{NodeKind, Topology};

/// One sub-topology.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeGroup {
    pub id: u32,
    /// Node indexes, in the order they were added.
    pub nodes: Vec<usize>,
    /// Whether it fills a global store (it makes no tasks).
    pub global: bool,
}

impl NodeGroup {
    /// The topics its sources read, as the topology spells them.
    pub fn source_topics(&self, t: &Topology) -> BTreeSet<String> {
        self.nodes
            .iter()
            .filter_map(|&i| match &t.nodes[i].kind {
                NodeKind::Source { topics, .. } => Some(topics.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    /// The stores its processors use.
    pub fn stores(&self, t: &Topology) -> BTreeSet<String> {
        self.nodes
            .iter()
            .filter_map(|&i| match &t.nodes[i].kind {
                NodeKind::Processor { stores, .. } => Some(stores.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[rb.max(ra)] = rb.min(ra);
    }
}

pub(crate) fn node_groups(t: &Topology) -> Vec<NodeGroup> {
    let n = t.nodes.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut store_user: HashMap<&str, usize> = HashMap::new();
    for (i, node) in t.nodes.iter().enumerate() {
        for &p in &node.parents {
            union(&mut parent, i, p);
        }
        if let NodeKind::Processor { stores, .. } = &node.kind {
            for s in stores {
                match store_user.get(s.as_str()) {
                    Some(&first) => union(&mut parent, i, first),
                    None => {
                        store_user.insert(s, i);
                    }
                }
            }
        }
    }
    let globals: BTreeSet<usize> = t
        .globals
        .iter()
        .flat_map(|g| [g.source, g.processor])
        .collect();
    let mut by_root: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<NodeGroup> = Vec::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        let g = *by_root.entry(root).or_insert_with(|| {
            groups.push(NodeGroup {
                id: groups.len() as u32,
                nodes: Vec::new(),
                global: false,
            });
            groups.len() - 1
        });
        groups[g].nodes.push(i);
        if globals.contains(&i) {
            groups[g].global = true;
        }
    }
    groups
}
