//! One table (or the custom query) of a source task: the SQL each mode runs, the rows read
//! from it, and the offsets they carry (Confluent's `TableQuerier`s).
//!
//! A query's rows are streamed by a tokio task of their own into a channel bounded by
//! `batch.max.rows`, so a result larger than a poll stays open between polls (as the JDBC
//! result set does) without being held in memory at once.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use connect_api::{
    ConnectError, Headers, Record, Result, Schema, SchemaAndValue, SourceMeta, SourceRecord,
    Struct, Topic, Value,
};
use futures_util::TryStreamExt;
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::common::DbTimezone;
use crate::db::catalog::TableId;
use crate::db::rows::{self, Conv};
use crate::db::{classify, Db};
use crate::dialect::{Dialect, Quoting};
use crate::source::config::Mode;

/// Offset keys (Confluent's `TimestampIncrementingOffset`).
pub const INCREMENTING_FIELD: &str = "incrementing";
/// Offset key: epoch milliseconds.
pub const TIMESTAMP_FIELD: &str = "timestamp";
/// Offset key: nanoseconds of the second.
pub const TIMESTAMP_NANOS_FIELD: &str = "timestamp_nanos";

/// What the querier reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A whole table.
    Table(TableId),
    /// The custom query.
    Query(String),
}

/// The position of a querier: the last incrementing value and timestamp read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Offset {
    /// The last incrementing value (`None`: none yet, read from -1).
    pub incrementing: Option<i64>,
    /// The last timestamp, epoch nanoseconds (`None`: none yet, read from the epoch).
    pub timestamp: Option<i64>,
}

impl Offset {
    /// The offset map, keys in the order Java's `HashMap` gives them.
    pub fn to_value(self) -> Value {
        let mut entries = Vec::with_capacity(3);
        if let Some(ts) = self.timestamp {
            entries.push((
                Value::String(TIMESTAMP_NANOS_FIELD.into()),
                Value::Int64(ts.rem_euclid(1_000_000_000)),
            ));
        }
        if let Some(inc) = self.incrementing {
            entries.push((Value::String(INCREMENTING_FIELD.into()), Value::Int64(inc)));
        }
        if let Some(ts) = self.timestamp {
            entries.push((
                Value::String(TIMESTAMP_FIELD.into()),
                Value::Int64(ts.div_euclid(1_000_000)),
            ));
        }
        Value::Map(entries)
    }

    /// Reads a stored offset map (any key order; missing keys stay `None`).
    pub fn from_value(v: &Value) -> Offset {
        let get = |name: &str| match v {
            Value::Map(entries) => entries.iter().find_map(|(k, v)| match (k, v) {
                (Value::String(k), v) if k == name => as_i64(v),
                _ => None,
            }),
            _ => None,
        };
        let timestamp = get(TIMESTAMP_FIELD).map(|ms| {
            let base = ms.div_euclid(1000) * 1_000_000_000;
            match get(TIMESTAMP_NANOS_FIELD) {
                Some(nanos) => base + nanos,
                None => base + ms.rem_euclid(1000) * 1_000_000,
            }
        });
        Offset {
            incrementing: get(INCREMENTING_FIELD),
            timestamp,
        }
    }
}

fn as_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Int8(x) => Some(i64::from(*x)),
        Value::Int16(x) => Some(i64::from(*x)),
        Value::Int32(x) => Some(i64::from(*x)),
        Value::Int64(x) => Some(*x),
        _ => None,
    }
}

/// What a querier needs to know about its table's columns.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The record schema.
    pub schema: Schema,
    /// How each field is read: (result column, conversion).
    pub convs: Vec<(usize, Conv)>,
    /// The incrementing column's result index (modes that use one).
    pub incrementing: Option<usize>,
    /// The timestamp columns' result indexes, in `timestamp.column.name` order.
    pub timestamps: Vec<usize>,
}

