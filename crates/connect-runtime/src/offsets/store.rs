//! Where source offsets are kept: in memory, or (standalone) in a file written as Kafka's
//! `FileOffsetBackingStore` writes it, so existing offset files are reused.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use connect_api::{ConnectError, Result};

use super::java_ser::{read_byte_map, write_byte_map};

/// A key/value store of offset bytes.
pub trait OffsetStore: Send + Sync {
    /// The stored value of `key`. Called by tasks reading their committed offsets.
    fn get(&self, key: &[u8]) -> Option<Vec<u8>>;

    /// Stores `entries` (a `None` value deletes the key) and makes them durable before
    /// returning. Called when a task commits offsets. An `Err` means nothing was committed;
    /// the same offsets are offered again at the next commit.
    fn put_all(&self, entries: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> Result<()>;

    /// Every stored entry (for `GET /connectors/{name}/offsets`).
    fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)>;
}

/// Offsets in memory only (lost at exit).
#[derive(Debug, Default)]
pub struct MemoryOffsetStore {
    data: Mutex<HashMap<Vec<u8>, Vec<u8>>>,
}

pub(crate) fn apply(
    data: &mut HashMap<Vec<u8>, Vec<u8>>,
    entries: Vec<(Vec<u8>, Option<Vec<u8>>)>,
) {
    for (k, v) in entries {
        match v {
            Some(v) => {
                data.insert(k, v);
            }
            None => {
                data.remove(&k);
            }
        }
    }
}

impl OffsetStore for MemoryOffsetStore {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.data
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put_all(&self, entries: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> Result<()> {
        apply(
            &mut self.data.lock().unwrap_or_else(|e| e.into_inner()),
            entries,
        );
        Ok(())
    }

    fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        data.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// `offset.storage.file.filename`: the whole map rewritten on every commit, atomically (a
/// temporary file, fsync, rename), in Java serialization.
#[derive(Debug)]
pub struct FileOffsetStore {
    path: PathBuf,
    data: Mutex<HashMap<Vec<u8>, Vec<u8>>>,
}

impl FileOffsetStore {
    /// Opens (or, when missing, starts) the offsets file. An `Err` names the file and what
    /// is wrong with it; the worker does not start.
    pub fn open(path: &Path) -> Result<Self> {
        let mut data = HashMap::new();
        match std::fs::read(path) {
            Ok(bytes) if bytes.is_empty() => {}
            Ok(bytes) => {
                let entries = read_byte_map(&bytes).map_err(|e| {
                    ConnectError::other(format!(
                        "Could not read the offsets file {}: {e}",
                        path.display()
                    ))
                })?;
                for (k, v) in entries {
                    if let (Some(k), Some(v)) = (k, v) {
                        data.insert(k, v);
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(ConnectError::other(format!(
                    "Could not read the offsets file {}: {e}",
                    path.display()
                )))
            }
        }
        Ok(FileOffsetStore {
            path: path.to_path_buf(),
            data: Mutex::new(data),
        })
    }

    fn save(&self, data: &HashMap<Vec<u8>, Vec<u8>>) -> std::io::Result<()> {
        let entries: Vec<super::java_ser::Entry> = data
            .iter()
            .map(|(k, v)| (Some(k.clone()), Some(v.clone())))
            .collect();
        let bytes = write_byte_map(&entries);
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // make the rename itself durable
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl OffsetStore for FileOffsetStore {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.data
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
            .cloned()
    }

    fn put_all(&self, entries: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> Result<()> {
        let mut data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        let mut next = data.clone();
        apply(&mut next, entries);
        self.save(&next).map_err(|e| {
            ConnectError::retriable(format!(
                "Could not write the offsets file {}: {e}",
                self.path.display()
            ))
        })?;
        *data = next;
        Ok(())
    }

    fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let data = self.data.lock().unwrap_or_else(|e| e.into_inner());
        data.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn file_store_survives_reopen_and_reads_java_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("offsets.bin");
        let store = FileOffsetStore::open(&path).unwrap();
        assert_eq!(store.get(b"k"), None);
        store
            .put_all(vec![
                (b"k".to_vec(), Some(b"v1".to_vec())),
                (b"j".to_vec(), Some(b"w".to_vec())),
            ])
            .unwrap();
        store
            .put_all(vec![
                (b"k".to_vec(), Some(b"v2".to_vec())),
                (b"j".to_vec(), None),
            ])
            .unwrap();
        let again = FileOffsetStore::open(&path).unwrap();
        assert_eq!(again.get(b"k"), Some(b"v2".to_vec()));
        assert_eq!(again.get(b"j"), None);
        assert!(!dir.path().join("offsets.bin.tmp").exists());

        let java = FileOffsetStore::open(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/offsets/one.bin"
        )))
        .unwrap();
        assert_eq!(
            java.get(br#"["local-file-source",{"filename":"test.txt"}]"#),
            Some(br#"{"position":1234}"#.to_vec())
        );
    }

    #[test]
    fn a_corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.bin");
        std::fs::write(&path, b"not java").unwrap();
        let err = FileOffsetStore::open(&path).unwrap_err().to_string();
        assert!(err.contains("bad.bin"), "{err}");
    }
}
