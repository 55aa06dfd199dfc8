//! Scratch stacks for the tree builders: every array and object of a parse is collected on
//! shared stacks and allocated once, at its exact size, when it closes.

use std::borrow::Cow;
use std::collections::HashMap;

/// Objects with more members than this get a hash index for the repeated-key check.
const INDEX_THRESHOLD: usize = 16;

/// An object member key as a builder stores it.
pub(crate) trait MemberKey: Sized {
    fn from_key(key: Cow<'_, str>) -> Self;
    fn key_str(&self) -> &str;
}

impl MemberKey for String {
    fn from_key(key: Cow<'_, str>) -> Self {
        key.into_owned()
    }
    fn key_str(&self) -> &str {
        self
    }
}

/// Scratch stacks shared by all arrays and objects of one parse, so that each finished array
/// or object is allocated once, at its exact size. Objects follow Jackson's repeated-key rule
/// (last value wins, first position kept); large objects get a hash index for that check.
pub(crate) struct Stacks<K, V> {
    items: Vec<V>,
    members: Vec<(K, V)>,
    /// Key index of the innermost open large object, by its start offset in `members`.
    indexes: Vec<(usize, HashMap<String, usize>)>,
}

/// Scratch stacks bigger than this (in entries) are not kept for reuse.
const KEEP_LIMIT: usize = 4096;

impl<K: MemberKey, V> Stacks<K, V> {
    pub(crate) fn new() -> Self {
        Stacks {
            items: Vec::new(),
            members: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// Empties the stacks for reuse by the next parse; `None` if they grew too big to keep.
    pub(crate) fn recycle(mut self) -> Option<Self> {
        if self.items.capacity() > KEEP_LIMIT || self.members.capacity() > KEEP_LIMIT {
            return None;
        }
        self.items.clear();
        self.members.clear();
        self.indexes.clear();
        Some(self)
    }

    pub(crate) fn array_start(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn array_push(&mut self, v: V) {
        self.items.push(v);
    }

    pub(crate) fn array_end(&mut self, start: usize) -> Vec<V> {
        self.items.drain(start..).collect()
    }

    pub(crate) fn object_start(&self) -> usize {
        self.members.len()
    }

    pub(crate) fn object_put(&mut self, start: usize, key: Cow<'_, str>, v: V) {
        if let Some((_, index)) = self.indexes.last_mut().filter(|(s, _)| *s == start) {
            if let Some(&i) = index.get(key.as_ref()) {
                self.members[i].1 = v;
                return;
            }
            index.insert(key.to_string(), self.members.len());
            self.members.push((K::from_key(key), v));
            return;
        }
        if let Some(slot) = self.members[start..]
            .iter_mut()
            .find(|(k, _)| same_key(k.key_str(), &key))
        {
            slot.1 = v;
            return;
        }
        self.members.push((K::from_key(key), v));
        if self.members.len() - start > INDEX_THRESHOLD {
            let index = self.members[start..]
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.key_str().to_string(), start + i))
                .collect();
            self.indexes.push((start, index));
        }
    }

    pub(crate) fn object_end(&mut self, start: usize) -> Vec<(K, V)> {
        if self.indexes.last().is_some_and(|(s, _)| *s == start) {
            self.indexes.pop();
        }
        self.members.drain(start..).collect()
    }
}

/// String equality with cheap rejections first (most member names differ early).
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}
