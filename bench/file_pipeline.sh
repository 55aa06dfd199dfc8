#!/usr/bin/env bash
# File → Kafka → file throughput of Ferry's FileStream connectors against kcat, on one broker
# both can reach (the embedded broker, librdkafka's mock cluster, as a process of its own),
# in one run. Also the standalone worker's peak RSS and its time from start to `GET /`.
#
#   bench/file_pipeline.sh [LINES]        (default 1,000,000 lines of 100 bytes)
#
# Needs kcat (Debian: apt-get install kcat) and curl. Figures:
# - produce: `kcat -P -l FILE` vs a worker running FileStreamSource, from process start until
#   the topic's high watermark reaches LINES (Ferry's time includes its startup);
# - consume: `kcat -C -e -o beginning` vs a worker running FileStreamSink on the topic kcat
#   filled, from the first byte written to the whole file (the consumer group's join, 3 s on
#   the mock broker like Kafka's group.initial.rebalance.delay.ms, is left out; the time
#   including it is shown too).
set -euo pipefail
cd "$(dirname "$0")/.."

lines="${1:-1000000}"
# the mock broker keeps at most 5 MB per partition: spread the 100 MB over enough of them,
# evenly (both producers pick a partition per record: sticky.partitioning.linger.ms=0)
partitions="${FERRY_BENCH_PARTITIONS:-64}"
for tool in kcat curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }
done
cargo build -q --release -p ferry
ferry="$(pwd)/target/release/ferry"
dir="$(pwd)/target/bench/file_pipeline"
rm -rf "$dir" && mkdir -p "$dir"

