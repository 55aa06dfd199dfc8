//! What the connectors ask of a database's catalog: its tables, a table's columns, and the
//! database's clock.

use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::Row;

use super::Db;
use crate::dialect::{Dialect, Quoting};

/// A table's name: catalog (the database for Postgres and MySQL), schema (Postgres), table.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableId {
    /// The catalog: the database name, where the database has one.
    pub catalog: Option<String>,
    /// The schema (Postgres).
    pub schema: Option<String>,
    /// The table.
    pub name: String,
}

impl TableId {
    /// A table with only a name (SQLite, or a name as a user typed it).
    pub fn named(name: impl Into<String>) -> TableId {
        TableId {
            catalog: None,
            schema: None,
            name: name.into(),
        }
    }

    /// The fully qualified name, unquoted (`catalog.schema.table`): the `table` of source
    /// partitions, and what `table.whitelist` entries and `table.include.list` regexes match.
    pub fn qualified(&self) -> String {
        let mut parts: Vec<&str> = Vec::with_capacity(3);
        parts.extend(self.catalog.as_deref());
        parts.extend(self.schema.as_deref());
        parts.push(&self.name);
        parts.join(".")
    }

    /// The name as SQL text: schema (Postgres) or database (MySQL) and table, quoted.
    pub fn sql(&self, dialect: Dialect, quoting: Quoting) -> String {
        let owner = match dialect {
            Dialect::Postgres => self.schema.as_deref(),
            Dialect::MySql => self.catalog.as_deref(),
            Dialect::Sqlite => None,
        };
        match owner {
            Some(o) => format!(
                "{}.{}",
                dialect.ident(o, quoting),
                dialect.ident(&self.name, quoting)
            ),
            None => dialect.ident(&self.name, quoting),
        }
    }
}

impl std::fmt::Display for TableId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.qualified())
    }
}

/// A column as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnDef {
    /// The column name.
    pub name: String,
    /// The type name, upper case, without size (`INT4`, `VARCHAR`, `DECIMAL`, `INTEGER`).
    pub type_name: String,
    /// The full declared type as the catalog spells it (`int(10) unsigned`, `numeric(10,2)`).
    pub declared: String,
    /// Numeric precision, when the type has one.
    pub precision: Option<i64>,
    /// Numeric scale, when the type has one.
    pub scale: Option<i64>,
    /// Whether the column accepts NULL.
    pub nullable: bool,
    /// Whether the database assigns the column's values (auto-increment, serial, identity).
    pub auto_increment: bool,
}

/// Table types for `table.types` (`TABLE`, `VIEW`, `PARTITIONED TABLE`, …).
fn pg_relkinds(types: &[String]) -> Vec<String> {
    let mut kinds = Vec::new();
    for t in types {
        let k = match t.trim().to_ascii_uppercase().as_str() {
            "TABLE" => "r",
            "VIEW" => "v",
            "PARTITIONED TABLE" | "PARTITIONED_TABLE" => "p",
            "MATERIALIZED VIEW" => "m",
            "FOREIGN TABLE" => "f",
            _ => continue,
        };
        kinds.push(k.to_string());
    }
    kinds
}

/// The SQL list of table kinds for `table.types`, in the spelling of the catalog at hand
/// (`table_spelling`, `view_spelling`); `None` when no supported kind was asked for.
fn kinds(types: &[String], table_spelling: &str, view_spelling: &str) -> Option<String> {
    let wants = |name: &str| types.iter().any(|t| t.trim().eq_ignore_ascii_case(name));
    let mut kinds = Vec::new();
    if wants("TABLE") {
        kinds.push(format!("'{table_spelling}'"));
    }
    if wants("VIEW") {
        kinds.push(format!("'{view_spelling}'"));
    }
    (!kinds.is_empty()).then(|| kinds.join(", "))
}

