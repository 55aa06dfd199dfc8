//! The native producer's sender thread: metadata, draining ready batches into one produce
//! request per broker, and the answers (delivery reports, retries, failures).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use connect_api::ConnectError;
use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::{MetadataRequest, ProduceRequest, ProduceResponse, TopicName};
use kafka_protocol::protocol::StrBytes;
use tokio::task::JoinSet;

use super::{Pending, Shared};
use crate::producer::Delivered;
use crate::wire::{Connection, WireError};

/// A batch in a request: where it goes and what it holds.
struct InFlight {
    topic: Arc<str>,
    partition: usize,
    /// The batch as sent (the closed batch of `pending`).
    records: Bytes,
    pending: Pending,
}

/// A finished request: the broker, its connection if still usable, the batches, the answer.
type Done = (
    i32,
    Option<Connection>,
    Vec<InFlight>,
    Result<ProduceResponse, WireError>,
);

/// Runs the sender until the producer closes.
pub(super) fn run(shared: Arc<Shared>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("the producer's sender could not start: {e}");
            fail_all(
                &shared,
                &format!("the producer's sender could not start: {e}"),
            );
            return;
        }
    };
    runtime.block_on(Sender::new(shared).run());
}

/// Fails every buffered record (the sender cannot run).
fn fail_all(shared: &Shared, why: &str) {
    let mut failed = Vec::new();
    {
        let mut state = shared.lock();
        for topic in state.topics.values_mut() {
            for p in &mut topic.partitions {
                for pending in p.queue.drain(..) {
                    failed.extend(pending.seqs);
                }
            }
        }
        state.buffered_records = 0;
        state.buffered_bytes = 0;
        state.closed = true;
    }
    for seq in failed {
        shared
            .listener
            .failed(seq, ConnectError::other(why.to_string()));
    }
    shared.idle.notify_all();
    shared.changed.notify_waiters();
}

/// Kafka's retriable produce errors.
fn retriable(code: i16) -> bool {
    matches!(
        code,
        2 | 3 | 5 | 6 | 7 | 13 | 14 | 15 | 16 | 19 | 20 | 51 | 56 | 74 | 75
    )
}

/// Errors after which the partition's leader must be looked up again.
fn needs_metadata(code: i16) -> bool {
    matches!(code, 3 | 5 | 6 | 13 | 56 | 74 | 75)
}

fn error_name(code: i16) -> String {
    let name = match code {
        2 => "CORRUPT_MESSAGE",
        3 => "UNKNOWN_TOPIC_OR_PARTITION",
        5 => "LEADER_NOT_AVAILABLE",
        6 => "NOT_LEADER_OR_FOLLOWER",
        7 => "REQUEST_TIMED_OUT",
        10 => "MESSAGE_TOO_LARGE",
        13 => "NETWORK_EXCEPTION",
        17 => "INVALID_TOPIC_EXCEPTION",
        18 => "RECORD_LIST_TOO_LARGE",
        19 => "NOT_ENOUGH_REPLICAS",
        20 => "NOT_ENOUGH_REPLICAS_AFTER_APPEND",
        29 => "TOPIC_AUTHORIZATION_FAILED",
        32 => "INVALID_TIMESTAMP",
        35 => "UNSUPPORTED_VERSION",
        56 => "KAFKA_STORAGE_ERROR",
        87 => "INVALID_RECORD",
        _ => return format!("error code {code}"),
    };
    format!("{name} ({code})")
}

struct Sender {
    shared: Arc<Shared>,
    /// Node id → `host:port`.
    nodes: HashMap<i32, String>,
    /// Idle connections by node.
    connections: HashMap<i32, Connection>,
    /// Nodes with a request in flight.
    busy: HashSet<i32>,
    requests: JoinSet<Done>,
    metadata: Option<Connection>,
    /// When metadata may be asked for next (backoff after a failure or a missing topic).
    metadata_not_before: Instant,
    metadata_failures: u32,
    metadata_at: Instant,
    /// Where draining starts (rotates, so no partition is always last).
    drain_start: usize,
}