now() { date +%s.%N; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):,.0f}')"; }
ratio() { python3 -c "print(f'{($1 / ($3 - $2)) / ($1 / ($5 - $4)):.2f}')"; }
rss_mb() { awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

echo "== input: $lines lines of 100 bytes"
python3 - "$lines" "$dir/input.txt" <<'EOF'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
pad = "x" * 83
with open(path, "w") as f:
    for i in range(n):
        f.write(f"line {i:010d} {pad}\n")  # 16 + 83 + 1 = 100 bytes
EOF
size=$(stat -c %s "$dir/input.txt")

"$ferry" embedded-broker --topic "bench-kcat:$partitions" --topic "bench-ferry:$partitions" \
  >"$dir/broker.out" 2>"$dir/broker.log" &
broker_pid=$!
pids=("$broker_pid")
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q KAFKA_BOOTSTRAP_SERVERS "$dir/broker.out" && break; sleep 0.05; done
bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$dir/broker.out")
echo "== broker: $bootstrap (embedded, $partitions partitions per topic)"

# the sum of the high watermarks of a topic's partitions
hwm() {
  local args=()
  for p in $(seq 0 $((partitions - 1))); do args+=(-t "$1:$p:-1"); done
  kcat -Q -b "$bootstrap" "${args[@]}" 2>/dev/null | awk '{s += $NF} END {print s + 0}'
}
# the same lines in any order (partitions interleave)
same_lines() { cmp -s <(sort "$1") <(sort "$2"); }
# fails the run when $1 (a deadline in epoch seconds) has passed
check_deadline() {
  if python3 -c "import sys,time; sys.exit(0 if time.time() < $1 else 1)"; then return 0; fi
  echo "timed out; see the logs in $dir" >&2
  exit 1
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/worker.properties" <<EOF
bootstrap.servers=$bootstrap
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.storage.file.filename=$dir/connect.offsets
offset.flush.interval.ms=1000
listeners=http://127.0.0.1:$port
producer.sticky.partitioning.linger.ms=0
EOF
cat >"$dir/source.properties" <<EOF
name=bench-source
connector.class=FileStreamSource
file=$dir/input.txt
topic=bench-ferry
EOF
cat >"$dir/sink.properties" <<EOF
name=bench-sink
connector.class=FileStreamSink
file=$dir/ferry-out.txt
topics=bench-kcat
EOF

echo "== produce: kcat -P"
t0=$(now); kcat -P -b "$bootstrap" -X sticky.partitioning.linger.ms=0 -t bench-kcat -l "$dir/input.txt"; t1=$(now)
[ "$(hwm bench-kcat)" -ge "$lines" ] || { echo "kcat did not produce every line" >&2; exit 1; }
kcat_p=("$t0" "$t1")

echo "== produce: ferry FileStreamSource"
t0=$(now)
"$ferry" standalone "$dir/worker.properties" "$dir/source.properties" 2>"$dir/source.log" &
worker=$!; pids+=("$worker")
deadline=$(python3 -c 'import time; print(time.time() + 300)')
while [ "$(hwm bench-ferry || echo 0)" -lt "$lines" ]; do check_deadline "$deadline"; sleep 0.02; done
t1=$(now)
source_rss=$(rss_mb "$worker")
kill -TERM "$worker"; wait "$worker" || true
ferry_p=("$t0" "$t1")

echo "== consume: kcat -C -e"
t0=$(now); kcat -C -b "$bootstrap" -t bench-kcat -e -o beginning -q >"$dir/kcat-out.txt"; t1=$(now)
same_lines "$dir/input.txt" "$dir/kcat-out.txt" || { echo "kcat's output differs from the input" >&2; exit 1; }
kcat_c=("$t0" "$t1")

echo "== consume: ferry FileStreamSink"
start=$(now)
"$ferry" standalone "$dir/worker.properties" "$dir/sink.properties" 2>"$dir/sink.log" &
worker=$!; pids+=("$worker")
deadline=$(python3 -c 'import time; print(time.time() + 300)')
while [ ! -s "$dir/ferry-out.txt" ]; do check_deadline "$deadline"; sleep 0.005; done
t0=$(now)
while [ "$(stat -c %s "$dir/ferry-out.txt")" -lt "$size" ]; do check_deadline "$deadline"; sleep 0.01; done
t1=$(now)
sink_rss=$(rss_mb "$worker")
kill -TERM "$worker"; wait "$worker" || true
same_lines "$dir/input.txt" "$dir/ferry-out.txt" || { echo "Ferry's output differs from the input" >&2; exit 1; }
ferry_c=("$t0" "$t1")

echo "== start: ferry standalone until GET / answers"
starts=()
for _ in 1 2 3 4 5; do
  t0=$(now)
  "$ferry" standalone "$dir/worker.properties" 2>/dev/null &
  worker=$!; pids+=("$worker")
  until curl -sf "http://127.0.0.1:$port/" >/dev/null; do sleep 0.002; done
  t1=$(now)
  starts+=("$(python3 -c "print(round(($t1 - $t0) * 1000))")")
  kill -TERM "$worker"; wait "$worker" || true
done
start_ms=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 3p)

echo
echo "| step | kcat | Ferry | Ferry/kcat |"
echo "|---|---:|---:|---:|"
echo "| produce ($lines × 100 B) | $(rate "$lines" "${kcat_p[@]}") msg/s ($(elapsed "${kcat_p[@]}") s) | $(rate "$lines" "${ferry_p[@]}") msg/s ($(elapsed "${ferry_p[@]}") s) | $(ratio "$lines" "${ferry_p[@]}" "${kcat_p[@]}") |"
echo "| consume ($lines × 100 B) | $(rate "$lines" "${kcat_c[@]}") msg/s ($(elapsed "${kcat_c[@]}") s) | $(rate "$lines" "${ferry_c[@]}") msg/s ($(elapsed "${ferry_c[@]}") s; $(elapsed "$start" "${ferry_c[1]}") s with the group join) | $(ratio "$lines" "${ferry_c[@]}" "${kcat_c[@]}") |"
echo
echo "peak RSS: source worker ${source_rss} MB, sink worker ${sink_rss} MB"
echo "start to GET /: median ${start_ms} ms of 5 (${starts[*]})"
