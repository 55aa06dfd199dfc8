//! Restoring a task's stores from their changelogs before it processes anything, and filling
//! global stores from their topics.

use std::time::{Duration, Instant};

use kafka::rdkafka::consumer::{BaseConsumer, Consumer};
use kafka::rdkafka::message::Message;
use kafka::rdkafka::{Offset, TopicPartitionList};

use crate::error::{Result, StreamsError};
use crate::task::Task;

const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

fn kafka_err(what: &str, e: impl std::fmt::Display) -> StreamsError {
    StreamsError::kafka(format!("{what}: {e}"), true)
}

/// Reads `topic`/`partition` from `from` to its end, handing each record to `apply`. Gives up
/// after `timeout` without progress.
pub(crate) fn read_to_end(
    consumer: &BaseConsumer,
    topic: &str,
    partition: i32,
    from: Offset,
    timeout: Duration,
    mut apply: impl FnMut(Option<&[u8]>, Option<&[u8]>, i64, i64),
) -> Result<u64> {
    let (low, high) = consumer
        .fetch_watermarks(topic, partition, METADATA_TIMEOUT)
        .map_err(|e| {
            kafka_err(
                &format!("could not read the end offset of {topic}-{partition}"),
                e,
            )
        })?;
    let start = match from {
        Offset::Offset(o) => o.max(low),
        _ => low,
    };
    if high <= start {
        return Ok(0);
    }
    let mut list = TopicPartitionList::new();
    list.add_partition_offset(topic, partition, Offset::Offset(start))
        .map_err(|e| kafka_err("could not assign the restore consumer", e))?;
    consumer
        .assign(&list)
        .map_err(|e| kafka_err("could not assign the restore consumer", e))?;
    let mut applied = 0;
    let mut last_progress = Instant::now();
    loop {
        match consumer.poll(Duration::from_millis(100)) {
            Some(Ok(m)) => {
                last_progress = Instant::now();
                let ts = m.timestamp().to_millis().unwrap_or(0);
                apply(m.key(), m.payload(), ts, m.offset());
                applied += 1;
                if m.offset() + 1 >= high {
                    break;
                }
            }
            Some(Err(e)) => {
                return Err(kafka_err(&format!("could not read {topic}-{partition}"), e))
            }
            None => {
                let position = consumer.position().ok().and_then(|p| {
                    p.find_partition(topic, partition)
                        .and_then(|e| e.offset().to_raw())
                });
                if position.is_some_and(|p| p >= high) {
                    break;
                }
                if last_progress.elapsed() > timeout {
                    return Err(StreamsError::kafka(
                        format!("timed out reading {topic}-{partition} up to offset {high}"),
                        true,
                    ));
                }
            }
        }
    }
    consumer
        .unassign()
        .map_err(|e| kafka_err("could not unassign the restore consumer", e))?;
    Ok(applied)
}

/// Replays every changelog of `task` into its stores.
pub(crate) fn restore_task(
    task: &mut Task,
    consumer: &BaseConsumer,
    timeout: Duration,
) -> Result<()> {
    let partition = task.id.partition;
    for (store, topic) in task.changelogs.clone() {
        let started = Instant::now();
        let from = task
            .checkpoint(&store)
            .map_or(Offset::Beginning, Offset::Offset);
        let n = read_to_end(
            consumer,
            &topic,
            partition,
            from,
            timeout,
            |k, v, ts, offset| {
                if let Some(k) = k {
                    task.restore(&store, k.to_vec(), v.map(<[u8]>::to_vec), ts, offset);
                }
            },
        )?;
        if n > 0 {
            tracing::info!(
                "task {}: restored {n} records of store {store} from {topic} in {} ms",
                task.id,
                started.elapsed().as_millis()
            );
        }
    }
    Ok(())
}
