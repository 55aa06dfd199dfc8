//! Membership of a group on Kafka's group protocol, as a Connect worker holds it
//! (`WorkerGroupMember`): find the coordinator, join with the worker's protocols, sync (the
//! leader hands out the assignments), heartbeat, leave. What the protocols' metadata and
//! assignments mean is the caller's ([`crate::connect_protocol`] for workers).
//!
//! Requests use the highest version the broker serves up to the last one before flexible
//! encodings (JoinGroup 5, SyncGroup 3, Heartbeat 3, FindCoordinator 2), and LeaveGroup 2
//! (version 3 adds only batch leaves of static members, which workers are not): every
//! broker since Kafka 2.3 serves them, Kafka 4 included, and they carry everything a worker
//! sends (member ids, rebalance timeouts).

use std::time::{Duration, Instant};

use bytes::Bytes;
use kafka_protocol::error::{ParseResponseErrorCode, ResponseError};
use kafka_protocol::messages::find_coordinator_request::FindCoordinatorRequest;
use kafka_protocol::messages::heartbeat_request::HeartbeatRequest;
use kafka_protocol::messages::join_group_request::{JoinGroupRequest, JoinGroupRequestProtocol};
use kafka_protocol::messages::leave_group_request::LeaveGroupRequest;
use kafka_protocol::messages::sync_group_request::{SyncGroupRequest, SyncGroupRequestAssignment};
use kafka_protocol::messages::GroupId;
use kafka_protocol::protocol::StrBytes;

use crate::wire::{Connection, WireError};

/// How a member joins: where, as what, and its timeouts.
#[derive(Debug, Clone)]
pub struct GroupSettings {
    /// `bootstrap.servers`, as `host:port` entries.
    pub bootstrap: Vec<String>,
    /// `group.id`.
    pub group_id: String,
    /// `client.id` sent with every request.
    pub client_id: String,
    /// The protocol type (`connect` for workers).
    pub protocol_type: String,
    /// `session.timeout.ms`.
    pub session_timeout: Duration,
    /// `rebalance.timeout.ms`: how long the coordinator waits for members to rejoin.
    pub rebalance_timeout: Duration,
    /// `request.timeout.ms` for requests other than JoinGroup (which waits up to the
    /// rebalance timeout).
    pub request_timeout: Duration,
    /// `retry.backoff.ms`: the pause before retrying a retriable failure.
    pub retry_backoff: Duration,
}

/// Why the group could not be joined or kept.
#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// Worth retrying: the coordinator moved, is loading, or could not be reached in time.
    #[error("group {group}: {message} (will retry)")]
    Retriable {
        /// The group.
        group: String,
        /// What happened.
        message: String,
    },
    /// Not worth retrying (authorization, inconsistent protocols, a broker without the
    /// group APIs): the worker stops.
    #[error("group {group}: {message}")]
    Fatal {
        /// The group.
        group: String,
        /// What happened.
        message: String,
    },
}

impl GroupError {
    /// Whether retrying may help.
    pub fn is_retriable(&self) -> bool {
        matches!(self, GroupError::Retriable { .. })
    }
}

/// One protocol a member supports, with its metadata, in order of preference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    /// The protocol name (`sessioned`, `compatible`, `default`).
    pub name: String,
    /// The member's metadata for it.
    pub metadata: Bytes,
}

/// A member as the leader sees it in the join answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The member id.
    pub member_id: String,
    /// Its metadata for the chosen protocol.
    pub metadata: Bytes,
}

/// The outcome of a join: this member's place in the generation, and its assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The generation.
    pub generation: i32,
    /// This member's id.
    pub member_id: String,
    /// The leader's member id.
    pub leader_id: String,
    /// The protocol the coordinator chose.
    pub protocol: String,
    /// This member's assignment, as the leader encoded it.
    pub assignment: Bytes,
}

/// What a heartbeat found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// The generation goes on.
    Stable,
    /// A rebalance started (or this member fell out of the group): join again.
    Rejoin,
}

