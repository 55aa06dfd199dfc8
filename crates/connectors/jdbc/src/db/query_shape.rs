//! The precision and scale of a custom query's numeric columns. A driver's result metadata
//! carries them (JDBC's `getPrecision`/`getScale`); sqlx's does not, so the query's shape is
//! asked of the database: as a temporary view (Postgres) or an empty temporary table
//! (MySQL/MariaDB), on one connection, dropped at once. Without them a `NUMERIC(10,2)` would
//! be an unconstrained decimal, and `numeric.mapping=best_fit` would pick the wrong type.

use sqlx::{Acquire, Executor, Row};

use super::catalog::split_declared;
use super::Db;

/// The name of the temporary object (session-local, so tasks do not collide).
const PROBE: &str = "ferry_describe_query";

/// `(precision, scale)` of each result column of `sql`, in order; `None` for a column where
/// the database gives none (or when it cannot be asked: no right to create temporary
/// objects, a read-only standby).
pub async fn numeric_shapes(db: &Db, sql: &str) -> Option<Vec<(Option<i64>, Option<i64>)>> {
    let result = match db {
        Db::Postgres(pool) => postgres(pool, sql).await,
        Db::MySql(pool) => mysql(pool, sql).await,
        Db::Sqlite(_) => return None,
    };
    match result {
        Ok(shapes) => Some(shapes),
        Err(e) => {
            tracing::debug!("the numeric columns of the query are not described: {e}");
            None
        }
    }
}

async fn postgres(
    pool: &sqlx::PgPool,
    sql: &str,
) -> Result<Vec<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let conn = conn.acquire().await?;
    conn.execute(sqlx::raw_sql(&format!(
        "CREATE OR REPLACE TEMP VIEW {PROBE} AS {}",
        sql.trim().trim_end_matches(';')
    )))
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT information_schema._pg_numeric_precision(a.atttypid, a.atttypmod)::int8, \
           information_schema._pg_numeric_scale(a.atttypid, a.atttypmod)::int8, \
           a.atttypid = 'numeric'::regtype \
         FROM pg_catalog.pg_attribute a \
         WHERE a.attrelid = 'pg_temp.{PROBE}'::regclass AND a.attnum > 0 AND NOT a.attisdropped \
         ORDER BY a.attnum"
    ))
    .fetch_all(&mut *conn)
    .await;
    conn.execute(sqlx::raw_sql(&format!(
        "DROP VIEW IF EXISTS pg_temp.{PROBE}"
    )))
    .await?;
    rows?
        .iter()
        .map(|r| {
            let numeric: bool = r.try_get(2)?;
            Ok(match numeric {
                true => (r.try_get(0)?, r.try_get(1)?),
                false => (None, None),
            })
        })
        .collect()
}

async fn mysql(
    pool: &sqlx::MySqlPool,
    sql: &str,
) -> Result<Vec<(Option<i64>, Option<i64>)>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let conn = conn.acquire().await?;
    conn.execute(sqlx::raw_sql(&format!(
        "CREATE TEMPORARY TABLE {PROBE} AS SELECT * FROM ({}) AS ferry_q LIMIT 0",
        sql.trim().trim_end_matches(';')
    )))
    .await?;
    let rows = sqlx::query(&format!("SHOW COLUMNS FROM {PROBE}"))
        .fetch_all(&mut *conn)
        .await;
    conn.execute(sqlx::raw_sql(&format!(
        "DROP TEMPORARY TABLE IF EXISTS {PROBE}"
    )))
    .await?;
    rows?
        .iter()
        .map(|r| {
            let declared: String = match r.try_get::<String, _>(1) {
                Ok(s) => s,
                Err(_) => String::from_utf8_lossy(&r.try_get::<Vec<u8>, _>(1)?).into_owned(),
            };
            let (base, precision, scale) = split_declared(&declared);
            Ok(match base.as_str() {
                "DECIMAL" | "NUMERIC" => (precision, scale.or(Some(0))),
                _ => (None, None),
            })
        })
        .collect()
}
