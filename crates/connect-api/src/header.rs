//! Record headers (Java `ConnectHeaders`): ordered, repeatable keys, each with schema and value.

use crate::data::{Schema, Value};

/// One header: a key, an optional schema and a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// The header key.
    pub key: String,
    /// The value's schema, or `None` for schemaless.
    pub schema: Option<Schema>,
    /// The value.
    pub value: Value,
}

/// The headers of a record, in order; a key may repeat.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Headers {
    entries: Vec<Header>,
}

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Headers::default()
    }

    /// Appends a header.
    pub fn add(
        &mut self,
        key: impl Into<String>,
        schema: Option<Schema>,
        value: Value,
    ) -> &mut Self {
        self.entries.push(Header {
            key: key.into(),
            schema,
            value,
        });
        self
    }

    /// All headers in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Header> {
        self.entries.iter()
    }

    /// All headers with `key`, in order.
    pub fn all_with_key<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.entries.iter().filter(move |h| h.key == key)
    }

    /// The last header with `key` (Java `lastWithName`).
    pub fn last_with_key(&self, key: &str) -> Option<&Header> {
        self.entries.iter().rev().find(|h| h.key == key)
    }

    /// Removes every header with `key`.
    pub fn remove_all(&mut self, key: &str) {
        self.entries.retain(|h| h.key != key);
    }

    /// Keeps the headers for which `keep` returns true.
    pub fn retain(&mut self, keep: impl FnMut(&Header) -> bool) {
        self.entries.retain(keep);
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl IntoIterator for Headers {
    type Item = Header;
    type IntoIter = std::vec::IntoIter<Header>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a Header;
    type IntoIter = std::slice::Iter<'a, Header>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

impl FromIterator<Header> for Headers {
    fn from_iter<I: IntoIterator<Item = Header>>(iter: I) -> Self {
        Headers {
            entries: iter.into_iter().collect(),
        }
    }
}