/// The SQL-level settings of a querier.
#[derive(Debug, Clone)]
pub struct QuerySpec {
    /// The mode.
    pub mode: Mode,
    /// The incrementing column.
    pub incrementing_column: String,
    /// The timestamp columns.
    pub timestamp_columns: Vec<String>,
    /// `query.suffix`.
    pub suffix: String,
    /// `quote.sql.identifiers`.
    pub quoting: Quoting,
    /// `timestamp.delay.interval.ms`.
    pub delay: std::time::Duration,
    /// `db.timezone`.
    pub timezone: DbTimezone,
    /// `date.calendar.system=LEGACY`.
    pub legacy_calendar: bool,
}

/// A bind parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// An incrementing value.
    Long(i64),
    /// A timestamp as wall-clock time in `db.timezone`.
    Timestamp(NaiveDateTime),
}

/// The statement a mode runs, as Confluent's `TimestampIncrementingCriteria` builds it:
/// columns are qualified with the table in table mode; several timestamp columns are read
/// through `COALESCE`.
pub fn build_sql(dialect: Dialect, target: &Target, spec: &QuerySpec) -> String {
    let q = spec.quoting;
    let (mut sql, qualifier) = match target {
        Target::Table(t) => {
            let name = t.sql(dialect, q);
            (format!("SELECT * FROM {name}"), Some(name))
        }
        Target::Query(query) => (query.trim().to_string(), None),
    };
    let col = |c: &str| match &qualifier {
        Some(t) => format!("{t}.{}", dialect.ident(c, q)),
        None => dialect.ident(c, q),
    };
    let ts = || {
        if spec.timestamp_columns.len() == 1 {
            col(&spec.timestamp_columns[0])
        } else {
            let cols: Vec<String> = spec.timestamp_columns.iter().map(|c| col(c)).collect();
            format!("COALESCE({})", cols.join(","))
        }
    };
    let mut n = 0;
    let mut p = || {
        n += 1;
        dialect.placeholder(n)
    };
    match spec.mode {
        Mode::Bulk => {}
        Mode::Incrementing => {
            let inc = col(&spec.incrementing_column);
            sql.push_str(&format!(" WHERE {inc} > {} ORDER BY {inc} ASC", p()));
        }
        Mode::Timestamp => {
            let ts = ts();
            let (a, b) = (p(), p());
            sql.push_str(&format!(
                " WHERE {ts} > {a} AND {ts} < {b} ORDER BY {ts} ASC"
            ));
        }
        Mode::TimestampIncrementing => {
            let ts = ts();
            let inc = col(&spec.incrementing_column);
            let (a, b, c, d) = (p(), p(), p(), p());
            sql.push_str(&format!(
                " WHERE {ts} < {a} AND (({ts} = {b} AND {inc} > {c}) OR {ts} > {d}) ORDER BY {ts},{inc} ASC"
            ));
        }
    }
    if !spec.suffix.is_empty() {
        sql.push(' ');
        sql.push_str(&spec.suffix);
    }
    sql
}

/// The parameters of one execution: from the offset and the end of the timestamp window.
pub fn build_params(spec: &QuerySpec, offset: Offset, end: DateTime<Utc>) -> Vec<Param> {
    let begin = offset
        .timestamp
        .map(DateTime::from_timestamp_nanos)
        .unwrap_or(DateTime::UNIX_EPOCH);
    let local = |t: DateTime<Utc>| Param::Timestamp(spec.timezone.to_local(t));
    let inc = Param::Long(offset.incrementing.unwrap_or(-1));
    match spec.mode {
        Mode::Bulk => vec![],
        Mode::Incrementing => vec![inc],
        Mode::Timestamp => vec![local(begin), local(end)],
        Mode::TimestampIncrementing => vec![local(end), local(begin), inc, local(begin)],
    }
}

/// Rows travel from the query's task to the poll in chunks of this many (one channel
/// operation and wake-up per chunk, not per row).
const CHUNK: usize = 256;

/// A row as read: the record's field values, then the offset columns.
#[derive(Debug)]
struct Row {
    fields: Vec<Value>,
    incrementing: Option<i64>,
    timestamp: Option<i64>,
}

