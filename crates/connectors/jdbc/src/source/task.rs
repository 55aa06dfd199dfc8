//! `JdbcSourceTask`: runs the queriers of its tables (or the custom query) one at a time,
//! each at most every `poll.interval.ms`, and hands out at most `batch.max.rows` records per
//! poll.

use std::time::Duration;

use async_trait::async_trait;
use connect_api::plugin::{ConfigMap, SourceTask, SourceTaskContext};
use connect_api::{ConnectError, Result, SourceRecord, Value};
use tokio::time::Instant;

use crate::db::catalog::{parse_table_id, split_table_list, TableId};
use crate::db::{classify, Db};
use crate::schema::{record_schema, ColumnInfo};
use crate::source::config::{Mode, SourceConfig, TABLES_CONFIG, TABLES_FETCHED_CONFIG};
use crate::source::querier::{build_sql, Offset, Plan, Querier, QuerySpec, Target};

/// The longest a poll waits for a querier to be due (the worker stays responsive).
const MAX_IDLE: Duration = Duration::from_secs(1);

/// Confluent's `JdbcSourceTask`.
#[derive(Default)]
pub struct JdbcSourceTask {
    config: Option<SourceConfig>,
    db: Option<Db>,
    queriers: Vec<Querier>,
    /// Failed queries in a row (`query.retry.attempts`).
    failures: i32,
    /// Set when the task has nothing to read (tables not listed yet).
    idle: bool,
}

fn string(s: &str) -> Value {
    Value::String(s.to_string())
}

