//! The producer of a source task (and of a sink task's dead letter queue): records are queued
//! with a sequence number and every delivery (or failure) is reported to a listener, so the
//! task can commit source offsets only for acknowledged records.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer as _, ProducerContext};
use rdkafka::ClientContext;

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::{to_connect, KafkaConfigError};
use crate::native::settings::NativeSettings;
use crate::native::NativeProducer;
use crate::record::RawRecord;

/// Where a delivered record landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
}

/// Receives delivery reports, on the thread that serves them: keep it short.
pub trait DeliveryListener: Send + Sync + 'static {
    /// Called with records given to [`Producer::send`] that were delivered: their sequence
    /// numbers and where they landed, in batches (one call per round of delivery reports).
    fn delivered(&self, records: &[(u64, Delivered)]);

    /// Called once for a record that could not be delivered (after librdkafka's own retries,
    /// within `delivery.timeout.ms`), with its sequence number.
    fn failed(&self, seq: u64, error: ConnectError);
}

/// Successful deliveries reported on this thread and not yet passed to their listener:
/// librdkafka reports each record from inside `poll`; collecting them here and handing them
/// over once per round takes the listener's lock once per round instead of once per record.
/// Listeners are called outside the borrow (a listener may itself send or poll).
#[derive(Default)]
struct Pending {
    listener: Option<Arc<dyn DeliveryListener>>,
    records: Vec<(u64, Delivered)>,
}

thread_local! {
    static PENDING: RefCell<Pending> = RefCell::new(Pending::default());
}

/// Collects one delivery for `listener`; what another producer left on this thread goes to
/// its own listener first.
fn collect(listener: &Arc<dyn DeliveryListener>, seq: u64, delivered: Delivered) {
    let leftover = PENDING.with_borrow_mut(|p| {
        let ours = p
            .listener
            .as_ref()
            .is_some_and(|l| Arc::ptr_eq(l, listener));
        let leftover = if ours {
            None
        } else {
            let previous = p.listener.replace(Arc::clone(listener));
            previous.map(|l| (l, std::mem::take(&mut p.records)))
        };
        p.records.push((seq, delivered));
        leftover
    });
    if let Some((l, records)) = leftover {
        if !records.is_empty() {
            l.delivered(&records);
        }
    }
}

/// Passes the deliveries collected on this thread to their listener.
fn drain_pending() {
    let taken = PENDING.with_borrow_mut(|p| {
        if p.records.is_empty() {
            return None;
        }
        Some((p.listener.clone(), std::mem::take(&mut p.records)))
    });
    if let Some((Some(listener), mut records)) = taken {
        listener.delivered(&records);
        records.clear();
        // keep the allocation for the next round
        PENDING.with_borrow_mut(|p| {
            if p.records.is_empty() {
                p.records = records;
            }
        });
    }
}

struct Context {
    listener: Arc<dyn DeliveryListener>,
    /// Delivery reports served so far.
    reported: AtomicU64,
}

impl ClientContext for Context {
    fn log(&self, level: rdkafka::config::RDKafkaLogLevel, fac: &str, log_message: &str) {
        use rdkafka::config::RDKafkaLogLevel as L;
        match level {
            L::Emerg | L::Alert | L::Critical | L::Error => {
                tracing::error!(target: "librdkafka", "{fac}: {log_message}")
            }
            L::Warning => tracing::warn!(target: "librdkafka", "{fac}: {log_message}"),
            L::Notice | L::Info => tracing::info!(target: "librdkafka", "{fac}: {log_message}"),
            L::Debug => tracing::debug!(target: "librdkafka", "{fac}: {log_message}"),
        }
    }
}

impl ProducerContext for Context {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, seq: usize) {
        match result {
            Ok(m) => {
                let delivered = Delivered {
                    partition: m.partition(),
                    offset: m.offset(),
                };
                collect(&self.listener, seq as u64, delivered);
            }
            Err((e, m)) => self.listener.failed(
                seq as u64,
                to_connect(&format!("Could not deliver a record to {}", m.topic()), e),
            ),
        }
        self.reported.fetch_add(1, Ordering::Relaxed);
    }
}

/// How long the delivery-report thread sleeps between rounds while records are in flight:
/// reports are taken in batches (a few milliseconds' worth) instead of one thread wake-up
/// per produce response.
const BUSY_POLL: Duration = Duration::from_millis(2);
/// How long it sleeps while nothing is in flight (global error events wait at most this).
const IDLE_POLL: Duration = Duration::from_millis(20);
/// How long a send waits at most for room in a full queue before trying again.
const QUEUE_WAIT: Duration = Duration::from_millis(10);
/// Events (a delivery-report event holds many records) served in one round at most.
const EVENTS_PER_ROUND: usize = 256;

