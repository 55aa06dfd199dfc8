//! Records as processors see them (Kafka's `processor.api.Record`) and the type-erased form
//! that travels between nodes of a task.

use std::any::Any;

/// Record headers, in order; a header value may be null.
pub type Headers = Vec<(String, Option<Vec<u8>>)>;

/// A record: key and value may be null (`None`), as in Kafka.
#[derive(Debug, Clone, PartialEq)]
pub struct Record<K, V> {
    /// The key.
    pub key: Option<K>,
    /// The value.
    pub value: Option<V>,
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    /// Headers.
    pub headers: Headers,
}

impl<K, V> Record<K, V> {
    /// A record with a key, a value and a timestamp, and no headers.
    pub fn new(key: Option<K>, value: Option<V>, timestamp: i64) -> Self {
        Record {
            key,
            value,
            timestamp,
            headers: Vec::new(),
        }
    }

    /// The same record with another key (`withKey`).
    pub fn with_key<K2>(self, key: Option<K2>) -> Record<K2, V> {
        Record {
            key,
            value: self.value,
            timestamp: self.timestamp,
            headers: self.headers,
        }
    }

    /// The same record with another value (`withValue`).
    pub fn with_value<V2>(self, value: Option<V2>) -> Record<K, V2> {
        Record {
            key: self.key,
            value,
            timestamp: self.timestamp,
            headers: self.headers,
        }
    }

    /// The same record with another timestamp.
    pub fn with_timestamp(mut self, timestamp: i64) -> Self {
        self.timestamp = timestamp;
        self
    }
}

/// Where the record being processed was read from (`RecordMetadata`); absent for records a
/// punctuation creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordMetadata {
    /// The topic.
    pub topic: String,
    /// The partition.
    pub partition: i32,
    /// The offset.
    pub offset: i64,
}

/// A key or value of any type, as it moves between nodes.
pub(crate) trait Datum: Any {
    fn clone_datum(&self) -> Box<dyn Datum>;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
    fn type_name(&self) -> &'static str;
}

impl<T: Any + Clone> Datum for T {
    fn clone_datum(&self) -> Box<dyn Datum> {
        Box::new(self.clone())
    }
    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// A record whose key and value types are known only to the nodes at either end of an edge.
pub(crate) struct Erased {
    pub key: Option<Box<dyn Datum>>,
    pub value: Option<Box<dyn Datum>>,
    pub timestamp: i64,
    pub headers: Headers,
}

impl Clone for Erased {
    fn clone(&self) -> Self {
        Erased {
            key: self.key.as_deref().map(Datum::clone_datum),
            value: self.value.as_deref().map(Datum::clone_datum),
            timestamp: self.timestamp,
            headers: self.headers.clone(),
        }
    }
}

/// Why an erased record could not be typed: a node got a type other than it declared.
#[derive(Debug)]
pub(crate) struct TypeMismatch {
    pub expected: &'static str,
    pub found: &'static str,
}

fn downcast<T: 'static>(d: Option<Box<dyn Datum>>) -> Result<Option<T>, TypeMismatch> {
    match d {
        None => Ok(None),
        Some(b) => {
            let found = b.type_name();
            b.into_any()
                .downcast::<T>()
                .map(|t| Some(*t))
                .map_err(|_| TypeMismatch {
                    expected: std::any::type_name::<T>(),
                    found,
                })
        }
    }
}

impl Erased {
    pub fn from_typed<K: Any + Clone, V: Any + Clone>(r: Record<K, V>) -> Erased {
        Erased {
            key: r.key.map(|k| Box::new(k) as Box<dyn Datum>),
            value: r.value.map(|v| Box::new(v) as Box<dyn Datum>),
            timestamp: r.timestamp,
            headers: r.headers,
        }
    }

    pub fn into_typed<K: 'static, V: 'static>(self) -> Result<Record<K, V>, TypeMismatch> {
        Ok(Record {
            key: downcast::<K>(self.key)?,
            value: downcast::<V>(self.value)?,
            timestamp: self.timestamp,
            headers: self.headers,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erased_records_keep_their_types_and_clone() {
        let r = Record::new(Some("k".to_string()), Some(5i64), 9);
        let e = Erased::from_typed(r.clone());
        let copy = e.clone();
        assert_eq!(e.into_typed::<String, i64>().unwrap(), r);
        let err = copy.into_typed::<String, String>().err().unwrap();
        assert_eq!(err.expected, "alloc::string::String");
        assert_eq!(err.found, "i64");
    }
}