impl JdbcSourceTask {
    async fn plan_table(
        &self,
        db: &Db,
        cfg: &SourceConfig,
        table: &TableId,
        first: bool,
    ) -> Result<Querier> {
        let dialect = db.dialect();
        let columns = db
            .describe(table)
            .await
            .map_err(|e| classify(format!("Cannot read the columns of table {table}"), e))?;
        if columns.is_empty() {
            return Err(ConnectError::other(format!(
                "Table {table} was not found, or has no columns the user can read"
            )));
        }
        let find = |name: &str| {
            columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name))
        };
        let (mut incrementing_column, timestamp_columns) = cfg.offset_columns(table)?;
        if cfg.mode.uses_incrementing() && incrementing_column.is_empty() {
            match columns.iter().find(|c| c.auto_increment) {
                Some(c) => incrementing_column = c.name.clone(),
                None => {
                    return Err(ConnectError::config(
                        "incrementing.column.name",
                        "",
                        format!(
                            "table {table} has no auto-increment column to detect: name the \
incrementing column"
                        ),
                    ))
                }
            }
        }
        let incrementing = if cfg.mode.uses_incrementing() {
            match find(&incrementing_column) {
                Some(i) => Some(i),
                None if first => {
                    return Err(ConnectError::config(
                        "incrementing.column.name",
                        &incrementing_column,
                        format!("Incrementing column: {incrementing_column} does not exist in table {table}."),
                    ))
                }
                None => {
                    return Err(ConnectError::other(format!(
                        "Incrementing column {incrementing_column} not found in table {table}"
                    )))
                }
            }
        } else {
            None
        };
        let mut timestamps = Vec::new();
        if cfg.mode.uses_timestamp() {
            let missing: Vec<&str> = timestamp_columns
                .iter()
                .filter(|c| find(c).is_none())
                .map(String::as_str)
                .collect();
            if !missing.is_empty() {
                return Err(ConnectError::config(
                    "timestamp.column.name",
                    timestamp_columns.join(","),
                    format!(
                        "Timestamp columns: {} do not exist in table {table}.",
                        missing.join(", ")
                    ),
                ));
            }
            timestamps = timestamp_columns.iter().filter_map(|c| find(c)).collect();
        }
        let quoted = table.sql(dialect, crate::dialect::Quoting::Always);
        if cfg.validate_non_null {
            if let Some(i) = incrementing {
                if columns[i].nullable {
                    return Err(ConnectError::other(format!(
                        "Cannot make incremental queries using incrementing column \
{incrementing_column} on {quoted} because this column is nullable."
                    )));
                }
            }
            if !timestamps.is_empty() && timestamps.iter().all(|&i| columns[i].nullable) {
                return Err(ConnectError::other(format!(
                    "Cannot make incremental queries using timestamp columns {} on {quoted} \
because all of these columns are nullable.",
                    timestamp_columns.join(",")
                )));
            }
        }
        let infos: Vec<ColumnInfo> = columns.iter().map(|c| c.info()).collect();
        let (schema, convs) = record_schema(
            dialect,
            Some(&table.name),
            &infos,
            cfg.numeric_mapping,
            cfg.granularity,
        );
        let spec = self.query_spec(cfg, incrementing_column, timestamp_columns);
        let target = Target::Table(table.clone());
        let sql = build_sql(dialect, &target, &spec);
        let topic = format!("{}{}", cfg.topic_prefix, table.name);
        let partition = partition_of(table, cfg.mode);
        // the legacy (protocol 0) partition, read when no protocol 1 offset is stored
        let legacy = (cfg.mode != Mode::Bulk)
            .then(|| Value::Map(vec![(string("table"), string(&table.name))]));
        Ok(Querier::new(
            target,
            spec,
            sql,
            topic.into(),
            partition,
            Plan {
                schema,
                convs,
                incrementing,
                timestamps,
            },
            Offset::default(),
        )
        .with_legacy_partition(legacy))
    }

    async fn plan_query(&self, db: &Db, cfg: &SourceConfig) -> Result<Querier> {
        let what = if cfg.query_masked {
            "the masked query".to_string()
        } else {
            format!("query '{}'", cfg.query)
        };
        let columns = db
            .describe_query(&cfg.query)
            .await
            .map_err(|e| classify(format!("Cannot prepare {what}"), e))?;
        let find = |name: &str| {
            columns
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(name))
        };
        let incrementing = if cfg.mode.uses_incrementing() {
            Some(find(&cfg.incrementing_column).ok_or_else(|| {
                ConnectError::config(
                    "incrementing.column.name",
                    &cfg.incrementing_column,
                    format!(
                        "Incrementing column: {} is not a column of {what}.",
                        cfg.incrementing_column
                    ),
                )
            })?)
        } else {
            None
        };
        let timestamps = cfg
            .timestamp_columns
            .iter()
            .filter_map(|c| find(c))
            .collect();
        let (schema, convs) = record_schema(
            db.dialect(),
            None,
            &columns,
            cfg.numeric_mapping,
            cfg.granularity,
        );
        let spec = self.query_spec(
            cfg,
            cfg.incrementing_column.clone(),
            cfg.timestamp_columns.clone(),
        );
        let target = Target::Query(cfg.query.clone());
        let sql = build_sql(db.dialect(), &target, &spec);
        Ok(Querier::new(
            target,
            spec,
            sql,
            cfg.topic_prefix.as_str().into(),
            Value::Map(vec![(string("query"), string("query"))]),
            Plan {
                schema,
                convs,
                incrementing,
                timestamps,
            },
            Offset::default(),
        ))
    }

    fn query_spec(
        &self,
        cfg: &SourceConfig,
        incrementing_column: String,
        timestamp_columns: Vec<String>,
    ) -> QuerySpec {
        QuerySpec {
            mode: cfg.mode,
            incrementing_column,
            timestamp_columns,
            suffix: cfg.query_suffix.clone(),
            quoting: cfg.quoting,
            delay: cfg.timestamp_delay,
            timezone: cfg.timezone,
            legacy_calendar: cfg.legacy_calendar,
        }
    }

    /// The querier to run next: the open one, else the one due first.
    fn next(&mut self) -> Option<usize> {
        if let Some(i) = self.queriers.iter().position(Querier::is_running) {
            return Some(i);
        }
        (0..self.queriers.len()).min_by_key(|&i| self.queriers[i].next_due)
    }
}