/// The librdkafka producer: delivery reports are served by a background thread in batches,
/// and by the sending task between its batches ([`Producer::serve_reports`]).
struct RdProducer {
    inner: Arc<BaseProducer<Context>>,
    stop: Arc<AtomicBool>,
    poller: Option<JoinHandle<()>>,
}

impl Drop for RdProducer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(poller) = self.poller.take() {
            poller.thread().unpark();
            let _ = poller.join();
        }
    }
}

/// Serves the delivery-report events that are ready, at most `max` of them; returns how many
/// records were reported. librdkafka's `poll(0)` serves one event per call.
fn serve_ready(inner: &BaseProducer<Context>, max: usize) -> u64 {
    let counter = &inner.context().reported;
    let start = counter.load(Ordering::Relaxed);
    let mut seen = start;
    for _ in 0..max {
        inner.poll(Duration::ZERO);
        let now = counter.load(Ordering::Relaxed);
        if now == seen {
            break;
        }
        seen = now;
    }
    drain_pending();
    seen - start
}

/// The background thread: serves delivery reports while the sending task does not (it is
/// idle, or waits in its connector's `poll`). While the task serves them itself, between its
/// batches, this thread stays out of the way, so the memory of delivered records is freed by
/// the thread that allocates the next ones (no allocator lock shared between the two).
fn poll_loop(inner: &BaseProducer<Context>, stop: &AtomicBool) {
    let counter = &inner.context().reported;
    let mut seen = counter.load(Ordering::Relaxed);
    while !stop.load(Ordering::Relaxed) {
        let idle = inner.in_flight_count() == 0;
        std::thread::park_timeout(if idle { IDLE_POLL } else { BUSY_POLL });
        let now = counter.load(Ordering::Relaxed);
        if now != seen {
            // the sender served reports since the last round
            seen = now;
            continue;
        }
        if idle {
            // global error events, if any
            inner.poll(Duration::ZERO);
            drain_pending();
            continue;
        }
        serve_ready(inner, EVENTS_PER_ROUND);
        seen = counter.load(Ordering::Relaxed);
    }
}

impl RdProducer {
    fn new(
        settings: &Settings,
        listener: Arc<dyn DeliveryListener>,
    ) -> Result<Self, KafkaConfigError> {
        let config = to_rdkafka(settings)?;
        let inner: Arc<BaseProducer<Context>> = Arc::new(create_checked(&config, |c| {
            c.create_with_context(Context {
                listener: Arc::clone(&listener),
                reported: AtomicU64::new(0),
            })
        })?);
        let stop = Arc::new(AtomicBool::new(false));
        let poller = {
            let inner = Arc::clone(&inner);
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("producer-reports".to_string())
                .spawn(move || poll_loop(&inner, &stop))
                .map_err(|e| {
                    KafkaConfigError::Client(format!("could not start the producer's thread: {e}"))
                })?
        };
        Ok(RdProducer {
            inner,
            stop,
            poller: Some(poller),
        })
    }

