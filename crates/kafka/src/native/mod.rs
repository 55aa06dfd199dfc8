//! A producer written on Kafka's wire protocol (the kafka-protocol crate's messages), for
//! source tasks and dead letter queues whose configs it serves ([`settings`]): records are
//! encoded into their partition's batch as they are sent, and one thread of its own sends
//! the batches, one request in flight per broker and one batch in flight per partition (so
//! records keep their order through retries, as Kafka Connect's
//! `max.in.flight.requests.per.connection=1` keeps it). About twice as fast as librdkafka
//! through the rdkafka crate on the same broker (docs/ARCHITECTURE.md, decision 14).

mod batch;
mod partitioner;
mod sender;
pub mod settings;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use connect_api::ConnectError;

use crate::error::KafkaConfigError;
use crate::producer::DeliveryListener;
use crate::record::RawRecord;
use batch::{Batch, Entry, HEADER_LEN};
use partitioner::TopicPartitioner;
pub use partitioner::{murmur2, partition_of_key};
use settings::NativeSettings;

/// A batch waiting to be sent (or sent again), with the sequence numbers of its records.
#[derive(Debug)]
struct Pending {
    body: Body,
    seqs: Vec<u64>,
    /// Bytes counted against `buffer.memory`: the batch's allocation, as Java's producer
    /// counts the `batch.size` buffers it takes from its pool.
    bytes: usize,
    created: Instant,
    attempts: u32,
    /// Not to be sent again before (after a failed attempt).
    not_before: Option<Instant>,
}

#[derive(Debug)]
enum Body {
    Open(Batch),
    Closed(Bytes),
}

impl Pending {
    fn len(&self) -> usize {
        match &self.body {
            Body::Open(b) => b.len(),
            Body::Closed(b) => b.len(),
        }
    }

    /// The batch as sent; closes it.
    fn close(&mut self) -> Bytes {
        let body = std::mem::replace(&mut self.body, Body::Closed(Bytes::new()));
        let bytes = match body {
            Body::Open(batch) => batch.finish(),
            Body::Closed(bytes) => bytes,
        };
        self.body = Body::Closed(bytes.clone());
        bytes
    }
}

#[derive(Debug, Default)]
struct PartitionState {
    /// The leader's node id, -1 while unknown.
    leader: i32,
    queue: VecDeque<Pending>,
    /// A batch of this partition is in flight.
    busy: bool,
}

#[derive(Debug, Default)]
struct TopicState {
    /// Empty until the topic's metadata is known.
    partitions: Vec<PartitionState>,
    partitioner: TopicPartitioner,
    /// Why records cannot be sent to the topic (an error metadata answered that retrying
    /// does not cure, such as TOPIC_AUTHORIZATION_FAILED).
    error: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    topics: HashMap<Arc<str>, TopicState>,
    /// Record bytes and records sent and not yet reported.
    buffered_bytes: usize,
    buffered_records: usize,
    /// Callers of `flush` waiting: every batch is ready at once.
    flushing: usize,
    /// Buffers of delivered batches (`batch.size` each), for the next batches: as Java's
    /// producer reuses its pool's buffers, so a buffer is not freed by the sender's thread and
    /// allocated again by the task's.
    free: Vec<BytesMut>,
    /// Metadata must be asked for again.
    stale: bool,
    closed: bool,
}

