//! A key-value store of one task as bytes: the data, the record cache in front of it, and the
//! changelog records its writes produce.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

use super::cache::{CacheBudget, NamedCache};
use super::disk::DiskStore;
use crate::error::Result;
use crate::record::Erased;

/// A stored value with the timestamp of the record that wrote it (Kafka's timestamped stores).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stored {
    pub value: Vec<u8>,
    pub timestamp: i64,
}

/// A write for a changelog topic (or a sink topic).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutRecord {
    pub topic: Rc<str>,
    /// `None`: the producer's partitioner picks (murmur2 of the key, as Java's).
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub timestamp: i64,
    pub headers: crate::record::Headers,
}

/// Turns a flushed cache entry into the record its owner node forwards: key, new value, old
/// value, timestamp.
pub(crate) type FlushForwarder =
    Box<dyn Fn(&[u8], Option<&[u8]>, Option<&[u8]>, i64) -> Result<Erased>>;

/// Records waiting to be forwarded from a node, shared by a task's stores and the task.
pub(crate) type PendingForwards = Rc<RefCell<Vec<(usize, Erased)>>>;

/// Where a store's writes are logged.
#[derive(Debug, Clone)]
pub(crate) struct Changelog {
    pub topic: Rc<str>,
    pub partition: i32,
}

/// Where a store's data lives.
pub(crate) enum Backend {
    Memory(BTreeMap<Vec<u8>, Stored>),
    Disk(Box<DiskStore>),
}

impl Backend {
    fn get(&self, key: &[u8]) -> Result<Option<Stored>> {
        match self {
            Backend::Memory(m) => Ok(m.get(key).cloned()),
            Backend::Disk(d) => d.get(key),
        }
    }

    fn put(&mut self, key: Vec<u8>, value: Option<Stored>) {
        match self {
            Backend::Memory(m) => match value {
                Some(v) => {
                    m.insert(key, v);
                }
                None => {
                    m.remove(&key);
                }
            },
            Backend::Disk(d) => d.put(key, value),
        }
    }
}

/// One task's instance of a store.
pub(crate) struct StoreCore {
    pub name: String,
    data: Backend,
    /// The changelog offset after the last record the data holds (`None`: unknown).
    log_offset: Option<i64>,
    pub changelog: Option<Changelog>,
    /// Changelog records not yet handed to the producer.
    pub logged: Vec<OutRecord>,
    cache: Option<NamedCache>,
    /// The timestamp of the record being processed (for writes that give none).
    pub clock: Rc<Cell<i64>>,
    listener: Option<(usize, FlushForwarder)>,
    pending: PendingForwards,
}

impl StoreCore {
    pub fn new(
        name: &str,
        data: Backend,
        changelog: Option<Changelog>,
        cache: Option<Rc<CacheBudget>>,
        clock: Rc<Cell<i64>>,
        pending: PendingForwards,
    ) -> Self {
        StoreCore {
            name: name.to_string(),
            data,
            log_offset: None,
            changelog,
            logged: Vec::new(),
            cache: cache.map(NamedCache::new),
            clock,
            listener: None,
            pending,
        }
    }

    /// Whether the data is on disk.
    pub fn on_disk(&self) -> bool {
        matches!(self.data, Backend::Disk(_))
    }

    /// Whether writes go through a cache.
    pub fn cached(&self) -> bool {
        self.cache.is_some()
    }

    /// Makes `node` forward what the cache flushes (the DSL's cached KTables).
    pub fn set_flush_listener(&mut self, node: usize, forwarder: FlushForwarder) {
        self.listener = Some((node, forwarder));
    }

    pub fn get(&mut self, key: &[u8]) -> Result<Option<Stored>> {
        if let Some(cache) = self.cache.as_mut() {
            if let Some(e) = cache.get(key) {
                return Ok(e.value.as_ref().map(|v| Stored {
                    value: v.clone(),
                    timestamp: e.timestamp,
                }));
            }
        }
        self.data.get(key)
    }

