//! The two schema caches of a converter (Java's `fromConnectSchemaCache` / `toConnectSchemaCache`,
//! sized by `schemas.cache.size`): serialized schema JSON per Connect schema for encoding, and
//! parsed Connect schema per schema JSON text for decoding. Caching never changes results (both
//! conversions are deterministic); it only saves work. Least recently used entries are evicted.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use connect_api::{Schema, Value};

/// A fast multiplicative hasher for byte keys (schema JSON text): eight bytes per step.
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.write(&(n as u64).to_le_bytes());
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Removes the least recently used entry of a map whose values carry a use tick.
fn evict_oldest<K: Clone + Eq + Hash, V, S: std::hash::BuildHasher>(
    map: &mut HashMap<K, V, S>,
    tick: impl Fn(&V) -> u64,
) {
    if let Some(oldest) = map
        .iter()
        .min_by_key(|(_, v)| tick(v))
        .map(|(k, _)| k.clone())
    {
        map.remove(&oldest);
    }
}

struct DecodeInner {
    last: Option<(Arc<[u8]>, Schema)>,
    map: FastMap<Box<[u8]>, (Schema, u64)>,
    tick: u64,
}

/// Parsed schemas by their JSON text.
pub(crate) struct DecodeCache {
    capacity: usize,
    inner: Mutex<DecodeInner>,
}

impl DecodeCache {
    pub(crate) fn new(capacity: usize) -> Self {
        DecodeCache {
            capacity,
            inner: Mutex::new(DecodeInner {
                last: None,
                map: FastMap::default(),
                tick: 0,
            }),
        }
    }

    /// The most recently used schema and its text.
    pub(crate) fn last(&self) -> Option<(Arc<[u8]>, Schema)> {
        lock(&self.inner).last.clone()
    }

    /// The schema parsed from `text` before, if cached.
    pub(crate) fn get(&self, text: &[u8]) -> Option<Schema> {
        let mut inner = lock(&self.inner);
        if let Some((last_text, schema)) = &inner.last {
            if **last_text == *text {
                return Some(schema.clone());
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        let schema = match inner.map.get_mut(text) {
            Some(entry) => {
                entry.1 = tick;
                entry.0.clone()
            }
            None => return None,
        };
        inner.last = Some((text.into(), schema.clone()));
        Some(schema)
    }

    /// Remembers the schema parsed from `text`.
    pub(crate) fn put(&self, text: &[u8], schema: &Schema) {
        let mut inner = lock(&self.inner);
        inner.last = Some((text.into(), schema.clone()));
        if self.capacity == 0 {
            return;
        }
        if inner.map.len() >= self.capacity && !inner.map.contains_key(text) {
            evict_oldest(&mut inner.map, |v| v.1);
        }
        inner.tick += 1;
        let tick = inner.tick;
        inner.map.insert(text.into(), (schema.clone(), tick));
    }
}

/// How many schemas are remembered by identity for the encode fast path.
const RECENT: usize = 4;

/// A cached schema, its JSON, and when it was last used.
type EncodeEntry = (Schema, Arc<[u8]>, u64);

struct EncodeInner {
    /// Recently used schemas, checked by pointer identity (they are held, so identity is safe).
    recent: Vec<(Schema, Arc<[u8]>)>,
    map: HashMap<u64, Vec<EncodeEntry>>,
    len: usize,
    tick: u64,
}

/// Serialized schema JSON by schema.
pub(crate) struct EncodeCache {
    capacity: usize,
    inner: Mutex<EncodeInner>,
}

/// A structural hash of a schema, consistent with its `PartialEq`.
fn schema_hash(schema: &Schema) -> u64 {
    let mut h = DefaultHasher::new();
    hash_schema(schema, &mut h);
    h.finish()
}

fn hash_schema(s: &Schema, h: &mut DefaultHasher) {
    s.schema_type().hash(h);
    s.is_optional().hash(h);
    s.name().hash(h);
    s.version().hash(h);
    s.doc().hash(h);
    s.parameters().hash(h);
    for f in s.fields() {
        f.name().hash(h);
        hash_schema(f.schema(), h);
    }
    if let Some(k) = s.key_schema() {
        hash_schema(k, h);
    }
    if let Some(v) = s.value_schema() {
        hash_schema(v, h);
    }
    if let Some(d) = s.default_value() {
        hash_value(d, h);
    }
}

/// Hashes the parts of a value that `PartialEq` compares (floats by bits: -0.0 and 0.0 may
/// hash apart although equal; that only costs a cache miss).
fn hash_value(v: &Value, h: &mut DefaultHasher) {
    std::mem::discriminant(v).hash(h);
    match v {
        Value::Null => {}
        Value::Boolean(b) => b.hash(h),
        Value::Int8(x) => x.hash(h),
        Value::Int16(x) => x.hash(h),
        Value::Int32(x) => x.hash(h),
        Value::Int64(x) => x.hash(h),
        Value::Float32(x) => x.to_bits().hash(h),
        Value::Float64(x) => x.to_bits().hash(h),
        Value::String(s) => s.hash(h),
        Value::Bytes(b) => b.hash(h),
        Value::Array(items) => items.iter().for_each(|i| hash_value(i, h)),
        Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            hash_value(k, h);
            hash_value(v, h);
        }),
        Value::Struct(s) => s.values().iter().for_each(|i| hash_value(i, h)),
        Value::Decimal(d) => d.hash(h),
        Value::Date(x) | Value::Time(x) => x.hash(h),
        Value::Timestamp(x) => x.hash(h),
    }
}

