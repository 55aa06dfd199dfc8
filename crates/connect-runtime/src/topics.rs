//! The topics each connector has used (Kafka's topic tracking, KIP-558): the topics its
//! source tasks produced to or its sink tasks consumed from, since it was created or its
//! topics were last reset (`GET /connectors/{name}/topics`, `PUT …/topics/reset`).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The active topics of a worker's connectors.
#[derive(Debug, Clone, Default)]
pub struct ActiveTopics {
    inner: Arc<Mutex<BTreeMap<String, BTreeSet<String>>>>,
    /// Counts resets: a tracker records its topic again after one.
    resets: Arc<AtomicU64>,
}

impl ActiveTopics {
    fn with<R>(&self, f: impl FnOnce(&mut BTreeMap<String, BTreeSet<String>>) -> R) -> R {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The topics `connector` used, sorted.
    pub fn get(&self, connector: &str) -> Vec<String> {
        self.with(|m| {
            m.get(connector)
                .map(|t| t.iter().cloned().collect())
                .unwrap_or_default()
        })
    }

    /// Forgets the topics `connector` used.
    pub fn reset(&self, connector: &str) {
        self.with(|m| {
            m.remove(connector);
        });
        self.resets.fetch_add(1, Ordering::Relaxed);
    }

    /// A recorder for one task of `connector`.
    pub fn tracker(&self, connector: &str) -> TopicTracker {
        TopicTracker {
            topics: self.clone(),
            connector: connector.to_string(),
            last: None,
            resets: self.resets.load(Ordering::Relaxed),
        }
    }
}

/// What a task loop records its topics with. Records of one topic usually come in runs: a
/// topic equal to the last one costs a string comparison.
#[derive(Debug, Clone)]
pub struct TopicTracker {
    topics: ActiveTopics,
    connector: String,
    last: Option<String>,
    resets: u64,
}

impl TopicTracker {
    /// Records that the task used `topic`.
    pub fn record(&mut self, topic: &str) {
        let resets = self.topics.resets.load(Ordering::Relaxed);
        if self.last.as_deref() == Some(topic) && resets == self.resets {
            return;
        }
        self.resets = resets;
        let connector = &self.connector;
        self.topics.with(|m| {
            m.entry(connector.clone())
                .or_default()
                .insert(topic.to_string());
        });
        self.last = Some(topic.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_resets() {
        let topics = ActiveTopics::default();
        let mut t = topics.tracker("c");
        t.record("b");
        t.record("b");
        t.record("a");
        assert_eq!(topics.get("c"), ["a", "b"]);
        assert!(topics.get("other").is_empty());
        topics.reset("c");
        assert!(topics.get("c").is_empty());
        // still in use after the reset: recorded again
        t.record("a");
        assert_eq!(topics.get("c"), ["a"]);
    }
}
