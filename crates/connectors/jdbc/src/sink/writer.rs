//! Writes one `put`'s records (Confluent's `JdbcDbWriter` and `BufferedRecords`): records
//! are buffered per destination table, flushed when their schemas change, at `batch.size`,
//! and at the end of the `put`; tables are created or given missing columns as
//! `auto.create`/`auto.evolve` allow; the whole `put` is one transaction.

use std::collections::HashMap;

use bigdecimal::BigDecimal;

use connect_api::{ConnectError, Schema, SinkRecord, Value};

use crate::bind_all;
use crate::db::catalog::{parse_table_id, ColumnDef, TableId};
use crate::db::{classify, Db};
use crate::dialect::{Dialect, Quoting};
use crate::sink::bind::{to_sql, SqlValue, Zones};
use crate::sink::config::{InsertMode, PkMode, SinkConfig};
use crate::sink::copy_text::copy_text_row;
use crate::sink::fields::{extract, value_of, FieldsMetadata, SinkField};
use crate::sink::sql;

/// Why a write failed, which says what the task does next.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A statement failed: retried up to `max.retries`, then reported record by record.
    #[error("{0}")]
    Sql(ConnectError),
    /// The table cannot take the record (missing, missing columns, a value that does not
    /// fit): never retried; reported record by record when the task has a reporter.
    #[error("{0}")]
    Table(ConnectError),
    /// Anything else (configuration, invalid records): the task fails.
    #[error("{0}")]
    Fatal(ConnectError),
}

impl WriteError {
    /// The error itself.
    pub fn into_inner(self) -> ConnectError {
        match self {
            WriteError::Sql(e) | WriteError::Table(e) | WriteError::Fatal(e) => e,
        }
    }
}

type Result<T> = std::result::Result<T, WriteError>;

/// A transaction on any of the three databases.
enum Tx {
    Pg(sqlx::Transaction<'static, sqlx::Postgres>),
    My(sqlx::Transaction<'static, sqlx::MySql>),
    Lite(sqlx::Transaction<'static, sqlx::Sqlite>),
}

impl Tx {
    async fn begin(db: &Db) -> std::result::Result<Tx, sqlx::Error> {
        Ok(match db {
            Db::Postgres(p) => Tx::Pg(p.begin().await?),
            Db::MySql(p) => Tx::My(p.begin().await?),
            Db::Sqlite(p) => Tx::Lite(p.begin().await?),
        })
    }

    async fn execute(
        &mut self,
        sql: &str,
        values: Vec<SqlValue>,
    ) -> std::result::Result<u64, sqlx::Error> {
        Ok(match self {
            Tx::Pg(t) => bind_all!(sqlx::query(sql), values, BigDecimal, std::convert::identity)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::My(t) => bind_all!(sqlx::query(sql), values, BigDecimal, std::convert::identity)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            Tx::Lite(t) => bind_all!(sqlx::query(sql), values, String, |d: BigDecimal| d
                .to_string())
            .execute(&mut **t)
            .await?
            .rows_affected(),
        })
    }

    /// Postgres only: `COPY … FROM STDIN` with a text-format buffer.
    async fn copy_in(&mut self, sql: &str, data: Vec<u8>) -> std::result::Result<u64, sqlx::Error> {
        match self {
            Tx::Pg(t) => {
                let mut copy = t.copy_in_raw(sql).await?;
                copy.send(data).await?;
                copy.finish().await
            }
            _ => Err(sqlx::Error::Protocol("COPY is Postgres only".into())),
        }
    }

    async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        match self {
            Tx::Pg(t) => t.commit().await,
            Tx::My(t) => t.commit().await,
            Tx::Lite(t) => t.commit().await,
        }
    }
}

/// The records buffered for one table.
struct Buffer<'a> {
    table: TableId,
    key_schema: Option<Schema>,
    value_schema: Option<Schema>,
    fields: Option<FieldsMetadata>,
    records: Vec<&'a SinkRecord>,
    deletes_in_batch: bool,
}

fn same(a: &Option<Schema>, b: &Option<Schema>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.ptr_eq(b) || a == b,
        (None, None) => true,
        _ => false,
    }
}

