//! Error handling of the record path (Kafka's `RetryWithToleranceOperator` and reporters):
//! retriable failures are retried within `errors.retry.timeout` with exponential backoff up
//! to `errors.retry.delay.max.ms`; a record that still fails is skipped under
//! `errors.tolerance=all` (logged when `errors.log.enable`, sent to the dead letter queue when
//! one is set) or fails the task.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use connect_api::{ConnectError, Stage};
use kafka::record::{RawHeader, RawRecord};

use crate::config::{ErrorsConfig, Tolerance};
use crate::dlq::DeadLetterQueue;

/// Kafka's first retry delay (`RetryWithToleranceOperator.RETRIES_DELAY_MIN_MS`).
const RETRY_DELAY_MIN: Duration = Duration::from_millis(300);

/// A record that failed in a stage, with what the reporters need.
#[derive(Debug)]
pub struct Failure<'a> {
    /// The stage.
    pub stage: Stage,
    /// The class that failed (converter or transform).
    pub class: &'a str,
    /// The error.
    pub error: &'a ConnectError,
    /// The record as consumed (sinks).
    pub record: Option<&'a RawRecord>,
    /// What a source task writes to its dead letter queue for the failed record (its
    /// record in Kafka form, see [`crate::dlq::SourceDeadLetters`]).
    pub dead_letter: Option<RawRecord>,
    /// A text form of the record for the error log (sources have no consumed record).
    pub describe: Option<String>,
}

/// The Java exception class Kafka would report for `error`.
pub fn exception_class(error: &ConnectError) -> &'static str {
    match error {
        ConnectError::Data { kind, .. } => kind.java_class(),
        ConnectError::Retriable { .. } => "org.apache.kafka.connect.errors.RetriableException",
        ConnectError::Config(_) => "org.apache.kafka.common.config.ConfigException",
        _ => "org.apache.kafka.connect.errors.ConnectException",
    }
}

/// The error and its causes, as a trace (Ferry has no JVM stack frames to show).
pub fn trace(error: &dyn std::error::Error, class: &str) -> String {
    let mut out = format!("{class}: {error}");
    let mut source = error.source();
    while let Some(cause) = source {
        out.push_str(&format!("\nCaused by: {cause}"));
        source = cause.source();
    }
    out
}

/// The error handler of one task.
#[derive(Debug)]
pub struct ErrorHandler {
    config: ErrorsConfig,
    connector: String,
    task: u32,
    dlq: Option<DeadLetterQueue>,
    /// Records skipped so far.
    pub skipped: u64,
}

impl ErrorHandler {
    /// The handler of task `task` of `connector`.
    pub fn new(
        config: ErrorsConfig,
        connector: &str,
        task: u32,
        dlq: Option<DeadLetterQueue>,
    ) -> Self {
        ErrorHandler {
            config,
            connector: connector.to_string(),
            task,
            dlq,
            skipped: 0,
        }
    }

    /// Waits until every record sent to the dead letter queue was delivered, at most
    /// `timeout`. Called before offsets are committed, so no offset moves past a failed
    /// record whose dead letter could still be lost; an `Err` (the time ran out) means the
    /// commit must be skipped. `Ok` at once when there is no queue.
    pub async fn flush_dlq(&self, timeout: Duration) -> Result<(), ConnectError> {
        let Some(dlq) = &self.dlq else {
            return Ok(());
        };
        let producer = Arc::clone(&dlq.producer);
        tokio::task::spawn_blocking(move || producer.flush(timeout))
            .await
            .map_err(|e| ConnectError::other(e.to_string()))?
    }

    /// Runs `op`, retrying retriable errors within `errors.retry.timeout` (Kafka's backoff:
    /// 300 ms doubling, capped at `errors.retry.delay.max.ms`, never past the deadline).
    pub async fn retry<T>(
        &self,
        op: impl FnMut() -> Result<T, ConnectError>,
    ) -> Result<T, ConnectError> {
        self.retry_when(op, ConnectError::is_retriable).await
    }

    /// [`retry`](Self::retry) for any error type, with `retriable` telling which to retry.
    pub async fn retry_when<T, E: std::fmt::Display>(
        &self,
        mut op: impl FnMut() -> Result<T, E>,
        retriable: impl Fn(&E) -> bool,
    ) -> Result<T, E> {
        let start = Instant::now();
        let mut delay = RETRY_DELAY_MIN;
        loop {
            match op() {
                Err(e) if retriable(&e) => {
                    let elapsed = start.elapsed();
                    let left = match self.config.retry_timeout {
                        None => Duration::MAX,
                        Some(t) => t.saturating_sub(elapsed),
                    };
                    if left.is_zero() {
                        return Err(e);
                    }
                    let wait = delay.min(self.config.retry_delay_max).min(left);
                    tracing::debug!("retriable error, retrying in {wait:?}: {e}");
                    tokio::time::sleep(wait).await;
                    delay = delay.saturating_mul(2);
                }
                other => return other,
            }
        }
    }