/// An open query.
struct Running {
    rx: mpsc::Receiver<Result<Vec<Row>>>,
    /// The rest of the chunk received last.
    chunk: std::vec::IntoIter<Row>,
    task: tokio::task::JoinHandle<()>,
    /// Timestamp mode reads one row ahead (a row's timestamp becomes committable only when
    /// the next row's is later).
    lookahead: Option<Row>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One table (or query) of a task.
pub struct Querier {
    /// What is read.
    pub target: Target,
    /// The SQL settings.
    pub spec: QuerySpec,
    /// The statement.
    pub sql: String,
    /// The topic records go to.
    pub topic: Topic,
    /// The source partition.
    pub partition: Arc<Value>,
    /// Schema and column plan.
    pub plan: Arc<Plan>,
    /// The offset of the last record handed out.
    pub offset: Offset,
    /// When the querier may run again.
    pub next_due: Instant,
    running: Option<Running>,
    legacy_partition: Option<Value>,
}

impl Querier {
    /// A querier that starts at `offset`, due at once.
    pub fn new(
        target: Target,
        spec: QuerySpec,
        sql: String,
        topic: Topic,
        partition: Value,
        plan: Plan,
        offset: Offset,
    ) -> Querier {
        Querier {
            target,
            spec,
            sql,
            topic,
            partition: Arc::new(partition),
            plan: Arc::new(plan),
            offset,
            next_due: Instant::now(),
            running: None,
            legacy_partition: None,
        }
    }

    /// Also looks for offsets under this (older) partition.
    pub fn with_legacy_partition(mut self, partition: Option<Value>) -> Querier {
        self.legacy_partition = partition;
        self
    }

    /// The older partition offsets may be stored under.
    pub fn legacy_partition(&self) -> Option<&Value> {
        self.legacy_partition.as_ref()
    }

    /// Whether a query is open.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Closes the open query, if any (after an error, or on stop).
    pub fn reset(&mut self) {
        self.running = None;
    }

    /// Runs the query from the current offset; at most `buffer` rows (`max.buffer.size`) wait
    /// in memory for the polls.
    pub async fn start(&mut self, db: &Db, buffer: usize) -> Result<()> {
        let end = if self.spec.mode.uses_timestamp() {
            let now = db.current_time().await.map_err(|e| {
                classify(
                    format!(
                        "Unable to get current time from DB using {}",
                        db.dialect().name()
                    ),
                    e,
                )
            })?;
            now - chrono::Duration::from_std(self.spec.delay).unwrap_or_default()
        } else {
            DateTime::UNIX_EPOCH
        };
        let params = build_params(&self.spec, self.offset, end);
        let chunk = buffer.clamp(1, CHUNK);
        let (tx, rx) = mpsc::channel((buffer / chunk).max(1));
        let task = tokio::spawn(stream_rows(
            db.clone(),
            self.sql.clone(),
            params,
            Arc::clone(&self.plan),
            self.target.clone(),
            (self.spec.timezone, self.spec.legacy_calendar),
            (tx, chunk),
        ));
        self.running = Some(Running {
            rx,
            chunk: Vec::new().into_iter(),
            task,
            lookahead: None,
        });
        Ok(())
    }

