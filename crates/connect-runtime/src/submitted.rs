//! Which source offsets may be committed: the records a source task submitted to its
//! producer, in order, and their acknowledgements (Kafka's `SubmittedRecords`).
//!
//! Records are tracked per poll batch, not one by one: a batch holds its length, how many of
//! its records are not yet acknowledged, and the last offset of each source partition among
//! its records. A batch's offsets become committable once it and every batch before it are
//! fully acknowledged, so a committed offset never runs ahead of a record that could still be
//! lost; at most one batch more than strictly needed is re-read after a crash. Per record
//! this costs a decrement, and the offsets a batch supersedes are freed at once, while hot.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use connect_api::{ConnectError, Value};

/// The offset key bytes of a source partition (its serialized `[connector, partition]`).
pub type PartitionKey = Arc<[u8]>;

#[derive(Debug)]
struct Batch {
    first_seq: u64,
    len: u64,
    unacked: u64,
    /// The last offset per source partition among the batch's records, in first-seen order.
    offsets: Vec<(PartitionKey, Value)>,
}

/// The last offset per source partition of one poll batch, as [`Submitted::push_batch`]
/// takes it.
#[derive(Debug, Default)]
pub struct BatchOffsets {
    offsets: Vec<(PartitionKey, Value)>,
}

impl BatchOffsets {
    /// Records `offset` as the latest of partition `key` (records of one partition usually
    /// come in runs: the last entry is checked first, by pointer).
    pub fn set(&mut self, key: PartitionKey, offset: Value) {
        if let Some(last) = self.offsets.last_mut() {
            if Arc::ptr_eq(&last.0, &key) || last.0 == key {
                last.1 = offset;
                return;
            }
        }
        match self.offsets.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = offset,
            None => self.offsets.push((key, offset)),
        }
    }
}

/// Submitted batches and the offsets they made committable.
#[derive(Debug, Default)]
pub struct Submitted {
    next_seq: u64,
    batches: VecDeque<Batch>,
    ready: BTreeMap<PartitionKey, Value>,
    /// The first delivery failure that must fail the task.
    pub failure: Option<ConnectError>,
}

impl Submitted {
    /// Registers a batch of `len` records (sequence numbers `first..first + len`, returned),
    /// before any of them is sent, with the last offset of each source partition in it.
    /// Records the task drops or skips must be acknowledged with [`Submitted::ack`] too.
    pub fn push_batch(&mut self, len: u64, offsets: BatchOffsets) -> u64 {
        let first_seq = self.next_seq;
        self.next_seq += len;
        self.batches.push_back(Batch {
            first_seq,
            len,
            unacked: len,
            offsets: offsets.offsets,
        });
        self.fold();
        first_seq
    }

    /// Acknowledges record `seq` (delivered, or done without being sent). Unknown or
    /// repeated sequence numbers of completed batches are ignored.
    pub fn ack(&mut self, seq: u64) {
        // most acknowledgements are for the oldest batch
        let i = match self.batches.front() {
            Some(b) if seq < b.first_seq + b.len => 0,
            _ => self.batches.partition_point(|b| b.first_seq + b.len <= seq),
        };
        let Some(batch) = self.batches.get_mut(i) else {
            return;
        };
        if seq < batch.first_seq || batch.unacked == 0 {
            return;
        }
        batch.unacked -= 1;
        if i == 0 && batch.unacked == 0 {
            self.fold();
        }
    }

    /// Moves the offsets of the fully acknowledged leading batches into `ready`.
    fn fold(&mut self) {
        while self.batches.front().is_some_and(|b| b.unacked == 0) {
            if let Some(batch) = self.batches.pop_front() {
                for (key, offset) in batch.offsets {
                    self.ready.insert(key, offset);
                }
            }
        }
    }

    /// Takes the latest committable offset per partition.
    pub fn committable(&mut self) -> BTreeMap<PartitionKey, Value> {
        std::mem::take(&mut self.ready)
    }

    /// Records submitted and not yet acknowledged.
    pub fn outstanding(&self) -> u64 {
        self.batches.iter().map(|b| b.unacked).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> PartitionKey {
        Arc::from(s.as_bytes())
    }

    fn offsets(entries: &[(&str, i64)]) -> BatchOffsets {
        let mut o = BatchOffsets::default();
        for (k, v) in entries {
            o.set(key(k), Value::Int64(*v));
        }
        o
    }

    #[test]
    fn a_batch_commits_once_it_and_every_earlier_batch_are_acknowledged() {
        let mut s = Submitted::default();
        let b0 = s.push_batch(3, offsets(&[("a", 0), ("b", 0), ("a", 1)]));
        let b1 = s.push_batch(2, offsets(&[("a", 2), ("c", 0)]));
        assert_eq!((b0, b1), (0, 3));
        s.ack(b1);
        s.ack(b1 + 1);
        assert!(
            s.committable().is_empty(),
            "batch 0 is not acknowledged yet"
        );
        s.ack(b0 + 2);
        s.ack(b0);
        assert!(
            s.committable().is_empty(),
            "record 1 is not acknowledged yet"
        );
        assert_eq!(s.outstanding(), 1);
        s.ack(b0 + 1);
        let c = s.committable();
        assert_eq!(
            c.iter()
                .map(|(k, v)| (k.to_vec(), v.clone()))
                .collect::<Vec<_>>(),
            [
                (b"a".to_vec(), Value::Int64(2)),
                (b"b".to_vec(), Value::Int64(0)),
                (b"c".to_vec(), Value::Int64(0)),
            ]
        );
        assert_eq!(s.outstanding(), 0);
        assert!(s.committable().is_empty(), "taken");
    }

    #[test]
    fn sequence_numbers_keep_counting_and_strays_are_ignored() {
        let mut s = Submitted::default();
        let b0 = s.push_batch(1, offsets(&[("a", 0)]));
        s.ack(b0);
        s.ack(b0); // repeated
        s.ack(99); // never submitted
        let b1 = s.push_batch(2, offsets(&[("a", 1)]));
        assert_eq!(b1, 1);
        s.ack(b0); // of a completed batch
        assert_eq!(s.outstanding(), 2);
        s.ack(b1);
        s.ack(b1 + 1);
        assert_eq!(s.committable().get(&key("a")), Some(&Value::Int64(1)));
    }

    #[test]
    fn an_empty_batch_or_one_without_offsets_commits_nothing_and_blocks_nothing() {
        let mut s = Submitted::default();
        s.push_batch(0, BatchOffsets::default());
        let b = s.push_batch(2, BatchOffsets::default());
        s.ack(b);
        s.ack(b + 1);
        let c = s.push_batch(1, offsets(&[("a", 5)]));
        s.ack(c);
        assert_eq!(s.committable().len(), 1);
        assert_eq!(s.outstanding(), 0);
    }

    #[test]
    fn batch_offsets_keep_the_last_offset_per_partition() {
        let o = offsets(&[("a", 0), ("b", 0), ("a", 1), ("a", 2), ("b", 3)]);
        assert_eq!(o.offsets.len(), 2);
        assert_eq!(o.offsets[0].1, Value::Int64(2));
        assert_eq!(o.offsets[1].1, Value::Int64(3));
    }
}
