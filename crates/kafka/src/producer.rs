//! The producer of a source task (and of a sink task's dead letter queue): records are queued
//! with a sequence number and every delivery (or failure) is reported to a listener, so the
//! task can commit source offsets only for acknowledged records.

use std::sync::Arc;
use std::time::Duration;

use connect_api::ConnectError;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, Message, OwnedHeaders};
use rdkafka::producer::{
    BaseRecord, DeliveryResult, Producer as _, ProducerContext, ThreadedProducer,
};
use rdkafka::ClientContext;

use crate::config::{create_checked, to_rdkafka, Settings};
use crate::error::{to_connect, KafkaConfigError};
use crate::record::RawRecord;

/// Where a delivered record landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    /// Partition.
    pub partition: i32,
    /// Offset.
    pub offset: i64,
}

/// Receives delivery reports, on librdkafka's polling thread: keep it short.
pub trait DeliveryListener: Send + Sync + 'static {
    /// Called once per record given to [`Producer::send`], with its sequence number: where it
    /// landed, or why it could not be delivered (after librdkafka's own retries, within
    /// `delivery.timeout.ms`).
    fn delivered(&self, seq: u64, result: Result<Delivered, ConnectError>);
}

struct Context {
    listener: Arc<dyn DeliveryListener>,
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
        let report = match result {
            Ok(m) => Ok(Delivered {
                partition: m.partition(),
                offset: m.offset(),
            }),
            Err((e, m)) => Err(to_connect(
                &format!("Could not deliver a record to {}", m.topic()),
                e,
            )),
        };
        self.listener.delivered(seq as u64, report);
    }
}

/// A producer with a background thread serving delivery reports.
pub struct Producer {
    inner: ThreadedProducer<Context>,
}

impl std::fmt::Debug for Producer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Producer")
    }
}

impl Producer {
    /// A producer from Java-keyed settings (see [`crate::config`]).
    pub fn new(
        settings: &Settings,
        listener: Arc<dyn DeliveryListener>,
    ) -> Result<Self, KafkaConfigError> {
        let config = to_rdkafka(settings)?;
        let inner = create_checked(&config, |c| {
            c.create_with_context(Context {
                listener: Arc::clone(&listener),
            })
        })?;
        Ok(Producer { inner })
    }

    /// Queues `record` (sequence number `seq` comes back in the delivery report). Waits while
    /// librdkafka's queue is full, as Kafka's producer blocks (`max.block.ms` is unbounded for
    /// Connect). An `Err` means the record was not queued (an invalid record, or a fatal
    /// client error); no delivery report follows it.
    pub async fn send(&self, record: &RawRecord, seq: u64) -> Result<(), ConnectError> {
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
                    tokio::time::sleep(Duration::from_millis(1)).await;
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

    /// Waits (blocking the calling thread) until every queued record was delivered or
    /// failed, at most `timeout`. A retriable error when the time ran out.
    pub fn flush(&self, timeout: Duration) -> Result<(), ConnectError> {
        self.inner
            .flush(timeout)
            .map_err(|e| to_connect("Could not flush the producer", &e))
    }

    /// Records queued or in flight.
    pub fn in_flight(&self) -> i32 {
        self.inner.in_flight_count()
    }
}
