//! The record cache in front of a store (Kafka's `NamedCache` within a thread's `ThreadCache`):
//! it keeps the latest value per key, so a key updated many times within a commit interval is
//! written to the store, its changelog and the downstream nodes once.
//!
//! The thread's budget (`statestore.cache.max.bytes` / threads) is shared by every cached store
//! of its tasks. When a put takes the thread over budget, the least recently used entries of
//! the store being written are evicted; evicting a dirty entry first flushes all the store's
//! dirty entries, in the order they became dirty, as Kafka does.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Bytes a cache entry costs beyond its key and value: Kafka counts the entry's record
/// context (offset, timestamp, partition, topic) and object overhead.
const ENTRY_OVERHEAD: u64 = 56;

/// A thread's cache budget.
#[derive(Debug)]
pub(crate) struct CacheBudget {
    pub max_bytes: u64,
    pub used: Cell<u64>,
}

impl CacheBudget {
    pub fn new(max_bytes: u64) -> Rc<CacheBudget> {
        Rc::new(CacheBudget {
            max_bytes,
            used: Cell::new(0),
        })
    }

    fn over(&self) -> bool {
        self.used.get() > self.max_bytes
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CacheEntry {
    /// `None`: a delete not yet flushed.
    pub value: Option<Vec<u8>>,
    pub timestamp: i64,
    pub dirty: bool,
    tick: u64,
}

/// A flushed entry: key, new value, timestamp.
pub(crate) type Flushed = (Vec<u8>, Option<Vec<u8>>, i64);

/// One store's cache.
#[derive(Debug)]
pub(crate) struct NamedCache {
    entries: HashMap<Vec<u8>, CacheEntry>,
    /// Least recently used first.
    lru: BTreeMap<u64, Vec<u8>>,
    /// Keys in the order they became dirty.
    dirty: Vec<Vec<u8>>,
    tick: u64,
    budget: Rc<CacheBudget>,
}

fn size_of(key: &[u8], value: &Option<Vec<u8>>) -> u64 {
    (key.len() + value.as_ref().map_or(0, |v| v.len())) as u64 + ENTRY_OVERHEAD
}

impl NamedCache {
    pub fn new(budget: Rc<CacheBudget>) -> Self {
        NamedCache {
            entries: HashMap::new(),
            lru: BTreeMap::new(),
            dirty: Vec::new(),
            tick: 0,
            budget,
        }
    }

    /// The cached entry for `key`, marking it used.
    pub fn get(&mut self, key: &[u8]) -> Option<&CacheEntry> {
        self.tick += 1;
        let tick = self.tick;
        let entry = self.entries.get_mut(key)?;
        self.lru.remove(&entry.tick);
        entry.tick = tick;
        self.lru.insert(tick, key.to_vec());
        Some(entry)
    }

    /// Puts a dirty entry. Returns the entries that must be flushed because the put took the
    /// thread over budget (they are no longer dirty afterwards).
    pub fn put(&mut self, key: Vec<u8>, value: Option<Vec<u8>>, timestamp: i64) -> Vec<Flushed> {
        self.tick += 1;
        let tick = self.tick;
        let added = size_of(&key, &value);
        let budget = Rc::clone(&self.budget);
        match self.entries.get_mut(&key) {
            Some(entry) => {
                budget
                    .used
                    .set(budget.used.get() - size_of(&key, &entry.value) + added);
                self.lru.remove(&entry.tick);
                if !entry.dirty {
                    self.dirty.push(key.clone());
                }
                *entry = CacheEntry {
                    value,
                    timestamp,
                    dirty: true,
                    tick,
                };
            }
            None => {
                budget.used.set(budget.used.get() + added);
                self.dirty.push(key.clone());
                self.entries.insert(
                    key.clone(),
                    CacheEntry {
                        value,
                        timestamp,
                        dirty: true,
                        tick,
                    },
                );
            }
        }
        self.lru.insert(tick, key);
        let mut flushed = Vec::new();
        while budget.over() {
            let Some((&eldest_tick, _)) = self.lru.iter().next() else {
                break;
            };
            let eldest_key = self.lru.remove(&eldest_tick).unwrap_or_default();
            if self.entries.get(&eldest_key).is_some_and(|e| e.dirty) {
                flushed.extend(self.flush());
            }
            if let Some(e) = self.entries.remove(&eldest_key) {
                budget
                    .used
                    .set(budget.used.get() - size_of(&eldest_key, &e.value));
            }
        }
        flushed
    }

    /// Takes every dirty entry, in the order they became dirty; they stay cached, clean.
    pub fn flush(&mut self) -> Vec<Flushed> {
        let mut out = Vec::with_capacity(self.dirty.len());
        for key in std::mem::take(&mut self.dirty) {
            if let Some(e) = self.entries.get_mut(&key) {
                if e.dirty {
                    e.dirty = false;
                    out.push((key, e.value.clone(), e.timestamp));
                }
            }
        }
        out
    }

    /// Drops every entry (the task closes), giving its bytes back to the thread.
    pub fn clear(&mut self) {
        for (k, e) in self.entries.drain() {
            self.budget
                .used
                .set(self.budget.used.get() - size_of(&k, &e.value));
        }
        self.lru.clear();
        self.dirty.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_puts_flush_once_in_dirty_order() {
        let mut c = NamedCache::new(CacheBudget::new(1 << 20));
        assert!(c.put(b"a".to_vec(), Some(b"1".to_vec()), 1).is_empty());
        c.put(b"b".to_vec(), Some(b"1".to_vec()), 2);
        c.put(b"a".to_vec(), Some(b"2".to_vec()), 3);
        let f = c.flush();
        assert_eq!(
            f,
            vec![
                (b"a".to_vec(), Some(b"2".to_vec()), 3),
                (b"b".to_vec(), Some(b"1".to_vec()), 2)
            ]
        );
        assert!(c.flush().is_empty());
        assert_eq!(c.get(b"a").unwrap().value, Some(b"2".to_vec()));
    }

    #[test]
    fn going_over_budget_evicts_the_eldest_and_flushes_dirty_entries() {
        let budget = CacheBudget::new(2 * (ENTRY_OVERHEAD + 2));
        let mut c = NamedCache::new(Rc::clone(&budget));
        assert!(c.put(b"a".to_vec(), Some(b"1".to_vec()), 1).is_empty());
        assert!(c.put(b"b".to_vec(), Some(b"1".to_vec()), 1).is_empty());
        let flushed = c.put(b"c".to_vec(), Some(b"1".to_vec()), 1);
        // "a" was dirty, so all three dirty entries are flushed; "a" is then evicted
        assert_eq!(flushed.len(), 3);
        assert!(c.get(b"a").is_none());
        assert!(c.get(b"c").is_some());
        assert_eq!(budget.used.get(), 2 * (ENTRY_OVERHEAD + 2));
        c.clear();
        assert_eq!(budget.used.get(), 0);
    }
}