fn where_(r: &SinkRecord) -> String {
    format!(
        "(topic='{}',partition={},offset={},timestamp={})",
        r.meta.original_topic,
        r.meta.original_kafka_partition,
        r.meta.original_kafka_offset,
        r.timestamp.map_or("null".to_string(), |t| t.to_string())
    )
}

fn describe_value(v: &Value) -> &'static str {
    if v.is_null() {
        "null"
    } else {
        v.java_class().rsplit('.').next().unwrap_or("Object")
    }
}

/// The longest text a column takes (`varchar(n)`, `character varying(n)`, `char(n)`).
fn text_limit(declared: &str) -> Option<usize> {
    let d = declared.to_ascii_lowercase();
    let rest = ["character varying(", "varchar(", "character(", "char("]
        .iter()
        .find_map(|p| d.strip_prefix(p))?;
    rest.split(')').next()?.trim().parse().ok()
}

/// Writes records to their tables; keeps what it learned of each table.
pub struct Writer {
    cfg: SinkConfig,
    db: Db,
    tables: HashMap<TableId, Vec<ColumnDef>>,
}

impl Writer {
    /// A writer on an open database.
    pub fn new(cfg: SinkConfig, db: Db) -> Writer {
        Writer {
            cfg,
            db,
            tables: HashMap::new(),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    fn dialect(&self) -> Dialect {
        self.db.dialect()
    }

    fn quoting(&self) -> Quoting {
        self.cfg.quoting
    }

    /// Writes the records in one transaction.
    pub async fn write(&mut self, records: &[SinkRecord]) -> Result<()> {
        let mut tx = Tx::begin(&self.db)
            .await
            .map_err(|e| WriteError::Sql(classify("Cannot begin a transaction", e)))?;
        let mut buffers: Vec<Buffer<'_>> = Vec::new();
        for r in records {
            let table = self.destination(r)?;
            let i = match buffers.iter().position(|b| b.table == table) {
                Some(i) => i,
                None => {
                    buffers.push(Buffer {
                        table,
                        key_schema: None,
                        value_schema: None,
                        fields: None,
                        records: Vec::new(),
                        deletes_in_batch: false,
                    });
                    buffers.len() - 1
                }
            };
            self.add(&mut tx, &mut buffers[i], r).await?;
        }
        for b in &mut buffers {
            self.flush(&mut tx, b).await?;
        }
        tx.commit()
            .await
            .map_err(|e| WriteError::Sql(classify("Cannot commit the written records", e)))
    }

    fn destination(&self, r: &SinkRecord) -> Result<TableId> {
        let name = self.cfg.table_name_format.replace("${topic}", &r.topic);
        if name.trim().is_empty() {
            return Err(WriteError::Fatal(ConnectError::other(format!(
                "Destination table name for topic '{}' is empty using the format string '{}'",
                r.topic, self.cfg.table_name_format
            ))));
        }
        parse_table_id(&name, self.dialect()).map_err(|e| WriteError::Fatal(ConnectError::other(e)))
    }

    /// Confluent's `RecordValidator`.
    fn validate(&self, r: &SinkRecord) -> Result<()> {
        let mode = self.cfg.pk_mode;
        let needs_key = mode == PkMode::RecordKey || self.cfg.delete_enabled;
        let needs_value = matches!(mode, PkMode::None | PkMode::RecordValue);
        let intro = format!(
            "Sink connector '{}' is configured with 'delete.enabled={}' and 'pk.mode={}' and therefore requires records with a non-null",
            self.cfg.name,
            self.cfg.delete_enabled,
            mode.name()
        );
        let schema_type = |s: &Option<Schema>| {
            s.as_ref().map_or("null".to_string(), |s| {
                s.schema_type().java_name().to_string()
            })
        };
        if needs_key {
            let ok = !r.key.value.is_null()
                && r.key.schema.as_ref().is_some_and(|s| {
                    s.schema_type().is_primitive() || s.schema_type() == connect_api::Type::Struct
                });
            if !ok {
                return Err(WriteError::Fatal(ConnectError::data(format!(
                    "{intro} key and non-null Struct or primitive key schema, but found record at {} with a {} key and {} key schema.",
                    where_(r),
                    describe_value(&r.key.value),
                    schema_type(&r.key.schema)
                ))));
            }
        }
        if needs_value {
            let schema_is = |t: connect_api::Type| {
                r.value
                    .schema
                    .as_ref()
                    .is_some_and(|s| s.schema_type() == t)
            };
            let is_struct =
                matches!(r.value.value, Value::Struct(_)) && schema_is(connect_api::Type::Struct);
            // a string value (StringConverter) fills the column string.output.value.column.name
            let is_string = mode != PkMode::RecordValue
                && matches!(r.value.value, Value::String(_))
                && schema_is(connect_api::Type::String);
            if is_string && !self.cfg.timestamp_fields.is_empty() {
                return Err(WriteError::Fatal(ConnectError::data(format!(
                    "Sink connector '{}': timestamp.fields.list is not applicable to String values, found at {}",
                    self.cfg.name,
                    where_(r)
                ))));
            }
            let ok = is_struct || is_string;
            if !ok {
                return Err(WriteError::Fatal(ConnectError::data(format!(
                    "{intro} Struct value and non-null Struct schema, but found record at {} with a {} value and {} value schema.",
                    where_(r),
                    describe_value(&r.value.value),
                    schema_type(&r.value.schema)
                ))));
            }
        }
        Ok(())
    }

    async fn add<'a>(&mut self, tx: &mut Tx, b: &mut Buffer<'a>, r: &'a SinkRecord) -> Result<()> {
        self.validate(r)?;
        let mut changed = !same(&b.key_schema, &r.key.schema);
        if r.value.schema.is_none() || r.value.value.is_null() {
            if self.cfg.delete_enabled {
                b.deletes_in_batch = true;
            }
        } else if same(&b.value_schema, &r.value.schema) {
            if b.deletes_in_batch {
                // an insert after a delete of the same batch must not overtake it
                self.flush(tx, b).await?;
            }
        } else {
            changed = true;
        }
        if changed || b.fields.is_none() {
            self.flush(tx, b).await?;
            b.key_schema = r.key.schema.clone();
            if r.value.schema.is_some() {
                b.value_schema = r.value.schema.clone();
            }
            let fields = extract(
                &self.cfg,
                &format!("{}", Quoted(&b.table)),
                b.key_schema.as_ref(),
                b.value_schema.as_ref(),
            )
            .map_err(WriteError::Fatal)?;
            self.ensure_table(tx, &b.table, &fields).await?;
            b.fields = Some(fields);
        }
        b.records.push(r);
        if self.cfg.batch_size > 0 && b.records.len() >= self.cfg.batch_size {
            self.flush(tx, b).await?;
        }
        Ok(())
    }

    /// Creates the table or adds missing columns, as `auto.create`/`auto.evolve` allow.
    async fn ensure_table(
        &mut self,
        tx: &mut Tx,
        table: &TableId,
        fields: &FieldsMetadata,
    ) -> Result<()> {
        let (dialect, q) = (self.dialect(), self.quoting());
        let shown = Quoted(table).to_string();
        if !self.tables.contains_key(table) {
            let cols = self.db.describe(table).await.map_err(|e| {
                WriteError::Sql(classify(
                    format!("Cannot read the columns of table {shown}"),
                    e,
                ))
            })?;
            if !cols.is_empty() {
                self.tables.insert(table.clone(), cols);
            }
        }
        let table_sql = table.sql(dialect, q);
        let Some(cols) = self.tables.get(table) else {
            if !self.cfg.auto_create {
                return Err(WriteError::Table(ConnectError::other(format!(
                    "Table {shown} is missing and auto-creation is disabled"
                ))));
            }
            let ddl = sql::create_table(dialect, q, &table_sql, &fields.all)
                .map_err(WriteError::Table)?;
            tracing::info!("Creating table {shown}: {ddl}");
            tx.execute(&ddl, Vec::new()).await.map_err(|e| {
                WriteError::Table(classify(format!("Cannot create table {shown}"), e))
            })?;
            let created = self.created_columns(&fields.all)?;
            self.tables.insert(table.clone(), created);
            return Ok(());
        };
        let has = |name: &str| {
            cols.iter().any(|c| c.name == name)
                || cols.iter().any(|c| c.name.eq_ignore_ascii_case(name))
        };
        let missing: Vec<SinkField> = fields
            .all
            .iter()
            .filter(|f| !has(&f.name))
            .cloned()
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        if let Some(f) = missing
            .iter()
            .find(|f| !f.schema.is_optional() && f.schema.default_value().is_none())
        {
            return Err(WriteError::Table(ConnectError::other(format!(
                "Cannot ALTER TABLE {shown} to add missing field {}, as the field is not optional and does not have a default value",
                f.describe()
            ))));
        }
        let list: Vec<String> = missing.iter().map(SinkField::describe).collect();
        if !self.cfg.auto_evolve {
            return Err(WriteError::Table(ConnectError::other(format!(
                "Table {shown} is missing fields ([{}]) and auto-evolution is disabled",
                list.join(", ")
            ))));
        }
        for ddl in sql::alter_table(dialect, q, &table_sql, &missing).map_err(WriteError::Table)? {
            tracing::info!("Amending table {shown}: {ddl}");
            tx.execute(&ddl, Vec::new()).await.map_err(|e| {
                WriteError::Table(classify(
                    format!(
                        "Failed to amend TABLE '{shown}' to add missing fields: [{}]",
                        list.join(", ")
                    ),
                    e,
                ))
            })?;
        }
        let added = self.created_columns(&missing)?;
        if let Some(cols) = self.tables.get_mut(table) {
            cols.extend(added);
        }
        Ok(())
    }

    /// The columns a CREATE or ALTER made, as the catalog would describe them.
    fn created_columns(&self, fields: &[SinkField]) -> Result<Vec<ColumnDef>> {
        fields
            .iter()
            .map(|f| {
                let ty =
                    sql::sql_type(self.dialect(), &f.schema, f.key).map_err(WriteError::Table)?;
                Ok(ColumnDef {
                    name: f.name.clone(),
                    type_name: ty.split('(').next().unwrap_or("").to_ascii_uppercase(),
                    declared: ty,
                    precision: None,
                    scale: None,
                    nullable: f.schema.is_optional() && !f.key,
                    auto_increment: false,
                })
            })
            .collect()
    }

    /// The text limit of each field's column (`varchar(n)`), in the order of `fields`: worked
    /// out once a batch, used for every row.
    fn text_limits(&self, table: &TableId, fields: &[SinkField]) -> Vec<Option<usize>> {
        let cols = self.tables.get(table);
        fields
            .iter()
            .map(|f| {
                cols?
                    .iter()
                    .find(|c| c.name.eq_ignore_ascii_case(&f.name))
                    .and_then(|c| text_limit(&c.declared))
            })
            .collect()
    }

    /// The parameters of one record's columns, checked against the columns' text limits
    /// (from [`Writer::text_limits`] for the same fields).
    fn row(
        &self,
        table: &TableId,
        fields: &[SinkField],
        limits: &[Option<usize>],
        r: &SinkRecord,
        out: &mut Vec<SqlValue>,
    ) -> Result<()> {
        let zones = Zones {
            db: self.cfg.timezone,
            date_utc: self.cfg.date_utc,
            legacy_calendar: self.cfg.legacy_calendar,
        };
        for (f, limit) in fields.iter().zip(limits) {
            let v = value_of(f, r, self.cfg.replace_null_with_default);
            if let (Value::String(s), Some(n)) = (&v, *limit) {
                // a text of n bytes or fewer has n characters or fewer
                if s.len() > n && s.chars().count() > n {
                    return Err(WriteError::Table(ConnectError::data(format!(
                        "Sink connector '{}': the value of field '{}' ({} characters) does not fit column '{}' ({} characters at most) of table {}, in the record at {}",
                        self.cfg.name,
                        f.name,
                        s.chars().count(),
                        f.name,
                        n,
                        Quoted(table),
                        where_(r)
                    ))));
                }
            }
            let param = match f.epoch {
                Some(unit) => unit.to_sql(self.dialect(), &v, zones),
                None => to_sql(self.dialect(), &f.schema, &v, zones),
            };
            out.push(param.map_err(|e| {
                WriteError::Table(ConnectError::data(format!(
                    "Sink connector '{}': field '{}' of the record at {} cannot be written to table {}: {e}",
                    self.cfg.name,
                    f.name,
                    where_(r),
                    Quoted(table)
                )))
            })?);
        }
        Ok(())
    }

    /// The cast a Postgres column needs for a parameter.
    fn cast_for(&self, table: &TableId) -> impl Fn(&str) -> Option<&'static str> + '_ {
        let cols = self.tables.get(table);
        move |name: &str| {
            let c = cols?.iter().find(|c| c.name == name)?;
            match c.type_name.as_str() {
                "UUID" => Some("uuid"),
                "JSON" => Some("json"),
                "JSONB" => Some("jsonb"),
                _ => None,
            }
        }
    }

    async fn flush(&mut self, tx: &mut Tx, b: &mut Buffer<'_>) -> Result<()> {
        b.deletes_in_batch = false;
        if b.records.is_empty() {
            return Ok(());
        }
        let records = std::mem::take(&mut b.records);
        let Some(fields) = b.fields.clone() else {
            return Ok(());
        };
        let (dialect, q) = (self.dialect(), self.quoting());
        let table_sql = b.table.sql(dialect, q);
        let shown = Quoted(&b.table).to_string();
        let (deletes, writes): (Vec<&SinkRecord>, Vec<&SinkRecord>) = records
            .iter()
            .partition(|r| r.value.value.is_null() && self.cfg.delete_enabled);
        if let Some(r) = writes.iter().find(|r| r.value.value.is_null()) {
            return Err(WriteError::Table(ConnectError::data(format!(
                "Sink connector '{}': the record at {} has a null value (a tombstone) and delete.enabled is false, so it cannot be written to table {shown}",
                self.cfg.name,
                where_(r)
            ))));
        }
        let sql_error = |e: sqlx::Error| {
            WriteError::Sql(classify(
                format!(
                    "Sink connector '{}': writing to table {shown} failed",
                    self.cfg.name
                ),
                e,
            ))
        };
        let key_names: Vec<&str> = fields.keys.iter().map(|f| f.name.as_str()).collect();
        let value_names: Vec<&str> = fields.values.iter().map(|f| f.name.as_str()).collect();
        let columns: Vec<SinkField> = fields.keys.iter().chain(&fields.values).cloned().collect();
        let column_names: Vec<&str> = columns.iter().map(|f| f.name.as_str()).collect();
        match self.cfg.insert_mode {
            // plain inserts into Postgres: one COPY, much cheaper for the server than
            // INSERTs of many rows; same transaction, same rows
            InsertMode::Insert if dialect == Dialect::Postgres && !writes.is_empty() => {
                let cols: Vec<String> = column_names.iter().map(|c| dialect.ident(c, q)).collect();
                let stmt = format!("COPY {table_sql} ({}) FROM STDIN", cols.join(","));
                let mut data = Vec::with_capacity(writes.len() * 64 * columns.len().max(1));
                let mut row = Vec::with_capacity(columns.len());
                let limits = self.text_limits(&b.table, &columns);
                for r in &writes {
                    self.row(&b.table, &columns, &limits, r, &mut row)?;
                    copy_text_row(&row, &mut data);
                    row.clear();
                }
                tx.copy_in(&stmt, data).await.map_err(sql_error)?;
            }
            InsertMode::Insert | InsertMode::Upsert => {
                let upsert = self.cfg.insert_mode == InsertMode::Upsert;
                if upsert && key_names.is_empty() {
                    return Err(WriteError::Fatal(ConnectError::other(format!(
                        "Write to table '{shown}' in UPSERT mode requires key field names to be known, check the primary key configuration"
                    ))));
                }
                let per_row = columns.len().max(1);
                let max_rows = (sql::max_params(dialect) / per_row).max(1);
                let limits = self.text_limits(&b.table, &columns);
                let mut i = 0;
                while i < writes.len() {
                    let mut params = Vec::with_capacity(per_row * max_rows.min(writes.len() - i));
                    let mut keys_seen: Vec<Vec<SqlValue>> = Vec::new();
                    let mut rows = 0;
                    while i < writes.len() && rows < max_rows {
                        let mut row = Vec::with_capacity(per_row);
                        self.row(&b.table, &columns, &limits, writes[i], &mut row)?;
                        if upsert && dialect == Dialect::Postgres {
                            // one statement may not touch a row twice: a repeated key starts the next
                            let key = row[..key_names.len()].to_vec();
                            if keys_seen.contains(&key) {
                                break;
                            }
                            keys_seen.push(key);
                        }
                        params.extend(row);
                        rows += 1;
                        i += 1;
                    }
                    let stmt = {
                        let cast = self.cast_for(&b.table);
                        let mut ph = sql::Placeholders::new(dialect, &cast);
                        sql::insert(
                            dialect,
                            q,
                            &table_sql,
                            &column_names,
                            upsert.then_some(&key_names[..]),
                            rows,
                            &mut ph,
                        )
                    };
                    tx.execute(&stmt, params).await.map_err(sql_error)?;
                }
            }
            InsertMode::Update => {
                let ordered: Vec<SinkField> =
                    fields.values.iter().chain(&fields.keys).cloned().collect();
                let limits = self.text_limits(&b.table, &ordered);
                for r in &writes {
                    let mut params = Vec::with_capacity(ordered.len());
                    self.row(&b.table, &ordered, &limits, r, &mut params)?;
                    let stmt = {
                        let cast = self.cast_for(&b.table);
                        let mut ph = sql::Placeholders::new(dialect, &cast);
                        sql::update(dialect, q, &table_sql, &key_names, &value_names, &mut ph)
                    };
                    tx.execute(&stmt, params).await.map_err(sql_error)?;
                }
            }
        }
        if !deletes.is_empty() {
            if key_names.is_empty() {
                return Err(WriteError::Fatal(ConnectError::other(
                    "Require primary keys to support delete",
                )));
            }
            let stmt = sql::delete(dialect, q, &table_sql, &key_names);
            let limits = self.text_limits(&b.table, &fields.keys);
            for r in &deletes {
                let mut params = Vec::with_capacity(fields.keys.len());
                self.row(&b.table, &fields.keys, &limits, r, &mut params)?;
                tx.execute(&stmt, params).await.map_err(sql_error)?;
            }
        }
        Ok(())
    }
}

/// A table as Confluent's messages show it: `"schema"."table"`.
struct Quoted<'a>(&'a TableId);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = [
            self.0.catalog.as_deref(),
            self.0.schema.as_deref(),
            Some(self.0.name.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(|p| format!("\"{p}\""))
        .collect();
        f.write_str(&parts.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits() {
        assert_eq!(text_limit("character varying(5)"), Some(5));
        assert_eq!(text_limit("varchar(256)"), Some(256));
        assert_eq!(text_limit("text"), None);
        assert_eq!(text_limit("char(3)"), Some(3));
    }
}
