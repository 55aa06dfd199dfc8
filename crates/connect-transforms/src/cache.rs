//! The one cache of what a transform derives from an input schema (an output schema, a plan).
//! Java's transforms keep a synchronized LRU of 16 entries keyed by the input schema; so does
//! Ferry, with a lock-free slot in front.
//!
//! The first key seen is kept in a `OnceLock` and found by pointer identity with one atomic
//! load: no lock, no reference counting (a task usually sees one schema per transform, and
//! this lookup runs for every record). Other keys go to a lock-protected list searched by
//! identity, then structurally; when it is full the oldest entry goes.

use std::collections::VecDeque;
use std::ops::Deref;
use std::sync::{OnceLock, RwLock};

use connect_api::Schema;

/// Entries of the list besides the first key (Java's `LRUCache<>(16)`).
pub const DEFAULT_CAPACITY: usize = 16;

/// A cache key: one or more schemas (and whatever else the derivation depends on).
pub trait CacheKey: Clone + PartialEq {
    /// Whether `self` and `other` are the very same allocations: a cheap check tried before
    /// structural equality.
    fn same(&self, other: &Self) -> bool;
}

impl CacheKey for Schema {
    fn same(&self, other: &Self) -> bool {
        self.ptr_eq(other)
    }
}

impl CacheKey for (Schema, Schema) {
    fn same(&self, other: &Self) -> bool {
        self.0.ptr_eq(&other.0) && self.1.ptr_eq(&other.1)
    }
}

/// Derived values by key.
#[derive(Debug)]
pub struct SchemaCache<K, V> {
    first: OnceLock<(K, V)>,
    entries: RwLock<VecDeque<(K, V)>>,
    capacity: usize,
}

/// A cached value: borrowed from the lock-free slot, or a clone from the locked list.
#[derive(Debug)]
pub enum Cached<'a, V> {
    /// The value of the first key seen.
    Borrowed(&'a V),
    /// A clone of another entry (or of a value just built).
    Owned(V),
}

impl<V> Deref for Cached<'_, V> {
    type Target = V;

    fn deref(&self) -> &V {
        match self {
            Cached::Borrowed(v) => v,
            Cached::Owned(v) => v,
        }
    }
}

impl<V: Clone> Cached<'_, V> {
    /// The value, owned.
    pub fn into_owned(self) -> V {
        match self {
            Cached::Borrowed(v) => v.clone(),
            Cached::Owned(v) => v,
        }
    }
}

impl<K: CacheKey, V: Clone> Default for SchemaCache<K, V> {
    fn default() -> Self {
        SchemaCache::with_capacity(DEFAULT_CAPACITY)
    }
}

impl<K: CacheKey, V: Clone> SchemaCache<K, V> {
    /// An empty cache of [`DEFAULT_CAPACITY`].
    pub fn new() -> Self {
        SchemaCache::default()
    }

    /// An empty cache whose list holds at most `capacity` entries (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        SchemaCache {
            first: OnceLock::new(),
            entries: RwLock::new(VecDeque::new()),
            capacity: capacity.max(1),
        }
    }

    /// The value cached for `key`, if any.
    #[inline]
    pub fn get(&self, key: &K) -> Option<Cached<'_, V>> {
        if let Some((k, v)) = self.first.get() {
            if k.same(key) {
                return Some(Cached::Borrowed(v));
            }
        }
        self.get_listed(key)
    }

    /// The list part of [`get`](Self::get).
    #[cold]
    fn get_listed(&self, key: &K) -> Option<Cached<'_, V>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(k, _)| k.same(key))
            .or_else(|| entries.iter().find(|(k, _)| k == key))
            .map(|(_, v)| Cached::Owned(v.clone()))
    }

    /// Caches `value` for `key`.
    pub fn put(&self, key: K, value: V) {
        if self.first.get().is_none() {
            // Losing a race here only means another thread's entry is the first one.
            let _ = self.first.set((key.clone(), value.clone()));
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.iter().any(|(k, _)| k.same(&key)) {
            return;
        }
        if entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back((key, value));
    }

    /// The value cached for `key`, or the one `build` derives (cached when it succeeds; a
    /// failure is not remembered).
    #[inline]
    pub fn get_or_try_insert<E>(
        &self,
        key: &K,
        build: impl FnOnce() -> Result<V, E>,
    ) -> Result<Cached<'_, V>, E> {
        if let Some(v) = self.get(key) {
            return Ok(v);
        }
        let v = build()?;
        self.put(key.clone(), v.clone());
        Ok(Cached::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{SchemaBuilder, Type};

    fn plain(version: i32) -> Schema {
        Schema::optional(Type::Int8)
            .to_builder()
            .version(version)
            .build()
            .unwrap()
    }

    fn record_schema() -> Schema {
        SchemaBuilder::struct_builder()
            .field("x", Schema::required(Type::Int8))
            .build()
            .unwrap()
    }

    #[test]
    fn caches_by_identity_then_structure() {
        let cache: SchemaCache<Schema, u32> = SchemaCache::new();
        let (a, b) = (record_schema(), record_schema());
        assert!(cache.get(&a).is_none());
        assert_eq!(*cache.get_or_try_insert::<()>(&a, || Ok(1)).unwrap(), 1);
        assert!(matches!(cache.get(&a), Some(Cached::Borrowed(1))));
        // equal but not the same allocation: found in the list
        assert!(matches!(cache.get(&b), Some(Cached::Owned(1))));
        assert_eq!(
            *cache.get_or_try_insert::<&str>(&b, || Err("no")).unwrap(),
            1
        );
        // a failed build is reported and not remembered
        assert_eq!(
            cache
                .get_or_try_insert::<&str>(&plain(99), || Err("no"))
                .unwrap_err(),
            "no"
        );
        assert!(cache.get(&plain(99)).is_none());
    }

    #[test]
    fn evicts_the_oldest_but_keeps_the_first_slot() {
        let cache: SchemaCache<Schema, u32> = SchemaCache::with_capacity(2);
        let a = record_schema();
        cache.put(a.clone(), 1);
        for i in 0..3 {
            cache.put(plain(i), 10 + i as u32);
        }
        assert!(matches!(cache.get(&a), Some(Cached::Borrowed(1))));
        // equal to `a` but another allocation: only the evicted list entry could have matched
        assert!(cache.get(&record_schema()).is_none());
        assert!(cache.get(&plain(0)).is_none());
        assert_eq!(cache.get(&plain(2)).map(Cached::into_owned), Some(12));
    }

    #[test]
    fn pair_keys_compare_both_schemas() {
        let cache: SchemaCache<(Schema, Schema), u8> = SchemaCache::new();
        let (a, b) = (record_schema(), plain(1));
        cache.put((a.clone(), b.clone()), 7);
        assert_eq!(cache.get(&(a.clone(), b.clone())).map(|c| *c), Some(7));
        assert!(cache.get(&(b, a)).is_none());
    }
}
