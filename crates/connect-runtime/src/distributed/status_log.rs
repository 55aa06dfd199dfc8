//! The status topic as the worker uses it (Kafka's `KafkaStatusBackingStore`): this worker's
//! status changes written with its generation, and every worker's statuses read back
//! continuously into a view the REST API answers from on any worker.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::Result;
use kafka::config::Settings;
use kafka::topic_log::TopicLog;
use kafka::topic_writer::TopicWriter;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::status_records::{write_wins, StatusKey, StatusRecord, StatusValue, WorkerStatus};
use crate::offsets::OffsetCodec;
use crate::status::{State, Status, StatusObserver, StatusUpdate};

/// How often the status topic is read for other workers' changes.
const READ_EVERY: Duration = Duration::from_millis(200);

/// Every worker's connector and task statuses, as last read from the status topic.
#[derive(Debug, Default)]
pub struct StatusView {
    entries: Mutex<BTreeMap<StatusKey, WorkerStatus>>,
}

impl StatusView {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<StatusKey, WorkerStatus>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies a record read from the topic (a tombstone forgets the entry).
    pub fn apply(&self, record: StatusRecord) {
        let mut entries = self.lock();
        match record.value {
            Some(StatusValue::Worker(status)) => {
                entries.insert(record.key, status);
            }
            Some(StatusValue::Topic(_)) => {}
            None => {
                entries.remove(&record.key);
            }
        }
    }

    /// The stored status of `key`.
    pub fn get(&self, key: &StatusKey) -> Option<WorkerStatus> {
        self.lock().get(key).cloned()
    }

    /// A connector's status and its tasks' statuses (only tasks below `task_count`).
    pub fn connector(
        &self,
        name: &str,
        task_count: u32,
    ) -> (Option<WorkerStatus>, BTreeMap<u32, WorkerStatus>) {
        let entries = self.lock();
        let connector = entries
            .get(&StatusKey::Connector(name.to_string()))
            .cloned();
        let tasks = (0..task_count)
            .filter_map(|t| {
                entries
                    .get(&StatusKey::Task(name.to_string(), t))
                    .map(|s| (t, s.clone()))
            })
            .collect();
        (connector, tasks)
    }
}

/// Writes this worker's status changes and reads everyone's.
#[derive(Debug)]
pub struct StatusLog {
    view: Arc<StatusView>,
    generation: Arc<AtomicI32>,
    updates: mpsc::UnboundedSender<StatusUpdate>,
}

impl StatusLog {
    /// Opens the status topic (blocking until its partitions are known), reads it to its
    /// end, and starts the reader and writer tasks; both stop with `stop`.
    pub async fn start(
        settings: &Settings,
        topic: &str,
        codec: Arc<OffsetCodec>,
        timeout: Duration,
        stop: CancellationToken,
    ) -> Result<StatusLog> {
        let (settings_for_log, name) = (settings.clone(), topic.to_string());
        let log =
            tokio::task::spawn_blocking(move || TopicLog::open(&settings_for_log, &name, timeout))
                .await
                .map_err(|e| connect_api::ConnectError::other(format!("reading {topic}: {e}")))??;
        let view = Arc::new(StatusView::default());
        let (back, read) = read_into(log, &view, &codec, timeout).await;
        read?;
        let Some(log) = back else {
            return Err(connect_api::ConnectError::other("reading statuses failed"));
        };
        let writer = TopicWriter::new(settings, topic, timeout)?;
        let (updates, rx) = mpsc::unbounded_channel();
        let generation = Arc::new(AtomicI32::new(-1));
        tokio::spawn(read_loop(
            log,
            Arc::clone(&view),
            Arc::clone(&codec),
            timeout,
            stop.clone(),
        ));
        tokio::spawn(write_loop(
            rx,
            writer,
            Arc::clone(&view),
            codec,
            Arc::clone(&generation),
            stop,
        ));
        Ok(StatusLog {
            view,
            generation,
            updates,
        })
    }

    /// The statuses as last read.
    pub fn view(&self) -> &Arc<StatusView> {
        &self.view
    }

