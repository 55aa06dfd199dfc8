//! Group membership with protocol type `connect` (join, sync, heartbeat, leave) against the
//! script-started broker, and a join given up midway on the embedded broker (librdkafka's
//! mock cluster, which holds a join for seconds; the distributed end-to-end test runs a
//! worker cluster on it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use bytes::Bytes;
use kafka::group_member::{Beat, GroupMember, GroupSettings, Joined, Leading, Member, Protocol};

fn settings(bootstrap: &str, group: &str, client: &str) -> GroupSettings {
    GroupSettings {
        bootstrap: bootstrap.split(',').map(str::to_string).collect(),
        group_id: group.to_string(),
        client_id: client.to_string(),
        protocol_type: "connect".to_string(),
        session_timeout: Duration::from_secs(10),
        rebalance_timeout: Duration::from_secs(20),
        request_timeout: Duration::from_secs(10),
        retry_backoff: Duration::from_millis(100),
    }
}

fn protocols(url: &str) -> Vec<Protocol> {
    ["sessioned", "compatible", "default"]
        .iter()
        .map(|name| Protocol {
            name: name.to_string(),
            metadata: Bytes::from(format!("{name}@{url}")),
        })
        .collect()
}

/// Joins; as the leader, hands each member the metadata it sent, reversed, and records
/// the members it saw.
async fn join(member: &mut GroupMember, url: &str, seen: &mut Vec<Member>) -> Joined {
    let mut assign = |leading: Leading<'_>| {
        let members = leading.members;
        seen.clear();
        seen.extend_from_slice(members);
        members
            .iter()
            .map(|m| {
                let mut bytes = m.metadata.to_vec();
                bytes.reverse();
                (m.member_id.clone(), Bytes::from(bytes))
            })
            .collect()
    };
    member.join(&protocols(url), &mut assign).await.unwrap()
}

fn reversed(text: &str) -> Bytes {
    Bytes::from(text.bytes().rev().collect::<Vec<u8>>())
}