    /// Appends up to `max` records of the open query to `out`. Rows already read from the
    /// database are returned at once; when there are none, rows are collected for up to
    /// `linger` (`poll.linger.ms`) or until `max` arrived, as Confluent's record queue does.
    /// `Ok(true)` when the result is exhausted (the query is then closed).
    pub async fn read(
        &mut self,
        max: usize,
        linger: Duration,
        out: &mut Vec<SourceRecord>,
    ) -> Result<bool> {
        // taken out while reading (records are built from `self`), put back unless done
        let Some(mut running) = self.running.take() else {
            return Ok(true);
        };
        let mut taken = 0;
        let mut ended = false;
        let mut lingering: Option<Instant> = None;
        let timestamp_mode = self.spec.mode == Mode::Timestamp;
        while taken < max {
            let next = match running.chunk.next() {
                Some(row) => Some(row),
                None => {
                    let received = match running.rx.try_recv() {
                        Ok(item) => Some(item),
                        Err(mpsc::error::TryRecvError::Disconnected) => None,
                        // records in hand and none waiting: return what there is
                        Err(mpsc::error::TryRecvError::Empty)
                            if taken > 0 && lingering.is_none() =>
                        {
                            break
                        }
                        Err(mpsc::error::TryRecvError::Empty) => {
                            let deadline =
                                *lingering.get_or_insert_with(|| Instant::now() + linger);
                            match tokio::time::timeout_at(deadline, running.rx.recv()).await {
                                Ok(item) => item,
                                Err(_) => break,
                            }
                        }
                    };
                    match received {
                        Some(Ok(chunk)) => {
                            running.chunk = chunk.into_iter();
                            running.chunk.next()
                        }
                        Some(Err(e)) => return Err(e),
                        None => {
                            ended = true;
                            None
                        }
                    }
                }
            };
            let emit = if timestamp_mode {
                let previous = running.lookahead.take();
                match (previous, next) {
                    (None, None) => break,
                    (None, Some(row)) => {
                        running.lookahead = Some(row);
                        continue;
                    }
                    (Some(row), next) => {
                        // PR 1093: a timestamp is committed only after its last row
                        let advance = match (&next, row.timestamp) {
                            (None, _) | (_, None) => true,
                            (Some(n), Some(ts)) => n.timestamp.is_none_or(|nts| nts > ts),
                        };
                        let at_end = next.is_none();
                        running.lookahead = next;
                        if advance {
                            self.offset.timestamp = row.timestamp.or(self.offset.timestamp);
                        }
                        out.push(self.record(row.fields));
                        taken += 1;
                        if at_end {
                            break;
                        }
                        continue;
                    }
                }
            } else {
                next
            };
            let Some(row) = emit else { break };
            if self.spec.mode.uses_incrementing() {
                self.offset.incrementing = row.incrementing.or(self.offset.incrementing);
            }
            if self.spec.mode.uses_timestamp() {
                self.offset.timestamp = row.timestamp.or(self.offset.timestamp);
            }
            out.push(self.record(row.fields));
            taken += 1;
        }
        let exhausted = ended && running.lookahead.is_none();
        if !exhausted {
            self.running = Some(running);
        }
        Ok(exhausted)
    }

