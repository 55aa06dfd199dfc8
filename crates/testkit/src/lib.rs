//! Ferry test support: the reference-case ("golden") runner, and the real services
//! integration tests use ([`services`]).
//!
//! The cases (`shared/golden/connect/*.jsonl`, format in its README) record what Apache Kafka
//! 3.9.0's own classes produced. The runner reads a folder of them, runs each case through
//! Ferry, compares the outcome with Kafka's, and reports agreement per area
//! (`cargo run -q --release -p testkit --bin golden -- [--area REGEX] [-v] DIR`).
//!
//! Modules, in the order a case flows through them:
//! - [`case`]: loading lines (parsed with Ferry's `JsonNode`, so number text stays exact);
//! - [`ops`] / [`transform`]: running a case's op through Ferry;
//! - [`value_json`] / [`render`] / [`schema_json`]: the cases' value and schema JSON ↔ Ferry;
//! - [`out`], [`compare`], [`verdict`]: the rendered output, its comparison with Kafka's, and
//!   the verdict (errors by outcome and kind);
//! - [`divergences`], [`runner`]: the list of deliberate divergences, the run and its report.

pub mod case;
pub mod compare;
pub mod divergences;
pub mod ops;
pub mod out;
pub mod outcome;
pub mod render;
pub mod runner;
pub mod schema_json;
pub mod services;
pub mod transform;
pub mod value_json;
pub mod verdict;

pub use divergences::Divergences;
pub use runner::{run_cases, run_dir, Report, RunOptions, Status};

/// The areas Ferry implements, as an area pattern: converters, `Values` and the SMTs. A
/// case set in the same format with other areas is still run by the `golden` binary.
pub const IMPLEMENTED_AREAS: &str = "converters|header_converters|json_.*|values|smt_.*";

/// The reference-case folder for tests: `FERRY_GOLDEN_DIR` (a relative path is taken from the
/// workspace root, as `scripts/test.sh` runs from there), else `../shared/golden/connect` from
/// the workspace root.
pub fn golden_dir() -> std::path::PathBuf {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match std::env::var_os("FERRY_GOLDEN_DIR") {
        Some(dir) if !dir.is_empty() => root.join(dir),
        _ => root.join("../shared/golden/connect"),
    }
}

/// Whether the tests run in CI (`CI=true` or `CI=1`): a missing case folder then fails.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A string config map from `(key, value)` pairs, for tests.
pub fn config_map(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A name (topic, connector, file) no earlier test run used: `prefix` and the time in
/// nanoseconds.
pub fn unique_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{prefix}-{nanos}")
}
