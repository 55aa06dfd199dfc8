//! The distributed worker (Kafka's `DistributedHerder`): one member of the worker group.
//! It reads the config topic, joins the group, runs what the leader assigns it, heartbeats,
//! and rejoins when the cluster's work changes. REST requests that change the cluster are
//! served by the leader ([`super::requests`]); reads are served by every worker.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Result};
use kafka::connect_protocol::{Assignment, WorkerMetadata, CONFIG_MISMATCH, NO_ERROR, PROTOCOL_V0};
use kafka::group_member::{Beat, GroupMember, GroupSettings, Leading, Protocol};
use tokio::sync::{mpsc, Notify};
use tokio_util::sync::CancellationToken;

use super::assignor::IncrementalAssignor;
use super::config_log::ConfigLog;
use super::config_records::ConfigRecord;
use super::config_state::{ConfigChange, ConfigState};
use super::leader::{leader_assign, protocol_version};
use super::offset_store::KafkaOffsetStore;
use super::request_signing;
use super::runner::Runner;
use super::status_log::StatusLog;
use super::work::Work;
use crate::config::distributed::{ConnectProtocol, DistributedConfig};
use crate::config_providers::ConfigTransformer;
use crate::offsets::OffsetCodec;
use crate::plugins::Plugins;
use crate::status::{State, StatusBoard};
use crate::target::TargetState;
use crate::topics::ActiveTopics;

/// How often the config topic is read between rebalances.
const CONFIG_POLL: Duration = Duration::from_millis(250);

/// Who leads the group, as of the last rebalance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Leadership {
    /// Whether this worker leads.
    pub is_leader: bool,
    /// The leader's REST URL (`None` before the first rebalance).
    pub leader_url: Option<String>,
    /// A rebalance is under way (writes are refused with 409 meanwhile).
    pub rebalancing: bool,
    /// The group speaks `sessioned`: requests between workers are signed (KIP-507).
    pub sessioned: bool,
}

/// A distributed worker.
pub struct DistributedWorker {
    pub(super) config: Arc<DistributedConfig>,
    pub(super) plugins: Plugins,
    pub(super) transformer: ConfigTransformer,
    pub(super) worker_id: String,
    pub(super) url: String,
    pub(super) codec: Arc<OffsetCodec>,
    pub(super) config_log: tokio::sync::Mutex<ConfigLog>,
    /// The config state as of the last read, for answering REST reads at once.
    pub(super) snapshot: Mutex<ConfigState>,
    pub(super) status_log: StatusLog,
    pub(super) offsets: Arc<KafkaOffsetStore>,
    /// The same store, as the offsets REST code takes it.
    pub(super) offset_store: Arc<dyn crate::offsets::OffsetStore>,
    pub(super) runner: tokio::sync::Mutex<Runner>,
    pub(super) leadership: Mutex<Leadership>,
    /// The topics tasks on this worker used.
    pub(super) topics: ActiveTopics,
    /// Wakes the loop to read the config topic now (after a REST write).
    pub(super) wake: Notify,
    reconfigure: tokio::sync::Mutex<mpsc::UnboundedReceiver<String>>,
    group: GroupSettings,
}

impl std::fmt::Debug for DistributedWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DistributedWorker")
            .field("worker_id", &self.worker_id)
            .finish()
    }
}

/// What the worker is built from.
pub struct WorkerParts {
    /// The config.
    pub config: Arc<DistributedConfig>,
    /// The plugins.
    pub plugins: Plugins,
    /// Config providers.
    pub transformer: ConfigTransformer,
    /// `host:port`.
    pub worker_id: String,
    /// The REST URL other workers forward to (`http://host:port/`).
    pub url: String,
    /// Offset keys and values.
    pub codec: Arc<OffsetCodec>,
    /// The config topic.
    pub config_log: ConfigLog,
    /// The status topic.
    pub status_log: StatusLog,
    /// The offset topic.
    pub offsets: Arc<KafkaOffsetStore>,
    /// The board this worker's connectors and tasks report to (observed by `status_log`).
    pub status: StatusBoard,
    /// The group membership settings.
    pub group: GroupSettings,
}