    fn record(&self, fields: Vec<Value>) -> SourceRecord {
        let value = Value::Struct(Struct::from_values_unchecked(&self.plan.schema, fields));
        let offset = match self.spec.mode {
            Mode::Bulk => Value::Null,
            _ => self.offset.to_value(),
        };
        Record {
            topic: Arc::clone(&self.topic),
            kafka_partition: None,
            key: SchemaAndValue::null(),
            value: SchemaAndValue::new(Some(self.plan.schema.clone()), value),
            timestamp: None,
            headers: Headers::default(),
            meta: SourceMeta {
                source_partition: Arc::clone(&self.partition),
                source_offset: offset,
            },
        }
    }
}

/// The whole result of one execution, row by row, into `tx` (stops when the receiver is
/// dropped).
async fn stream_rows(
    db: Db,
    sql: String,
    params: Vec<Param>,
    plan: Arc<Plan>,
    target: Target,
    (tz, legacy_calendar): (DbTimezone, bool),
    (tx, chunk_rows): (mpsc::Sender<Result<Vec<Row>>>, usize),
) {
    // Java's drivers read dates before 1582-10-15 as Julian dates (sqlite-jdbc's epoch
    // milliseconds are instants, so SQLite is left as read)
    let legacy = legacy_calendar && db.dialect() != Dialect::Sqlite;
    let mut convs = plan.convs.clone();
    if let Some(i) = plan.incrementing {
        convs.push((i, Conv::Int64));
    }
    for &i in &plan.timestamps {
        convs.push((i, Conv::EpochNanos));
    }
    let n_timestamps = plan.timestamps.len();
    let has_inc = plan.incrementing.is_some();
    let what = match &target {
        Target::Table(t) => format!("table {t}"),
        Target::Query(_) => "the query".to_string(),
    };
    // the offset columns were read after the fields: take them off the end
    let split = |mut values: Vec<Value>| -> Result<Row> {
        if legacy {
            for (value, &(_, conv)) in values.iter_mut().zip(&plan.convs) {
                calendar_shift(value, conv, tz);
            }
        }
        let mut timestamp = None;
        for _ in 0..n_timestamps {
            // popped last column first, so the first non-null in list order is kept
            if let Some(Value::Int64(ns)) = values.pop() {
                timestamp = Some(ns);
            }
        }
        let incrementing = if has_inc {
            match values.pop() {
                Some(Value::Int64(v)) => Some(v),
                _ => {
                    return Err(ConnectError::other(format!(
                        "Null value for incrementing column in {what}"
                    )))
                }
            }
        } else {
            None
        };
        Ok(Row {
            fields: values,
            incrementing,
            timestamp,
        })
    };
    macro_rules! run {
        ($pool:expr, $decode:path, $ts:path) => {{
            let mut query = sqlx::query(&sql);
            for p in &params {
                query = match p {
                    Param::Long(v) => query.bind(*v),
                    Param::Timestamp(t) => query.bind($ts(*t)),
                };
            }
            let mut rows = query.fetch($pool);
            let mut chunk = Vec::with_capacity(chunk_rows);
            loop {
                let item = match rows.try_next().await {
                    Ok(Some(row)) => $decode(&row, &convs, tz)
                        .map_err(|e| {
                            ConnectError::other(format!("Cannot read a row of {what}: {e}"))
                        })
                        .and_then(&split),
                    Ok(None) => break,
                    Err(e) => Err(classify(
                        format!("SQL exception while running query for {what}"),
                        e,
                    )),
                };
                match item {
                    Ok(row) => {
                        chunk.push(row);
                        if chunk.len() == chunk_rows {
                            let full =
                                std::mem::replace(&mut chunk, Vec::with_capacity(chunk_rows));
                            if tx.send(Ok(full)).await.is_err() {
                                return;
                            }
                        }
                    }
                    Err(e) => {
                        // the rows before the error are delivered first
                        if !chunk.is_empty()
                            && tx.send(Ok(std::mem::take(&mut chunk))).await.is_err()
                        {
                            return;
                        }
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                }
            }
            if !chunk.is_empty() {
                let _ = tx.send(Ok(chunk)).await;
            }
        }};
    }
    match &db {
        Db::Postgres(pool) => run!(pool, rows::pg_values, std::convert::identity),
        Db::MySql(pool) => run!(pool, rows::mysql_values, std::convert::identity),
        Db::Sqlite(pool) => run!(pool, rows::sqlite_values, sqlite_timestamp),
    }
}

/// A date or timestamp before the Gregorian reform as a Java driver reads it under
/// `date.calendar.system=LEGACY` (dates in UTC, timestamps in `db.timezone`).
fn calendar_shift(value: &mut Value, conv: Conv, tz: DbTimezone) {
    use crate::calendar::REFORM_DAY;
    // a day after the reform is after it in every zone: the common case costs a comparison
    const AFTER_REFORM_MS: i64 = (REFORM_DAY + 1) * 86_400_000;
    match (conv, &*value) {
        (Conv::Date, Value::Date(days)) if i64::from(*days) >= REFORM_DAY => {}
        (Conv::Timestamp, Value::Timestamp(ms)) if *ms >= AFTER_REFORM_MS => {}
        (Conv::Date, Value::Date(days)) => {
            let epoch = DateTime::UNIX_EPOCH.date_naive();
            if let Some(d) = epoch.checked_add_signed(chrono::TimeDelta::days(i64::from(*days))) {
                let shifted = crate::calendar::legacy_read(d);
                *value = Value::Date((shifted - epoch).num_days() as i32);
            }
        }
        (Conv::Timestamp, Value::Timestamp(ms)) => {
            if let Some(t) = DateTime::from_timestamp_millis(*ms) {
                let local = crate::calendar::legacy_read_datetime(tz.to_local(t));
                *value = Value::Timestamp(tz.to_utc(local).timestamp_millis());
            }
        }
        _ => {}
    }
}

/// A timestamp as SQLite text (`YYYY-MM-DD HH:MM:SS.SSS`, as sqlite-jdbc and
/// `strftime('%Y-%m-%d %H:%M:%f')` write it), which compares as text with stored values of
/// that form and with `CURRENT_TIMESTAMP`'s.
pub fn sqlite_timestamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.3f").to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Duration;

    fn spec(mode: Mode, ts: &[&str]) -> QuerySpec {
        QuerySpec {
            mode,
            incrementing_column: "id".into(),
            timestamp_columns: ts.iter().map(|s| s.to_string()).collect(),
            suffix: String::new(),
            quoting: Quoting::Always,
            delay: Duration::ZERO,
            timezone: DbTimezone::default(),
            legacy_calendar: true,
        }
    }

    fn table() -> Target {
        Target::Table(TableId {
            catalog: None,
            schema: Some("public".into()),
            name: "orders".into(),
        })
    }

    #[test]
    fn sql_per_mode() {
        let d = Dialect::Postgres;
        assert_eq!(
            build_sql(d, &table(), &spec(Mode::Bulk, &[])),
            "SELECT * FROM \"public\".\"orders\""
        );
        assert_eq!(
            build_sql(d, &table(), &spec(Mode::Incrementing, &[])),
            "SELECT * FROM \"public\".\"orders\" WHERE \"public\".\"orders\".\"id\" > $1 ORDER BY \"public\".\"orders\".\"id\" ASC"
        );
        assert_eq!(
            build_sql(Dialect::MySql, &Target::Query("SELECT a FROM t".into()), &spec(Mode::Timestamp, &["u", "c"])),
            "SELECT a FROM t WHERE COALESCE(`u`,`c`) > ? AND COALESCE(`u`,`c`) < ? ORDER BY COALESCE(`u`,`c`) ASC"
        );
        let mut s = spec(Mode::TimestampIncrementing, &["ts"]);
        s.suffix = "LIMIT 10".into();
        s.quoting = Quoting::Never;
        assert_eq!(
            build_sql(Dialect::Sqlite, &Target::Table(TableId::named("t")), &s),
            "SELECT * FROM t WHERE t.ts < ? AND ((t.ts = ? AND t.id > ?) OR t.ts > ?) ORDER BY t.ts,t.id ASC LIMIT 10"
        );
    }

    #[test]
    fn params_bind_in_confluents_order() {
        let end = DateTime::from_timestamp_millis(5_000).unwrap();
        let off = Offset {
            incrementing: Some(7),
            timestamp: Some(2_000_000_123),
        };
        let p = build_params(&spec(Mode::TimestampIncrementing, &["ts"]), off, end);
        let begin = DateTime::from_timestamp_nanos(2_000_000_123).naive_utc();
        assert_eq!(
            p,
            vec![
                Param::Timestamp(end.naive_utc()),
                Param::Timestamp(begin),
                Param::Long(7),
                Param::Timestamp(begin)
            ]
        );
        assert_eq!(
            build_params(&spec(Mode::Incrementing, &[]), Offset::default(), end),
            vec![Param::Long(-1)]
        );
    }

    #[test]
    fn offsets_round_trip_in_javas_key_order() {
        let o = Offset {
            incrementing: Some(42),
            timestamp: Some(1_700_000_000_123_456_789),
        };
        let v = o.to_value();
        let Value::Map(entries) = &v else { panic!() };
        let keys: Vec<String> = entries
            .iter()
            .map(|(k, _)| match k {
                Value::String(s) => s.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(keys, ["timestamp_nanos", "incrementing", "timestamp"]);
        assert_eq!(entries[0].1, Value::Int64(123_456_789));
        assert_eq!(entries[2].1, Value::Int64(1_700_000_000_123));
        assert_eq!(Offset::from_value(&v), o);
        // an offset without nanos (from timestamp.initial or an old connector)
        let old = Value::Map(vec![(
            Value::String("timestamp".into()),
            Value::Int64(1500),
        )]);
        assert_eq!(Offset::from_value(&old).timestamp, Some(1_500_000_000));
    }

    #[test]
    fn sqlite_timestamps_as_text() {
        let t = DateTime::from_timestamp_millis(1_500).unwrap().naive_utc();
        assert_eq!(sqlite_timestamp(t), "1970-01-01 00:00:01.500");
        let t = DateTime::from_timestamp_millis(1_000).unwrap().naive_utc();
        assert_eq!(sqlite_timestamp(t), "1970-01-01 00:00:01.000");
    }
}
