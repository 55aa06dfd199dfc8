//! The persistent key-value store: a redb database per task and store under
//! `state.dir/<application.id>/<task>/redb/<store>`. Writes are buffered and written in one
//! transaction at commit, with the changelog offset the data corresponds to (the checkpoint),
//! so a restarted task replays only the changelog's tail.

use std::collections::{BTreeMap, HashMap};
use std::ops::{Bound, RangeBounds};
use std::path::Path;

use redb::{Database, ReadableTableMetadata, TableDefinition};

use super::core::Stored;
use crate::error::{Result, StreamsError};

const DATA: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new("data");
const META: TableDefinition<'_, &str, i64> = TableDefinition::new("meta");
const CHECKPOINT: &str = "checkpoint";

/// A store on disk with its unwritten changes.
pub(crate) struct DiskStore {
    name: String,
    db: Database,
    /// Changes since the last commit (`None`: deleted); hashed, as every read looks here
    /// first (sorted at commit and for the rare range read).
    pending: HashMap<Vec<u8>, Option<Stored>, foldhash::fast::RandomState>,
}

fn encode(s: &Stored) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + s.value.len());
    v.extend_from_slice(&s.timestamp.to_be_bytes());
    v.extend_from_slice(&s.value);
    v
}

fn decode(b: &[u8]) -> Stored {
    let (ts, value) = b.split_at(8.min(b.len()));
    let mut t = [0u8; 8];
    t[..ts.len()].copy_from_slice(ts);
    Stored {
        value: value.to_vec(),
        timestamp: i64::from_be_bytes(t),
    }
}

impl DiskStore {
    fn err(&self, what: &str, e: impl std::fmt::Display) -> StreamsError {
        StreamsError::store(&self.name, format!("{what}: {e}"))
    }

    /// Opens (or creates) the store at `path`.
    pub fn open(name: &str, path: &Path) -> Result<DiskStore> {
        let fail = |what: &str, e: &dyn std::fmt::Display| {
            StreamsError::store(name, format!("{what} {}: {e}", path.display()))
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| fail("cannot create the directory of", &e))?;
        }
        let db = Database::create(path).map_err(|e| fail("cannot open", &e))?;
        let store = DiskStore {
            name: name.to_string(),
            db,
            pending: HashMap::default(),
        };
        // make sure both tables exist, so reads never meet a missing table
        let tx = store
            .db
            .begin_write()
            .map_err(|e| store.err("cannot write", e))?;
        tx.open_table(DATA)
            .map_err(|e| store.err("cannot open the data", e))?;
        tx.open_table(META)
            .map_err(|e| store.err("cannot open the metadata", e))?;
        tx.commit().map_err(|e| store.err("cannot write", e))?;
        Ok(store)
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<Stored>> {
        if let Some(p) = self.pending.get(key) {
            return Ok(p.clone());
        }
        let tx = self
            .db
            .begin_read()
            .map_err(|e| self.err("cannot read", e))?;
        let table = tx
            .open_table(DATA)
            .map_err(|e| self.err("cannot read", e))?;
        let found = table.get(key).map_err(|e| self.err("cannot read", e))?;
        Ok(found.map(|v| decode(v.value())))
    }

    pub fn put(&mut self, key: Vec<u8>, value: Option<Stored>) {
        self.pending.insert(key, value);
    }

