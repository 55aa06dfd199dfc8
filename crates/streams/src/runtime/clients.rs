//! The Kafka clients of a stream thread, configured as Kafka Streams configures them: the main
//! consumer in the application's group, a restore consumer outside any group, and one producer
//! per thread (transactional under exactly-once).

use std::collections::BTreeMap;

use kafka::config::{create_checked, to_rdkafka, PROMPT_FETCH};
use kafka::rdkafka::ClientConfig;

use crate::config::StreamsConfig;
use crate::error::{Result, StreamsError};

/// Fetches as a Java consumer does unless the user says otherwise: see
/// [`kafka::config::PROMPT_FETCH`].
fn prompt_fetch(settings: &mut BTreeMap<String, String>) {
    for (k, v) in PROMPT_FETCH {
        settings.entry(k.into()).or_insert_with(|| v.into());
    }
}

fn client(settings: BTreeMap<String, String>) -> Result<ClientConfig> {
    to_rdkafka(&settings).map_err(|e| StreamsError::kafka(e.to_string(), false))
}

/// The main consumer: `group.id` = `application.id`, no auto-commit, Streams' offset reset,
/// prompt fetching, `read_committed` under exactly-once. `cooperative` picks
/// cooperative-sticky assignment; otherwise range, which keeps equal partitions of
/// co-partitioned topics on one member.
pub(crate) fn main_consumer(
    config: &StreamsConfig,
    thread: usize,
    cooperative: bool,
) -> Result<ClientConfig> {
    let mut s = config.client_settings(&["consumer.", "main.consumer."]);
    prompt_fetch(&mut s);
    s.insert("group.id".into(), config.application_id.clone());
    s.insert(
        "client.id".into(),
        format!("{}-StreamThread-{}-consumer", config.client_id, thread + 1),
    );
    s.insert("enable.auto.commit".into(), "false".into());
    s.insert(
        "auto.offset.reset".into(),
        config.auto_offset_reset.as_str().into(),
    );
    s.entry("enable.auto.offset.store".into())
        .or_insert_with(|| "false".into());
    s.insert(
        "partition.assignment.strategy".into(),
        if cooperative {
            "cooperative-sticky"
        } else {
            "range"
        }
        .into(),
    );
    if config.exactly_once() {
        s.insert("isolation.level".into(), "read_committed".into());
    }
    client(s)
}

/// A consumer outside the group, for changelogs and global topics.
pub(crate) fn restore_consumer(config: &StreamsConfig, name: &str) -> Result<ClientConfig> {
    let mut s = config.client_settings(&["consumer.", "restore.consumer."]);
    prompt_fetch(&mut s);
    s.insert(
        "group.id".into(),
        format!("{}-{name}", config.application_id),
    );
    s.insert("client.id".into(), format!("{}-{name}", config.client_id));
    s.insert("enable.auto.commit".into(), "false".into());
    s.insert("auto.offset.reset".into(), "earliest".into());
    if config.exactly_once() {
        s.insert("isolation.level".into(), "read_committed".into());
    }
    client(s)
}

/// The thread's producer: `linger.ms=100` unless set, Java's partitioner (murmur2 of the
/// key), and under exactly-once a transactional id `<application.id>-<process id>-<thread>`.
pub(crate) fn producer(
    config: &StreamsConfig,
    thread: usize,
    process_id: &str,
) -> Result<ClientConfig> {
    let mut s = config.client_settings(&["producer."]);
    s.insert(
        "client.id".into(),
        format!("{}-StreamThread-{}-producer", config.client_id, thread + 1),
    );
    s.entry("linger.ms".into()).or_insert_with(|| "100".into());
    s.insert("partitioner".into(), "murmur2_random".into());
    // the thread needs to hear of failures only (it learns changelog ends from the broker)
    s.insert("delivery.report.only.error".into(), "true".into());
    if config.exactly_once() {
        s.insert(
            "transactional.id".into(),
            format!("{}-{process_id}-{}", config.application_id, thread + 1),
        );
        s.insert("enable.idempotence".into(), "true".into());
        s.entry("transaction.timeout.ms".into())
            .or_insert_with(|| "10000".into());
    }
    client(s)
}

/// Creates a client, dropping keys librdkafka does not know (with a warning).
pub(crate) fn create<T>(config: &ClientConfig, what: &str) -> Result<T>
where
    T: kafka::rdkafka::config::FromClientConfig,
{
    create_checked(config, |c| c.create::<T>())
        .map_err(|e| StreamsError::kafka(format!("could not create the {what}: {e}"), false))
}

/// Creates a client with a context.
pub(crate) fn create_with<T, C>(config: &ClientConfig, context: C, what: &str) -> Result<T>
where
    C: kafka::rdkafka::ClientContext + Clone,
    T: kafka::rdkafka::config::FromClientConfigAndContext<C>,
{
    create_checked(config, |c| c.create_with_context::<C, T>(context.clone()))
        .map_err(|e| StreamsError::kafka(format!("could not create the {what}: {e}"), false))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn config(extra: &[(&'static str, &'static str)]) -> StreamsConfig {
        let mut pairs = vec![
            ("application.id", "app"),
            ("bootstrap.servers", "127.0.0.1:9"),
        ];
        pairs.extend_from_slice(extra);
        StreamsConfig::from_pairs(pairs).unwrap()
    }

    #[test]
    fn consumers_fetch_promptly_unless_told_otherwise() {
        let c = config(&[]);
        for client in [
            main_consumer(&c, 0, true).unwrap(),
            restore_consumer(&c, "r").unwrap(),
        ] {
            assert_eq!(client.get("fetch.queue.backoff.ms"), Some("1"));
            assert_eq!(client.get("queued.max.messages.kbytes"), Some("1024"));
        }
        let c = config(&[
            ("consumer.fetch.queue.backoff.ms", "50"),
            ("restore.consumer.queued.max.messages.kbytes", "4096"),
        ]);
        let main = main_consumer(&c, 0, true).unwrap();
        assert_eq!(main.get("fetch.queue.backoff.ms"), Some("50"));
        assert_eq!(main.get("queued.max.messages.kbytes"), Some("1024"));
        let restore = restore_consumer(&c, "r").unwrap();
        assert_eq!(restore.get("queued.max.messages.kbytes"), Some("4096"));
    }
}
