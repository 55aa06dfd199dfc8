//! Map entries with Java `HashMap.put` semantics: a key equal to an earlier one (by Java's
//! `equals`) replaces that entry's value in place. Kafka reads `[[1,"a"],[1,"b"]]` as `{1=b}`.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use connect_api::Value;

/// Maps with more entries than this get a hash index.
const INDEX_THRESHOLD: usize = 32;

/// Java `equals` between two Connect values: floats compare by bits (`Double.equals`: NaN
/// equals NaN, 0.0 differs from -0.0), byte arrays by identity (two decoded arrays are never
/// equal), maps regardless of order, everything else structurally.
pub(crate) fn java_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Float32(x), Value::Float32(y)) => canonical_f32(*x) == canonical_f32(*y),
        (Value::Float64(x), Value::Float64(y)) => canonical_f64(*x) == canonical_f64(*y),
        (Value::Bytes(_), Value::Bytes(_)) => false,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| java_eq(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| java_eq(k, k2) && java_eq(v, v2)))
        }
        (Value::Struct(x), Value::Struct(y)) => {
            x.schema() == y.schema()
                && x.values()
                    .iter()
                    .zip(y.values())
                    .all(|(a, b)| java_eq(a, b))
        }
        _ if a.is_java_date() && b.is_java_date() => a.as_epoch_millis() == b.as_epoch_millis(),
        _ => a == b,
    }
}

fn canonical_f64(v: f64) -> u64 {
    if v.is_nan() {
        0x7ff8_0000_0000_0000
    } else {
        v.to_bits()
    }
}

fn canonical_f32(v: f32) -> u32 {
    if v.is_nan() {
        0x7fc0_0000
    } else {
        v.to_bits()
    }
}

/// A hash consistent with [`java_eq`].
fn java_hash(v: &Value, h: &mut DefaultHasher) {
    std::mem::discriminant(v).hash(h);
    match v {
        Value::Null | Value::Bytes(_) => {}
        Value::Boolean(b) => b.hash(h),
        Value::Int8(x) => x.hash(h),
        Value::Int16(x) => x.hash(h),
        Value::Int32(x) => x.hash(h),
        Value::Int64(x) => x.hash(h),
        Value::Float32(x) => canonical_f32(*x).hash(h),
        Value::Float64(x) => canonical_f64(*x).hash(h),
        Value::String(s) => s.hash(h),
        Value::Array(items) => items.iter().for_each(|i| java_hash(i, h)),
        Value::Map(entries) => {
            // order-insensitive
            let mut sum: u64 = 0;
            for (k, v) in entries {
                let mut eh = DefaultHasher::new();
                java_hash(k, &mut eh);
                java_hash(v, &mut eh);
                sum = sum.wrapping_add(eh.finish());
            }
            sum.hash(h);
        }
        Value::Struct(s) => s.values().iter().for_each(|i| java_hash(i, h)),
        Value::Decimal(d) => d.hash(h),
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => v.as_epoch_millis().hash(h),
    }
}

fn hash_of(v: &Value) -> u64 {
    let mut h = DefaultHasher::new();
    // all java.util.Date forms hash alike
    if v.is_java_date() {
        v.as_epoch_millis().hash(&mut h);
        return h.finish();
    }
    java_hash(v, &mut h);
    h.finish()
}

/// Accumulates map entries with Java `HashMap.put` semantics.
#[derive(Default)]
pub(crate) struct MapBuilder {
    entries: Vec<(Value, Value)>,
    index: Option<HashMap<u64, Vec<usize>>>,
}

impl MapBuilder {
    /// An empty map with room for `n` entries.
    pub(crate) fn with_capacity(n: usize) -> Self {
        MapBuilder {
            entries: Vec::with_capacity(n),
            index: None,
        }
    }

    /// Java `map.put(k, v)`.
    pub(crate) fn put(&mut self, k: Value, v: Value) {
        if let Some(index) = &mut self.index {
            let hash = hash_of(&k);
            let bucket = index.entry(hash).or_default();
            if let Some(&i) = bucket.iter().find(|&&i| java_eq(&self.entries[i].0, &k)) {
                self.entries[i].1 = v;
                return;
            }
            bucket.push(self.entries.len());
            self.entries.push((k, v));
            return;
        }
        if let Some(slot) = self.entries.iter_mut().find(|(e, _)| java_eq(e, &k)) {
            slot.1 = v;
            return;
        }
        self.entries.push((k, v));
        if self.entries.len() > INDEX_THRESHOLD {
            let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
            for (i, (k, _)) in self.entries.iter().enumerate() {
                index.entry(hash_of(k)).or_default().push(i);
            }
            self.index = Some(index);
        }
    }

    /// The entries in first-insertion order.
    pub(crate) fn into_entries(self) -> Vec<(Value, Value)> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_replaces_equal_keys() {
        let mut m = MapBuilder::default();
        m.put(Value::Int32(1), "a".into());
        m.put(Value::Int32(2), "b".into());
        m.put(Value::Int32(1), "c".into());
        m.put(Value::Int64(1), "d".into());
        m.put(Value::Float64(f64::NAN), "n1".into());
        m.put(Value::Float64(f64::NAN), "n2".into());
        m.put(Value::Float64(0.0), "z".into());
        m.put(Value::Float64(-0.0), "nz".into());
        m.put(Value::Bytes(vec![1]), "b1".into());
        m.put(Value::Bytes(vec![1]), "b2".into());
        let e = m.into_entries();
        assert_eq!(e.len(), 8);
        assert_eq!(e[0], (Value::Int32(1), Value::from("c")));
        assert_eq!(e[3].1, Value::from("n2"));
    }

    #[test]
    fn large_maps_use_the_index() {
        let mut m = MapBuilder::with_capacity(100);
        for i in 0..100 {
            m.put(Value::Int64(i), Value::Int64(i));
        }
        for i in 0..100 {
            m.put(Value::Int64(i), Value::Int64(-i));
        }
        let e = m.into_entries();
        assert_eq!(e.len(), 100);
        assert_eq!(e[42], (Value::Int64(42), Value::Int64(-42)));
    }
}
