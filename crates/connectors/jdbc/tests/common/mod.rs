//! What the database tests share.
#![allow(dead_code, clippy::unwrap_used)]

use std::time::Duration;

use connector_jdbc::db::{ConnectionSpec, Db};
use connector_jdbc::url::JdbcUrl;

/// A pool on the database a JDBC URL names (one attempt).
pub async fn db_for(url: &str) -> Db {
    Db::connect(&ConnectionSpec {
        url: JdbcUrl::parse(url).unwrap(),
        user: None,
        password: None,
        attempts: 1,
        backoff: Duration::ZERO,
        connector: String::new(),
        isolation: Default::default(),
    })
    .await
    .unwrap()
}
