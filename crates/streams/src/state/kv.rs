//! The typed key-value store a processor uses (Kafka's `KeyValueStore` behind its metered,
//! caching and change-logging layers).

use std::cell::RefCell;
use std::rc::Rc;

use super::core::StoreCore;
use crate::error::{Result, StreamsError};
use crate::serde::SerdeRef;

/// A task's key-value store, typed. Cheap to clone; all clones are the same store.
pub struct KeyValueStore<K, V> {
    pub(crate) core: Rc<RefCell<StoreCore>>,
    pub(crate) keys: SerdeRef<K>,
    pub(crate) values: SerdeRef<V>,
    /// What serdes see as the topic: the changelog topic, or the store's name.
    pub(crate) topic: Rc<str>,
}

impl<K, V> Clone for KeyValueStore<K, V> {
    fn clone(&self) -> Self {
        KeyValueStore {
            core: Rc::clone(&self.core),
            keys: self.keys.clone(),
            values: self.values.clone(),
            topic: Rc::clone(&self.topic),
        }
    }
}

impl<K, V> KeyValueStore<K, V> {
    /// Whether writes go through the record cache.
    pub(crate) fn is_cached(&self) -> bool {
        self.core.borrow().cached()
    }

    /// The store's name.
    pub fn name(&self) -> String {
        self.core.borrow().name.clone()
    }

    fn key_bytes(&self, key: &K) -> Result<Vec<u8>> {
        Ok(self.keys.serialize(&self.topic, key)?)
    }

    fn value(&self, bytes: &[u8]) -> Result<V> {
        self.values
            .deserialize(&self.topic, bytes)
            .map_err(StreamsError::from)
    }

    /// The value of `key`.
    pub fn get(&self, key: &K) -> Result<Option<V>> {
        Ok(self.get_with_timestamp(key)?.map(|(v, _)| v))
    }

    /// The value of `key` with the timestamp of the record that wrote it.
    pub fn get_with_timestamp(&self, key: &K) -> Result<Option<(V, i64)>> {
        let k = self.key_bytes(key)?;
        let stored = self.core.borrow_mut().get(&k)?;
        match stored {
            Some(s) => Ok(Some((self.value(&s.value)?, s.timestamp))),
            None => Ok(None),
        }
    }

    /// Writes `value` for `key`, stamped with the current record's timestamp.
    pub fn put(&self, key: &K, value: &V) -> Result<()> {
        let ts = self.core.borrow().clock.get();
        self.put_with_timestamp(key, Some(value), ts)
    }

    /// Writes (or with `None` deletes) `key` with `timestamp`.
    pub fn put_with_timestamp(&self, key: &K, value: Option<&V>, timestamp: i64) -> Result<()> {
        let k = self.key_bytes(key)?;
        let v = match value {
            Some(v) => Some(self.values.serialize(&self.topic, v)?),
            None => None,
        };
        self.core.borrow_mut().put(k, v, timestamp)
    }

    /// Deletes `key`, returning its old value.
    pub fn delete(&self, key: &K) -> Result<Option<V>> {
        let old = self.get(key)?;
        let ts = self.core.borrow().clock.get();
        self.put_with_timestamp(key, None, ts)?;
        Ok(old)
    }

    /// Entries with `from <= key <= to` in the order of their serialized keys (as Kafka's
    /// byte-ordered stores).
    pub fn range(&self, from: &K, to: &K) -> Result<Vec<(K, V)>> {
        let (f, t) = (self.key_bytes(from)?, self.key_bytes(to)?);
        self.collect(Some(&f), Some(&t))
    }

    /// Every entry, in serialized-key order.
    pub fn all(&self) -> Result<Vec<(K, V)>> {
        self.collect(None, None)
    }

    fn collect(&self, from: Option<&[u8]>, to: Option<&[u8]>) -> Result<Vec<(K, V)>> {
        let rows = self.core.borrow_mut().range(from, to)?;
        rows.into_iter()
            .map(|(k, s)| {
                Ok((
                    self.keys.deserialize(&self.topic, &k)?,
                    self.value(&s.value)?,
                ))
            })
            .collect()
    }

    /// How many keys the store holds (not counting unflushed cache entries).
    pub fn approximate_num_entries(&self) -> usize {
        self.core.borrow().len()
    }
}