#[async_trait]
impl SourceTask for JdbcSourceTask {
    async fn start(&mut self, config: &ConfigMap, context: SourceTaskContext) -> Result<()> {
        let cfg = SourceConfig::parse(config)?;
        let tables_text = config.get(TABLES_CONFIG).map(String::as_str).unwrap_or("");
        let fetched = config
            .get(TABLES_FETCHED_CONFIG)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let tables = split_table_list(tables_text);
        if !cfg.is_query_mode() && tables.is_empty() {
            if fetched {
                return Err(ConnectError::config(
                    TABLES_CONFIG,
                    "",
                    "Task is being killed because it was not assigned a table nor a query to \
execute. If run in table mode please make sure that the tables exist on the database. If the \
table does exist on the database, we recommend using the fully qualified table name.",
                ));
            }
            // the connector has not listed the tables yet: idle until it reconfigures us
            self.idle = true;
            self.config = Some(cfg);
            return Ok(());
        }
        if cfg.is_query_mode() && !tables.is_empty() {
            return Err(ConnectError::config(
                TABLES_CONFIG,
                tables_text,
                "Invalid configuration: a JdbcSourceTask cannot have both a table and a query \
assigned to it",
            ));
        }
        let db = Db::connect(&cfg.connection).await?;
        let mut queriers = Vec::new();
        if cfg.is_query_mode() {
            queriers.push(self.plan_query(&db, &cfg).await?);
        } else {
            for (i, text) in tables.iter().enumerate() {
                let id = parse_table_id(text, db.dialect())
                    .map_err(|e| ConnectError::config(TABLES_CONFIG, tables_text, e))?;
                queriers.push(self.plan_table(&db, &cfg, &id, i == 0).await?);
            }
        }
        let initial = match cfg.timestamp_initial {
            Some(-1) => Some(crate::db::rows::epoch_nanos(
                db.current_time().await.map_err(|e| {
                    classify(
                        "Unable to get current time from DB for timestamp.initial=-1",
                        e,
                    )
                })?,
            )),
            Some(ms) => Some(ms.saturating_mul(1_000_000)),
            None => None,
        };
        for q in &mut queriers {
            let stored = match context.offsets.offset(&q.partition)? {
                Some(v) => Some(v),
                None => match q.legacy_partition() {
                    Some(p) => context.offsets.offset(p)?,
                    None => None,
                },
            };
            q.offset = match stored {
                Some(v) if !v.is_null() => Offset::from_value(&v),
                _ => Offset {
                    incrementing: None,
                    timestamp: initial.filter(|_| cfg.mode.uses_timestamp()),
                },
            };
            tracing::info!(
                "JDBC source reads {} into topic {} from offset {:?}",
                match &q.target {
                    Target::Table(t) => format!("table {t}"),
                    Target::Query(_) => "the query".to_string(),
                },
                q.topic,
                q.offset
            );
        }
        self.queriers = queriers;
        self.db = Some(db);
        self.config = Some(cfg);
        Ok(())
    }

    async fn poll(&mut self) -> Result<Vec<SourceRecord>> {
        let mut out = Vec::new();
        self.poll_into(&mut out).await?;
        Ok(out)
    }

    async fn poll_into(&mut self, out: &mut Vec<SourceRecord>) -> Result<()> {
        let (Some(cfg), Some(db)) = (self.config.as_ref(), self.db.as_ref()) else {
            tokio::time::sleep(MAX_IDLE).await;
            return Ok(());
        };
        if self.idle {
            tokio::time::sleep(MAX_IDLE).await;
            return Ok(());
        }
        let (batch, buffer, linger, interval, retries) = (
            cfg.batch_max_rows,
            cfg.buffer_rows(),
            cfg.poll_linger,
            cfg.poll_interval,
            cfg.query_retry_attempts,
        );
        let db = db.clone();
        let Some(i) = self.next() else {
            tokio::time::sleep(MAX_IDLE).await;
            return Ok(());
        };
        let q = &mut self.queriers[i];
        if !q.is_running() {
            let now = Instant::now();
            if q.next_due > now {
                let wait = (q.next_due - now).min(MAX_IDLE);
                tokio::time::sleep(wait).await;
                if q.next_due > Instant::now() {
                    return Ok(());
                }
            }
            if let Err(e) = q.start(&db, buffer).await {
                return self.failed(i, e, interval, retries);
            }
        }
        let q = &mut self.queriers[i];
        match q.read(batch, linger, out).await {
            Ok(exhausted) => {
                self.failures = 0;
                if exhausted {
                    q.next_due = Instant::now() + interval;
                }
                Ok(())
            }
            Err(e) => self.failed(i, e, interval, retries),
        }
    }

    async fn stop(&mut self) -> Result<()> {
        for q in &mut self.queriers {
            q.reset();
        }
        if let Some(db) = self.db.take() {
            db.close().await;
        }
        Ok(())
    }
}

impl JdbcSourceTask {
    /// A failed query: retriable errors wait for the next poll interval (up to
    /// `query.retry.attempts` in a row), others fail the task.
    fn failed(
        &mut self,
        i: usize,
        e: ConnectError,
        interval: Duration,
        retries: i32,
    ) -> Result<()> {
        let q = &mut self.queriers[i];
        q.reset();
        q.next_due = Instant::now() + interval;
        if !e.is_retriable() {
            return Err(e);
        }
        self.failures += 1;
        if retries >= 0 && self.failures > retries {
            return Err(ConnectError::other(format!(
                "Failed to Query table after retries: {e}"
            )));
        }
        tracing::warn!("{e} (retrying after poll.interval.ms)");
        Ok(())
    }
}

/// A table's source partition: `{"protocol":"1","table":<qualified name>}`, or for bulk
/// mode `{"table":<name>}`.
pub fn partition_of(table: &TableId, mode: Mode) -> Value {
    if mode == Mode::Bulk {
        Value::Map(vec![(string("table"), string(&table.name))])
    } else {
        Value::Map(vec![
            (string("protocol"), string("1")),
            (string("table"), string(&table.qualified())),
        ])
    }
}
