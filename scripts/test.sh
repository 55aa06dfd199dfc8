#!/usr/bin/env bash
# Runs Ferry's whole test suite: formatting, lints, unit + golden + integration tests, the
# REST API checks (a published client library's lifecycle and a schemathesis run), and a
# bounded fuzz run of the JsonConverter decoder. This is the README's test command and what
# CI (.ci/run) calls after installing prerequisites.
#
# The integration and end-to-end tests run against a real Kafka-protocol broker (tansu, started
# by scripts/broker.sh; installed with cargo on first use, about 13 minutes) unless
# KAFKA_BOOTSTRAP_SERVERS already names one, and against PostgreSQL 15 and MariaDB 10.11
# (Debian's packages, started by scripts/db.sh from target/db) unless DATABASE_URL_PG names a
# Postgres (DATABASE_URL_MYSQL then names the MariaDB).
#
# Environment:
#   FERRY_GOLDEN_DIR   reference cases to run (default: ../shared/golden/connect)
#   FERRY_FUZZ_SECONDS fuzz budget per target (default 60; 0 skips fuzzing)
#   FERRY_REST_FUZZ_SECONDS  schemathesis budget (default 60; 0 skips the REST checks)
#   KAFKA_BOOTSTRAP_SERVERS  a broker to test against instead of starting one
#   DATABASE_URL_PG, DATABASE_URL_MYSQL  databases to test against instead of starting them
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "broker and databases for integration and end-to-end tests"
# what this run started, stopped at exit (each stop is idempotent, so it is listed first)
started=""
trap 'for s in $started; do scripts/$s.sh stop || true; done' EXIT
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  started="$started broker"
  env_line=$(scripts/broker.sh start)
  echo "$env_line"
  export "${env_line?}"
fi
if [ -z "${DATABASE_URL_PG:-}" ]; then
  started="$started db"
  db_env=$(scripts/db.sh start | tail -n 2)
  for env_line in $db_env; do
    echo "$env_line"
    export "${env_line?}"
  done
fi

step "cargo test (unit, golden reference cases, property, integration, end-to-end tests)"
CI="${CI:-true}" cargo test --workspace --release

step "golden reference cases: agreement per area"
cargo run -q --release -p testkit --bin golden -- --area 'converters|header_converters|json_.*|values|smt_.*' \
  "${FERRY_GOLDEN_DIR:-../shared/golden/connect}"

rest_seconds="${FERRY_REST_FUZZ_SECONDS:-60}"
if [ "$rest_seconds" != "0" ]; then
  step "REST API from outside: kafka-connect-py lifecycle, schemathesis for ${rest_seconds}s"
  FERRY_REST_FUZZ_SECONDS="$rest_seconds" scripts/rest_checks.sh
fi

fuzz_seconds="${FERRY_FUZZ_SECONDS:-60}"
if [ "$fuzz_seconds" != "0" ]; then
  step "fuzz JsonConverter decoding for ${fuzz_seconds}s"
  if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed: run 'cargo install cargo-fuzz --locked' (CI does)" >&2
    exit 1
  fi
  mkdir -p crates/connect-converters/fuzz/corpus/json_decode
  (cd crates/connect-converters/fuzz &&
    RUSTC_BOOTSTRAP=1 cargo fuzz run json_decode corpus/json_decode seeds/json_decode -- \
      -max_total_time="$fuzz_seconds" -rss_limit_mb=2048 -max_len=4096)
fi

step "all checks passed"
