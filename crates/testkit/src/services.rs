//! The real services integration tests run against, as `scripts/` start them and announce
//! them in the environment (`KAFKA_BOOTSTRAP_SERVERS`, …).
//!
//! A test that needs a service and does not find it **fails** when `CI=true`; elsewhere it is
//! skipped with a loud message on stderr, so a quick local `cargo test` still works.

/// The broker started by `scripts/broker.sh start`, if `KAFKA_BOOTSTRAP_SERVERS` is set.
/// Panics (fails the test) when it is not set and `CI=true`.
pub fn kafka_bootstrap(test: &str) -> Option<String> {
    service("KAFKA_BOOTSTRAP_SERVERS", "scripts/broker.sh start", test)
}

/// The Postgres started by `scripts/db.sh start` (`DATABASE_URL_PG`), as a JDBC URL with its
/// credentials in the query (`jdbc:postgresql://host:port/db?user=…&password=…`).
pub fn postgres_jdbc_url(test: &str) -> Option<String> {
    service("DATABASE_URL_PG", "scripts/db.sh start", test).map(|u| jdbc_url(&u, "postgresql"))
}

/// The MariaDB started by `scripts/db.sh start` (`DATABASE_URL_MYSQL`), as a JDBC URL
/// (`jdbc:mariadb://host:port/db?user=…&password=…`).
pub fn mariadb_jdbc_url(test: &str) -> Option<String> {
    service("DATABASE_URL_MYSQL", "scripts/db.sh start", test).map(|u| jdbc_url(&u, "mariadb"))
}

/// `scheme://user:password@host:port/db` → `jdbc:SUB://host:port/db?user=…&password=…`.
pub fn jdbc_url(url: &str, sub: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (auth, hostpath) = rest.split_once('@').unwrap_or(("", rest));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    format!("jdbc:{sub}://{hostpath}?user={user}&password={password}")
}

fn service(var: &str, script: &str, test: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(v) if !v.trim().is_empty() => Some(v),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(
                !ci,
                "{test}: {var} is not set; CI must start the service with `{script}`"
            );
            eprintln!(
                "SKIPPED {test}: {var} is not set (run `eval $({script})` to test against the \
real service)"
            );
            None
        }
    }
}
