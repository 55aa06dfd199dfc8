//! How the leader shares connectors and tasks among the workers (Kafka's
//! `IncrementalCooperativeAssignor`, KIP-415, and `EagerAssignor`).
//!
//! Incremental cooperative rounds, as Kafka runs them:
//! - work that was deleted, or that two workers both report, is revoked;
//! - work of a worker that left (lost work) waits up to `scheduled.rebalance.max.delay.ms`
//!   for it to come back; workers that joined empty meanwhile are its candidates when the
//!   delay expires (with a delay of 0 it is handed out at once);
//! - new work goes to the least loaded workers (connectors by connector count, tasks by task
//!   count, ties to the lower member id);
//! - when the load is uneven, the excess is revoked in one round and handed out in the
//!   next; revoking rounds in a row back off (40 ms, 1.6 s, 64 s, then the maximum delay).
//!
//! Where Kafka walks workers in hash-map order (load-balancing revocations), Ferry walks
//! them by member id, and a worker gives up its last connectors and tasks in name order:
//! the counts are Kafka's, the choice of which items move is deterministic.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::work::Work;

/// What one member reported when it joined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberWork {
    /// Its REST URL.
    pub url: String,
    /// The config offset it has read to.
    pub config_offset: i64,
    /// Everything it runs (its complete assignment as of its last join).
    pub work: Work,
}

/// One member's part of a round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberAssignment {
    /// Work newly given to it (not what it keeps).
    pub assigned: Work,
    /// Work it must stop.
    pub revoked: Work,
    /// Milliseconds until every member should rejoin (lost work or a revocation backoff is
    /// pending), 0 for none.
    pub delay_ms: i32,
}

/// The configured work: each connector and its task count, from the config snapshot.
pub type Configured = BTreeMap<String, u32>;

/// A round's inputs besides the members.
#[derive(Debug, Clone, Copy)]
pub struct Round {
    /// The generation the leader last completed a join in (-1 for none).
    pub last_completed_generation: i32,
    /// The generation being formed.
    pub generation: i32,
    /// Now, in milliseconds of any monotonic clock.
    pub now_ms: u64,
}

/// The incremental cooperative assignor with the state it keeps between rounds (while this
/// worker stays leader).
#[derive(Debug, Clone)]
pub struct IncrementalAssignor {
    max_delay_ms: u64,
    previous_assignment: Work,
    previous_revocation: Work,
    previous_generation: i32,
    previous_members: BTreeSet<String>,
    /// When lost work (or a backed-off revocation) is due, 0 for no timer.
    scheduled_rebalance: u64,
    delay_ms: u64,
    candidates: Vec<String>,
    revoked_in_previous: bool,
    successive_revoking: u32,
}

impl IncrementalAssignor {
    /// An assignor with `scheduled.rebalance.max.delay.ms`.
    pub fn new(max_delay: Duration) -> Self {
        IncrementalAssignor {
            max_delay_ms: u64::try_from(max_delay.as_millis()).unwrap_or(u64::MAX),
            previous_assignment: Work::default(),
            previous_revocation: Work::default(),
            previous_generation: -1,
            previous_members: BTreeSet::new(),
            scheduled_rebalance: 0,
            delay_ms: 0,
            candidates: Vec::new(),
            revoked_in_previous: false,
            successive_revoking: 0,
        }
    }

    /// One round: what each member is given and must give up.
    pub fn assign(
        &mut self,
        configured: &Configured,
        members: &BTreeMap<String, MemberWork>,
        round: Round,
    ) -> BTreeMap<String, MemberAssignment> {
        if self.previous_generation != round.last_completed_generation {
            // a new leader, or one that missed a generation, starts from what members report
            self.previous_assignment = Work::default();
        }
        let configured_work = configured_work(configured);
        let mut active = Work::default();
        for m in members.values() {
            active.add(&m.work);
        }
        if !self.previous_revocation.intersect(&active).is_empty() {
            // a revocation did not happen: start from what runs
            self.previous_assignment = active.clone();
        }
        self.previous_revocation = Work::default();

        let deleted = self.previous_assignment.minus(&configured_work);
        let duplicated = duplicated(members);
        let lost = self.previous_assignment.minus(&active).minus(&deleted);
        let created = configured_work
            .minus(&self.previous_assignment)
            .minus(&active);

        let mut revoked: BTreeMap<String, Work> = BTreeMap::new();
        let mut current: BTreeMap<String, Work> = BTreeMap::new();
        let mut next: BTreeMap<String, Work> = BTreeMap::new();
        for (id, m) in members {
            let mut gone = m.work.intersect(&deleted);
            gone.add(&m.work.intersect(&duplicated));
            current.insert(id.clone(), m.work.minus(&deleted));
            next.insert(id.clone(), m.work.minus(&gone));
            revoked.insert(id.clone(), gone);
        }

        let mut reassign = Work::default();
        self.handle_lost(&lost, &mut next, &mut reassign, members, round.now_ms);

        if self.delay_ms == 0 {
            self.balance(&configured_work, &mut next, &mut revoked, round.now_ms);
        } else {
            self.revoked_in_previous = false;
        }

        let mut to_assign = created;
        to_assign.add(&reassign);
        fill(&mut next, to_assign.connectors, |w| &mut w.connectors);
        fill(&mut next, to_assign.tasks, |w| &mut w.tasks);

        let mut out = BTreeMap::new();
        let mut all_next = Work::default();
        let mut all_revoked = Work::default();
        for (id, work) in &next {
            all_next.add(work);
            let gone = revoked.remove(id).unwrap_or_default();
            all_revoked.add(&gone);
            let had = current.get(id).cloned().unwrap_or_default();
            out.insert(
                id.clone(),
                MemberAssignment {
                    assigned: work.minus(&had),
                    revoked: gone,
                    delay_ms: i32::try_from(self.delay_ms).unwrap_or(i32::MAX),
                },
            );
        }
        all_next.remove(&all_revoked);
        all_next.add(&lost);
        self.previous_assignment = all_next;
        self.previous_revocation = all_revoked;
        self.previous_generation = round.generation;
        self.previous_members = members.keys().cloned().collect();
        out
    }

