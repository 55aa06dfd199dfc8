#!/usr/bin/env bash
# File → Kafka → file throughput of Ferry's FileStream connectors against kcat, on one broker
# both can reach (the embedded broker, librdkafka's mock cluster, as a process of its own),
# in one run. Also the standalone worker's peak RSS and its time from start to `GET /`.
#
#   bench/file_pipeline.sh [LINES]        (default 1,000,000 lines of 100 bytes)
#
# FERRY_BENCH_WORKER_EXTRA: lines added to the workers' properties (to try client settings).
#
# Needs kcat (Debian: apt-get install kcat) and curl. Figures:
# - produce: `kcat -P -l FILE` vs a worker running FileStreamSource, from process start until
#   the topic's high watermarks add up to LINES, as one watcher process sees them for both
#   (crates/kafka/examples/wait_hwm.rs; Ferry's time includes its startup); the median of
#   FERRY_BENCH_ROUNDS (5) rounds. Ferry's source task produces through its native producer
#   (crates/kafka/src/native/). Each round also times a bare send loop on the rdkafka crate
#   (crates/kafka/examples/rdkafka_produce.rs, kcat's settings), the client Ferry falls back
#   to for configs the native producer does not serve (TLS, SASL, compression): what that
#   library alone reaches through the crate. Every run gets a broker of
#   its own (an in-memory broker slows down as it fills), and the order of the three rotates
#   from round to round;
# - consume: `kcat -C -e -o beginning` vs a worker running FileStreamSink on the topic kcat
#   filled, from the first byte written to the whole file (the consumer group's join, 3 s on
#   the mock broker like Kafka's group.initial.rebalance.delay.ms, is left out; the time
#   including it is shown too).
set -euo pipefail
cd "$(dirname "$0")/.."

lines="${1:-1000000}"
# the mock broker keeps at most 5 MB per partition: spread the 100 MB over enough of them,
# evenly (both producers pick a partition per record: kcat a random one with
# sticky.partitioning.linger.ms=0, Ferry the next one with RoundRobinPartitioner)
partitions="${FERRY_BENCH_PARTITIONS:-64}"
rounds="${FERRY_BENCH_ROUNDS:-5}"
for tool in kcat curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (apt-get install $tool)" >&2; exit 1; }
done
cargo build -q --release -p ferry
cargo build -q --release -p kafka --example wait_hwm --example rdkafka_produce
ferry="$(pwd)/target/release/ferry"
wait_hwm="$(pwd)/target/release/examples/wait_hwm"
rdkafka_produce="$(pwd)/target/release/examples/rdkafka_produce"
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

# starts a broker of its own (with the topics named) for one run; `broker_stop` ends it
broker_start() {
  local args=()
  for t in "$@"; do args+=(--topic "$t:$partitions"); done
  "$ferry" embedded-broker "${args[@]}" >"$dir/broker.out" 2>"$dir/broker.log" &
  broker_pid=$!
  pids+=("$broker_pid")
  for _ in $(seq 1 100); do grep -q KAFKA_BOOTSTRAP_SERVERS "$dir/broker.out" && break; sleep 0.05; done
  bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$dir/broker.out")
  [ -n "$bootstrap" ] || { echo "the embedded broker did not start; see $dir/broker.log" >&2; exit 1; }
}
broker_stop() { kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
echo "== broker: the embedded broker, a fresh one per run, $partitions partitions per topic"

# starts watching topic $1 for $lines records; `watched` waits, and watch.out says when
# they were in
watch() {
  "$wait_hwm" "$bootstrap" "$1" "$partitions" "$lines" 300 >"$dir/watch.out" 2>"$dir/watch.err" &
  watcher=$!
  sleep 0.5 # connected and polling before the producer starts
}
watched() { wait "$watcher" || { echo "timed out; see the logs in $dir" >&2; exit 1; }; }
# the median of the numbers on stdin
median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
# the same lines in any order (partitions interleave)
same_lines() { cmp -s <(sort "$1") <(sort "$2"); }
# fails the run when $1 (a deadline in epoch seconds) has passed
check_deadline() {
  if python3 -c "import sys,time; sys.exit(0 if time.time() < $1 else 1)"; then return 0; fi
  echo "timed out; see the logs in $dir" >&2
  exit 1
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# the worker's properties for the broker started last
worker_properties() {
  cat >"$dir/worker.properties" <<EOF
bootstrap.servers=$bootstrap
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.storage.file.filename=$dir/connect.offsets
offset.flush.interval.ms=1000
listeners=http://127.0.0.1:$port
producer.partitioner.class=org.apache.kafka.clients.producer.RoundRobinPartitioner
${FERRY_BENCH_WORKER_EXTRA:-}
EOF
}
cat >"$dir/source.properties" <<EOF
name=bench-source
connector.class=FileStreamSource
file=$dir/input.txt
topic=bench
EOF
cat >"$dir/sink.properties" <<EOF
name=bench-sink
connector.class=FileStreamSink
file=$dir/ferry-out.txt
topics=bench
EOF

# one timed produce run of tool $1 (kcat, rdkafka or ferry) to topic `bench` of a fresh broker
produce_run() {
  broker_start bench
  watch bench
  case "$1" in
    kcat)
      t0=$(now); kcat -P -b "$bootstrap" -X sticky.partitioning.linger.ms=0 -t bench -l "$dir/input.txt"
      watched; kcat_times+=("$(elapsed "$t0" "$(cat "$dir/watch.out")")") ;;
    rdkafka)
      t0=$(now); "$rdkafka_produce" "$bootstrap" bench "$dir/input.txt" sticky.partitioning.linger.ms=0
      watched; rdkafka_times+=("$(elapsed "$t0" "$(cat "$dir/watch.out")")") ;;
    ferry)
      worker_properties
      rm -f "$dir/connect.offsets"
      t0=$(now)
      "$ferry" standalone "$dir/worker.properties" "$dir/source.properties" 2>"$dir/source.log" &
      worker=$!; pids+=("$worker")
      watched; ferry_times+=("$(elapsed "$t0" "$(cat "$dir/watch.out")")")
      rss=$(rss_mb "$worker")
      source_rss=$(python3 -c "print(max($source_rss, $rss))")
      kill -TERM "$worker"; wait "$worker" || true ;;
  esac
  broker_stop
}

