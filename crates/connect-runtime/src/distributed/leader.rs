//! The leader's side of a rebalance: the members' metadata decoded, the config offsets
//! compared (CONFIG_MISMATCH when the leader is behind), and each member's assignment
//! encoded in the chosen protocol's version.

use std::collections::BTreeMap;

use bytes::Bytes;
use kafka::connect_protocol::{
    Assignment, WorkerMetadata, CONFIG_MISMATCH, NO_ERROR, PROTOCOL_V0, PROTOCOL_V1, PROTOCOL_V2,
};
use kafka::group_member::Leading;

use super::assignor::{eager_assign, Configured, IncrementalAssignor, MemberWork, Round};
use super::config_state::ConfigState;
use super::work::Work;

/// The protocol version of a sub-protocol name.
pub(super) fn protocol_version(name: &str) -> i16 {
    match name {
        "sessioned" => PROTOCOL_V2,
        "compatible" => PROTOCOL_V1,
        _ => PROTOCOL_V0,
    }
}

/// The leader's assignments for one generation.
pub(super) fn leader_assign(
    assignor: &mut IncrementalAssignor,
    state: &ConfigState,
    leading: Leading<'_>,
    last_generation: i32,
    now_ms: u64,
) -> Vec<(String, Bytes)> {
    let version = protocol_version(leading.protocol);
    let mut members: BTreeMap<String, MemberWork> = BTreeMap::new();
    for m in leading.members {
        let (url, offset, work) = match WorkerMetadata::decode(&m.metadata) {
            Ok(meta) => (
                meta.url,
                meta.config_offset,
                meta.allocation
                    .map(|a| Work::from_wire(&a.assigned))
                    .unwrap_or_default(),
            ),
            Err(e) => {
                tracing::error!("member {} sent undecodable metadata: {e}", m.member_id);
                (String::new(), -1, Work::default())
            }
        };
        members.insert(
            m.member_id.clone(),
            MemberWork {
                url,
                config_offset: offset,
                work,
            },
        );
    }
    let leader_url = members
        .get(leading.member_id)
        .map(|m| m.url.clone())
        .unwrap_or_default();
    let max_offset = members
        .values()
        .map(|m| m.config_offset)
        .max()
        .unwrap_or(-1);
    let base = |error: i16, offset: i64| Assignment {
        version,
        error,
        leader: leading.member_id.to_string(),
        leader_url: leader_url.clone(),
        config_offset: offset,
        assigned: Vec::new(),
        revoked: Vec::new(),
        delay_ms: 0,
    };
    if state.offset < max_offset {
        tracing::info!(
            "a member has read the config topic to {max_offset}, this leader only to {}",
            state.offset
        );
        return members
            .keys()
            .map(|id| {
                (
                    id.clone(),
                    Bytes::from(base(CONFIG_MISMATCH, max_offset).encode()),
                )
            })
            .collect();
    }
    let configured: Configured = state
        .connectors()
        .map(|c| (c.to_string(), state.task_count(c)))
        .collect();
    if version == PROTOCOL_V0 {
        let ids: Vec<String> = members.keys().cloned().collect();
        return eager_assign(&configured, &ids)
            .into_iter()
            .map(|(id, work)| {
                let mut a = base(NO_ERROR, state.offset);
                a.assigned = work.to_wire();
                (id, Bytes::from(a.encode()))
            })
            .collect();
    }
    let round = Round {
        last_completed_generation: last_generation,
        generation: leading.generation,
        now_ms,
    };
    assignor
        .assign(&configured, &members, round)
        .into_iter()
        .map(|(id, part)| {
            tracing::debug!(
                "generation {}: {id} reports {:?}, is given {:?}, gives up {:?}, delay {} ms",
                leading.generation,
                members.get(&id).map(|m| &m.work),
                part.assigned,
                part.revoked,
                part.delay_ms
            );
            let mut a = base(NO_ERROR, state.offset);
            a.assigned = part.assigned.to_wire();
            a.revoked = part.revoked.to_wire();
            a.delay_ms = part.delay_ms;
            (id, Bytes::from(a.encode()))
        })
        .collect()
}