impl Db {
    /// The tables (of `table.types`) visible to the connection, sorted by qualified name, as
    /// the JDBC drivers' `getTables(catalog, schemaPattern, "%", types)` finds them:
    /// - Postgres: in schemas matching the SQL `LIKE` pattern `schema.pattern`; pgjdbc ignores
    ///   the catalog (one database a connection);
    /// - MySQL/MariaDB: the catalog is the database, `catalog.pattern` (unset: the
    ///   connection's database; `""`: none, as no MySQL table is without a catalog);
    /// - SQLite: every table of the file.
    pub async fn list_tables(
        &self,
        types: &[String],
        catalog: Option<&str>,
        schema_pattern: Option<&str>,
    ) -> Result<Vec<TableId>, sqlx::Error> {
        let mut tables = match self {
            Db::Postgres(pool) => {
                let rows = sqlx::query(
                    "SELECT n.nspname::text, c.relname::text \
                     FROM pg_catalog.pg_class c \
                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.relkind::text = ANY($1) \
                       AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                       AND n.nspname NOT LIKE 'pg\\_toast%' \
                       AND n.nspname NOT LIKE 'pg\\_temp%' \
                       AND ($2::text IS NULL OR n.nspname LIKE $2)",
                )
                .bind(pg_relkinds(types))
                .bind(schema_pattern)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        // as pgjdbc reports them: no catalog
                        Ok(TableId {
                            catalog: None,
                            schema: Some(r.try_get(0)?),
                            name: r.try_get(1)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            }
            Db::MySql(pool) => {
                let Some(kinds) = kinds(types, "BASE TABLE", "VIEW") else {
                    return Ok(Vec::new());
                };
                let sql = format!(
                    "SELECT CAST(table_schema AS CHAR), CAST(table_name AS CHAR) \
                     FROM information_schema.tables \
                     WHERE table_schema = COALESCE(?, DATABASE()) AND table_type IN ({kinds})"
                );
                let rows = sqlx::query(&sql).bind(catalog).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| {
                        Ok(TableId {
                            catalog: Some(r.try_get(0)?),
                            schema: None,
                            name: r.try_get(1)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            }
            Db::Sqlite(pool) => {
                let Some(kinds) = kinds(types, "table", "view") else {
                    return Ok(Vec::new());
                };
                let sql = format!(
                    "SELECT name FROM sqlite_master WHERE type IN ({kinds}) \
                     AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                );
                let rows = sqlx::query(&sql).fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok(TableId::named(r.try_get::<String, _>(0)?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            }
        };
        tables.sort();
        Ok(tables)
    }

    /// A table's columns, in table order (empty when there is no such table).
    pub async fn describe(&self, table: &TableId) -> Result<Vec<ColumnDef>, sqlx::Error> {
        match self {
            Db::Postgres(pool) => {
                let rows = sqlx::query(
                    "SELECT column_name::text, upper(udt_name::text), \
                       format_type(a.atttypid, a.atttypmod), is_nullable::text, \
                       numeric_precision::int8, numeric_scale::int8, \
                       coalesce(column_default::text, ''), is_identity::text \
                     FROM information_schema.columns c \
                     JOIN pg_catalog.pg_attribute a \
                       ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass \
                      AND a.attname = c.column_name \
                     WHERE c.table_schema = $1 AND c.table_name = $2 \
                     ORDER BY c.ordinal_position",
                )
                .bind(table.schema.as_deref().unwrap_or("public"))
                .bind(&table.name)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let default: String = r.try_get(6)?;
                        let identity: String = r.try_get(7)?;
                        Ok(ColumnDef {
                            name: r.try_get(0)?,
                            type_name: r.try_get(1)?,
                            declared: r.try_get(2)?,
                            nullable: r.try_get::<String, _>(3)? == "YES",
                            precision: r.try_get(4)?,
                            scale: r.try_get(5)?,
                            auto_increment: identity == "YES" || default.starts_with("nextval("),
                        })
                    })
                    .collect()
            }
            Db::MySql(pool) => {
                let rows = sqlx::query(
                    "SELECT CAST(column_name AS CHAR), CAST(UPPER(data_type) AS CHAR), \
                       CAST(column_type AS CHAR), CAST(is_nullable AS CHAR), \
                       CAST(numeric_precision AS SIGNED), CAST(numeric_scale AS SIGNED), \
                       CAST(extra AS CHAR) \
                     FROM information_schema.columns \
                     WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ? \
                     ORDER BY ordinal_position",
                )
                .bind(table.catalog.as_deref())
                .bind(&table.name)
                .fetch_all(pool)
                .await?;
                rows.iter()
                    .map(|r| {
                        let extra: String = r.try_get(6)?;
                        Ok(ColumnDef {
                            name: r.try_get(0)?,
                            type_name: r.try_get(1)?,
                            declared: r.try_get(2)?,
                            nullable: r.try_get::<String, _>(3)? == "YES",
                            precision: r.try_get(4)?,
                            scale: r.try_get(5)?,
                            auto_increment: extra.to_ascii_lowercase().contains("auto_increment"),
                        })
                    })
                    .collect()
            }
            Db::Sqlite(pool) => {
                let sql = format!(
                    "PRAGMA table_info({})",
                    Dialect::Sqlite.ident(&table.name, Quoting::Always)
                );
                let rows = sqlx::query(&sql).fetch_all(pool).await?;
                let pk_count = rows
                    .iter()
                    .filter(|r| r.try_get::<i64, _>(5).is_ok_and(|pk| pk > 0))
                    .count();
                rows.iter()
                    .map(|r| {
                        let declared: String = r.try_get(2)?;
                        let (type_name, precision, scale) = split_declared(&declared);
                        let pk = r.try_get::<i64, _>(5)? > 0;
                        let integer_pk = pk && pk_count == 1 && type_name == "INTEGER";
                        Ok(ColumnDef {
                            name: r.try_get(1)?,
                            type_name,
                            declared,
                            precision,
                            scale,
                            // an INTEGER PRIMARY KEY is the rowid: never null, assigned
                            nullable: r.try_get::<i64, _>(3)? == 0 && !integer_pk,
                            auto_increment: integer_pk,
                        })
                    })
                    .collect()
            }
        }
    }

    /// The database's current time (Confluent's `currentTimeOnDB`), as UTC.
    pub async fn current_time(&self) -> Result<DateTime<Utc>, sqlx::Error> {
        match self {
            Db::Postgres(pool) => {
                let row = sqlx::query("SELECT CURRENT_TIMESTAMP")
                    .fetch_one(pool)
                    .await?;
                row.try_get::<DateTime<Utc>, _>(0)
            }
            Db::MySql(pool) => {
                let row = sqlx::query("SELECT UTC_TIMESTAMP(6)")
                    .fetch_one(pool)
                    .await?;
                Ok(row.try_get::<NaiveDateTime, _>(0)?.and_utc())
            }
            Db::Sqlite(pool) => {
                let row = sqlx::query("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
                    .fetch_one(pool)
                    .await?;
                let text: String = row.try_get(0)?;
                NaiveDateTime::parse_from_str(&text, "%Y-%m-%d %H:%M:%S%.f")
                    .map(|t| t.and_utc())
                    .map_err(|e| sqlx::Error::Decode(Box::new(e)))
            }
        }
    }
}

impl Db {
    /// The result columns of a custom query (types as the driver reports them, with the
    /// precision and scale of numeric columns; nullability where the database can tell, else
    /// nullable).
    pub async fn describe_query(
        &self,
        sql: &str,
    ) -> Result<Vec<crate::schema::ColumnInfo>, sqlx::Error> {
        use sqlx::{Column, Executor, TypeInfo};
        macro_rules! cols {
            ($pool:expr) => {{
                let d = $pool.describe(sql).await?;
                d.columns()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| crate::schema::ColumnInfo {
                        name: c.name().to_string(),
                        type_name: c.type_info().name().to_string(),
                        precision: None,
                        scale: None,
                        nullable: d.nullable(i).unwrap_or(true),
                    })
                    .collect()
            }};
        }
        let mut columns: Vec<crate::schema::ColumnInfo> = match self {
            Db::Postgres(p) => cols!(p),
            Db::MySql(p) => cols!(p),
            Db::Sqlite(p) => cols!(p),
        };
        if let Some(shapes) = super::query_shape::numeric_shapes(self, sql).await {
            if shapes.len() == columns.len() {
                for (c, (precision, scale)) in columns.iter_mut().zip(shapes) {
                    c.precision = precision;
                    c.scale = scale;
                }
            }
        }
        Ok(columns)
    }
}

impl ColumnDef {
    /// The column as the schema mapping reads it (MySQL's unsigned integers keep their
    /// `UNSIGNED`).
    pub fn info(&self) -> crate::schema::ColumnInfo {
        let unsigned = self.declared.to_ascii_lowercase().contains("unsigned");
        crate::schema::ColumnInfo {
            name: self.name.clone(),
            type_name: if unsigned && !self.type_name.contains("UNSIGNED") {
                format!("{} UNSIGNED", self.type_name)
            } else {
                self.type_name.clone()
            },
            precision: self.precision,
            scale: self.scale,
            nullable: self.nullable,
        }
    }
}

/// Splits a `tables` task config (quoted qualified names joined by commas) into names,
/// honouring quotes (a comma or dot inside quotes belongs to the name).
pub fn split_table_list(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '"' | '`') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                cur.push(c);
            }
            (None, ',') => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// Parses a table identifier (`t`, `s.t`, `"s"."t"`, `c.s.t`): 2 parts are schema and table
/// for Postgres, database and table for MySQL.
pub fn parse_table_id(text: &str, dialect: Dialect) -> Result<TableId, String> {
    let mut parts = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '`') => quote = Some(c),
            (Some(q), c) if c == q => {
                if chars.peek() == Some(&q) {
                    cur.push(q);
                    chars.next();
                } else {
                    quote = None;
                }
            }
            (None, '.') => parts.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if quote.is_some() {
        return Err(format!(
            "Failure parsing fully qualified identifier; missing trailing quote in {text}"
        ));
    }
    if cur.is_empty() {
        return Err(format!(
            "Failure parsing fully qualified identifier; ends in delimiter: {text}"
        ));
    }
    parts.push(cur);
    let name = parts.pop().unwrap_or_default();
    let id = match (parts.len(), dialect) {
        (0, _) => TableId::named(name),
        (1, Dialect::MySql) => TableId {
            catalog: parts.pop(),
            schema: None,
            name,
        },
        (1, _) => TableId {
            catalog: None,
            schema: parts.pop(),
            name,
        },
        _ => {
            let schema = parts.pop();
            TableId {
                catalog: parts.pop(),
                schema,
                name,
            }
        }
    };
    Ok(id)
}

/// `NUMERIC(10,2)` → (`NUMERIC`, 10, 2); `VARCHAR(20)` → (`VARCHAR`, 20, None).
pub(crate) fn split_declared(declared: &str) -> (String, Option<i64>, Option<i64>) {
    let upper = declared.trim().to_ascii_uppercase();
    match upper.split_once('(') {
        Some((base, args)) => {
            let args = args.trim_end_matches(')');
            let mut nums = args.split(',').map(|a| a.trim().parse::<i64>().ok());
            let p = nums.next().flatten();
            let s = nums.next().flatten();
            (base.trim().to_string(), p, s)
        }
        None => (upper, None, None),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pg(schema: &str, name: &str) -> TableId {
        TableId {
            catalog: None,
            schema: Some(schema.into()),
            name: name.into(),
        }
    }

    #[test]
    fn qualified_and_sql_names() {
        let t = pg("public", "orders");
        assert_eq!(t.qualified(), "public.orders");
        assert_eq!(
            t.sql(Dialect::Postgres, Quoting::Always),
            "\"public\".\"orders\""
        );
        let m = TableId {
            catalog: Some("demo".into()),
            schema: None,
            name: "t".into(),
        };
        assert_eq!(m.qualified(), "demo.t");
        assert_eq!(m.sql(Dialect::MySql, Quoting::Always), "`demo`.`t`");
        assert_eq!(
            TableId::named("x").sql(Dialect::Sqlite, Quoting::Never),
            "x"
        );
    }

    #[test]
    fn table_lists_and_identifiers() {
        assert_eq!(
            split_table_list("\"public\".\"a,b\",\"public\".\"c\""),
            vec!["\"public\".\"a,b\"", "\"public\".\"c\""]
        );
        assert_eq!(
            parse_table_id("\"public\".\"a.b\"", Dialect::Postgres).unwrap(),
            pg("public", "a.b")
        );
        let m = parse_table_id("`demo`.`t`", Dialect::MySql).unwrap();
        assert_eq!((m.catalog.as_deref(), m.name.as_str()), (Some("demo"), "t"));
        assert!(parse_table_id("\"open", Dialect::Sqlite).is_err());
        assert!(parse_table_id("a.", Dialect::Sqlite).is_err());
    }

    #[test]
    fn declared_types_split() {
        assert_eq!(
            split_declared("numeric(10, 2)"),
            ("NUMERIC".into(), Some(10), Some(2))
        );
        assert_eq!(split_declared("TEXT"), ("TEXT".into(), None, None));
    }
}
