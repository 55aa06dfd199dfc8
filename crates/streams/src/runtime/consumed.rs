//! The input offsets a stream thread will commit: the offset after the last record processed,
//! per partition, kept without allocating per record.

use std::collections::HashMap;

use kafka::rdkafka::{Offset, TopicPartitionList};

use crate::error::{Result, StreamsError};

/// Next offset to commit per input partition.
#[derive(Debug, Default)]
pub(crate) struct Consumed {
    by_topic: HashMap<String, Vec<(i32, i64)>>,
    count: usize,
}

impl Consumed {
    /// Records that the record before `next` of `topic`/`partition` was processed.
    pub fn record(&mut self, topic: &str, partition: i32, next: i64) {
        let list = match self.by_topic.get_mut(topic) {
            Some(list) => list,
            None => self.by_topic.entry(topic.to_string()).or_default(),
        };
        match list.iter_mut().find(|(p, _)| *p == partition) {
            Some(entry) => entry.1 = next,
            None => {
                list.push((partition, next));
                self.count += 1;
            }
        }
    }

    /// Whether nothing was processed since the last commit.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The offsets, for a commit.
    pub fn to_list(&self) -> Result<TopicPartitionList> {
        let mut list = TopicPartitionList::with_capacity(self.count);
        for (topic, partitions) in &self.by_topic {
            for (p, o) in partitions {
                list.add_partition_offset(topic, *p, Offset::Offset(*o))
                    .map_err(|e| {
                        StreamsError::kafka(
                            format!("invalid offset {o} for {topic}-{p}: {e}"),
                            false,
                        )
                    })?;
            }
        }
        Ok(list)
    }

    /// Forgets everything (after a commit).
    pub fn clear(&mut self) {
        for list in self.by_topic.values_mut() {
            list.clear();
        }
        self.count = 0;
    }

    /// Forgets partitions that were taken away.
    pub fn forget(&mut self, revoked: &[(String, i32)]) {
        for (topic, partition) in revoked {
            if let Some(list) = self.by_topic.get_mut(topic) {
                let before = list.len();
                list.retain(|(p, _)| p != partition);
                self.count -= before - list.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_latest_offset_per_partition() {
        let mut c = Consumed::default();
        c.record("t", 0, 5);
        c.record("t", 0, 6);
        c.record("t", 1, 2);
        c.record("u", 0, 9);
        let list = c.to_list().unwrap();
        assert_eq!(list.count(), 3);
        assert_eq!(
            list.find_partition("t", 0).unwrap().offset(),
            Offset::Offset(6)
        );
        c.forget(&[("t".to_string(), 1)]);
        assert_eq!(c.to_list().unwrap().count(), 2);
        c.clear();
        assert!(c.is_empty());
    }
}