    pub fn range(
        &self,
        from: Bound<Vec<u8>>,
        to: Bound<Vec<u8>>,
    ) -> Result<Vec<(Vec<u8>, Stored)>> {
        let tx = self
            .db
            .begin_read()
            .map_err(|e| self.err("cannot read", e))?;
        let table = tx
            .open_table(DATA)
            .map_err(|e| self.err("cannot read", e))?;
        let lo = match &from {
            Bound::Included(k) => Bound::Included(k.as_slice()),
            Bound::Excluded(k) => Bound::Excluded(k.as_slice()),
            Bound::Unbounded => Bound::Unbounded,
        };
        let hi = match &to {
            Bound::Included(k) => Bound::Included(k.as_slice()),
            Bound::Excluded(k) => Bound::Excluded(k.as_slice()),
            Bound::Unbounded => Bound::Unbounded,
        };
        let mut merged: BTreeMap<Vec<u8>, Stored> = BTreeMap::new();
        for row in table
            .range::<&[u8]>((lo, hi))
            .map_err(|e| self.err("cannot read", e))?
        {
            let (k, v) = row.map_err(|e| self.err("cannot read", e))?;
            merged.insert(k.value().to_vec(), decode(v.value()));
        }
        let bounds = (from, to);
        for (k, v) in self.pending.iter().filter(|(k, _)| bounds.contains(*k)) {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        Ok(merged.into_iter().collect())
    }

    pub fn len(&self) -> usize {
        let stored = self
            .db
            .begin_read()
            .ok()
            .and_then(|tx| tx.open_table(DATA).ok())
            .and_then(|t| t.len().ok())
            .unwrap_or(0) as usize;
        stored + self.pending.values().filter(|v| v.is_some()).count()
    }

    /// Writes the pending changes; `checkpoint` sets (`Some(Some(o))`), removes
    /// (`Some(None)`) or keeps (`None`) the changelog offset they correspond to.
    pub fn commit(&mut self, checkpoint: Option<Option<i64>>) -> Result<()> {
        if self.pending.is_empty() && checkpoint.is_none() {
            return Ok(());
        }
        let tx = self
            .db
            .begin_write()
            .map_err(|e| self.err("cannot write", e))?;
        {
            let mut data = tx
                .open_table(DATA)
                .map_err(|e| self.err("cannot write", e))?;
            let mut changes: Vec<_> = self.pending.drain().collect();
            changes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in changes {
                match v {
                    Some(v) => {
                        data.insert(k.as_slice(), encode(&v).as_slice())
                            .map_err(|e| self.err("cannot write", e))?;
                    }
                    None => {
                        data.remove(k.as_slice())
                            .map_err(|e| self.err("cannot write", e))?;
                    }
                }
            }
            let mut meta = tx
                .open_table(META)
                .map_err(|e| self.err("cannot write", e))?;
            match checkpoint {
                Some(Some(o)) => {
                    meta.insert(CHECKPOINT, o)
                        .map_err(|e| self.err("cannot write", e))?;
                }
                Some(None) => {
                    meta.remove(CHECKPOINT)
                        .map_err(|e| self.err("cannot write", e))?;
                }
                None => {}
            }
        }
        tx.commit().map_err(|e| self.err("cannot write", e))
    }

    /// The changelog offset the data on disk corresponds to.
    pub fn checkpoint(&self) -> Result<Option<i64>> {
        let tx = self
            .db
            .begin_read()
            .map_err(|e| self.err("cannot read", e))?;
        let meta = tx
            .open_table(META)
            .map_err(|e| self.err("cannot read", e))?;
        let found = meta
            .get(CHECKPOINT)
            .map_err(|e| self.err("cannot read", e))?;
        Ok(found.map(|v| v.value()))
    }

    /// Deletes everything (the data cannot be trusted without a checkpoint).
    pub fn wipe(&mut self) -> Result<()> {
        self.pending.clear();
        let tx = self
            .db
            .begin_write()
            .map_err(|e| self.err("cannot write", e))?;
        tx.delete_table(DATA)
            .map_err(|e| self.err("cannot wipe", e))?;
        tx.delete_table(META)
            .map_err(|e| self.err("cannot wipe", e))?;
        tx.open_table(DATA)
            .map_err(|e| self.err("cannot wipe", e))?;
        tx.open_table(META)
            .map_err(|e| self.err("cannot wipe", e))?;
        tx.commit().map_err(|e| self.err("cannot wipe", e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(v: &str, ts: i64) -> Option<Stored> {
        Some(Stored {
            value: v.as_bytes().to_vec(),
            timestamp: ts,
        })
    }

    #[test]
    fn writes_survive_reopening_with_their_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("0_0/redb/counts");
        let mut s = DiskStore::open("counts", &path).unwrap();
        s.put(b"a".to_vec(), stored("1", 5));
        s.put(b"b".to_vec(), stored("2", 6));
        assert_eq!(s.get(b"a").unwrap(), stored("1", 5));
        s.commit(Some(Some(42))).unwrap();
        s.put(b"b".to_vec(), None);
        assert_eq!(
            s.range(Bound::Unbounded, Bound::Unbounded).unwrap().len(),
            1
        );
        drop(s);
        let mut s = DiskStore::open("counts", &path).unwrap();
        assert_eq!(s.checkpoint().unwrap(), Some(42));
        // the uncommitted delete was lost with the process; the committed rows are there
        assert_eq!(s.get(b"b").unwrap(), stored("2", 6));
        s.wipe().unwrap();
        assert_eq!(s.checkpoint().unwrap(), None);
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn range_merges_unwritten_changes_in_key_order_within_the_bounds() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = DiskStore::open("counts", &dir.path().join("counts")).unwrap();
        for k in ["a", "c", "e", "g"] {
            s.put(k.as_bytes().to_vec(), stored(k, 1));
        }
        s.commit(None).unwrap();
        s.put(b"d".to_vec(), stored("d", 2)); // new, inside
        s.put(b"c".to_vec(), stored("C", 2)); // changed, inside
        s.put(b"e".to_vec(), None); // deleted, inside
        s.put(b"h".to_vec(), stored("h", 2)); // new, outside
        s.put(b"b".to_vec(), stored("b", 2)); // new, on the excluded bound
        let got: Vec<(String, String)> = s
            .range(
                Bound::Excluded(b"b".to_vec()),
                Bound::Included(b"g".to_vec()),
            )
            .unwrap()
            .into_iter()
            .map(|(k, v)| {
                (
                    String::from_utf8(k).unwrap(),
                    String::from_utf8(v.value).unwrap(),
                )
            })
            .collect();
        let want = [("c", "C"), ("d", "d"), ("g", "g")];
        assert_eq!(
            got,
            want.map(|(k, v)| (k.to_string(), v.to_string())).to_vec()
        );
        // written in one commit, in any order of arrival
        s.commit(None).unwrap();
        assert_eq!(s.len(), 6);
        assert_eq!(s.get(b"e").unwrap(), None);
    }
}