/// What the leader learns from a join, to compute the assignments with.
#[derive(Debug, Clone, Copy)]
pub struct Leading<'a> {
    /// The protocol the coordinator chose.
    pub protocol: &'a str,
    /// The generation being formed.
    pub generation: i32,
    /// The leader's own member id.
    pub member_id: &'a str,
    /// Every member, with its metadata for the chosen protocol.
    pub members: &'a [Member],
}

/// The leader's part of a join: the assignment of each member id. Called once per
/// generation this member leads, and again if that generation's sync fails and the member
/// rejoins.
pub type Assign<'a> = dyn FnMut(Leading<'_>) -> Vec<(String, Bytes)> + Send + 'a;

/// A member of one group.
#[derive(Debug)]
pub struct GroupMember {
    settings: GroupSettings,
    coordinator: Option<Connection>,
    member_id: String,
    generation: i32,
    protocol: String,
}

/// How long a leader waits between its join answer and its sync, so that the followers'
/// syncs (sent as soon as they have their join answers) reach the coordinator first.
const LEADER_SYNC_GRACE: Duration = Duration::from_millis(100);

/// What one attempt at joining ended with.
enum Attempt {
    Joined(Joined),
    /// Try again at once (a member id was handed out, or the generation moved on).
    Again,
}

impl GroupMember {
    /// A member that has not joined yet.
    pub fn new(settings: GroupSettings) -> Self {
        GroupMember {
            settings,
            coordinator: None,
            member_id: String::new(),
            generation: -1,
            protocol: String::new(),
        }
    }

    /// The member id (empty before the first join).
    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    /// The generation of the last join (-1 before it).
    pub fn generation(&self) -> i32 {
        self.generation
    }