impl Sender {
    fn new(shared: Arc<Shared>) -> Self {
        let now = Instant::now();
        Sender {
            shared,
            nodes: HashMap::new(),
            connections: HashMap::new(),
            busy: HashSet::new(),
            requests: JoinSet::new(),
            metadata: None,
            metadata_not_before: now,
            metadata_failures: 0,
            metadata_at: now,
            drain_start: 0,
        }
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let s = &self.shared.settings;
        let factor = 1u32 << attempts.min(10);
        (s.retry_backoff * factor / 2)
            .max(s.retry_backoff)
            .min(s.retry_backoff_max.max(s.retry_backoff))
    }

    async fn run(mut self) {
        loop {
            let (closed, wants_metadata) = {
                let state = self.shared.lock();
                // a topic refused for good is not asked for again
                let missing = state.topics.values().any(|t| {
                    t.error.is_none()
                        && (t.partitions.is_empty() || t.partitions.iter().any(|p| p.leader < 0))
                });
                let aged = self.metadata_at.elapsed() >= self.shared.settings.metadata_max_age
                    && !state.topics.is_empty();
                (state.closed, missing || state.stale || aged)
            };
            if closed {
                return;
            }
            let now = Instant::now();
            if wants_metadata && now >= self.metadata_not_before {
                self.refresh_metadata().await;
            }
            let mut next = self.drain(Instant::now());
            if wants_metadata {
                next = Some(next.map_or(self.metadata_not_before, |n| {
                    n.min(self.metadata_not_before)
                }));
            }
            let sleep = next.map_or(Duration::from_secs(1), |n| {
                n.saturating_duration_since(Instant::now())
            });
            tokio::select! {
                _ = self.shared.wake.notified() => {}
                Some(done) = self.requests.join_next(), if !self.requests.is_empty() => {
                    match done {
                        Ok(done) => self.answered(done),
                        Err(e) => tracing::error!("a produce request's task failed: {e}"),
                    }
                }
                _ = tokio::time::sleep(sleep) => {}
            }
        }
    }

    /// Asks a broker for the partitions and leaders of every topic sent to.
    async fn refresh_metadata(&mut self) {
        let topics: Vec<Arc<str>> = self.shared.lock().topics.keys().cloned().collect();
        if topics.is_empty() {
            return;
        }
        match self.ask_metadata(&topics).await {
            Ok(missing) => {
                self.metadata_at = Instant::now();
                if missing.is_empty() {
                    self.metadata_failures = 0;
                    // at most one request per retry.backoff.ms, whatever asks for the next
                    self.metadata_not_before = Instant::now() + self.shared.settings.retry_backoff;
                } else {
                    // a topic or leader is not there yet (being created, or electing)
                    self.metadata_failures += 1;
                    let wait = self.backoff(self.metadata_failures);
                    self.metadata_not_before = Instant::now() + wait;
                    if self.metadata_failures % 30 == 1 {
                        tracing::warn!(
                            "no partition leaders yet for {} (asking again every {wait:?})",
                            missing.join(", ")
                        );
                    }
                }
                self.shared.changed.notify_waiters();
            }
            Err(e) => {
                self.metadata = None;
                self.metadata_failures += 1;
                let wait = self.backoff(self.metadata_failures);
                self.metadata_not_before = Instant::now() + wait;
                tracing::warn!("could not read metadata (retrying in {wait:?}): {e}");
            }
        }
    }

    /// Connects to a broker for metadata: a known one, else one of `bootstrap.servers`.
    async fn metadata_connection(&mut self) -> Result<&mut Connection, WireError> {
        let settings = &self.shared.settings;
        if self.metadata.is_none() {
            let mut addrs: Vec<String> = self.nodes.values().cloned().collect();
            addrs.extend(settings.bootstrap.iter().cloned());
            let mut last = None;
            for addr in addrs {
                match Connection::connect(&addr, &settings.client_id, settings.request_timeout)
                    .await
                {
                    Ok(c) => {
                        self.metadata = Some(c);
                        break;
                    }
                    Err(e) => last = Some(e),
                }
            }
            if let Some(e) = last.filter(|_| self.metadata.is_none()) {
                return Err(e);
            }
        }
        self.metadata.as_mut().ok_or_else(|| WireError::Io {
            addr: settings.bootstrap.join(","),
            message: "no broker to ask".to_string(),
        })
    }

