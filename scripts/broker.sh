#!/usr/bin/env bash
# The Kafka-protocol broker for Ferry's tests and benchmarks: tansu 0.6.0 (crates.io) with
# sqlite storage, on 127.0.0.1. Idempotent; prints the environment it exports.
#
#   scripts/broker.sh start            start (or find running) and print KAFKA_BOOTSTRAP_SERVERS=…
#   scripts/broker.sh stop             stop what `start` started (by PID)
#   scripts/broker.sh status           print KAFKA_BOOTSTRAP_SERVERS=… if running, exit 1 if not
#   scripts/broker.sh topic NAME [P]   create topic NAME with P partitions (default 1)
#
# Environment:
#   FERRY_BROKER_PORT  port (default 19092)
#   FERRY_TOOLS        where tansu is installed if not on PATH (default target/tools); the first
#                      start installs it there with cargo (about 13 minutes on 2 cores)
#   FERRY_BROKER_DIR   data and PID directory (default target/broker); each start empties the data
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

port="${FERRY_BROKER_PORT:-19092}"
tools="${FERRY_TOOLS:-$root/target/tools}"
dir="${FERRY_BROKER_DIR:-$root/target/broker}"
pidfile="$dir/tansu.pid"
log="$dir/tansu.log"
bootstrap="127.0.0.1:$port"

tansu_bin() {
  if [ -n "${TANSU_BIN:-}" ]; then echo "$TANSU_BIN"; return; fi
  if [ -x "$tools/tansu/bin/tansu" ]; then echo "$tools/tansu/bin/tansu"; return; fi
  if command -v tansu >/dev/null 2>&1; then command -v tansu; return; fi
  echo "installing tansu 0.6.0 into $tools/tansu (once; about 13 minutes)" >&2
  cargo install tansu@0.6.0 --locked --no-default-features --features libsql,dynostore \
    --root "$tools/tansu" >&2
  echo "$tools/tansu/bin/tansu"
}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

case "${1:-}" in
  start)
    if running; then
      echo "KAFKA_BOOTSTRAP_SERVERS=$bootstrap"
      exit 0
    fi
    if port_open; then
      echo "port $port is in use by another process; set FERRY_BROKER_PORT" >&2
      exit 1
    fi
    bin=$(tansu_bin)
    mkdir -p "$dir"
    # every start begins empty: a test broker's data only grows (and slows tansu down)
    rm -f "$dir"/tansu.db "$dir"/tansu.db-shm "$dir"/tansu.db-wal
    # tansu reads the sqlite path relative to its working directory
    (cd "$dir" && exec nohup "$bin" broker \
      --listener-url "tcp://127.0.0.1:$port" \
      --advertised-listener-url "tcp://127.0.0.1:$port" \
      --storage-engine "sqlite://tansu.db?maintenance_interval=1h" \
      --silent >"$log" 2>&1) &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if port_open; then
        echo "KAFKA_BOOTSTRAP_SERVERS=$bootstrap"
        exit 0
      fi
      if ! running; then break; fi
      sleep 0.1
    done
    echo "tansu did not start; its log ($log):" >&2
    cat "$log" >&2 || true
    exit 1
    ;;
  stop)
    if running; then
      pid=$(cat "$pidfile")
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    ;;
  status)
    if running; then echo "KAFKA_BOOTSTRAP_SERVERS=$bootstrap"; else exit 1; fi
    ;;
  topic)
    name="${2:?topic name}"
    partitions="${3:-1}"
    "$(tansu_bin)" topic create "$name" --broker "tcp://$bootstrap" --partitions "$partitions"
    ;;
  *)
    echo "usage: $0 start|stop|status|topic NAME [PARTITIONS]" >&2
    exit 2
    ;;
esac