impl EncodeCache {
    pub(crate) fn new(capacity: usize) -> Self {
        EncodeCache {
            capacity,
            inner: Mutex::new(EncodeInner {
                recent: Vec::with_capacity(RECENT),
                map: HashMap::new(),
                len: 0,
                tick: 0,
            }),
        }
    }

    /// Appends the cached JSON of `schema` to `out`; false when it is not cached.
    pub(crate) fn write(&self, schema: &Schema, out: &mut Vec<u8>) -> bool {
        let mut inner = lock(&self.inner);
        if let Some((_, bytes)) = inner.recent.iter().find(|(s, _)| s.ptr_eq(schema)) {
            out.extend_from_slice(bytes);
            return true;
        }
        if self.capacity == 0 {
            return false;
        }
        inner.tick += 1;
        let tick = inner.tick;
        let hash = schema_hash(schema);
        let found = inner.map.get_mut(&hash).and_then(|bucket| {
            bucket.iter_mut().find(|e| e.0 == *schema).map(|e| {
                e.2 = tick;
                e.1.clone()
            })
        });
        let Some(bytes) = found else {
            return false;
        };
        out.extend_from_slice(&bytes);
        Self::remember_recent(&mut inner, schema, bytes);
        true
    }

    fn remember_recent(inner: &mut EncodeInner, schema: &Schema, bytes: Arc<[u8]>) {
        if inner.recent.len() >= RECENT {
            inner.recent.remove(0);
        }
        inner.recent.push((schema.clone(), bytes));
    }

    /// Remembers the JSON of `schema`.
    pub(crate) fn put(&self, schema: &Schema, json: &[u8]) {
        let bytes: Arc<[u8]> = json.into();
        let mut inner = lock(&self.inner);
        Self::remember_recent(&mut inner, schema, bytes.clone());
        if self.capacity == 0 {
            return;
        }
        if inner.len >= self.capacity {
            // evict the least recently used entry
            let oldest = inner
                .map
                .iter()
                .flat_map(|(h, bucket)| bucket.iter().enumerate().map(move |(i, e)| (*h, i, e.2)))
                .min_by_key(|(_, _, t)| *t);
            if let Some((h, i, _)) = oldest {
                if let Some(bucket) = inner.map.get_mut(&h) {
                    bucket.remove(i);
                    if bucket.is_empty() {
                        inner.map.remove(&h);
                    }
                }
                inner.len -= 1;
            }
        }
        inner.tick += 1;
        let tick = inner.tick;
        let hash = schema_hash(schema);
        inner
            .map
            .entry(hash)
            .or_default()
            .push((schema.clone(), bytes, tick));
        inner.len += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{SchemaBuilder, Type};

    fn schema(name: &str) -> Schema {
        SchemaBuilder::struct_builder()
            .name(name)
            .field("a", Schema::required(Type::Int32))
            .build()
            .unwrap()
    }

    #[test]
    fn encode_cache_hits_by_identity_and_structure() {
        let c = EncodeCache::new(2);
        let a = schema("a");
        let mut out = Vec::new();
        assert!(!c.write(&a, &mut out));
        c.put(&a, b"A");
        assert!(c.write(&a, &mut out));
        // an equal schema in another allocation
        assert!(c.write(&schema("a"), &mut out));
        assert_eq!(out, b"AA");
        c.put(&schema("b"), b"B");
        c.put(&schema("c"), b"C");
        let inner = lock(&c.inner);
        assert_eq!(inner.len, 2);
    }

    #[test]
    fn decode_cache_evicts_least_recent() {
        let c = DecodeCache::new(2);
        c.put(b"1", &schema("1"));
        c.put(b"2", &schema("2"));
        assert!(c.get(b"1").is_some());
        c.put(b"3", &schema("3"));
        assert!(c.get(b"2").is_none());
        assert!(c.get(b"1").is_some());
        assert!(c.get(b"3").is_some());
        let z = DecodeCache::new(0);
        z.put(b"1", &schema("1"));
        assert!(z.get(b"1").is_some()); // the last one is always kept
        z.put(b"2", &schema("2"));
        assert!(z.get(b"1").is_none());
    }
}