    /// Writes (or with `None` deletes) `key`.
    pub fn put(&mut self, key: Vec<u8>, value: Option<Vec<u8>>, timestamp: i64) -> Result<()> {
        match self.cache.as_mut() {
            Some(cache) => {
                let flushed = cache.put(key, value, timestamp);
                for (k, v, ts) in flushed {
                    self.write_through(k, v, ts)?;
                }
                Ok(())
            }
            None => {
                self.write(key, value, timestamp);
                Ok(())
            }
        }
    }

    /// Writes a flushed entry to the data and the changelog, and hands it to the listener.
    fn write_through(&mut self, key: Vec<u8>, value: Option<Vec<u8>>, ts: i64) -> Result<()> {
        if let Some((node, forwarder)) = &self.listener {
            let old = self.data.get(&key)?.map(|s| s.value);
            let record = forwarder(&key, value.as_deref(), old.as_deref(), ts)?;
            self.pending.borrow_mut().push((*node, record));
        }
        self.write(key, value, ts);
        Ok(())
    }

    fn write(&mut self, key: Vec<u8>, value: Option<Vec<u8>>, timestamp: i64) {
        if let Some(log) = &self.changelog {
            self.logged.push(OutRecord {
                topic: Rc::clone(&log.topic),
                partition: Some(log.partition),
                key: Some(key.clone()),
                value: value.clone(),
                timestamp,
                headers: Vec::new(),
            });
        }
        self.data
            .put(key, value.map(|value| Stored { value, timestamp }));
    }

    /// Writes everything the cache holds dirty (at commit).
    pub fn flush(&mut self) -> Result<()> {
        let flushed = match self.cache.as_mut() {
            Some(cache) => cache.flush(),
            None => return Ok(()),
        };
        for (k, v, ts) in flushed {
            self.write_through(k, v, ts)?;
        }
        Ok(())
    }

    /// Where restoring starts: `None` for the beginning of the changelog (an in-memory store,
    /// or a store on disk without a checkpoint, starts empty).
    pub fn checkpoint(&self) -> Option<i64> {
        self.log_offset
    }

    /// Sets the changelog offset the data corresponds to (read from disk when opened).
    pub fn set_checkpoint(&mut self, offset: Option<i64>) {
        self.log_offset = offset;
    }

    /// Applies the changelog record at `offset` while restoring: no logging, no cache.
    pub fn restore(&mut self, key: Vec<u8>, value: Option<Vec<u8>>, timestamp: i64, offset: i64) {
        self.data
            .put(key, value.map(|value| Stored { value, timestamp }));
        self.log_offset = Some(offset + 1);
    }

    /// After a commit: `acked` is the last changelog offset the broker acknowledged. Writes a
    /// store on disk, with its checkpoint when `checkpoint` (never under exactly-once before
    /// a clean close: after a crash the store must be rebuilt, as in Kafka).
    pub fn committed(&mut self, acked: Option<i64>, checkpoint: bool) -> Result<()> {
        if let Some(a) = acked {
            self.log_offset = Some(self.log_offset.map_or(a + 1, |o| o.max(a + 1)));
        }
        let logged = self.changelog.is_some();
        let offset = self.log_offset;
        if let Backend::Disk(d) = &mut self.data {
            d.commit((logged && checkpoint).then_some(offset))?;
        }
        Ok(())
    }

    /// Entries with `from <= key <= to` (byte order), the cache's newer values merged in.
    pub fn range(
        &mut self,
        from: Option<&[u8]>,
        to: Option<&[u8]>,
    ) -> Result<Vec<(Vec<u8>, Stored)>> {
        // dirty cache entries are newer than the data: flush them first so one ordered read
        // sees everything (range reads are rare on the hot path)
        self.flush()?;
        use std::ops::Bound;
        let lo = from.map_or(Bound::Unbounded, |f| Bound::Included(f.to_vec()));
        let hi = to.map_or(Bound::Unbounded, |t| Bound::Included(t.to_vec()));
        match &self.data {
            Backend::Memory(m) => Ok(m
                .range((lo, hi))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()),
            Backend::Disk(d) => d.range(lo, hi),
        }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            Backend::Memory(m) => m.len(),
            Backend::Disk(d) => d.len(),
        }
    }

    /// Gives the cache's bytes back to the thread (the task closes).
    pub fn close(&mut self) {
        if let Some(cache) = self.cache.as_mut() {
            cache.clear();
        }
    }
}
