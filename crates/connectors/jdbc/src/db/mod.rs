//! Connections to the three databases (sqlx pools) and what the connectors do with them:
//! catalog lookups ([`catalog`]), reading rows as Connect values ([`rows`]).

pub mod catalog;
pub mod isolation;
pub mod query_shape;
pub mod rows;

use std::time::Duration;

use connect_api::ConnectError;
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{ConnectOptions, Connection};

use crate::dialect::Dialect;
use crate::url::JdbcUrl;
use isolation::Isolation;

/// How to reach a database: `connection.url`, `connection.user`, `connection.password`,
/// `connection.attempts`, `connection.backoff.ms`.
#[derive(Clone)]
pub struct ConnectionSpec {
    /// The parsed URL.
    pub url: JdbcUrl,
    /// `connection.user` (takes the place of the URL's user).
    pub user: Option<String>,
    /// `connection.password` (takes the place of the URL's password).
    pub password: Option<String>,
    /// `connection.attempts`: tries before giving up (at least 1).
    pub attempts: u32,
    /// `connection.backoff.ms`: the wait between tries.
    pub backoff: Duration,
    /// The connector the connection is for (its `name`), named in errors; may be empty.
    pub connector: String,
    /// `transaction.isolation.mode` of every connection (sources only).
    pub isolation: Isolation,
}

impl std::fmt::Debug for ConnectionSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionSpec")
            .field("url", &self.url)
            .field("user", &self.user())
            .field("password", &self.password().map(|_| "********"))
            .finish()
    }
}

impl ConnectionSpec {
    /// The user to log in as.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref().or(self.url.user.as_deref())
    }

    fn password(&self) -> Option<&str> {
        self.password.as_deref().or(self.url.password.as_deref())
    }

    /// `jdbc:… as user '…'`, for messages (no password).
    pub fn describe(&self) -> String {
        match self.user() {
            Some(u) => format!("{} as user '{u}'", self.url),
            None => self.url.to_string(),
        }
    }
}

/// An open pool of connections to one database.
#[derive(Clone, Debug)]
pub enum Db {
    /// PostgreSQL.
    Postgres(PgPool),
    /// MySQL or MariaDB.
    MySql(MySqlPool),
    /// SQLite.
    Sqlite(SqlitePool),
}

/// Connections a pool keeps: a task reads one result set at a time, and may look up the
/// catalog or the clock beside it.
const POOL_SIZE: u32 = 2;

impl Db {
    /// Connects, trying `connection.attempts` times `connection.backoff.ms` apart (Confluent's
    /// `CachedConnectionProvider`). The error names the URL (password masked), the user and
    /// the database's answer.
    pub async fn connect(spec: &ConnectionSpec) -> Result<Db, ConnectError> {
        let attempts = spec.attempts.max(1);
        let mut last = None;
        for attempt in 1..=attempts {
            match Db::connect_once(spec).await {
                Ok(db) => return Ok(db),
                Err(e) => {
                    tracing::warn!(
                        "Connection attempt {attempt} of {attempts} to {} failed: {e}",
                        spec.describe()
                    );
                    last = Some(e);
                    if attempt < attempts {
                        tokio::time::sleep(spec.backoff).await;
                    }
                }
            }
        }
        let cause = last.map(|e| e.to_string()).unwrap_or_default();
        let who = if spec.connector.is_empty() {
            String::new()
        } else {
            format!("Connector '{}': ", spec.connector)
        };
        Err(ConnectError::other(format!(
            "{who}Could not connect to {} after {attempts} attempt(s): {cause}",
            spec.describe()
        )))
    }

    /// The statement every new connection runs first (the isolation level), if any; a level
    /// the database lacks is warned about and left at the database's default.
    fn session_sql(spec: &ConnectionSpec) -> Option<String> {
        match spec.isolation.session_sql(spec.url.dialect) {
            Ok(sql) => sql,
            Err(why) => {
                tracing::warn!("transaction.isolation.mode is not applied: {why}; the database's default level is used");
                None
            }
        }
    }

