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