async fn two_members_share_a_generation_and_rebalance_on_join_and_leave(bootstrap: &str) {
    let group = common::unique("kafka-group");
    let mut a = GroupMember::new(settings(bootstrap, &group, "worker-a"));
    let mut seen = Vec::new();
    let alone = join(&mut a, "http://a", &mut seen).await;
    assert_eq!(alone.leader_id, alone.member_id, "a lone member leads");
    assert_eq!(
        alone.protocol, "sessioned",
        "the first protocol both prefer"
    );
    assert_eq!(alone.assignment, reversed("sessioned@http://a"));
    assert_eq!(seen.len(), 1);
    assert_eq!(a.heartbeat().await.unwrap(), Beat::Stable);

    // b joins: the coordinator holds b's join until a rejoins, which a learns by heartbeat
    let mut b = GroupMember::new(settings(bootstrap, &group, "worker-b"));
    let b_join = tokio::spawn(async move {
        let mut seen = Vec::new();
        let joined = join(&mut b, "http://b", &mut seen).await;
        (b, joined, seen)
    });
    let mut beat = Beat::Stable;
    for _ in 0..100 {
        beat = a.heartbeat().await.unwrap();
        if beat == Beat::Rejoin {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(beat, Beat::Rejoin, "a hears of the rebalance");
    let mut a_seen = Vec::new();
    let a_joined = join(&mut a, "http://a", &mut a_seen).await;
    let (mut b, b_joined, b_seen) = b_join.await.unwrap();
    assert_eq!(a_joined.generation, b_joined.generation);
    assert!(a_joined.generation > alone.generation);
    assert_eq!(a_joined.leader_id, b_joined.leader_id);
    let leader_saw = if a_joined.leader_id == a_joined.member_id {
        a_seen
    } else {
        b_seen
    };
    let mut urls: Vec<&[u8]> = leader_saw.iter().map(|m| m.metadata.as_ref()).collect();
    urls.sort();
    assert_eq!(
        urls,
        [
            b"sessioned@http://a".as_ref(),
            b"sessioned@http://b".as_ref()
        ],
        "the leader sees both members' metadata of the chosen protocol"
    );
    assert_eq!(a_joined.assignment, reversed("sessioned@http://a"));
    assert_eq!(b_joined.assignment, reversed("sessioned@http://b"));
    assert_eq!(b.heartbeat().await.unwrap(), Beat::Stable);

    // b leaves: a rebalances alone
    b.leave().await.unwrap();
    assert_eq!(b.member_id(), "");
    let mut beat = Beat::Stable;
    for _ in 0..100 {
        beat = a.heartbeat().await.unwrap();
        if beat == Beat::Rejoin {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(beat, Beat::Rejoin, "a hears that b left");
    let again = join(&mut a, "http://a", &mut seen).await;
    assert_eq!(again.leader_id, again.member_id);
    assert_eq!(seen.len(), 1, "only a is left");
    a.leave().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_join_sync_and_leave_on_the_script_broker() {
    let Some(bootstrap) =
        testkit::services::kafka_bootstrap("members_join_sync_and_leave_on_the_script_broker")
    else {
        return;
    };
    two_members_share_a_generation_and_rebalance_on_join_and_leave(&bootstrap).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_broker_is_a_retriable_error_naming_it() {
    let mut s = settings("127.0.0.1:1", "g", "c");
    s.rebalance_timeout = Duration::from_millis(300);
    let mut member = GroupMember::new(s);
    let mut assign = |_: Leading<'_>| Vec::new();
    let e = member
        .join(&protocols("http://x"), &mut assign)
        .await
        .unwrap_err();
    assert!(e.is_retriable(), "{e}");
    assert!(e.to_string().contains("127.0.0.1:1"), "{e}");
}

/// A join abandoned while the coordinator holds it (the worker stopping mid-rebalance)
/// leaves its answer due on the connection; the leave that follows must not read it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_that_gave_up_a_join_midway_still_leaves() {
    let broker = kafka::embedded::EmbeddedBroker::start().unwrap();
    let bootstrap = broker.bootstrap_servers().to_string();
    let group = common::unique("kafka-group-cancel");
    // the mock holds a rebalance for the session timeout less a second
    let short = |client| GroupSettings {
        session_timeout: Duration::from_secs(4),
        ..settings(&bootstrap, &group, client)
    };
    let mut a = GroupMember::new(short("worker-a"));
    join(&mut a, "http://a", &mut Vec::new()).await;
    // b joins (a rejoins for it), so both hold member ids
    let mut b = GroupMember::new(short("worker-b"));
    let b_join = tokio::spawn(async move {
        join(&mut b, "http://b", &mut Vec::new()).await;
        b
    });
    while a.heartbeat().await.unwrap() == Beat::Stable {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    join(&mut a, "http://a", &mut Vec::new()).await;
    let mut b = b_join.await.unwrap();
    assert!(!b.member_id().is_empty());
    // a rejoins, which starts a rebalance; b's rejoin is given up while it is held
    let a_join = tokio::spawn(async move {
        let mut seen = Vec::new();
        join(&mut a, "http://a", &mut seen).await;
        seen
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut assign = |_: Leading<'_>| Vec::new();
    let gave_up = tokio::time::timeout(
        Duration::from_secs(1),
        b.join(&protocols("http://b"), &mut assign),
    )
    .await;
    assert!(
        gave_up.is_err(),
        "the coordinator held b's join: {gave_up:?}"
    );
    tokio::time::timeout(Duration::from_secs(5), b.leave())
        .await
        .expect("the leave is answered at once")
        .unwrap();
    assert_eq!(b.member_id(), "");
    let seen = a_join.await.unwrap();
    assert_eq!(seen.len(), 1, "b is gone from the generation a forms");
}
