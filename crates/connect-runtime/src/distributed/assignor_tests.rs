#![allow(clippy::unwrap_used)]

use super::*;

fn configured(pairs: &[(&str, u32)]) -> Configured {
    pairs.iter().map(|(c, n)| (c.to_string(), *n)).collect()
}

/// A simulated cluster: members apply what the leader hands them, as workers do.
struct Cluster {
    assignor: IncrementalAssignor,
    members: BTreeMap<String, MemberWork>,
    generation: i32,
    now: u64,
}

impl Cluster {
    fn new(max_delay_ms: u64, members: &[&str]) -> Self {
        Cluster {
            assignor: IncrementalAssignor::new(Duration::from_millis(max_delay_ms)),
            members: members
                .iter()
                .map(|m| (m.to_string(), MemberWork::default()))
                .collect(),
            generation: 0,
            now: 1_000,
        }
    }

    /// One rebalance; members stop what is revoked and start what is assigned.
    fn rebalance(&mut self, config: &Configured) -> BTreeMap<String, MemberAssignment> {
        let round = Round {
            last_completed_generation: self.generation - 1,
            generation: self.generation,
            now_ms: self.now,
        };
        let out = self.assignor.assign(config, &self.members, round);
        for (id, a) in &out {
            let m = self.members.get_mut(id).unwrap();
            m.work.remove(&a.revoked);
            m.work.add(&a.assigned);
        }
        self.generation += 1;
        out
    }

    fn counts(&self) -> Vec<(usize, usize)> {
        self.members
            .values()
            .map(|m| (m.work.connectors.len(), m.work.tasks.len()))
            .collect()
    }

    fn everything(&self) -> Work {
        let mut all = Work::default();
        for m in self.members.values() {
            assert!(
                all.intersect(&m.work).is_empty(),
                "nothing runs twice: {:?}",
                self.members
            );
            all.add(&m.work);
        }
        all
    }
}

#[test]
fn a_new_cluster_gets_everything_spread_with_ties_to_the_lower_member_id() {
    let config = configured(&[("a", 3), ("b", 1)]);
    let mut c = Cluster::new(300_000, &["w1", "w2", "w3"]);
    let out = c.rebalance(&config);
    assert!(out
        .values()
        .all(|a| a.revoked.is_empty() && a.delay_ms == 0));
    assert_eq!(c.counts(), [(1, 2), (1, 1), (0, 1)]);
    assert_eq!(c.everything(), configured_work(&config));
    // a stable cluster: nothing moves
    let out = c.rebalance(&config);
    assert!(out
        .values()
        .all(|a| a.assigned.is_empty() && a.revoked.is_empty()));
}

#[test]
fn a_departed_workers_work_waits_for_the_delay_then_goes_to_the_others() {
    let config = configured(&[("a", 4)]);
    let mut c = Cluster::new(60_000, &["w1", "w2", "w3"]);
    c.rebalance(&config);
    let lost = c.members.remove("w2").unwrap().work;
    assert!(!lost.is_empty());
    c.now += 1_000;
    let out = c.rebalance(&config);
    assert!(out.values().all(|a| a.delay_ms == 60_000), "{out:?}");
    assert!(out.values().all(|a| a.assigned.is_empty()));
    assert!(c.everything().intersect(&lost).is_empty(), "held back");
    // the delay expires: the members rejoin and the lost work is spread
    c.now += 60_000;
    let out = c.rebalance(&config);
    assert!(out.values().all(|a| a.delay_ms == 0), "{out:?}");
    assert_eq!(c.everything(), configured_work(&config));
}

#[test]
fn with_no_delay_lost_work_moves_at_once() {
    let config = configured(&[("a", 4), ("b", 2)]);
    let mut c = Cluster::new(0, &["w1", "w2", "w3"]);
    c.rebalance(&config);
    c.members.remove("w1");
    let out = c.rebalance(&config);
    assert!(out
        .values()
        .all(|a| a.delay_ms == 0 && a.revoked.is_empty()));
    assert_eq!(c.everything(), configured_work(&config));
}

#[test]
fn a_worker_back_within_the_delay_gets_the_lost_work() {
    let config = configured(&[("a", 3)]);
    let mut c = Cluster::new(60_000, &["w1", "w2", "w3"]);
    c.rebalance(&config);
    let lost = c.members.remove("w3").unwrap().work;
    c.now += 100;
    let out = c.rebalance(&config);
    let delay = out["w1"].delay_ms;
    assert!(delay > 0);
    // it restarts empty under a new member id
    c.members.insert("w4".into(), MemberWork::default());
    c.now += 5_000;
    let out = c.rebalance(&config);
    assert!(out["w4"].assigned.is_empty(), "still waiting: {out:?}");
    assert_eq!(out["w4"].delay_ms, 55_000);
    c.now += 55_000;
    let out = c.rebalance(&config);
    assert_eq!(
        out["w4"].assigned, lost,
        "the candidate takes the lost work"
    );
    assert!(out["w1"].assigned.is_empty() && out["w2"].assigned.is_empty());
}