    fn reset_delay(&mut self) {
        self.candidates.clear();
        self.scheduled_rebalance = 0;
        self.delay_ms = 0;
    }

    /// Decides what happens to lost work: handed out now (into `reassign`, or straight to
    /// the candidates when the delay expired), or held until the delay expires.
    fn handle_lost(
        &mut self,
        lost: &Work,
        next: &mut BTreeMap<String, Work>,
        reassign: &mut Work,
        members: &BTreeMap<String, MemberWork>,
        now: u64,
    ) {
        if lost.is_empty() && !self.revoked_in_previous {
            self.reset_delay();
            return;
        }
        let all_back = self
            .previous_members
            .iter()
            .all(|m| members.contains_key(m));
        if self.scheduled_rebalance == 0 && all_back {
            // lost only because members missed the last assignment
            reassign.add(lost);
            return;
        }
        if self.max_delay_ms == 0 {
            reassign.add(lost);
            return;
        }
        if self.scheduled_rebalance > 0 && now >= self.scheduled_rebalance {
            let candidates: Vec<String> = self
                .candidates
                .iter()
                .filter(|c| members.contains_key(*c))
                .cloned()
                .collect();
            if candidates.is_empty() {
                reassign.add(lost);
            } else {
                for (c, w) in lost.connectors.iter().zip(candidates.iter().cycle()) {
                    if let Some(work) = next.get_mut(w) {
                        work.connectors.insert(c.clone());
                    }
                }
                for (t, w) in lost.tasks.iter().zip(candidates.iter().cycle()) {
                    if let Some(work) = next.get_mut(w) {
                        work.tasks.insert(t.clone());
                    }
                }
            }
            self.reset_delay();
            self.revoked_in_previous = false;
            return;
        }
        if lost.is_empty() && self.scheduled_rebalance == 0 {
            // nothing to wait for (Kafka starts a full delay here after a revoking round
            // in which an idle worker left; Ferry does not)
            return;
        }
        for (id, work) in next.iter() {
            if work.is_empty() && !self.candidates.contains(id) {
                self.candidates.push(id.clone());
            }
        }
        self.delay_ms = if now < self.scheduled_rebalance {
            (self.scheduled_rebalance - now).min(self.max_delay_ms)
        } else {
            self.max_delay_ms
        };
        self.scheduled_rebalance = now + self.delay_ms;
    }

    /// Revokes the excess of overloaded workers, unless revoking rounds in a row must back
    /// off first.
    fn balance(
        &mut self,
        configured: &Work,
        next: &mut BTreeMap<String, Work>,
        revoked: &mut BTreeMap<String, Work>,
        now: u64,
    ) {
        // a worker gives up its last items
        let mut excess: BTreeMap<String, Work> = BTreeMap::new();
        for (id, n) in excess_of(configured.connectors.len(), next, |w| w.connectors.len()) {
            if let Some(w) = next.get(&id) {
                excess.entry(id).or_default().connectors =
                    w.connectors.iter().rev().take(n).cloned().collect();
            }
        }
        for (id, n) in excess_of(configured.tasks.len(), next, |w| w.tasks.len()) {
            if let Some(w) = next.get(&id) {
                excess.entry(id).or_default().tasks =
                    w.tasks.iter().rev().take(n).cloned().collect();
            }
        }
        let any = excess.values().any(|w| !w.is_empty());
        if self.revoked_in_previous && any {
            self.successive_revoking += 1;
            let delay = backoff(self.successive_revoking, self.max_delay_ms);
            if delay != 0 {
                self.delay_ms = delay;
                self.scheduled_rebalance = now + delay;
                return;
            }
        } else if any {
            self.revoked_in_previous = true;
        } else {
            if self.revoked_in_previous {
                self.revoked_in_previous = false;
                self.successive_revoking = 0;
            }
            return;
        }
        for (id, work) in excess {
            if let Some(n) = next.get_mut(&id) {
                n.remove(&work);
            }
            revoked.entry(id).or_default().add(&work);
        }
    }
}

