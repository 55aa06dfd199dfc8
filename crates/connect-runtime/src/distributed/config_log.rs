//! The config topic as the worker uses it (Kafka's `KafkaConfigBackingStore`): read to its
//! end into a [`ConfigState`] before the worker acts on it, and written to with each write
//! read back, so the state includes it when the write returns.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::{ConnectError, Result};
use kafka::config::Settings;
use kafka::topic_log::{LogRecord, TopicLog};
use kafka::topic_writer::TopicWriter;

use super::config_records::ConfigRecord;
use super::config_state::{ConfigChange, ConfigState};
use crate::offsets::OffsetCodec;

/// The config topic, read and written.
///
/// Reading is safe to abandon midway (a REST call whose client went away drops its write):
/// the blocking read owns shares of the log and of `unread`, and what it read waits in
/// `unread` until a later read applies it, so no record is ever skipped.
#[derive(Debug)]
pub struct ConfigLog {
    log: Arc<Mutex<TopicLog>>,
    /// Records read from the topic and not yet applied to `state`.
    unread: Arc<Mutex<Vec<LogRecord>>>,
    writer: TopicWriter,
    codec: Arc<OffsetCodec>,
    state: ConfigState,
    /// Changes read and not yet taken by the worker.
    pending: Vec<ConfigChange>,
    timeout: Duration,
}

impl ConfigLog {
    /// Opens `topic` (which must exist and have exactly one partition, as Kafka requires)
    /// with worker-level client `settings`; `timeout` bounds each read and write. Nothing is
    /// read yet.
    pub async fn open(
        settings: &Settings,
        topic: &str,
        codec: Arc<OffsetCodec>,
        timeout: Duration,
    ) -> Result<Self> {
        let (settings_for_log, name) = (settings.clone(), topic.to_string());
        let log =
            tokio::task::spawn_blocking(move || TopicLog::open(&settings_for_log, &name, timeout))
                .await
                .map_err(|e| ConnectError::other(format!("reading {topic} stopped: {e}")))??;
        if log.partition_count() != 1 {
            return Err(ConnectError::config(
                "config.storage.topic",
                topic,
                format!(
                    "Topic '{topic}' supplied via the 'config.storage.topic' property is \
                     required to have a single partition in order to guarantee consistency of \
                     connector configurations, but found {} partitions.",
                    log.partition_count()
                ),
            ));
        }
        Ok(ConfigLog {
            log: Arc::new(Mutex::new(log)),
            unread: Arc::default(),
            writer: TopicWriter::new(settings, topic, timeout)?,
            codec,
            state: ConfigState::default(),
            pending: Vec::new(),
            timeout,
        })
    }

    /// The state as of the last read.
    pub fn state(&self) -> &ConfigState {
        &self.state
    }

    /// The changes read since the last call, in topic order.
    pub fn take_changes(&mut self) -> Vec<ConfigChange> {
        std::mem::take(&mut self.pending)
    }

    /// Reads what was written since the last read; what it changed waits for
    /// [`ConfigLog::take_changes`]. Records that do not parse are logged and skipped, as
    /// Kafka does. A retriable `Err` when the end was not reached in time (nothing is lost:
    /// the next read returns it).
    pub async fn read_to_end(&mut self) -> Result<()> {
        let (log, unread, timeout) = (
            Arc::clone(&self.log),
            Arc::clone(&self.unread),
            self.timeout,
        );
        let read = tokio::task::spawn_blocking(move || {
            // the log stays locked until its records are queued, so an abandoned read's
            // records always come before those of the read after it
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            let records = log.read_to_end(timeout)?;
            unread
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(records);
            Ok::<(), ConnectError>(())
        })
        .await
        .map_err(|e| ConnectError::other(format!("reading the config topic stopped: {e}")))
        .and_then(|read| read);
        // no await from here on: what was read is applied whole
        let records = std::mem::take(&mut *self.unread.lock().unwrap_or_else(|e| e.into_inner()));
        self.apply(records);
        read
    }

    /// Applies records read from the topic to the state, in order.
    fn apply(&mut self, records: Vec<LogRecord>) {
        for record in records {
            let Some(key) = record.key.as_deref() else {
                tracing::error!(
                    "skipping a config topic record without a key at {}",
                    record.offset
                );
                self.state.offset = record.offset + 1;
                continue;
            };
            let key = String::from_utf8_lossy(key);
            match ConfigRecord::decode(&self.codec, &key, record.value.as_deref()) {
                Ok(Some(parsed)) => self.pending.extend(self.state.apply(parsed, record.offset)),
                Ok(None) => {
                    tracing::error!("skipping config topic record with unknown key {key}");
                    self.state.offset = record.offset + 1;
                }
                Err(e) => {
                    tracing::error!("skipping config topic record {key}: {e}");
                    self.state.offset = record.offset + 1;
                }
            }
        }
    }

    /// Writes `records` in order, then reads the topic to its end, so the state includes
    /// them (and whatever others wrote meanwhile).
    pub async fn write(&mut self, records: &[ConfigRecord]) -> Result<()> {
        for record in records {
            let (key, value) = record.encode(&self.codec)?;
            self.writer.write(key.as_bytes(), value.as_deref()).await?;
        }
        self.read_to_end().await
    }
}