#[test]
fn a_joining_worker_takes_excess_in_two_rounds_and_kept_work_never_stops() {
    let config = configured(&[("a", 6)]);
    let mut c = Cluster::new(300_000, &["w1", "w2"]);
    c.rebalance(&config);
    assert_eq!(c.counts(), [(1, 3), (0, 3)]);
    let before: BTreeMap<String, Work> = c
        .members
        .iter()
        .map(|(k, v)| (k.clone(), v.work.clone()))
        .collect();
    c.members.insert("w3".into(), MemberWork::default());
    let first = c.rebalance(&config);
    assert!(first["w3"].assigned.is_empty());
    assert_eq!(first["w1"].revoked.tasks.len(), 1);
    assert_eq!(first["w2"].revoked.tasks.len(), 1);
    let second = c.rebalance(&config);
    assert_eq!(second["w3"].assigned.tasks.len(), 2);
    assert_eq!(c.counts(), [(1, 2), (0, 2), (0, 2)]);
    for id in ["w1", "w2"] {
        let kept = before[id].minus(&first[id].revoked);
        assert_eq!(
            kept.minus(&c.members[id].work),
            Work::default(),
            "{id} kept its work"
        );
        assert!(second[id].revoked.is_empty());
    }
    assert_eq!(c.everything(), configured_work(&config));
}

#[test]
fn deleted_and_duplicated_work_is_revoked() {
    let config = configured(&[("a", 2), ("b", 2)]);
    let mut c = Cluster::new(300_000, &["w1", "w2"]);
    c.rebalance(&config);
    let owner = c
        .members
        .iter()
        .find(|(_, m)| m.work.connectors.contains("b"))
        .map(|(k, _)| k.clone())
        .unwrap();
    let out = c.rebalance(&configured(&[("a", 2)]));
    assert!(out[&owner].revoked.connectors.contains("b"));
    assert!(c.everything().tasks.iter().all(|(conn, _)| conn == "a"));

    // both report task a-0 (a zombie came back): both stop it, then one gets it
    c.members
        .get_mut("w1")
        .unwrap()
        .work
        .tasks
        .insert(("a".into(), 0));
    c.members
        .get_mut("w2")
        .unwrap()
        .work
        .tasks
        .insert(("a".into(), 0));
    let out = c.rebalance(&configured(&[("a", 2)]));
    for id in ["w1", "w2"] {
        assert!(
            out[id].revoked.tasks.contains(&("a".to_string(), 0)),
            "{out:?}"
        );
    }
    c.rebalance(&configured(&[("a", 2)]));
    assert_eq!(c.everything(), configured_work(&configured(&[("a", 2)])));
}

#[test]
fn revoking_rounds_in_a_row_back_off() {
    assert_eq!(backoff(1, 300_000), 40);
    assert_eq!(backoff(2, 300_000), 1_600);
    assert_eq!(backoff(3, 300_000), 64_000);
    assert!(backoff(4, 300_000) >= 299_999);
    assert_eq!(backoff(7, 0), 0);

    let config = configured(&[("a", 6)]);
    let mut c = Cluster::new(300_000, &["w1"]);
    c.rebalance(&config);
    c.members.insert("w2".into(), MemberWork::default());
    let first = c.rebalance(&config);
    assert_eq!(first["w1"].revoked.tasks.len(), 3);
    // a third worker arrives as the freed tasks are handed out: w1 holds one too many, but
    // revoking again right after a revoking round waits 40 ms
    c.members.insert("w3".into(), MemberWork::default());
    let second = c.rebalance(&config);
    assert!(second.values().all(|a| a.revoked.is_empty()), "{second:?}");
    assert_eq!(second["w1"].delay_ms, 40);
    assert_eq!(c.everything(), configured_work(&config));
    c.now += 40;
    let third = c.rebalance(&config);
    assert_eq!(third["w1"].revoked.tasks.len(), 1, "{third:?}");
    c.rebalance(&config);
    assert_eq!(c.counts(), [(1, 2), (0, 2), (0, 2)]);
    assert_eq!(c.everything(), configured_work(&config));
}

#[test]
fn a_new_leader_starts_from_what_members_report() {
    let config = configured(&[("a", 2)]);
    let mut c = Cluster::new(300_000, &["w1", "w2"]);
    c.rebalance(&config);
    let kept: Vec<Work> = c.members.values().map(|m| m.work.clone()).collect();
    // the leader's state is gone: a fresh assignor sees a generation it did not complete
    c.assignor = IncrementalAssignor::new(Duration::from_secs(300));
    let out = c.rebalance(&config);
    assert!(out
        .values()
        .all(|a| a.assigned.is_empty() && a.revoked.is_empty()));
    assert_eq!(
        c.members
            .values()
            .map(|m| m.work.clone())
            .collect::<Vec<_>>(),
        kept
    );
}

#[test]
fn the_eager_assignor_deals_connectors_then_tasks_round_robin() {
    let out = eager_assign(
        &configured(&[("b", 2), ("a", 1)]),
        &["w2".to_string(), "w1".to_string()],
    );
    assert_eq!(
        out["w1"].connectors.iter().collect::<Vec<_>>(),
        ["a"],
        "connectors by name over members by id"
    );
    assert_eq!(out["w2"].connectors.iter().collect::<Vec<_>>(), ["b"]);
    // tasks continue the rotation: a-0 → w1, b-0 → w2, b-1 → w1
    assert_eq!(
        out["w1"].tasks.iter().cloned().collect::<Vec<_>>(),
        [("a".to_string(), 0), ("b".to_string(), 1)]
    );
    assert_eq!(
        out["w2"].tasks.iter().cloned().collect::<Vec<_>>(),
        [("b".to_string(), 0)]
    );
}