    /// Sets the generation later writes carry (the group generation this worker joined).
    pub fn set_generation(&self, generation: i32) {
        self.generation.store(generation, Ordering::Relaxed);
    }

    /// The observer a status board reports to.
    pub fn observer(&self) -> StatusObserver {
        let updates = self.updates.clone();
        Arc::new(move |update| {
            // the writer is gone only when the worker stops
            let _ = updates.send(update);
        })
    }
}

/// Reads the log to its end into `view`; gives the log back (`None` only if the reading
/// thread died) with the outcome.
async fn read_into(
    log: TopicLog,
    view: &StatusView,
    codec: &OffsetCodec,
    timeout: Duration,
) -> (Option<TopicLog>, Result<()>) {
    let joined = tokio::task::spawn_blocking(move || {
        let mut log = log;
        let read = log.read_to_end(timeout);
        (log, read)
    })
    .await;
    let (log, read) = match joined {
        Ok(done) => done,
        Err(e) => {
            let e = connect_api::ConnectError::other(format!("reading statuses: {e}"));
            return (None, Err(e));
        }
    };
    let records = match read {
        Ok(records) => records,
        Err(e) => return (Some(log), Err(e)),
    };
    for record in records {
        let Some(key) = record.key.as_deref() else {
            continue;
        };
        let key = String::from_utf8_lossy(key);
        match StatusRecord::decode(codec, &key, record.value.as_deref()) {
            Ok(Some(r)) => view.apply(r),
            Ok(None) => tracing::debug!("skipping status record with unknown key {key}"),
            Err(e) => tracing::error!("skipping status record {key}: {e}"),
        }
    }
    (Some(log), Ok(()))
}

async fn read_loop(
    log: TopicLog,
    view: Arc<StatusView>,
    codec: Arc<OffsetCodec>,
    timeout: Duration,
    stop: CancellationToken,
) {
    let mut log = Some(log);
    while let Some(current) = log.take() {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(READ_EVERY) => {}
        }
        // a failed read is retried on the next round: the log keeps its place
        let (back, read) = read_into(current, &view, &codec, timeout).await;
        if let Err(e) = read {
            tracing::warn!("reading the status topic: {e}");
        }
        log = back;
    }
}

async fn write_loop(
    mut updates: mpsc::UnboundedReceiver<StatusUpdate>,
    writer: TopicWriter,
    view: Arc<StatusView>,
    codec: Arc<OffsetCodec>,
    generation: Arc<AtomicI32>,
    stop: CancellationToken,
) {
    loop {
        let update = tokio::select! {
            u = updates.recv() => match u {
                Some(u) => u,
                None => return,
            },
            // what is queued at shutdown is still written
            _ = stop.cancelled() => match updates.try_recv() {
                Ok(u) => u,
                Err(_) => return,
            },
        };
        let (key, status) = match update {
            StatusUpdate::Connector(name, s) => (StatusKey::Connector(name), s),
            StatusUpdate::Task(name, task, s) => (StatusKey::Task(name, task), s),
        };
        let status = worker_status(status, generation.load(Ordering::Relaxed));
        // UNASSIGNED and FAILED never overwrite a newer owner's status (Kafka's putSafe)
        if matches!(status.state, State::Unassigned | State::Failed)
            && !write_wins(view.get(&key).as_ref(), &status)
        {
            continue;
        }
        let record = StatusRecord {
            key,
            value: Some(StatusValue::Worker(status)),
        };
        let written = match record.encode(&codec) {
            Ok((k, v)) => writer.write(k.as_bytes(), v.as_deref()).await.map(|_| ()),
            Err(e) => Err(e),
        };
        match written {
            Ok(()) => view.apply(record),
            Err(e) => tracing::warn!("status of {:?} not written: {e}", record.key),
        }
    }
}

fn worker_status(status: Status, generation: i32) -> WorkerStatus {
    WorkerStatus {
        state: status.state,
        trace: status.trace,
        worker_id: status.worker_id,
        generation,
    }
}