struct Shared {
    settings: NativeSettings,
    state: Mutex<State>,
    /// Wakes the sender: a batch is ready, a partition's first batch started its linger, a
    /// topic needs metadata, a flush began, or the producer closed.
    wake: tokio::sync::Notify,
    /// Wakes senders waiting for room or for metadata.
    changed: tokio::sync::Notify,
    /// Wakes `flush` when nothing is buffered any more.
    idle: Condvar,
    listener: Arc<dyn DeliveryListener>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What happened to a record offered to the accumulator.
enum Append {
    /// Added; wake the sender if `true`.
    Added(bool),
    /// The topic's partitions are not known yet.
    NeedMetadata,
    /// `buffer.memory` (or the record bound) is used up.
    Full,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Buffers kept for reuse at most (two requests' worth of 16 KB batches).
const FREE_BUFFERS: usize = 128;

impl State {
    /// Keeps the buffer of a batch that is done with (delivered or failed) for a next batch.
    fn recycle(&mut self, pending: Pending, batch_size: usize) {
        if self.free.len() >= FREE_BUFFERS {
            return;
        }
        if let Body::Closed(bytes) = pending.body {
            if let Ok(buf) = bytes.try_into_mut() {
                if buf.capacity() == batch_size {
                    self.free.push(buf);
                }
            }
        }
    }

    fn append(
        &mut self,
        settings: &NativeSettings,
        record: &RawRecord,
        entry: &Entry<'_>,
        size: usize,
        seq: u64,
    ) -> Result<Append, ConnectError> {
        let Some(topic) = self.topics.get_mut(&*record.topic) else {
            self.topics
                .insert(Arc::clone(&record.topic), TopicState::default());
            return Ok(Append::NeedMetadata);
        };
        if let Some(error) = &topic.error {
            return Err(ConnectError::other(format!(
                "Could not send a record to {}: {error}",
                record.topic
            )));
        }
        if topic.partitions.is_empty() {
            return Ok(Append::NeedMetadata);
        }
        let capacity = settings.batch_size.max(size + HEADER_LEN);
        if self.buffered_records > 0
            && (self.buffered_records >= settings.max_records
                || self.buffered_bytes + capacity > settings.buffer_memory)
        {
            return Ok(Append::Full);
        }
        let count = topic.partitions.len();
        let p = match record.partition {
            Some(p) => match usize::try_from(p).ok().filter(|&p| p < count) {
                Some(p) => p,
                None => {
                    return Err(ConnectError::other(format!(
                        "Invalid partition given with record: {p} is not in the range [0...{count}) of topic {}",
                        record.topic
                    )))
                }
            },
            None => topic.partitioner.pick(
                settings.partitioner,
                entry.key,
                size,
                count,
                settings.batch_size,
            ),
        };
        let queue = &mut topic.partitions[p].queue;
        let was_empty = queue.is_empty();
        let fits = match queue.back() {
            Some(Pending {
                body: Body::Open(b),
                ..
            }) => b.len() + size <= settings.batch_size,
            _ => false,
        };
        if !fits {
            queue.push_back(Pending {
                // batch.size at once, as Java's producer takes it from its pool: growing
                // batches from 1 KB raised the source worker's peak RSS from 28 to 48 MB
                // (reallocations), while pages of a batch that are never written cost nothing
                body: Body::Open(match self.free.pop() {
                    Some(buf) if capacity == settings.batch_size => Batch::in_buffer(buf),
                    _ => Batch::new(capacity),
                }),
                seqs: Vec::new(),
                bytes: capacity,
                created: Instant::now(),
                attempts: 0,
                not_before: None,
            });
        }
        let Some(last) = queue.back_mut() else {
            return Ok(Append::NeedMetadata);
        };
        if let Body::Open(b) = &mut last.body {
            b.push(entry);
        }
        last.seqs.push(seq);
        if !fits {
            self.buffered_bytes += capacity;
        }
        self.buffered_records += 1;
        // the sender wakes for a partition's first batch (its linger starts) and when a batch
        // is full (a new one was started behind it)
        Ok(Append::Added(was_empty || !fits))
    }
}

/// The native producer (see the module's documentation).
pub struct NativeProducer {
    shared: Arc<Shared>,
    sender: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for NativeProducer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NativeProducer")
    }
}

impl Drop for NativeProducer {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.wake.notify_one();
        if let Some(sender) = self.sender.take() {
            let _ = sender.join();
        }
    }
}

impl NativeProducer {
    /// A producer with `settings`; delivery reports go to `listener`, from the producer's
    /// own thread.
    pub fn new(
        settings: NativeSettings,
        listener: Arc<dyn DeliveryListener>,
    ) -> Result<Self, KafkaConfigError> {
        let shared = Arc::new(Shared {
            settings,
            state: Mutex::new(State::default()),
            wake: tokio::sync::Notify::new(),
            changed: tokio::sync::Notify::new(),
            idle: Condvar::new(),
            listener,
        });
        let sender = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("producer-sender".to_string())
                .spawn(move || sender::run(shared))
                .map_err(|e| {
                    KafkaConfigError::Client(format!("could not start the producer's thread: {e}"))
                })?
        };
        Ok(NativeProducer {
            shared,
            sender: Some(sender),
        })
    }

    /// Queues `record` (its sequence number `seq` comes back in its delivery report). Waits
    /// while `buffer.memory` is used up and while the topic's partitions are not known, as
    /// Kafka's producer blocks (`max.block.ms` is unbounded for Connect). An `Err` means the
    /// record was not queued (too large, or a partition the topic does not have); no
    /// delivery report follows it.
    pub async fn send(&self, record: &RawRecord, seq: u64) -> Result<(), ConnectError> {
        let settings = &self.shared.settings;
        let entry = Entry {
            timestamp: record.timestamp.unwrap_or_else(now_ms),
            key: record.key.as_deref(),
            value: record.value.as_deref(),
            headers: &record.headers,
        };
        let size = entry.size_bound();
        if size + HEADER_LEN > settings.max_request_size || size > settings.buffer_memory {
            return Err(ConnectError::other(format!(
                "The message is {size} bytes when serialized which is larger than {}, which is \
the value of the max.request.size configuration (topic {}).",
                settings.max_request_size, record.topic
            )));
        }
        if self.offer(record, &entry, size, seq)? {
            return Ok(());
        }
        loop {
            // registered before looking again, so a change in between is not missed
            let changed = self.shared.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.offer(record, &entry, size, seq)? {
                return Ok(());
            }
            changed.await;
        }
    }

    /// Offers a record to its partition's batch; `Ok(false)` when it must wait (for room, or
    /// for the topic's metadata, which the sender is woken to fetch).
    fn offer(
        &self,
        record: &RawRecord,
        entry: &Entry<'_>,
        size: usize,
        seq: u64,
    ) -> Result<bool, ConnectError> {
        let outcome = {
            let mut state = self.shared.lock();
            if state.closed {
                return Err(ConnectError::other("The producer is closed"));
            }
            state.append(&self.shared.settings, record, entry, size, seq)?
        };
        match outcome {
            Append::Added(wake) => {
                if wake {
                    self.shared.wake.notify_one();
                }
                Ok(true)
            }
            Append::NeedMetadata => {
                self.shared.wake.notify_one();
                Ok(false)
            }
            Append::Full => Ok(false),
        }
    }

    /// Waits (blocking the calling thread) until every queued record was delivered or
    /// failed, at most `timeout`. A retriable error when the time ran out.
    pub fn flush(&self, timeout: Duration) -> Result<(), ConnectError> {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        state.flushing += 1;
        self.shared.wake.notify_one();
        while state.buffered_records > 0 && !state.closed {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = self
                .shared
                .idle
                .wait_timeout(state, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state.flushing -= 1;
        let left = state.buffered_records;
        drop(state);
        if left > 0 {
            return Err(ConnectError::retriable(format!(
                "Could not flush the producer: {left} records still in flight after {timeout:?}"
            )));
        }
        Ok(())
    }

    /// Records queued or in flight.
    pub fn in_flight(&self) -> usize {
        self.shared.lock().buffered_records
    }
}

#[cfg(test)]
mod tests;
