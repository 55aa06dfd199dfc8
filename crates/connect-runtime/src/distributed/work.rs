//! Sets of connectors and tasks (Kafka's `ConnectorsAndTasks`): what a worker runs, what
//! the leader assigns or revokes, and their wire form in the group protocol.

use std::collections::{BTreeMap, BTreeSet};

use kafka::connect_protocol::{ConnectorAssignment, CONNECTOR_TASK};

/// A task: its connector and number.
pub type TaskId = (String, u32);

/// Connectors and tasks, each in their natural order (connector name, then task number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Work {
    /// Connector instances.
    pub connectors: BTreeSet<String>,
    /// Tasks.
    pub tasks: BTreeSet<TaskId>,
}

impl Work {
    /// Whether there is nothing.
    pub fn is_empty(&self) -> bool {
        self.connectors.is_empty() && self.tasks.is_empty()
    }

    /// Connectors plus tasks.
    pub fn len(&self) -> usize {
        self.connectors.len() + self.tasks.len()
    }

    /// What is in `self` and not in `other`.
    pub fn minus(&self, other: &Work) -> Work {
        Work {
            connectors: self
                .connectors
                .difference(&other.connectors)
                .cloned()
                .collect(),
            tasks: self.tasks.difference(&other.tasks).cloned().collect(),
        }
    }

    /// What is in both.
    pub fn intersect(&self, other: &Work) -> Work {
        Work {
            connectors: self
                .connectors
                .intersection(&other.connectors)
                .cloned()
                .collect(),
            tasks: self.tasks.intersection(&other.tasks).cloned().collect(),
        }
    }

    /// Adds everything of `other`.
    pub fn add(&mut self, other: &Work) {
        self.connectors.extend(other.connectors.iter().cloned());
        self.tasks.extend(other.tasks.iter().cloned());
    }

    /// Removes everything of `other`.
    pub fn remove(&mut self, other: &Work) {
        self.connectors.retain(|c| !other.connectors.contains(c));
        self.tasks.retain(|t| !other.tasks.contains(t));
    }

    /// From the wire form (task −1 is the connector instance; negative task numbers other
    /// than that are ignored).
    pub fn from_wire(list: &[ConnectorAssignment]) -> Work {
        let mut work = Work::default();
        for entry in list {
            for &task in &entry.tasks {
                if task == CONNECTOR_TASK {
                    work.connectors.insert(entry.connector.clone());
                } else if let Ok(task) = u32::try_from(task) {
                    work.tasks.insert((entry.connector.clone(), task));
                }
            }
        }
        work
    }

    /// The wire form: one entry per connector (by name), the connector instance (−1) before
    /// its tasks.
    pub fn to_wire(&self) -> Vec<ConnectorAssignment> {
        let mut by_connector: BTreeMap<&str, Vec<i32>> = BTreeMap::new();
        for c in &self.connectors {
            by_connector.entry(c).or_default().push(CONNECTOR_TASK);
        }
        for (c, t) in &self.tasks {
            by_connector
                .entry(c)
                .or_default()
                .push(i32::try_from(*t).unwrap_or(i32::MAX));
        }
        by_connector
            .into_iter()
            .map(|(connector, tasks)| ConnectorAssignment {
                connector: connector.to_string(),
                tasks,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_names_the_connector_as_task_minus_one() {
        let mut work = Work::default();
        work.connectors.insert("b".into());
        work.tasks.insert(("b".into(), 1));
        work.tasks.insert(("a".into(), 0));
        let wire = work.to_wire();
        assert_eq!(
            wire,
            [
                ConnectorAssignment {
                    connector: "a".into(),
                    tasks: vec![0]
                },
                ConnectorAssignment {
                    connector: "b".into(),
                    tasks: vec![-1, 1]
                },
            ]
        );
        assert_eq!(Work::from_wire(&wire), work);
    }
}