    async fn connect_once(spec: &ConnectionSpec) -> Result<Db, sqlx::Error> {
        let url = &spec.url;
        let timeout = Duration::from_secs(30);
        let session = Db::session_sql(spec);
        // the pools run it on each connection they open
        macro_rules! after_connect {
            ($options:expr) => {{
                let session = session.clone();
                $options.after_connect(move |conn, _meta| {
                    let session = session.clone();
                    Box::pin(async move {
                        if let Some(sql) = session {
                            sqlx::Executor::execute(&mut *conn, sqlx::raw_sql(&sql)).await?;
                        }
                        Ok(())
                    })
                })
            }};
        }
        // one connection first: its error is the database's answer, where the pool's
        // would only be a timeout (and a session statement the database refuses fails here)
        macro_rules! probe {
            ($options:expr) => {{
                let mut conn = $options.connect().await?;
                if let Some(sql) = &session {
                    sqlx::Executor::execute(&mut conn, sqlx::raw_sql(sql)).await?;
                }
                conn.close().await?;
            }};
        }
        match url.dialect {
            Dialect::Postgres => {
                let mut o = PgConnectOptions::new()
                    .host(url.host.as_deref().unwrap_or("localhost"))
                    .port(url.port.unwrap_or(5432))
                    .database(&url.database)
                    .application_name("ferry-jdbc");
                if let Some(u) = spec.user() {
                    o = o.username(u);
                }
                if let Some(p) = spec.password() {
                    o = o.password(p);
                }
                probe!(o);
                let pool = after_connect!(PgPoolOptions::new())
                    .max_connections(POOL_SIZE)
                    .acquire_timeout(timeout)
                    .connect_lazy_with(o);
                Ok(Db::Postgres(pool))
            }
            Dialect::MySql => {
                let mut o = MySqlConnectOptions::new()
                    .host(url.host.as_deref().unwrap_or("localhost"))
                    .port(url.port.unwrap_or(3306))
                    .database(&url.database);
                if let Some(u) = spec.user() {
                    o = o.username(u);
                }
                if let Some(p) = spec.password() {
                    o = o.password(p);
                }
                probe!(o);
                let pool = after_connect!(MySqlPoolOptions::new())
                    .max_connections(POOL_SIZE)
                    .acquire_timeout(timeout)
                    .connect_lazy_with(o);
                Ok(Db::MySql(pool))
            }
            Dialect::Sqlite => {
                let o = SqliteConnectOptions::new()
                    .filename(&url.database)
                    .create_if_missing(true)
                    .busy_timeout(Duration::from_secs(30));
                probe!(o);
                let pool = after_connect!(SqlitePoolOptions::new())
                    .max_connections(POOL_SIZE)
                    .acquire_timeout(timeout)
                    .connect_lazy_with(o);
                Ok(Db::Sqlite(pool))
            }
        }
    }

    /// The database family.
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Postgres(_) => Dialect::Postgres,
            Db::MySql(_) => Dialect::MySql,
            Db::Sqlite(_) => Dialect::Sqlite,
        }
    }

    /// Closes the pool's connections.
    pub async fn close(&self) {
        match self {
            Db::Postgres(p) => p.close().await,
            Db::MySql(p) => p.close().await,
            Db::Sqlite(p) => p.close().await,
        }
    }

    /// Runs one statement without results (DDL, session settings).
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        Ok(match self {
            Db::Postgres(p) => sqlx::raw_sql(sql).execute(p).await?.rows_affected(),
            Db::MySql(p) => sqlx::raw_sql(sql).execute(p).await?.rows_affected(),
            Db::Sqlite(p) => sqlx::raw_sql(sql).execute(p).await?.rows_affected(),
        })
    }
}

/// A database error as the runtime should treat it: lost connections, pool timeouts,
/// serialization failures and deadlocks are retriable; anything else fails the task.
pub fn classify(context: impl std::fmt::Display, e: sqlx::Error) -> ConnectError {
    let message = format!("{context}: {e}");
    let retriable = match &e {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| {
            // SQLSTATE 08: connection exceptions; 40: transaction rollback (deadlock,
            // serialization); 57P01: admin shutdown
            c.starts_with("08") || c.starts_with("40") || c == "57P01"
        }),
        _ => false,
    };
    if retriable {
        ConnectError::Retriable {
            message,
            source: Some(Box::new(e)),
        }
    } else {
        ConnectError::Other {
            message,
            source: Some(Box::new(e)),
        }
    }
}
