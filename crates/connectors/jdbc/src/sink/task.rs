//! `JdbcSinkTask`: writes each `put` in one transaction; a failed statement is retried
//! `max.retries` times `retry.backoff.ms` apart (the worker offers the batch again), then
//! the batch is written record by record and the records that fail are handed to the
//! errant record reporter (the dead letter queue), or the task fails.

use async_trait::async_trait;
use connect_api::plugin::{ConfigMap, SinkTask, SinkTaskContext};
use connect_api::{ConnectError, Result, SinkRecord};

use crate::db::Db;
use crate::sink::config::SinkConfig;
use crate::sink::writer::{WriteError, Writer};

/// Confluent's `JdbcSinkTask`.
#[derive(Default)]
pub struct JdbcSinkTask {
    writer: Option<Writer>,
    context: SinkTaskContext,
    remaining_retries: u32,
    max_retries: u32,
    backoff_ms: i64,
}

#[async_trait]
impl SinkTask for JdbcSinkTask {
    async fn start(&mut self, config: &ConfigMap, context: SinkTaskContext) -> Result<()> {
        let cfg = SinkConfig::parse(config)?;
        let db = Db::connect(&cfg.connection).await?;
        self.max_retries = cfg.max_retries;
        self.remaining_retries = cfg.max_retries;
        self.backoff_ms = i64::try_from(cfg.retry_backoff.as_millis()).unwrap_or(i64::MAX);
        self.writer = Some(Writer::new(cfg, db));
        self.context = context;
        Ok(())
    }

    async fn put(&mut self, records: &[SinkRecord]) -> Result<()> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(ConnectError::other("the JDBC sink task was not started"));
        };
        if records.is_empty() {
            return Ok(());
        }
        let error = match writer.write(records).await {
            Ok(()) => {
                self.remaining_retries = self.max_retries;
                return Ok(());
            }
            Err(WriteError::Fatal(e)) => return Err(e),
            Err(WriteError::Sql(e)) if self.remaining_retries > 0 => {
                self.remaining_retries -= 1;
                tracing::warn!(
                    "Write of {} records failed, remainingRetries={}: {e}",
                    records.len(),
                    self.remaining_retries
                );
                self.context.timeout(self.backoff_ms);
                return Err(ConnectError::retriable(e.to_string()));
            }
            Err(e) => e,
        };
        let Some(reporter) = self.context.errant_record_reporter() else {
            tracing::error!(
                "Failing task after exhausting retries; encountered an exception on last write attempt of {} records",
                records.len()
            );
            return Err(error.into_inner());
        };
        // write each record alone; the ones that fail go to the reporter
        for r in records {
            match writer.write(std::slice::from_ref(r)).await {
                Ok(()) => {}
                Err(WriteError::Fatal(e)) => return Err(e),
                Err(WriteError::Sql(e) | WriteError::Table(e)) => reporter.report(r, e),
            }
        }
        self.remaining_retries = self.max_retries;
        Ok(())
    }

    async fn stop(&mut self) -> Result<()> {
        if let Some(w) = self.writer.take() {
            w.db().close().await;
        }
        Ok(())
    }
}
