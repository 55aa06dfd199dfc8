#!/usr/bin/env bash
# How long a distributed cluster takes to run a stopped worker's source task elsewhere, on
# the embedded broker (librdkafka's mock cluster, a process of its own, fresh per round):
#
#   bench/distributed_failover.sh [SIGNAL] [ROUNDS]     (default KILL, 3 rounds)
#
# Each round: three `ferry distributed` workers (session.timeout.ms FERRY_BENCH_SESSION_MS,
# default 3500; heartbeat 500 ms; scheduled.rebalance.max.delay.ms=0) run a FileStreamSource
# and a three-task FileStreamSink over FERRY_BENCH_LINES lines (default 1,000,000). Once the
# lines flow and the group has had FERRY_BENCH_SETTLE seconds (default 4) to finish the
# rounds that placed the work (the lines may all be through by then: this measures a
# settled cluster; the end-to-end test crates/ferry/tests/distributed.rs kills mid-stream),
# the worker running source-0 gets SIGNAL (KILL: it dies; TERM: it stops its work and
# leaves the group); the figure is the time until another worker reports source-0 RUNNING.
# Every line must then have arrived (at least once) for the round to count.
#
# Why the figures sit where they do: docs/ARCHITECTURE.md, decisions 24 and 25.
set -euo pipefail
cd "$(dirname "$0")/.."

signal="${1:-KILL}"
rounds="${2:-3}"
lines="${FERRY_BENCH_LINES:-1000000}"
session="${FERRY_BENCH_SESSION_MS:-3500}"
settle="${FERRY_BENCH_SETTLE:-4}"
# the mock keeps about 5 MB of each partition: at most about 100,000 lines in each
partitions=$(( (lines + 99999) / 100000 ))
case "$signal" in KILL | TERM) ;; *) echo "SIGNAL must be KILL or TERM, not $signal" >&2; exit 2 ;; esac
for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
cargo build -q --release -p ferry
ferry="$(pwd)/target/release/ferry"
dir="$(pwd)/target/bench/distributed_failover"
rm -rf "$dir" && mkdir -p "$dir"

pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
fail() { echo "$1; see $round_dir" >&2; exit 1; }

python3 - "$lines" "$dir/input.txt" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w") as f:
    for i in range(n):
        f.write(f"line {i:09d}\n")
EOF

# the worker running source-0 (RUNNING), as the worker at port $1 reports it; empty if none
source_owner() {
  curl -s "http://127.0.0.1:$1/connectors/source/status" | python3 -c '
import json, sys
try:
    tasks = json.load(sys.stdin)["tasks"]
except Exception:
    tasks = []
print(next((t["worker_id"] for t in tasks if t.get("state") == "RUNNING"), ""))'
}
# POSTs connector JSON $2 to the worker at port $1, retrying while the cluster rebalances
create() {
  for _ in $(seq 1 360); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "$2" "http://127.0.0.1:$1/connectors")
    [ "$code" = 201 ] && return 0
    sleep 0.25
  done
  fail "POST /connectors kept failing ($code)"
}

times=()
for round in $(seq 1 "$rounds"); do
  round_dir="$dir/round$round"
  mkdir -p "$round_dir"
  group="failover-$round-$$"
  "$ferry" embedded-broker --topic "$group-configs:1" --topic "$group-offsets:3" \
    --topic "$group-status:2" --topic "$group-data:$partitions" >"$round_dir/broker.out" 2>"$round_dir/broker.log" &
  pids+=("$!")
  for _ in $(seq 1 100); do grep -q KAFKA_BOOTSTRAP_SERVERS "$round_dir/broker.out" && break; sleep 0.05; done
  bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$round_dir/broker.out")
  [ -n "$bootstrap" ] || fail "the embedded broker did not start"
  ports=()
  declare -A worker_pid=()
  for i in 0 1 2; do
    port=$(free_port)
    ports+=("$port")
    cat >"$round_dir/w$i.properties" <<EOF
bootstrap.servers=$bootstrap
group.id=$group
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
config.storage.topic=$group-configs
offset.storage.topic=$group-offsets
status.storage.topic=$group-status
config.storage.replication.factor=1
offset.storage.replication.factor=1
status.storage.replication.factor=1
offset.storage.partitions=3
status.storage.partitions=2
listeners=http://127.0.0.1:$port
rest.advertised.host.name=127.0.0.1
offset.flush.interval.ms=500
heartbeat.interval.ms=500
session.timeout.ms=$session
scheduled.rebalance.max.delay.ms=0
consumer.session.timeout.ms=$session
consumer.heartbeat.interval.ms=500
EOF
    "$ferry" distributed "$round_dir/w$i.properties" 2>"$round_dir/w$i.log" &
    pids+=("$!")
    worker_pid["127.0.0.1:$port"]=$!
  done
  output="$round_dir/output.txt"
  create "${ports[1]}" "{\"name\":\"source\",\"config\":{\"connector.class\":\"FileStreamSource\",\"file\":\"$dir/input.txt\",\"topic\":\"$group-data\"}}"
  create "${ports[2]}" "{\"name\":\"sink\",\"config\":{\"connector.class\":\"FileStreamSink\",\"file\":\"$output\",\"topics\":\"$group-data\",\"tasks.max\":\"3\"}}"
  owner=""
  for _ in $(seq 1 1200); do
    owner=$(source_owner "${ports[0]}")
    [ -n "$owner" ] && [ -s "$output" ] && break
    sleep 0.1
  done
  [ -n "$owner" ] && [ -s "$output" ] || fail "the pipeline did not start"
  sleep "$settle"
  owner=$(source_owner "${ports[0]}")
  victim="${worker_pid[$owner]:-}"
  [ -n "$victim" ] || fail "no worker runs source-0"
  survivor=""
  for p in "${ports[@]}"; do [ "127.0.0.1:$p" != "$owner" ] && survivor=$p; done
  arrived=$(wc -l <"$output")
  t0=$(now)
  kill "-$signal" "$victim"
  moved=""
  for _ in $(seq 1 2400); do
    moved=$(source_owner "$survivor")
    [ -n "$moved" ] && [ "$moved" != "$owner" ] && break
    sleep 0.05
  done
  t1=$(now)
  [ -n "$moved" ] && [ "$moved" != "$owner" ] || fail "source-0 did not move"
  took=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
  { wait "$victim"; } 2>/dev/null || true # reaped quietly (no "Killed" line)
  for _ in $(seq 1 600); do
    [ "$(sort -u "$output" | wc -l)" -ge "$lines" ] && break
    sleep 0.5
  done
  distinct=$(sort -u "$output" | wc -l)
  [ "$distinct" -ge "$lines" ] || fail "only $distinct of $lines lines arrived"
  echo "round $round: SIG$signal to $owner after $arrived lines; source-0 ran on $moved after $took s; all $lines lines arrived ($(wc -l <"$output") written)"
  times+=("$took")
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
done
echo
echo "SIG$signal, session ${session} ms, $rounds rounds: ${times[*]} s (median $(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') s)"
