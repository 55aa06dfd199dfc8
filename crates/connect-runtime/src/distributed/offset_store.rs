//! Source offsets in the offset topic (`offset.storage.topic`, Kafka's
//! `KafkaOffsetBackingStore`): the keys and values of the offsets file (reference §4.3),
//! written by the tasks that commit them and read by every worker, so a task that moves to
//! another worker resumes where it left off.

use std::sync::Mutex;
use std::time::Duration;

use connect_api::{ConnectError, Result};
use kafka::config::Settings;
use kafka::topic_log::TopicLog;
use kafka::topic_writer::TopicWriter;

use crate::offsets::{MemoryOffsetStore, OffsetStore};

/// The offset topic as an [`OffsetStore`]. Its calls block: callers run them on blocking
/// threads, as the source task loop does.
pub struct KafkaOffsetStore {
    data: MemoryOffsetStore,
    log: Mutex<TopicLog>,
    writer: TopicWriter,
    timeout: Duration,
}

impl std::fmt::Debug for KafkaOffsetStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KafkaOffsetStore")
            .field("topic", &self.writer.topic())
            .finish()
    }
}

impl KafkaOffsetStore {
    /// Opens `topic` and reads it to its end (blocking). A retriable `Err` when the topic
    /// cannot be read in `timeout`.
    pub fn open(settings: &Settings, topic: &str, timeout: Duration) -> Result<Self> {
        let store = KafkaOffsetStore {
            data: MemoryOffsetStore::default(),
            log: Mutex::new(TopicLog::open(settings, topic, timeout)?),
            writer: TopicWriter::new(settings, topic, timeout)?,
            timeout,
        };
        store.refresh()?;
        Ok(store)
    }

    /// Reads what other workers committed since the last read (blocking). Called before a
    /// source task starts, so it sees the offsets its previous owner committed.
    pub fn refresh(&self) -> Result<()> {
        let records = self
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .read_to_end(self.timeout)?;
        let entries = records
            .into_iter()
            .filter_map(|r| Some((r.key?, r.value)))
            .collect();
        self.data.put_all(entries)
    }
}

impl OffsetStore for KafkaOffsetStore {
    fn get(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.data.get(key)
    }

    fn put_all(&self, entries: Vec<(Vec<u8>, Option<Vec<u8>>)>) -> Result<()> {
        self.writer
            .write_all_blocking(&entries)
            .map_err(|e| ConnectError::retriable(format!("offsets were not committed: {e}")))?;
        self.data.put_all(entries)
    }

    fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.data.entries()
    }
}