/// The state the membership loop keeps between rebalances.
struct Membership {
    member: GroupMember,
    assignor: IncrementalAssignor,
    /// This worker's complete assignment as of its last join.
    assigned: Work,
    /// The generation of the last completed join (-1 for none).
    last_generation: i32,
    /// The last assignment received (what this member reports as its allocation, with its
    /// complete work in place of the increment).
    last: Option<Assignment>,
    /// Why the member rejoins next.
    rejoin: Rejoin,
    /// Sent as the allocation's delay, which leaders do not read (Kafka's leader keeps its
    /// own delay): changed to make the member's metadata differ when it needs a new
    /// generation from a coordinator that starts one only for changed metadata (tansu).
    nonce: i32,
}

/// Why a member joins again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rejoin {
    /// The coordinator started a rebalance (or this is the first join).
    Coordinator,
    /// This member needs a new round: the leader's delay expired, or it gave up revoked
    /// work that the others should now get.
    Own,
}

/// The wall clock in epoch milliseconds (session keys carry their creation time).
fn epoch_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

fn millis_since(start: Instant) -> u64 {
    u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl DistributedWorker {
    /// A worker that has read nothing and joined nothing yet ([`DistributedWorker::run`]).
    /// An `Err` when the worker's config providers cannot be set up.
    pub fn new(parts: WorkerParts) -> Result<Arc<Self>> {
        let (tx, rx) = mpsc::unbounded_channel();
        let topics = ActiveTopics::default();
        let runner = Runner::new(super::runner::RunnerParts {
            worker: Arc::new(parts.config.worker.clone()),
            plugins: parts.plugins.clone(),
            transformer: ConfigTransformer::from_worker_config(&parts.config.worker.originals)?,
            offsets: parts.offsets.clone(),
            codec: Arc::clone(&parts.codec),
            status: parts.status,
            worker_id: parts.worker_id.clone(),
            reconfigure: tx,
            topics: topics.clone(),
        });
        Ok(Arc::new(DistributedWorker {
            config: parts.config,
            plugins: parts.plugins,
            transformer: parts.transformer,
            worker_id: parts.worker_id,
            url: parts.url,
            codec: parts.codec,
            config_log: tokio::sync::Mutex::new(parts.config_log),
            snapshot: Mutex::new(ConfigState::default()),
            status_log: parts.status_log,
            offset_store: parts.offsets.clone(),
            offsets: parts.offsets,
            runner: tokio::sync::Mutex::new(runner),
            leadership: Mutex::new(Leadership {
                rebalancing: true,
                ..Leadership::default()
            }),
            wake: Notify::new(),
            topics,
            reconfigure: tokio::sync::Mutex::new(rx),
            group: parts.group,
        }))
    }

    /// The worker id.
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// Who leads.
    pub fn leadership(&self) -> Leadership {
        self.leadership
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn set_leadership(&self, update: impl FnOnce(&mut Leadership)) {
        update(&mut self.leadership.lock().unwrap_or_else(|e| e.into_inner()));
    }

    /// The config state as of the last read.
    pub fn config_state(&self) -> ConfigState {
        self.snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Reads the config topic to its end; returns the changes since the last call.
    pub(super) async fn read_config(&self) -> Result<Vec<ConfigChange>> {
        let mut log = self.config_log.lock().await;
        log.read_to_end().await?;
        *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()) = log.state().clone();
        Ok(log.take_changes())
    }

    /// Writes config records (and reads them back), then wakes the loop to act on them.
    pub(super) async fn write_config(&self, records: &[ConfigRecord]) -> Result<()> {
        let mut log = self.config_log.lock().await;
        log.write(records).await?;
        *self.snapshot.lock().unwrap_or_else(|e| e.into_inner()) = log.state().clone();
        drop(log);
        self.wake.notify_one();
        Ok(())
    }

    /// Runs the worker until `stop`: joins the group, runs what is assigned, and rejoins
    /// whenever the work changes. On `stop` it stops its connectors and tasks and leaves
    /// the group. An `Err` when the group cannot be joined for a reason retrying cannot mend.
    pub async fn run(self: Arc<Self>, stop: CancellationToken) -> Result<()> {
        let clock = Instant::now();
        let mut m = Membership {
            member: GroupMember::new(self.group.clone()),
            assignor: IncrementalAssignor::new(self.config.scheduled_rebalance_max_delay),
            assigned: Work::default(),
            last_generation: -1,
            last: None,
            rejoin: Rejoin::Coordinator,
            nonce: 0,
        };
        let result = self.membership_loop(&mut m, clock, &stop).await;
        self.runner.lock().await.stop_all().await;
        if let Err(e) = m.member.leave().await {
            tracing::warn!("leaving the group: {e}");
        }
        result
    }

    async fn membership_loop(
        &self,
        m: &mut Membership,
        clock: Instant,
        stop: &CancellationToken,
    ) -> Result<()> {
        loop {
            self.set_leadership(|l| l.rebalancing = true);
            // what changed is acted on now (a pause, a restart, new task configs); the join
            // that follows accounts for connectors that came or went
            self.follow_config().await;
            if self.config.protocol == ConnectProtocol::Eager {
                // eager members give up everything before they join
                self.runner.lock().await.stop_all().await;
                m.assigned = Work::default();
            }
            let protocols = self.protocols(m);
            let state = self.config_state();
            let joined = {
                let assignor = &mut m.assignor;
                let last_generation = m.last_generation;
                let mut assign = |leading: Leading<'_>| {
                    leader_assign(
                        assignor,
                        &state,
                        leading,
                        last_generation,
                        millis_since(clock),
                    )
                };
                tokio::select! {
                    _ = stop.cancelled() => return Ok(()),
                    joined = m.member.join(&protocols, &mut assign) => joined,
                }
            };
            let joined = match joined {
                Ok(j) => j,
                Err(e) if e.is_retriable() => {
                    tracing::warn!("joining the worker group: {e}");
                    continue;
                }
                Err(e) => return Err(ConnectError::other(e.to_string())),
            };
            let why = std::mem::replace(&mut m.rejoin, Rejoin::Coordinator);
            if joined.generation == m.last_generation && joined.leader_id == joined.member_id {
                // On Kafka a leader's join always starts a new generation. A coordinator that
                // answers it with the last one (tansu, after a member left or when the leader
                // needs a new round) still holds that round's assignments: the leader rejoins
                // with changed metadata, which starts a generation it can assign.
                tracing::info!(
                    "generation {} did not move on ({why:?} rejoin); rejoining with new metadata",
                    joined.generation
                );
                m.nonce = m.nonce.wrapping_add(1);
                continue;
            }
            let assignment = match Assignment::decode(&joined.assignment) {
                Ok(a) => a,
                Err(e) => {
                    // the generation's assignments leave this member out (a coordinator that
                    // keeps the first sync of a generation, as tansu does): rejoining with
                    // changed metadata starts a generation that includes it
                    tracing::warn!(
                        "no assignment for this worker in generation {} ({e}); rejoining",
                        joined.generation
                    );
                    m.nonce = m.nonce.wrapping_add(1);
                    tokio::select! {
                        _ = stop.cancelled() => return Ok(()),
                        _ = tokio::time::sleep(self.config.retry_backoff.max(Duration::from_millis(500))) => {}
                    }
                    continue;
                }
            };
            if assignment.error == CONFIG_MISMATCH {
                tracing::info!(
                    "the leader's config is at offset {}; reading the config topic and rejoining",
                    assignment.config_offset
                );
                continue;
            }
            m.last_generation = joined.generation;
            let revoked = Work::from_wire(&assignment.revoked);
            let assigned = Work::from_wire(&assignment.assigned);
            tracing::info!(
                "joined generation {} of protocol {} ({} leads at {}): assigned {} item(s), \
                 revoked {}, delay {} ms",
                joined.generation,
                joined.protocol,
                assignment.leader,
                assignment.leader_url,
                assigned.len(),
                revoked.len(),
                assignment.delay_ms
            );
            // revoked work stops under the old generation, so its UNASSIGNED statuses never
            // overwrite those of the workers that take it over
            self.runner.lock().await.stop_work(&revoked).await;
            self.status_log.set_generation(joined.generation);
            m.assigned.remove(&revoked);
            m.assigned.add(&assigned);
            m.last = Some(assignment.clone());
            if !self.catch_up(assignment.config_offset).await {
                continue;
            }
            self.set_leadership(|l| {
                l.is_leader = joined.leader_id == joined.member_id;
                l.leader_url = Some(assignment.leader_url.clone());
                l.rebalancing = false;
                l.sessioned = joined.protocol == "sessioned";
            });
            self.start_missing(&m.assigned).await;
            if !revoked.is_empty() || !assigned.is_empty() {
                // Rejoin with the new allocation: after a revocation the follow-up round
                // hands the revoked work to others (as Kafka does); after an assignment it
                // lets the leader see what this worker runs now. A coordinator that keeps a
                // member's metadata from its last join (tansu) would otherwise show the
                // leader stale allocations; on Kafka it costs one quiet round.
                m.rejoin = Rejoin::Own;
                continue;
            }
            let deadline = (assignment.delay_ms > 0).then(|| {
                tokio::time::Instant::now() + Duration::from_millis(assignment.delay_ms as u64)
            });
            match self.steady(m, deadline, stop).await? {
                Some(why) => m.rejoin = why,
                None => return Ok(()),
            }
        }
    }

    /// The protocols this worker offers with its metadata.
    fn protocols(&self, m: &Membership) -> Vec<Protocol> {
        let offset = self
            .snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .offset;
        // the last assignment with the complete work in place of the increment, as Kafka's
        // workers report it
        let allocation = |version| {
            let last = m.last.clone().unwrap_or(Assignment {
                version,
                error: NO_ERROR,
                leader: String::new(),
                leader_url: String::new(),
                config_offset: offset,
                assigned: Vec::new(),
                revoked: Vec::new(),
                delay_ms: 0,
            });
            Assignment {
                version,
                assigned: m.assigned.to_wire(),
                revoked: Vec::new(),
                delay_ms: m.nonce,
                ..last
            }
        };
        self.config
            .protocol
            .offered()
            .iter()
            .map(|name| {
                let version = protocol_version(name);
                let metadata = WorkerMetadata {
                    version,
                    url: self.url.clone(),
                    config_offset: offset,
                    allocation: (version > PROTOCOL_V0).then(|| allocation(version)),
                };
                Protocol {
                    name: name.to_string(),
                    metadata: Bytes::from(metadata.encode()),
                }
            })
            .collect()
    }

    /// Reads the config topic until it reaches `offset` (the leader's), within
    /// `worker.sync.timeout.ms`; `false` when it did not (the worker rejoins).
    async fn catch_up(&self, offset: i64) -> bool {
        let deadline = Instant::now() + self.config.worker_sync_timeout;
        loop {
            let at = self
                .snapshot
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .offset;
            if at >= offset {
                return true;
            }
            if Instant::now() >= deadline {
                tracing::warn!(
                    "the config topic is at {at} here, behind the leader's {offset}; rejoining"
                );
                return false;
            }
            // a rebalance it would call for is the one under way
            self.follow_config().await;
        }
    }

    /// Starts what is assigned and does not run yet: connectors, then tasks (whose
    /// configs must be committed).
    async fn start_missing(&self, assigned: &Work) {
        let state = self.config_state();
        let running = self.runner.lock().await.work();
        let missing = assigned.minus(&running);
        if missing.tasks.iter().any(|(c, _)| state.contains(c)) {
            // the tasks resume from what their previous owners committed
            let offsets = Arc::clone(&self.offsets);
            match tokio::task::spawn_blocking(move || offsets.refresh()).await {
                Ok(Err(e)) => tracing::warn!("reading the offset topic: {e}"),
                Err(e) => tracing::warn!("reading the offset topic: {e}"),
                Ok(Ok(())) => {}
            }
        }
        for name in &missing.connectors {
            let (Some(config), Some(target)) =
                (state.connector_config(name), state.target_state(name))
            else {
                continue;
            };
            let generated = self
                .runner
                .lock()
                .await
                .start_connector(name, config, target);
            if let Some(generated) = generated {
                self.publish_task_configs(name, generated).await;
            }
        }
        for id in &missing.tasks {
            let (Some(config), Some(target)) =
                (state.connector_config(&id.0), state.target_state(&id.0))
            else {
                continue;
            };
            let Some(task_config) = state.task_configs(&id.0).get(id.1 as usize) else {
                continue;
            };
            if let Err(e) = self
                .runner
                .lock()
                .await
                .start_task(id, config, task_config, target)
            {
                tracing::error!("task {}-{} failed to start: {e}", id.0, id.1);
            }
        }
    }

    /// Writes the task configs a connector generated when they differ from the stored ones.
    async fn publish_task_configs(&self, name: &str, generated: Vec<ConfigMap>) {
        let stored = self.config_state().task_configs(name).to_vec();
        if stored == generated && !self.config_state().is_inconsistent(name) {
            return;
        }
        let mut records: Vec<ConfigRecord> = generated
            .into_iter()
            .enumerate()
            .map(|(i, config)| ConfigRecord::Task {
                connector: name.to_string(),
                task: i as u32,
                config,
            })
            .collect();
        records.push(ConfigRecord::Commit {
            connector: name.to_string(),
            tasks: records.len() as u32,
        });
        tracing::info!("writing {} task config(s) of {name}", records.len() - 1);
        if let Err(e) = self.write_config(&records).await {
            tracing::error!("task configs of {name} were not written: {e}");
        }
    }

    /// Between rebalances: heartbeats, follows the config topic, serves reconfiguration
    /// requests. `Ok(Some(why))` when the member must rejoin, `Ok(None)` on `stop`.
    async fn steady(
        &self,
        m: &mut Membership,
        deadline: Option<tokio::time::Instant>,
        stop: &CancellationToken,
    ) -> Result<Option<Rejoin>> {
        let mut heartbeat = tokio::time::interval(self.config.heartbeat_interval);
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut poll = tokio::time::interval(CONFIG_POLL);
        poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut reconfigure = self.reconfigure.lock().await;
        let scheduled = async {
            match deadline {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(scheduled);
        // Reading the config topic (and acting on it) runs beside the heartbeats, as Kafka's
        // heartbeat thread runs beside its herder: a slow read never lets the session lapse.
        // One that has begun is finished before this returns, so no change is half-applied.
        let mut following: Option<Pin<Box<dyn Future<Output = bool> + Send + '_>>> = None;
        // a failed key write is tried again a second later, not at once
        let mut key_retry: Option<tokio::time::Instant> = None;
        let why = loop {
            let renewal = self
                .session_key_due()
                .map(|due| key_retry.map_or(due, |r| due.max(r)));
            // a key due now is written now: a timer that has already expired would lose every
            // race against the config poll's tick, which is ready again after each read
            if following.is_none() && renewal.is_some_and(|at| at <= tokio::time::Instant::now()) {
                key_retry = (!self.renew_session_key().await)
                    .then(|| tokio::time::Instant::now() + Duration::from_secs(1));
                continue;
            }
            tokio::select! {
                _ = async {
                    match renewal {
                        Some(at) => tokio::time::sleep_until(at).await,
                        None => std::future::pending().await,
                    }
                }, if following.is_none() => {
                    key_retry = (!self.renew_session_key().await)
                        .then(|| tokio::time::Instant::now() + Duration::from_secs(1));
                }
                _ = stop.cancelled() => break None,
                _ = &mut scheduled => break Some(Rejoin::Own),
                _ = heartbeat.tick() => match m.member.heartbeat().await {
                    Ok(Beat::Stable) => {}
                    Ok(Beat::Rejoin) => break Some(Rejoin::Coordinator),
                    Err(e) if e.is_retriable() => tracing::warn!("heartbeat: {e}"),
                    Err(e) => return Err(ConnectError::other(e.to_string())),
                },
                rebalance = async {
                    match following.as_mut() {
                        Some(f) => f.await,
                        None => std::future::pending().await,
                    }
                } => {
                    following = None;
                    if rebalance {
                        break Some(Rejoin::Coordinator);
                    }
                }
                _ = poll.tick(), if following.is_none() => {
                    following = Some(Box::pin(self.follow_config()));
                }
                _ = self.wake.notified(), if following.is_none() => {
                    following = Some(Box::pin(self.follow_config()));
                }
                // (not while a config read is paused midway: it may hold the config log or
                // the runner, which this needs)
                Some(name) = reconfigure.recv(), if following.is_none() => {
                    let generated = self.runner.lock().await.task_configs(&name);
                    if let Some(generated) = generated {
                        self.publish_task_configs(&name, generated).await;
                    }
                }
            }
        };
        if let Some(f) = following {
            // a rebalance it asks for comes anyway: this worker rejoins (or stops) now
            f.await;
        }
        Ok(why)
    }

    /// When the leader of a `sessioned` group must make a new session key (Kafka's
    /// `inter.worker.key.ttl.ms` after the last one; now when there is none); `None` for
    /// other workers.
    fn session_key_due(&self) -> Option<tokio::time::Instant> {
        let l = self.leadership();
        if !(l.is_leader && l.sessioned) {
            return None;
        }
        let now = tokio::time::Instant::now();
        let created = self
            .snapshot
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .session_key()
            .map(|k| k.creation_timestamp);
        let Some(created) = created else {
            return Some(now);
        };
        let expires = created.saturating_add(self.config.inter_worker.key_ttl.as_millis() as i64);
        let left = expires.saturating_sub(epoch_millis()).max(0) as u64;
        Some(now + Duration::from_millis(left))
    }

    /// Writes a new session key to the config topic (the leader, when the last one expired);
    /// `false` when it could not.
    async fn renew_session_key(&self) -> bool {
        let inter = &self.config.inter_worker;
        let key =
            match request_signing::new_key(&inter.key_algorithm, inter.key_size, epoch_millis()) {
                Ok(k) => k,
                Err(e) => {
                    tracing::error!("{e}");
                    return false;
                }
            };
        let record = ConfigRecord::SessionKey {
            key: key.key,
            algorithm: key.algorithm,
            creation_timestamp: key.creation_timestamp,
        };
        match self.write_config(&[record]).await {
            Ok(()) => {
                tracing::info!("wrote a new session key for requests between workers");
                true
            }
            Err(e) => {
                tracing::warn!("the session key was not written (tried again in 1 s): {e}");
                false
            }
        }
    }

    /// Reads the config topic and acts on what changed; `true` when the change needs a
    /// rebalance (connectors added or removed, task configs committed).
    async fn follow_config(&self) -> bool {
        let before = self.config_state();
        let changes = match self.read_config().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!("reading the config topic: {e}");
                return false;
            }
        };
        let mut rebalance = false;
        for change in changes {
            rebalance |= self.apply_change(&before, change).await;
        }
        rebalance
    }

    async fn apply_change(&self, before: &ConfigState, change: ConfigChange) -> bool {
        let state = self.config_state();
        match change {
            ConfigChange::ConnectorConfig(name) => {
                if !before.contains(&name) {
                    return true;
                }
                self.restart_connector_here(&name, &state).await;
                false
            }
            ConfigChange::ConnectorRemoved(name) => {
                let mut runner = self.runner.lock().await;
                let mut gone = Work::default();
                gone.connectors.insert(name.clone());
                gone.tasks = runner
                    .work()
                    .tasks
                    .into_iter()
                    .filter(|(c, _)| *c == name)
                    .collect();
                runner.stop_work(&gone).await;
                before.contains(&name)
            }
            ConfigChange::TaskConfigs(name) => {
                // this worker's tasks of the connector restart with the new configs once
                // the rebalance says where each one runs
                let mut runner = self.runner.lock().await;
                let ours: Vec<_> = runner
                    .work()
                    .tasks
                    .into_iter()
                    .filter(|(c, _)| *c == name)
                    .collect();
                runner.stop_tasks(ours).await;
                true
            }
            ConfigChange::TargetState(name) => {
                let Some(target) = state.target_state(&name) else {
                    return false;
                };
                let (restart, generated) = {
                    let mut runner = self.runner.lock().await;
                    let restart = runner.set_target(&name, target);
                    // a connector created paused gets its tasks when it first runs
                    let generated = (!restart && target == TargetState::Started)
                        .then(|| runner.task_configs(&name))
                        .flatten();
                    (restart, generated)
                };
                if restart {
                    self.restart_connector_here(&name, &state).await;
                }
                if let Some(generated) = generated {
                    self.publish_task_configs(&name, generated).await;
                }
                false
            }
            ConfigChange::Restart {
                connector,
                include_tasks,
                only_failed,
            } => {
                self.restart_here(&connector, include_tasks, only_failed, &state)
                    .await;
                false
            }
            ConfigChange::SessionKey | ConfigChange::LoggerLevel { .. } => false,
        }
    }

    /// Restarts connector `name` if it runs here, with its current config and target
    /// state, and publishes the task configs it generates.
    async fn restart_connector_here(&self, name: &str, state: &ConfigState) {
        let (Some(config), Some(target)) = (state.connector_config(name), state.target_state(name))
        else {
            return;
        };
        let generated = {
            let mut runner = self.runner.lock().await;
            if !runner.runs_connector(name) {
                return;
            }
            runner.stop_connector(name);
            runner.start_connector(name, config, target)
        };
        if let Some(generated) = generated {
            self.publish_task_configs(name, generated).await;
        }
    }

    /// Serves a restart request (KIP-745) for what runs here.
    async fn restart_here(
        &self,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
        state: &ConfigState,
    ) {
        let failed = |key: super::status_records::StatusKey| {
            self.status_log
                .view()
                .get(&key)
                .is_some_and(|s| s.state == State::Failed)
        };
        if !only_failed
            || failed(super::status_records::StatusKey::Connector(
                name.to_string(),
            ))
        {
            self.restart_connector_here(name, state).await;
        }
        if !include_tasks {
            return;
        }
        let (Some(config), Some(target)) = (state.connector_config(name), state.target_state(name))
        else {
            return;
        };
        let mut runner = self.runner.lock().await;
        let ours: Vec<_> = runner
            .work()
            .tasks
            .into_iter()
            .filter(|(c, t)| {
                c == name
                    && (!only_failed
                        || failed(super::status_records::StatusKey::Task(c.clone(), *t)))
            })
            .collect();
        runner.stop_tasks(ours.clone()).await;
        for id in ours {
            if let Some(task_config) = state.task_configs(name).get(id.1 as usize) {
                if let Err(e) = runner.start_task(&id, config, task_config, target) {
                    tracing::error!("task {}-{} failed to restart: {e}", id.0, id.1);
                }
            }
        }
    }
}