    /// One Metadata round trip; what is still missing (a topic, or a partition's leader).
    async fn ask_metadata(&mut self, topics: &[Arc<str>]) -> Result<Vec<String>, WireError> {
        let conn = self.metadata_connection().await?;
        let version = conn.version::<MetadataRequest>(1, 9)?;
        let mut request = MetadataRequest::default().with_topics(Some(
            topics
                .iter()
                .map(|t| {
                    MetadataRequestTopic::default()
                        .with_name(Some(TopicName(StrBytes::from_string(t.to_string()))))
                })
                .collect(),
        ));
        if version >= 4 {
            request = request.with_allow_auto_topic_creation(true);
        }
        let answer = conn.send(&request, version).await?;
        for b in &answer.brokers {
            self.nodes
                .insert(b.node_id.0, format!("{}:{}", b.host.as_str(), b.port));
        }
        let mut missing = Vec::new();
        let mut state = self.shared.lock();
        state.stale = false;
        for t in &answer.topics {
            let Some(name) = t.name.as_ref() else {
                continue;
            };
            let Some(topic) = state.topics.get_mut(name.0.as_str()) else {
                continue;
            };
            if t.error_code != 0 && !retriable(t.error_code) {
                // sends to it fail from now on (Java's producer throws from waitOnMetadata)
                topic.error = Some(error_name(t.error_code));
                continue;
            }
            if t.error_code != 0 || t.partitions.is_empty() {
                missing.push(format!(
                    "{} ({})",
                    name.0.as_str(),
                    error_name(t.error_code)
                ));
                continue;
            }
            let count = t
                .partitions
                .iter()
                .map(|p| p.partition_index + 1)
                .max()
                .unwrap_or(0)
                .max(0) as usize;
            if topic.partitions.len() < count {
                topic.partitions.resize_with(count, Default::default);
            }
            for p in &t.partitions {
                if let Some(slot) = usize::try_from(p.partition_index)
                    .ok()
                    .and_then(|i| topic.partitions.get_mut(i))
                {
                    // REPLICA_NOT_AVAILABLE (9) still names the leader
                    let known = (p.error_code == 0 || p.error_code == 9)
                        && self.nodes.contains_key(&p.leader_id.0);
                    slot.leader = if known { p.leader_id.0 } else { -1 };
                    if !known {
                        missing.push(format!("{}-{}", name.0.as_str(), p.partition_index));
                    }
                }
            }
        }
        Ok(missing)
    }