kcat_times=(); rdkafka_times=(); ferry_times=(); source_rss=0
tools=(kcat rdkafka ferry)
for r in $(seq 1 "$rounds"); do
  for i in 0 1 2; do
    tool=${tools[$(( (i + r - 1) % 3 ))]}
    echo "== produce, round $r of $rounds: $tool"
    produce_run "$tool"
  done
done
echo "   kcat: ${kcat_times[*]} s; rdkafka: ${rdkafka_times[*]} s; ferry: ${ferry_times[*]} s"
kcat_p=(0 "$(printf '%s\n' "${kcat_times[@]}" | median)")
rdkafka_p=(0 "$(printf '%s\n' "${rdkafka_times[@]}" | median)")
ferry_p=(0 "$(printf '%s\n' "${ferry_times[@]}" | median)")

echo "== consume: kcat -C -e (the topic filled by kcat -P on a fresh broker)"
broker_start bench
kcat -P -b "$bootstrap" -X sticky.partitioning.linger.ms=0 -t bench -l "$dir/input.txt"
worker_properties
t0=$(now); kcat -C -b "$bootstrap" -t bench -e -o beginning -q >"$dir/kcat-out.txt"; t1=$(now)
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
echo "| produce ($lines × 100 B, median of $rounds) | $(rate "$lines" "${kcat_p[@]}") msg/s ($(elapsed "${kcat_p[@]}") s) | $(rate "$lines" "${ferry_p[@]}") msg/s ($(elapsed "${ferry_p[@]}") s) | $(ratio "$lines" "${ferry_p[@]}" "${kcat_p[@]}") |"
echo "| consume ($lines × 100 B) | $(rate "$lines" "${kcat_c[@]}") msg/s ($(elapsed "${kcat_c[@]}") s) | $(rate "$lines" "${ferry_c[@]}") msg/s ($(elapsed "${ferry_c[@]}") s; $(elapsed "$start" "${ferry_c[1]}") s with the group join) | $(ratio "$lines" "${ferry_c[@]}" "${kcat_c[@]}") |"
echo
echo "bare rdkafka loop: $(rate "$lines" "${rdkafka_p[@]}") msg/s ($(elapsed "${rdkafka_p[@]}") s), $(ratio "$lines" "${rdkafka_p[@]}" "${kcat_p[@]}") of kcat; Ferry/rdkafka $(ratio "$lines" "${ferry_p[@]}" "${rdkafka_p[@]}")"
echo
echo "peak RSS: source worker ${source_rss} MB, sink worker ${sink_rss} MB"
echo "start to GET /: median ${start_ms} ms of 5 (${starts[*]})"