    /// Queues `record` (sequence number `seq` comes back in the delivery report). Waits while
    /// librdkafka's queue is full, as Kafka's producer blocks (`max.block.ms` is unbounded for
    /// Connect). An `Err` means the record was not queued (an invalid record, or a fatal
    /// client error); no delivery report follows it.
    async fn send(&self, record: &RawRecord, seq: u64) -> Result<(), ConnectError> {
        let headers = (!record.headers.is_empty()).then(|| {
            record.headers.iter().fold(
                OwnedHeaders::new_with_capacity(record.headers.len()),
                |h, rh| {
                    h.insert(Header {
                        key: &rh.key,
                        value: rh.value.as_deref(),
                    })
                },
            )
        });
        let mut opaque = seq as usize;
        loop {
            let mut base: BaseRecord<'_, [u8], [u8], usize> =
                BaseRecord::with_opaque_to(&record.topic, opaque);
            if let Some(k) = record.key.as_deref() {
                base = base.key(k);
            }
            if let Some(v) = record.value.as_deref() {
                base = base.payload(v);
            }
            if let Some(p) = record.partition {
                base = base.partition(p);
            }
            if let Some(ts) = record.timestamp {
                base = base.timestamp(ts);
            }
            if let Some(h) = &headers {
                base = base.headers(h.clone());
            }
            match self.inner.send(base) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    opaque = back.delivery_opaque;
                    self.wait_for_room().await;
                }
                Err((e, _)) => {
                    return Err(to_connect(
                        &format!("Could not send a record to {}", record.topic),
                        &e,
                    ))
                }
            }
        }
    }

    /// Waits until librdkafka's queue has room again: for the next delivery report, which
    /// frees the records it reports (as kcat waits in `rd_kafka_poll`), at most `QUEUE_WAIT`.
    /// On a multi-threaded runtime the wait blocks this worker in place (its other tasks move
    /// to another worker); elsewhere it sleeps a millisecond.
    async fn wait_for_room(&self) {
        use tokio::runtime::{Handle, RuntimeFlavor};
        let multi_thread =
            Handle::try_current().is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::MultiThread);
        if multi_thread {
            tokio::task::block_in_place(|| {
                self.inner.poll(QUEUE_WAIT);
                serve_ready(&self.inner, EVENTS_PER_ROUND);
            });
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// Waits (blocking the calling thread) until every queued record was delivered or
    /// failed, at most `timeout`. A retriable error when the time ran out.
    fn flush(&self, timeout: Duration) -> Result<(), ConnectError> {
        let flushed = self.inner.flush(timeout);
        // flushing serves delivery reports on this thread
        drain_pending();
        flushed.map_err(|e| to_connect("Could not flush the producer", &e))
    }

    /// Serves the delivery reports that are ready on the calling thread (the sending task calls
    /// it between batches, so the memory of delivered records is freed where it is reused);
    /// the background thread serves the rest. Returns how many records were reported.
    fn serve_reports(&self) -> u64 {
        serve_ready(&self.inner, EVENTS_PER_ROUND)
    }

    /// Records queued or in flight.
    fn in_flight(&self) -> i32 {
        self.inner.in_flight_count()
    }
}

/// A source task's (or a dead letter queue's) producer: the native producer
/// ([`crate::native`]) when it serves the settings, librdkafka otherwise (TLS, SASL,
/// compression, idempotence, librdkafka's own keys).
pub struct Producer(Inner);

enum Inner {
    Native(NativeProducer),
    Rd(RdProducer),
}

impl std::fmt::Debug for Producer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Inner::Native(_) => f.write_str("Producer(native)"),
            Inner::Rd(_) => f.write_str("Producer(librdkafka)"),
        }
    }
}

impl Producer {
    /// A producer from Java-keyed settings (see [`crate::config`]). An `Err` names a setting
    /// whose value is not valid, or says the client could not be created.
    pub fn new(
        settings: &Settings,
        listener: Arc<dyn DeliveryListener>,
    ) -> Result<Self, KafkaConfigError> {
        Ok(Producer(match NativeSettings::from_settings(settings)? {
            Some(native) => Inner::Native(NativeProducer::new(native, listener)?),
            None => Inner::Rd(RdProducer::new(settings, listener)?),
        }))
    }

    /// Whether the native producer serves this one.
    pub fn is_native(&self) -> bool {
        matches!(self.0, Inner::Native(_))
    }

    /// Queues `record` (sequence number `seq` comes back in the delivery report). Waits while
    /// the producer's buffer is full, as Kafka's producer blocks (`max.block.ms` is unbounded
    /// for Connect). An `Err` means the record was not queued (an invalid or too large
    /// record, or a fatal client error); no delivery report follows it.
    pub async fn send(&self, record: &RawRecord, seq: u64) -> Result<(), ConnectError> {
        match &self.0 {
            Inner::Native(p) => p.send(record, seq).await,
            Inner::Rd(p) => p.send(record, seq).await,
        }
    }

    /// Waits (blocking the calling thread) until every queued record was delivered or
    /// failed, at most `timeout`. A retriable error when the time ran out.
    pub fn flush(&self, timeout: Duration) -> Result<(), ConnectError> {
        match &self.0 {
            Inner::Native(p) => p.flush(timeout),
            Inner::Rd(p) => p.flush(timeout),
        }
    }

    /// Serves the delivery reports that are ready on the calling thread (the sending task
    /// calls it between batches); returns how many records were reported. The native
    /// producer reports from its own thread, so this does nothing for it.
    pub fn serve_reports(&self) -> u64 {
        match &self.0 {
            Inner::Native(_) => 0,
            Inner::Rd(p) => p.serve_reports(),
        }
    }

    /// Records queued or in flight.
    pub fn in_flight(&self) -> i32 {
        match &self.0 {
            Inner::Native(p) => i32::try_from(p.in_flight()).unwrap_or(i32::MAX),
            Inner::Rd(p) => p.in_flight(),
        }
    }
}