    /// Joins the group (or rejoins it after [`Beat::Rejoin`]) and syncs: returns when this
    /// member has its assignment for a new generation. Retriable failures are retried
    /// for up to the rebalance timeout; an `Err` then (retriable: call again) or at once for
    /// a failure retrying cannot mend (fatal: stop the worker).
    pub async fn join(
        &mut self,
        protocols: &[Protocol],
        assign: &mut Assign<'_>,
    ) -> Result<Joined, GroupError> {
        let deadline = Instant::now() + self.settings.rebalance_timeout;
        loop {
            match self.attempt(protocols, assign).await {
                Ok(Attempt::Joined(joined)) => return Ok(joined),
                Ok(Attempt::Again) => {}
                Err(e) if e.is_retriable() && Instant::now() < deadline => {
                    tracing::debug!("{e}");
                    tokio::time::sleep(self.settings.retry_backoff).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn attempt(
        &mut self,
        protocols: &[Protocol],
        assign: &mut Assign<'_>,
    ) -> Result<Attempt, GroupError> {
        let group = self.settings.group_id.clone();
        self.ensure_coordinator().await?;
        let version = self.version::<JoinGroupRequest>(2, 5)?;
        let request = JoinGroupRequest::default()
            .with_group_id(GroupId(text(&group)))
            .with_session_timeout_ms(millis(self.settings.session_timeout))
            .with_rebalance_timeout_ms(millis(self.settings.rebalance_timeout))
            .with_member_id(text(&self.member_id))
            .with_protocol_type(text(&self.settings.protocol_type))
            .with_protocols(
                protocols
                    .iter()
                    .map(|p| {
                        JoinGroupRequestProtocol::default()
                            .with_name(text(&p.name))
                            .with_metadata(p.metadata.clone())
                    })
                    .collect(),
            );
        // the coordinator answers a join once every member rejoined: up to the rebalance
        // timeout, plus the usual request timeout
        let answer = self
            .send(&request, version, self.settings.rebalance_timeout)
            .await?;
        match answer.error_code.err() {
            None => {}
            Some(ResponseError::MemberIdRequired) => {
                self.member_id = answer.member_id.to_string();
                return Ok(Attempt::Again);
            }
            Some(ResponseError::UnknownMemberId) => {
                tracing::debug!(
                    "group {group}: JoinGroup: unknown member {}",
                    self.member_id
                );
                self.member_id.clear();
                return Ok(Attempt::Again);
            }
            Some(e) => return Err(self.error_code("JoinGroup", e)),
        }
        self.member_id = answer.member_id.to_string();
        self.generation = answer.generation_id;
        tracing::debug!(
            "group {group}: joined generation {} as {} (leader {}, {} member(s) listed)",
            answer.generation_id,
            answer.member_id.as_str(),
            answer.leader.as_str(),
            answer.members.len()
        );
        let protocol = match &answer.protocol_name {
            Some(name) => name.to_string(),
            None => String::new(),
        };
        self.protocol = protocol.clone();
        let leader_id = answer.leader.to_string();
        let assignments = if leader_id == self.member_id {
            let members: Vec<Member> = answer
                .members
                .iter()
                .map(|m| Member {
                    member_id: m.member_id.to_string(),
                    metadata: m.metadata.clone(),
                })
                .collect();
            assign(Leading {
                protocol: &protocol,
                generation: self.generation,
                member_id: &self.member_id,
                members: &members,
            })
        } else {
            Vec::new()
        };
        self.ensure_coordinator().await?;
        let version = self.version::<SyncGroupRequest>(0, 3)?;
        let mut request = SyncGroupRequest::default()
            .with_group_id(GroupId(text(&group)))
            .with_generation_id(self.generation)
            .with_member_id(text(&self.member_id))
            .with_assignments(
                assignments
                    .into_iter()
                    .map(|(member, bytes)| {
                        SyncGroupRequestAssignment::default()
                            .with_member_id(text(&member))
                            .with_assignment(bytes)
                    })
                    .collect(),
            );
        if version >= 5 {
            request = request
                .with_protocol_type(Some(text(&self.settings.protocol_type)))
                .with_protocol_name(Some(text(&protocol)));
        }
        if leader_id == self.member_id {
            // the followers sent their syncs as soon as they had the join answer; a
            // coordinator that drops a follower's assignment once the leader's sync has
            // completed the generation (librdkafka's mock cluster) would otherwise send each
            // follower that came second back to rejoin, round after round
            tokio::time::sleep(LEADER_SYNC_GRACE).await;
        }
        // followers wait for the leader's sync
        let (code, assignment) = match self
            .exchange(&request, version, self.settings.rebalance_timeout)
            .await
        {
            Ok(synced) => (synced.error_code, synced.assignment),
            Err(WireError::Refused { code, .. }) => (code, Bytes::new()),
            Err(e) => return Err(wire_error(&group, e)),
        };
        match code.err() {
            None => Ok(Attempt::Joined(Joined {
                generation: self.generation,
                member_id: self.member_id.clone(),
                leader_id,
                protocol,
                assignment,
            })),
            Some(ResponseError::RebalanceInProgress) => {
                tracing::debug!(
                    "group {group}: SyncGroup of generation {}: a new rebalance began",
                    self.generation
                );
                Ok(Attempt::Again)
            }
            Some(ResponseError::UnknownMemberId) | Some(ResponseError::IllegalGeneration) => {
                tracing::debug!(
                    "group {group}: SyncGroup of generation {}: {}",
                    self.generation,
                    code
                );
                self.member_id.clear();
                self.generation = -1;
                Ok(Attempt::Again)
            }
            // the generation completed without this member's sync (the mock cluster's
            // answer to a sync that came after the leader's): join again after a pause
            Some(ResponseError::InvalidRequest) => Err(self.retriable(format!(
                "SyncGroup of generation {} came after the generation was complete",
                self.generation
            ))),
            Some(e) => Err(self.error_code("SyncGroup", e)),
        }
    }

    /// One heartbeat of the current generation; call it every `heartbeat.interval.ms`.
    /// `Ok(Beat::Rejoin)` when the group rebalances or dropped this member; a retriable
    /// `Err` when the coordinator could not be reached (the next heartbeat finds it again).
    pub async fn heartbeat(&mut self) -> Result<Beat, GroupError> {
        let group = self.settings.group_id.clone();
        self.ensure_coordinator().await?;
        let version = self.version::<HeartbeatRequest>(0, 3)?;
        let request = HeartbeatRequest::default()
            .with_group_id(GroupId(text(&group)))
            .with_generation_id(self.generation)
            .with_member_id(text(&self.member_id));
        let answer = self.send(&request, version, Duration::ZERO).await?;
        if answer.error_code != 0 {
            tracing::debug!("group {group}: heartbeat answered {}", answer.error_code);
        }
        match answer.error_code.err() {
            None => Ok(Beat::Stable),
            Some(ResponseError::RebalanceInProgress) => Ok(Beat::Rejoin),
            Some(ResponseError::IllegalGeneration) => Ok(Beat::Rejoin),
            Some(ResponseError::UnknownMemberId) | Some(ResponseError::FencedInstanceId) => {
                self.member_id.clear();
                Ok(Beat::Rejoin)
            }
            Some(e) => Err(self.error_code("Heartbeat", e)),
        }
    }

    /// Leaves the group, so that the others rebalance at once instead of after the session
    /// timeout. A member that never joined has nothing to leave. An `Err` only says the
    /// coordinator did not hear it (the session timeout then removes the member).
    pub async fn leave(&mut self) -> Result<(), GroupError> {
        if self.member_id.is_empty() {
            return Ok(());
        }
        let group = self.settings.group_id.clone();
        self.ensure_coordinator().await?;
        // version 3 only adds batch leaves of static members, and librdkafka's mock cluster
        // reads every version in the layout of the first three
        let version = self.version::<LeaveGroupRequest>(0, 2)?;
        let request = LeaveGroupRequest::default()
            .with_group_id(GroupId(text(&group)))
            .with_member_id(text(&self.member_id));
        let code = match self.exchange(&request, version, Duration::ZERO).await {
            Ok(answer) => answer.error_code,
            Err(WireError::Refused { code, .. }) => code,
            Err(e) => return Err(wire_error(&group, e)),
        };
        self.member_id.clear();
        self.generation = -1;
        match code.err() {
            None | Some(ResponseError::UnknownMemberId) => Ok(()),
            Some(e) => Err(self.error_code("LeaveGroup", e)),
        }
    }

    /// Finds the coordinator through the bootstrap servers unless connected to it.
    async fn ensure_coordinator(&mut self) -> Result<(), GroupError> {
        // a join given up midway (the worker stopping) leaves its answer on the connection
        if self
            .coordinator
            .as_ref()
            .is_some_and(Connection::is_interrupted)
        {
            self.coordinator = None;
        }
        if self.coordinator.is_none() {
            self.coordinator = Some(self.find_coordinator().await?);
        }
        Ok(())
    }

    /// The version of `R` to use with the coordinator (after [`Self::ensure_coordinator`]).
    fn version<R: kafka_protocol::protocol::Request>(
        &self,
        min: i16,
        max: i16,
    ) -> Result<i16, GroupError> {
        match &self.coordinator {
            Some(conn) => conn
                .version::<R>(min, max)
                .map_err(|e| wire_error(&self.settings.group_id, e)),
            None => Err(self.retriable("no coordinator".to_string())),
        }
    }

    async fn find_coordinator(&self) -> Result<Connection, GroupError> {
        let group = &self.settings.group_id;
        let mut failures = Vec::new();
        for addr in &self.settings.bootstrap {
            let mut conn = match self.connect(addr).await {
                Ok(conn) => conn,
                Err(e) => {
                    failures.push(e.to_string());
                    continue;
                }
            };
            let version = conn
                .version::<FindCoordinatorRequest>(1, 2)
                .map_err(|e| wire_error(group, e))?;
            let request = FindCoordinatorRequest::default().with_key(text(group));
            let answer = match conn.send(&request, version).await {
                Ok(answer) => answer,
                Err(e) => {
                    failures.push(e.to_string());
                    continue;
                }
            };
            if let Some(e) = answer.error_code.err() {
                return Err(self.classify("FindCoordinator", e));
            }
            let coordinator = format!("{}:{}", answer.host, answer.port);
            if coordinator == conn.addr() {
                return Ok(conn);
            }
            return self
                .connect(&coordinator)
                .await
                .map_err(|e| self.retriable(e.to_string()));
        }
        Err(self.retriable(format!(
            "no bootstrap server answered: {}",
            failures.join("; ")
        )))
    }

    async fn connect(&self, addr: &str) -> Result<Connection, WireError> {
        Connection::connect(
            addr,
            &self.settings.client_id,
            self.settings.request_timeout,
        )
        .await
    }

    /// Sends on the coordinator's connection, waiting up to `hold` plus the request timeout
    /// (`hold` is zero except for requests the coordinator holds until the group is ready);
    /// a failed exchange drops the connection (the next call finds the coordinator again).
    async fn send<R: kafka_protocol::protocol::Request>(
        &mut self,
        request: &R,
        version: i16,
        hold: Duration,
    ) -> Result<R::Response, GroupError> {
        match self.exchange(request, version, hold).await {
            Ok(response) => Ok(response),
            Err(WireError::Refused { api, code, .. }) => match code.err() {
                Some(e) => Err(self.error_code(api, e)),
                None => Err(self.retriable(format!("{api} failed with error code {code}"))),
            },
            Err(e) => Err(wire_error(&self.settings.group_id, e)),
        }
    }

    /// [`GroupMember::send`] with the wire's error, for answers whose error code the caller
    /// reads itself.
    async fn exchange<R: kafka_protocol::protocol::Request>(
        &mut self,
        request: &R,
        version: i16,
        hold: Duration,
    ) -> Result<R::Response, WireError> {
        let timeout = hold + self.settings.request_timeout;
        let Some(conn) = self.coordinator.as_mut() else {
            return Err(WireError::Io {
                addr: "the group coordinator".to_string(),
                message: "not connected".to_string(),
            });
        };
        let result = conn.send_within(request, version, timeout).await;
        if let Err(e) = &result {
            if !matches!(e, WireError::Refused { .. }) {
                self.coordinator = None;
            }
        }
        result
    }

    /// An error code of an answer from the coordinator; one saying it moved or is loading
    /// also drops the connection (the next call finds the coordinator again).
    fn error_code(&mut self, api: &str, e: ResponseError) -> GroupError {
        if matches!(
            e,
            ResponseError::NotCoordinator
                | ResponseError::CoordinatorNotAvailable
                | ResponseError::CoordinatorLoadInProgress
        ) {
            self.coordinator = None;
        }
        self.classify(api, e)
    }

    /// Coordinator moves and loads, rebalances and timeouts are retriable; the rest fatal.
    fn classify(&self, api: &str, e: ResponseError) -> GroupError {
        let message = format!("{api} failed: {e}");
        match e {
            ResponseError::NotCoordinator
            | ResponseError::CoordinatorNotAvailable
            | ResponseError::CoordinatorLoadInProgress
            | ResponseError::RebalanceInProgress
            | ResponseError::RequestTimedOut => self.retriable(message),
            _ => GroupError::Fatal {
                group: self.settings.group_id.clone(),
                message,
            },
        }
    }

    fn retriable(&self, message: String) -> GroupError {
        GroupError::Retriable {
            group: self.settings.group_id.clone(),
            message,
        }
    }
}

fn wire_error(group: &str, e: WireError) -> GroupError {
    match e {
        WireError::Unsupported { .. } => GroupError::Fatal {
            group: group.to_string(),
            message: e.to_string(),
        },
        _ => GroupError::Retriable {
            group: group.to_string(),
            message: e.to_string(),
        },
    }
}

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

fn millis(d: Duration) -> i32 {
    i32::try_from(d.as_millis()).unwrap_or(i32::MAX)
}
