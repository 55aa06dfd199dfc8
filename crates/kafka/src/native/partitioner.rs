//! How a producer picks a partition, as Java's producer does: murmur2 of the key for keyed
//! records, and for records without a key (or with `partitioner.ignore.keys`) one partition
//! until `batch.size` bytes went to it, then another at random (Kafka's built-in uniform
//! sticky partitioner); or every record to the next partition (`RoundRobinPartitioner`).

/// Kafka's `Utils.murmur2`.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    let mut h: u32 = SEED ^ (len as u32);
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let mut k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let rest = chunks.remainder();
    if rest.len() >= 3 {
        h ^= u32::from(rest[2]) << 16;
    }
    if rest.len() >= 2 {
        h ^= u32::from(rest[1]) << 8;
    }
    if !rest.is_empty() {
        h ^= u32::from(rest[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// The partition of a keyed record among `partitions`, as Java's producer picks it.
pub fn partition_of_key(key: &[u8], partitions: usize) -> usize {
    ((murmur2(key) & 0x7fff_ffff) as usize) % partitions.max(1)
}

/// Which partitioner (`partitioner.class`, `partitioner.ignore.keys`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Kafka's built-in partitioner (also `DefaultPartitioner`); `ignore_keys` makes every
    /// record sticky.
    BuiltIn {
        /// `partitioner.ignore.keys`.
        ignore_keys: bool,
    },
    /// `RoundRobinPartitioner`: each record to the next partition, keys ignored.
    RoundRobin,
}

impl Strategy {
    /// The strategy of a `partitioner.class` (full or simple class name); `None` for a class
    /// this producer does not implement.
    pub fn from_class(class: Option<&str>, ignore_keys: bool) -> Option<Strategy> {
        let class = class.map(str::trim).filter(|c| !c.is_empty());
        match class.map(|c| c.rsplit('.').next().unwrap_or(c)) {
            None | Some("DefaultPartitioner") => Some(Strategy::BuiltIn { ignore_keys }),
            Some("UniformStickyPartitioner") => Some(Strategy::BuiltIn { ignore_keys: true }),
            Some("RoundRobinPartitioner") => Some(Strategy::RoundRobin),
            Some(_) => None,
        }
    }
}

/// The partitioner's state for one topic.
#[derive(Debug, Default)]
pub struct TopicPartitioner {
    /// The sticky partition and the bytes sent to it since it was picked.
    sticky: Option<(usize, usize)>,
    /// The next partition for round robin.
    next: usize,
}

impl TopicPartitioner {
    /// The partition for a record of `size` bytes with `key`, among `partitions`.
    pub fn pick(
        &mut self,
        strategy: Strategy,
        key: Option<&[u8]>,
        size: usize,
        partitions: usize,
        batch_size: usize,
    ) -> usize {
        let partitions = partitions.max(1);
        match (strategy, key) {
            (Strategy::BuiltIn { ignore_keys: false }, Some(key)) => {
                partition_of_key(key, partitions)
            }
            (Strategy::BuiltIn { .. }, _) => {
                let (p, sent) = match self.sticky {
                    Some((p, sent)) if p < partitions && sent < batch_size => (p, sent),
                    _ => (fastrand::usize(..partitions), 0),
                };
                self.sticky = Some((p, sent + size));
                p
            }
            (Strategy::RoundRobin, _) => {
                let p = self.next % partitions;
                self.next = self.next.wrapping_add(1);
                p
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_matches_kafkas() {
        // Kafka's UtilsTest.testMurmur2
        let cases: [(&str, i32); 6] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            (
                "lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8",
                -58_897_971,
            ),
            ("abc", 479_470_107),
        ];
        for (input, expected) in cases {
            assert_eq!(murmur2(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn keyed_records_go_where_the_key_hashes() {
        let mut p = TopicPartitioner::default();
        let s = Strategy::BuiltIn { ignore_keys: false };
        let first = p.pick(s, Some(b"user-1"), 10, 12, 100);
        for _ in 0..10 {
            assert_eq!(p.pick(s, Some(b"user-1"), 10, 12, 100), first);
        }
        assert_eq!(first, partition_of_key(b"user-1", 12));
    }

    #[test]
    fn records_without_a_key_stick_until_a_batch_is_full() {
        let mut p = TopicPartitioner::default();
        let s = Strategy::BuiltIn { ignore_keys: false };
        let first = p.pick(s, None, 40, 1000, 100);
        assert_eq!(p.pick(s, None, 40, 1000, 100), first);
        assert_eq!(p.pick(s, None, 40, 1000, 100), first);
        // 120 bytes went to it: the next record may go elsewhere; over many switches,
        // more than one partition is picked
        let mut seen = std::collections::HashSet::new();
        for _ in 0..300 {
            seen.insert(p.pick(s, None, 100, 1000, 100));
        }
        assert!(seen.len() > 1);
        // ignore_keys: keyed records stick too
        let s = Strategy::BuiltIn { ignore_keys: true };
        let mut p = TopicPartitioner::default();
        let a = p.pick(s, Some(b"x"), 1, 1000, 100);
        assert_eq!(p.pick(s, Some(b"y"), 1, 1000, 100), a);
    }

    #[test]
    fn round_robin_takes_each_partition_in_turn() {
        let mut p = TopicPartitioner::default();
        let picks: Vec<usize> = (0..7)
            .map(|_| p.pick(Strategy::RoundRobin, Some(b"k"), 1, 3, 100))
            .collect();
        assert_eq!(picks, [0, 1, 2, 0, 1, 2, 0]);
    }

    #[test]
    fn partitioner_classes_are_recognised() {
        let builtin = Some(Strategy::BuiltIn { ignore_keys: false });
        assert_eq!(Strategy::from_class(None, false), builtin);
        assert_eq!(
            Strategy::from_class(
                Some("org.apache.kafka.clients.producer.RoundRobinPartitioner"),
                false
            ),
            Some(Strategy::RoundRobin)
        );
        assert_eq!(
            Strategy::from_class(Some("UniformStickyPartitioner"), false),
            Some(Strategy::BuiltIn { ignore_keys: true })
        );
        assert_eq!(Strategy::from_class(Some("com.example.Mine"), false), None);
    }
}