/// How many items each overloaded worker gives up so that `total` items spread evenly:
/// `total / workers` each, and one more for as many workers as the remainder allows, taken
/// by the first overloaded workers (by member id).
fn excess_of(
    total: usize,
    next: &BTreeMap<String, Work>,
    count: impl Fn(&Work) -> usize,
) -> Vec<(String, usize)> {
    let workers = next.len();
    if workers == 0 || total == 0 || next.values().all(|w| count(w) == 0) {
        return Vec::new();
    }
    let min = total / workers;
    let extra = total % workers;
    let at_ceiling = next.values().filter(|w| count(w) == min + 1).count();
    if at_ceiling == extra
        && next
            .values()
            .all(|w| count(w) == min || count(w) == min + 1)
    {
        return Vec::new();
    }
    let mut extras = 0;
    let mut out = Vec::new();
    for (id, work) in next {
        let c = count(work);
        if c <= min {
            continue;
        }
        let cap = if extras < extra {
            extras += 1;
            if c == min + 1 {
                continue;
            }
            min + 1
        } else {
            min
        };
        out.push((id.clone(), c - cap));
    }
    out
}

/// Kafka's backoff between revoking rounds in a row: 40^n ms up to `max`.
fn backoff(n: u32, max: u64) -> u64 {
    if max == 0 {
        return 0;
    }
    let exp_max = (max as f64).ln() / 40f64.ln();
    let exp = f64::from(n).min(exp_max);
    (40f64.powf(exp) as u64).min(max)
}

/// Every connector and task of the configured connectors.
fn configured_work(configured: &Configured) -> Work {
    let mut work = Work::default();
    for (name, tasks) in configured {
        work.connectors.insert(name.clone());
        for t in 0..*tasks {
            work.tasks.insert((name.clone(), t));
        }
    }
    work
}

/// What more than one member reports.
fn duplicated(members: &BTreeMap<String, MemberWork>) -> Work {
    let mut seen = Work::default();
    let mut twice = Work::default();
    for m in members.values() {
        for c in &m.work.connectors {
            if !seen.connectors.insert(c.clone()) {
                twice.connectors.insert(c.clone());
            }
        }
        for t in &m.work.tasks {
            if !seen.tasks.insert(t.clone()) {
                twice.tasks.insert(t.clone());
            }
        }
    }
    twice
}

/// Hands `items` out in order, each round topping up the least loaded workers (by the
/// count `part` selects, ties to the lower member id).
fn fill<T: Ord>(
    next: &mut BTreeMap<String, Work>,
    items: BTreeSet<T>,
    part: impl Fn(&mut Work) -> &mut BTreeSet<T>,
) {
    if next.is_empty() {
        return;
    }
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let mut order: Vec<(usize, String)> = next
            .iter_mut()
            .map(|(id, w)| (part(w).len(), id.clone()))
            .collect();
        order.sort();
        let level = order[0].0;
        for (count, id) in order {
            if count > level {
                break;
            }
            let Some(item) = items.next() else {
                return;
            };
            if let Some(w) = next.get_mut(&id) {
                part(w).insert(item);
            }
        }
    }
}

/// The eager assignment (`connect.protocol=eager`): every member's complete work, connectors
/// dealt round-robin over the members by id, then tasks continuing the same rotation.
pub fn eager_assign(configured: &Configured, members: &[String]) -> BTreeMap<String, Work> {
    let mut sorted: Vec<&String> = members.iter().collect();
    sorted.sort();
    let mut out: BTreeMap<String, Work> = sorted
        .iter()
        .map(|m| ((*m).clone(), Work::default()))
        .collect();
    if sorted.is_empty() {
        return out;
    }
    let mut turn = sorted.iter().cycle();
    for name in configured.keys() {
        if let Some(m) = turn.next() {
            if let Some(w) = out.get_mut(*m) {
                w.connectors.insert(name.clone());
            }
        }
    }
    for (name, tasks) in configured {
        for t in 0..*tasks {
            if let Some(m) = turn.next() {
                if let Some(w) = out.get_mut(*m) {
                    w.tasks.insert((name.clone(), t));
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "assignor_tests.rs"]
mod tests;