    /// Starts a request to every idle broker that has ready batches; returns when the next
    /// batch that is not ready yet will be.
    fn drain(&mut self, now: Instant) -> Option<Instant> {
        let settings = &self.shared.settings;
        let mut next: Option<Instant> = None;
        let mut by_node: HashMap<i32, (usize, Vec<InFlight>)> = HashMap::new();
        {
            let mut state = self.shared.lock();
            let state = &mut *state;
            let flushing = state.flushing > 0;
            let mut slots: Vec<(Arc<str>, usize)> = Vec::new();
            for (name, topic) in &state.topics {
                for (i, p) in topic.partitions.iter().enumerate() {
                    if !p.queue.is_empty() && !p.busy {
                        slots.push((Arc::clone(name), i));
                    }
                }
            }
            if slots.is_empty() {
                return None;
            }
            let start = self.drain_start % slots.len();
            self.drain_start = self.drain_start.wrapping_add(1);
            for k in 0..slots.len() {
                let (name, i) = &slots[(start + k) % slots.len()];
                let Some(topic) = state.topics.get_mut(name) else {
                    continue;
                };
                let p = &mut topic.partitions[*i];
                let leader = p.leader;
                if leader < 0 || self.busy.contains(&leader) || !self.nodes.contains_key(&leader) {
                    continue;
                }
                let Some(front) = p.queue.front() else {
                    continue;
                };
                let full = p.queue.len() > 1 || front.len() >= settings.batch_size;
                let due = front.created + settings.linger;
                let ready_at = match front.not_before {
                    Some(t) => t,
                    None if full || flushing => now,
                    None => due,
                };
                if ready_at > now {
                    next = Some(next.map_or(ready_at, |n| n.min(ready_at)));
                    continue;
                }
                let (size, batches) = by_node.entry(leader).or_default();
                if !batches.is_empty() && *size + front.len() > settings.max_request_size {
                    continue;
                }
                let Some(mut pending) = p.queue.pop_front() else {
                    continue;
                };
                let records = pending.close();
                *size += records.len();
                p.busy = true;
                batches.push(InFlight {
                    topic: Arc::clone(name),
                    partition: *i,
                    records,
                    pending,
                });
            }
        }
        for (node, (_, batches)) in by_node {
            self.start_request(node, batches);
        }
        next
    }

    fn start_request(&mut self, node: i32, batches: Vec<InFlight>) {
        let settings = &self.shared.settings;
        let connection = self.connections.remove(&node);
        let addr = self.nodes.get(&node).cloned().unwrap_or_default();
        let client_id = settings.client_id.clone();
        let timeout = settings.request_timeout;
        let acks = settings.acks;
        self.busy.insert(node);
        self.requests.spawn(async move {
            let mut connection = match connection {
                Some(c) => c,
                None => match Connection::connect(&addr, &client_id, timeout).await {
                    Ok(c) => c,
                    Err(e) => return (node, None, batches, Err(e)),
                },
            };
            let answer = produce(&mut connection, &batches, acks, timeout).await;
            let usable = answer.is_ok() || matches!(answer, Err(WireError::Refused { .. }));
            (node, usable.then_some(connection), batches, answer)
        });
    }