    /// Decides about a record that failed for good: `Ok(())` when it is skipped (after the
    /// error log and the dead letter queue saw it), `Err` (Kafka's "Tolerance exceeded in
    /// error handler") when the task must fail. Only data errors are tolerated; errors of
    /// other kinds mean the task cannot go on.
    pub async fn handle(&mut self, failure: Failure<'_>) -> Result<(), ConnectError> {
        if self.config.log_enable {
            let what = match (&failure.record, self.config.log_include_messages) {
                (Some(r), true) => format!(
                    ", where consumed record is {{topic='{}', partition={}, offset={}, key={:?}, value={:?}}}",
                    r.topic,
                    r.partition.unwrap_or(-1),
                    r.offset.unwrap_or(-1),
                    r.key.as_deref().map(String::from_utf8_lossy),
                    r.value.as_deref().map(String::from_utf8_lossy),
                ),
                (Some(r), false) => format!(
                    ", where consumed record is {{topic='{}', partition={}, offset={}}}",
                    r.topic,
                    r.partition.unwrap_or(-1),
                    r.offset.unwrap_or(-1)
                ),
                (None, true) => failure
                    .describe
                    .as_ref()
                    .map(|d| format!(", where source record is = {d}"))
                    .unwrap_or_default(),
                (None, false) => String::new(),
            };
            tracing::error!(
                "Error encountered in task {}-{}. Executing stage '{}' with class '{}'{what}: {}",
                self.connector,
                self.task,
                failure.stage,
                failure.class,
                failure.error
            );
        }
        if self.config.tolerance == Tolerance::None || !failure.error.is_data() {
            return Err(ConnectError::other(format!(
                "Tolerance exceeded in error handler: stage {} ({}) failed: {}",
                failure.stage, failure.class, failure.error
            )));
        }
        self.skipped += 1;
        let record = failure.record.or(failure.dead_letter.as_ref());
        if let (Some(dlq), Some(record)) = (&self.dlq, record) {
            let mut out = RawRecord {
                topic: dlq.topic.clone().into(),
                partition: None,
                offset: None,
                timestamp: record.timestamp,
                timestamp_type: Default::default(),
                key: record.key.clone(),
                value: record.value.clone(),
                headers: record.headers.clone(),
            };
            if dlq.context_headers {
                let class = exception_class(failure.error);
                let mut add = |k: &str, v: String| {
                    out.headers.push(RawHeader {
                        key: format!("__connect.errors.{k}"),
                        value: Some(v.into_bytes()),
                    })
                };
                add("topic", record.topic.to_string());
                add("partition", record.partition.unwrap_or(-1).to_string());
                add("offset", record.offset.unwrap_or(-1).to_string());
                add("connector.name", self.connector.clone());
                add("task.id", self.task.to_string());
                add("stage", failure.stage.name().to_string());
                add("class.name", failure.class.to_string());
                add("exception.class.name", class.to_string());
                add("exception.message", failure.error.to_string());
                add("exception.stacktrace", trace(failure.error, class));
            }
            // the delivery report of a DLQ record only matters at the next commit, which
            // flushes this producer first
            dlq.producer.send(&out, 0).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn handler(tolerance: Tolerance, retry: Option<Duration>) -> ErrorHandler {
        ErrorHandler::new(
            ErrorsConfig {
                retry_timeout: retry,
                retry_delay_max: Duration::from_millis(1000),
                tolerance,
                log_enable: true,
                log_include_messages: true,
            },
            "c",
            0,
            None,
        )
    }

    #[tokio::test(start_paused = true)]
    async fn retries_retriable_errors_until_the_timeout() {
        let h = handler(Tolerance::None, Some(Duration::from_secs(2)));
        let mut calls = 0;
        let start = tokio::time::Instant::now();
        let r: Result<(), _> = h
            .retry(|| {
                calls += 1;
                Err(ConnectError::retriable("busy"))
            })
            .await;
        assert!(r.unwrap_err().is_retriable());
        // 300 + 600 + 1000 (capped) + 100 (deadline) ms
        assert_eq!(calls, 5);
        assert_eq!(start.elapsed(), Duration::from_secs(2));
        let mut n = 0;
        let ok = h
            .retry(|| {
                n += 1;
                if n < 3 {
                    Err(ConnectError::retriable("busy"))
                } else {
                    Ok(n)
                }
            })
            .await
            .unwrap();
        assert_eq!(ok, 3);
        // no retry for other errors, nor with a zero timeout
        let h0 = handler(Tolerance::None, Some(Duration::ZERO));
        let mut c0 = 0;
        let _ = h0
            .retry(|| -> Result<(), ConnectError> {
                c0 += 1;
                Err(ConnectError::retriable("x"))
            })
            .await;
        assert_eq!(c0, 1);
    }

    #[tokio::test]
    async fn tolerance_decides_about_data_errors_only() {
        let data = ConnectError::data("bad json");
        let other = ConnectError::other("broken");
        let failure = |e| Failure {
            stage: Stage::ValueConverter,
            class: "JsonConverter",
            error: e,
            record: None,
            describe: Some("x".into()),
            dead_letter: None,
        };
        let mut all = handler(Tolerance::All, Some(Duration::ZERO));
        all.handle(failure(&data)).await.unwrap();
        assert_eq!(all.skipped, 1);
        let err = all.handle(failure(&other)).await.unwrap_err().to_string();
        assert!(err.contains("Tolerance exceeded"), "{err}");
        let mut none = handler(Tolerance::None, Some(Duration::ZERO));
        let err = none.handle(failure(&data)).await.unwrap_err().to_string();
        assert!(
            err.contains("VALUE_CONVERTER") && err.contains("bad json"),
            "{err}"
        );
    }

    #[test]
    fn traces_name_the_java_class_and_causes() {
        let e = ConnectError::data_with("outer", std::io::Error::other("inner"));
        assert_eq!(
            trace(&e, exception_class(&e)),
            "org.apache.kafka.connect.errors.DataException: outer\nCaused by: inner"
        );
    }
}
