//! A small cache of what a transform derived from an input schema (Java keeps an LRU of 16
//! entries keyed by the input schema).
//!
//! The first schema seen is kept in a `OnceLock` and found by pointer without locking or
//! reference counting (a task usually sees one schema per transform); other schemas go to a
//! lock-protected list searched by pointer, then structurally.

use std::collections::VecDeque;
use std::ops::Deref;
use std::sync::{OnceLock, RwLock};

use connect_api::Schema;

/// Entries kept besides the first schema (Java's `LRUCache<>(16)`); the oldest goes first.
const CAPACITY: usize = 16;

/// Derived data per input schema.
#[derive(Debug)]
pub(crate) struct SchemaCache<V> {
    first: OnceLock<(Schema, V)>,
    entries: RwLock<VecDeque<(Schema, V)>>,
}

/// A cached entry: borrowed from the lock-free slot, or a copy from the locked list.
#[derive(Debug)]
pub(crate) enum Cached<'a, V> {
    /// The entry of the first schema seen.
    Borrowed(&'a V),
    /// A copy of another entry.
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

impl<V: Clone> SchemaCache<V> {
    /// An empty cache.
    pub fn new() -> Self {
        SchemaCache {
            first: OnceLock::new(),
            entries: RwLock::new(VecDeque::with_capacity(CAPACITY)),
        }
    }

    /// The entry of `schema`, if cached.
    pub fn get(&self, schema: &Schema) -> Option<Cached<'_, V>> {
        if let Some((k, v)) = self.first.get() {
            if k.ptr_eq(schema) {
                return Some(Cached::Borrowed(v));
            }
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(k, _)| k.ptr_eq(schema))
            .or_else(|| entries.iter().find(|(k, _)| k == schema))
            .map(|(_, v)| Cached::Owned(v.clone()))
    }

    /// Caches the entry of `schema`.
    pub fn put(&self, schema: Schema, value: V) {
        if self.first.get().is_none() {
            // Losing a race here only means the other thread's entry is the first one.
            let _ = self.first.set((schema.clone(), value.clone()));
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.iter().any(|(k, _)| k.ptr_eq(&schema)) {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back((schema, value));
    }

    /// The cached entry of `schema`, or the one `build` derives (cached when it succeeds).
    pub fn get_or_try_insert<E>(
        &self,
        schema: &Schema,
        build: impl FnOnce() -> Result<V, E>,
    ) -> Result<Cached<'_, V>, E> {
        if let Some(v) = self.get(schema) {
            return Ok(v);
        }
        let v = build()?;
        self.put(schema.clone(), v.clone());
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

    #[test]
    fn caches_by_pointer_then_structure() {
        let cache: SchemaCache<u32> = SchemaCache::new();
        let a = SchemaBuilder::struct_builder()
            .field("x", Schema::required(Type::Int8))
            .build()
            .unwrap();
        let b = SchemaBuilder::struct_builder()
            .field("x", Schema::required(Type::Int8))
            .build()
            .unwrap();
        assert!(cache.get(&a).is_none());
        assert_eq!(*cache.get_or_try_insert::<()>(&a, || Ok(1)).unwrap(), 1);
        assert!(matches!(cache.get(&a), Some(Cached::Borrowed(1))));
        assert!(matches!(cache.get(&b), Some(Cached::Owned(1))));
        assert_eq!(
            *cache.get_or_try_insert::<&str>(&b, || Err("no")).unwrap(),
            1
        );
        assert_eq!(
            cache
                .get_or_try_insert::<&str>(&plain(99), || Err("no"))
                .unwrap_err(),
            "no"
        );
        for i in 0..CAPACITY {
            cache.put(plain(i as i32), 9);
        }
        // Evicted from the list, but the first schema keeps its lock-free slot.
        assert!(matches!(cache.get(&a), Some(Cached::Borrowed(1))));
        assert!(cache.get(&b).is_none());
        assert!(matches!(cache.get(&plain(3)), Some(Cached::Owned(9))));
    }
}