    /// Handles a finished request: reports what was delivered, puts back what is retried,
    /// fails what cannot be.
    fn answered(&mut self, (node, connection, batches, answer): Done) {
        self.busy.remove(&node);
        if let Some(c) = connection {
            self.connections.insert(node, c);
        }
        let mut results: HashMap<(&str, i32), (i16, i64, Option<String>)> = HashMap::new();
        let wire_error = match &answer {
            Ok(response) => {
                for t in &response.responses {
                    for p in &t.partition_responses {
                        results.insert(
                            (t.name.0.as_str(), p.index),
                            (
                                p.error_code,
                                p.base_offset,
                                p.error_message.as_ref().map(|m| m.as_str().to_string()),
                            ),
                        );
                    }
                }
                None
            }
            Err(e) => {
                tracing::warn!(
                    "a produce request to {} failed, retrying: {e}",
                    self.nodes.get(&node).map_or("?", String::as_str)
                );
                Some(e.to_string())
            }
        };
        let sent: Vec<(Arc<str>, usize)> = batches
            .iter()
            .map(|b| (Arc::clone(&b.topic), b.partition))
            .collect();
        let settings = &self.shared.settings;
        let now = Instant::now();
        let mut delivered: Vec<(u64, Delivered)> = Vec::new();
        let mut failed: Vec<(u64, ConnectError)> = Vec::new();
        let mut retry: Vec<InFlight> = Vec::new();
        let mut done: Vec<Pending> = Vec::new();
        let mut done_bytes = 0;
        let mut done_records = 0;
        let mut stale = false;
        for b in batches {
            let partition = b.partition as i32;
            let (code, base, message) = match &wire_error {
                Some(e) => (13, -1, Some(e.clone())),
                None => results.get(&(&*b.topic, partition)).cloned().unwrap_or((
                    13,
                    -1,
                    Some("no answer for the partition".to_string()),
                )),
            };
            if code == 0 {
                for (i, seq) in b.pending.seqs.iter().enumerate() {
                    let offset = if base < 0 { -1 } else { base + i as i64 };
                    delivered.push((*seq, Delivered { partition, offset }));
                }
                done_bytes += b.pending.bytes;
                done_records += b.pending.seqs.len();
                done.push(b.pending);
                continue;
            }
            let attempts = b.pending.attempts + 1;
            let expired =
                now.saturating_duration_since(b.pending.created) >= settings.delivery_timeout;
            if retriable(code) && attempts <= settings.retries && !expired {
                stale |= needs_metadata(code) || wire_error.is_some();
                tracing::debug!(
                    "produce to {}-{partition} failed ({}), retrying",
                    b.topic,
                    error_name(code)
                );
                retry.push(b);
                continue;
            }
            let why = format!(
                "Could not deliver a record to {}-{partition}: {}{}",
                b.topic,
                error_name(code),
                message.map(|m| format!(": {m}")).unwrap_or_default()
            );
            tracing::error!("{why}");
            for seq in &b.pending.seqs {
                let error = if retriable(code) {
                    ConnectError::retriable(why.clone())
                } else {
                    ConnectError::other(why.clone())
                };
                failed.push((*seq, error));
            }
            done_bytes += b.pending.bytes;
            done_records += b.pending.seqs.len();
            done.push(b.pending);
        }
        if !delivered.is_empty() {
            self.shared.listener.delivered(&delivered);
        }
        for (seq, error) in failed {
            self.shared.listener.failed(seq, error);
        }
        {
            let mut state = self.shared.lock();
            for (topic, partition) in &sent {
                if let Some(p) = state
                    .topics
                    .get_mut(topic)
                    .and_then(|t| t.partitions.get_mut(*partition))
                {
                    p.busy = false;
                }
            }
            for mut b in retry {
                b.pending.attempts += 1;
                b.pending.not_before = Some(now + self.backoff(b.pending.attempts));
                match state
                    .topics
                    .get_mut(&b.topic)
                    .and_then(|t| t.partitions.get_mut(b.partition))
                {
                    // first in its queue again: the records keep their order
                    Some(p) => p.queue.push_front(b.pending),
                    None => tracing::error!("a retried batch lost its partition"),
                }
            }
            for pending in done {
                state.recycle(pending, settings.batch_size);
            }
            state.buffered_bytes = state.buffered_bytes.saturating_sub(done_bytes);
            state.buffered_records = state.buffered_records.saturating_sub(done_records);
            state.stale |= stale;
            if state.buffered_records == 0 {
                self.shared.idle.notify_all();
            }
        }
        if stale {
            self.metadata_not_before = now + settings.retry_backoff;
        }
        self.shared.changed.notify_waiters();
    }
}

/// Sends one produce request with `batches` and reads its answer.
async fn produce(
    connection: &mut Connection,
    batches: &[InFlight],
    acks: i16,
    timeout: Duration,
) -> Result<ProduceResponse, WireError> {
    let version = connection.version::<ProduceRequest>(3, 9)?;
    let mut topics: Vec<TopicProduceData> = Vec::new();
    for b in batches {
        let data = PartitionProduceData::default()
            .with_index(b.partition as i32)
            .with_records(Some(b.records.clone()));
        match topics.iter_mut().find(|t| t.name.0.as_str() == &*b.topic) {
            Some(t) => t.partition_data.push(data),
            None => topics.push(
                TopicProduceData::default()
                    .with_name(TopicName(StrBytes::from_string(b.topic.to_string())))
                    .with_partition_data(vec![data]),
            ),
        }
    }
    let request = ProduceRequest::default()
        .with_acks(acks)
        .with_timeout_ms(i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX))
        .with_topic_data(topics);
    // the broker may take the request's whole timeout before it answers
    connection
        .send_within(&request, version, timeout + Duration::from_secs(5))
        .await
}
