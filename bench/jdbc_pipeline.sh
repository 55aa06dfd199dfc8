#!/usr/bin/env bash
# Postgres → Kafka → Postgres throughput of Ferry's JDBC connectors against psql's COPY, in one
# run on the same Postgres (scripts/db.sh) and the embedded broker (librdkafka's mock cluster,
# as a process of its own):
#
#   bench/jdbc_pipeline.sh [ROWS]        (default 1,000,000 rows of 10 columns)
#
# - export: `psql \copy bench_src TO file` vs a standalone worker running JdbcSourceConnector
#   (incrementing mode, JsonConverter with schemas, batch.max.rows=FERRY_BENCH_BATCH) from
#   process start until the topic's high watermarks add up to ROWS;
# - import: `psql \copy … FROM file` into an empty table vs a worker running
#   JdbcSinkConnector (auto.create, insert mode) on that topic, from process start until
#   the table holds ROWS rows (the consumer group's first join, 3 s on the mock broker, is
#   shown apart);
# - bound: kcat producing ROWS copies of one record Ferry wrote (the same bytes, no database,
#   no conversion) to a topic of as many partitions on the same broker, spread evenly over them
#   (kcat: a random partition per record, sticky.partitioning.linger.ms=0; Ferry: Java's
#   default partitioner, batch.size bytes to one partition then another at random; the broker
#   keeps at most 5 MB per partition, so the 1 GB must spread over 256 of them for the sink to
#   find every record): the rate this broker and librdkafka reach for these records here.
#   The mock broker answers a fetch with one batch per partition: a topic of Java-sized batches
#   (batch.size 16 KB, 15 of these records) takes more fetches to read than librdkafka's
#   larger ones (FERRY_BENCH_WORKER_EXTRA=producer.sticky.partitioning.linger.ms=0 sends
#   Ferry's records through librdkafka instead, for comparison).
# FERRY_BENCH_WORKER_EXTRA: lines added to the worker's properties (to try client settings).
# Needs psql (postgresql-client) and python3; kcat for the bound (skipped without it).
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-1000000}"
partitions="${FERRY_BENCH_PARTITIONS:-256}"
batch="${FERRY_BENCH_BATCH:-1000}"
for tool in psql python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 1; }
done
cargo build -q --release -p ferry
cargo build -q --release -p kafka --example wait_hwm
ferry="$(pwd)/target/release/ferry"
wait_hwm="$(pwd)/target/release/examples/wait_hwm"
dir="$(pwd)/target/bench/jdbc_pipeline"
rm -rf "$dir" && mkdir -p "$dir"

env_lines=$(scripts/db.sh start | tail -n 2)
for line in $env_lines; do export "${line?}"; done
pg="$DATABASE_URL_PG"
# jdbc:postgresql://host:port/db?user=…&password=…
rest="${pg#*://}"; auth="${rest%@*}"; hostpath="${rest#*@}"
jdbc="jdbc:postgresql://${hostpath}?user=${auth%%:*}&password=${auth#*:}"

now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.3f}')"; }
rate() { python3 -c "print(f'{$1 / ($3 - $2):,.0f}')"; }
ratio() { python3 -c "print(f'{($4 - $3) / ($2 - $1):.2f}')"; }
q() { psql "$pg" -v ON_ERROR_STOP=1 -qtAc "$1"; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

echo "== table: $rows rows of 10 columns"
q "DROP TABLE IF EXISTS bench_src, bench_copy, bench_dst"
q "CREATE TABLE bench_src (id BIGINT PRIMARY KEY, c_int INT NOT NULL, c_big BIGINT NOT NULL,
   c_double DOUBLE PRECISION NOT NULL, c_num NUMERIC(12,2) NOT NULL, c_name VARCHAR(40) NOT NULL,
   c_text TEXT NOT NULL, c_bool BOOLEAN NOT NULL, c_date DATE NOT NULL, c_ts TIMESTAMP NOT NULL)"
q "INSERT INTO bench_src SELECT i, i % 100000, i * 1000, i / 7.0, (i % 100000) / 100.0,
   'name ' || i, md5(i::text), i % 2 = 0, DATE '2020-01-01' + (i % 3650),
   TIMESTAMP '2020-01-01' + i * INTERVAL '1 second' FROM generate_series(1, $rows) AS i"
q "CREATE TABLE bench_copy (LIKE bench_src)"

echo "== export: psql \\copy TO"
t0=$(now); q "\\copy bench_src TO '$dir/rows.csv' CSV"; t1=$(now)
copy_to=("$t0" "$t1")

echo "== import: psql \\copy FROM"
t0=$(now); q "\\copy bench_copy FROM '$dir/rows.csv' CSV"; t1=$(now)
copy_from=("$t0" "$t1")
[ "$(q 'SELECT count(*) FROM bench_copy')" = "$rows" ] || { echo "COPY FROM lost rows" >&2; exit 1; }

echo "== broker: the embedded broker, $partitions partitions"
"$ferry" embedded-broker --topic "pg-bench_src:$partitions" >"$dir/broker.out" 2>"$dir/broker.log" &
pids+=("$!")
for _ in $(seq 1 100); do grep -q KAFKA_BOOTSTRAP_SERVERS "$dir/broker.out" && break; sleep 0.05; done
bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$dir/broker.out")
[ -n "$bootstrap" ] || { echo "the embedded broker did not start; see $dir/broker.log" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/worker.properties" <<EOF
bootstrap.servers=$bootstrap
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
offset.storage.file.filename=$dir/connect.offsets
listeners=http://127.0.0.1:$port
consumer.max.poll.records=5000
${FERRY_BENCH_WORKER_EXTRA:-}
EOF
cat >"$dir/source.properties" <<EOF
name=bench-jdbc-source
connector.class=io.confluent.connect.jdbc.JdbcSourceConnector
connection.url=$jdbc
mode=incrementing
incrementing.column.name=id
table.whitelist=bench_src
topic.prefix=pg-
batch.max.rows=$batch
poll.interval.ms=1000
EOF
cat >"$dir/sink.properties" <<EOF
name=bench-jdbc-sink
connector.class=io.confluent.connect.jdbc.JdbcSinkConnector
connection.url=$jdbc
topics=pg-bench_src
table.name.format=bench_dst
auto.create=true
insert.mode=insert
batch.size=5000
EOF

echo "== export: Ferry JdbcSourceConnector → pg-bench_src"
"$wait_hwm" "$bootstrap" pg-bench_src "$partitions" "$rows" 600 >"$dir/watch.out" 2>"$dir/watch.err" &
watcher=$!
sleep 0.5
t0=$(now)
"$ferry" standalone "$dir/worker.properties" "$dir/source.properties" 2>"$dir/source.log" &
worker=$!; pids+=("$worker")
wait "$watcher" || { echo "the topic did not fill; see $dir" >&2; exit 1; }
ferry_to=("$t0" "$(cat "$dir/watch.out")")
source_rss=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$worker/status")
kill -TERM "$worker"; wait "$worker" || true

bound=""
if command -v kcat >/dev/null; then
  echo "== bound: kcat producing the same records"
  kcat -C -b "$bootstrap" -t pg-bench_src -p 0 -o 0 -c 1 -e -q >"$dir/one.json"
  python3 -c "import sys; line = open(sys.argv[1], 'rb').read().rstrip(b'\\n') + b'\\n'; open(sys.argv[2], 'wb').write(line * int(sys.argv[3]))" \
    "$dir/one.json" "$dir/records.txt" "$rows"
  # on a broker of its own: an in-memory broker slows down as it fills, and the first one
  # holds Ferry's records now
  "$ferry" embedded-broker --topic "kcat-bound:$partitions" >"$dir/bound-broker.out" 2>"$dir/bound-broker.log" &
  bound_broker=$!; pids+=("$bound_broker")
  for _ in $(seq 1 100); do grep -q KAFKA_BOOTSTRAP_SERVERS "$dir/bound-broker.out" && break; sleep 0.05; done
  bound_bootstrap=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$dir/bound-broker.out")
  [ -n "$bound_bootstrap" ] || { echo "the second embedded broker did not start; see $dir/bound-broker.log" >&2; exit 1; }
  "$wait_hwm" "$bound_bootstrap" kcat-bound "$partitions" "$rows" 600 >"$dir/bound.out" 2>"$dir/bound.err" &
  watcher=$!
  sleep 0.5
  t0=$(now)
  kcat -P -b "$bound_bootstrap" -X sticky.partitioning.linger.ms=0 -t kcat-bound -l "$dir/records.txt" \
    2>"$dir/kcat.log"
  wait "$watcher" || { echo "kcat did not fill its topic; see $dir" >&2; exit 1; }
  bound=("$t0" "$(cat "$dir/bound.out")")
  kill "$bound_broker"; wait "$bound_broker" 2>/dev/null || true
  rm -f "$dir/records.txt"
fi

echo "== import: Ferry JdbcSinkConnector pg-bench_src → bench_dst"
t0=$(now)
"$ferry" standalone "$dir/worker.properties" "$dir/sink.properties" 2>"$dir/sink.log" &
worker=$!; pids+=("$worker")
first=""
deadline=$(python3 -c 'import time; print(time.time() + 900)')
while :; do
  n=0
  if [ "$(q "SELECT to_regclass('bench_dst') IS NOT NULL")" = t ]; then n=$(q "SELECT count(*) FROM bench_dst"); fi
  [ -z "$first" ] && [ "$n" != "0" ] && first=$(now)
  [ "$n" = "$rows" ] && break
  python3 -c "import sys,time; sys.exit(0 if time.time() < $deadline else 1)" || { echo "the sink did not finish; see $dir" >&2; exit 1; }
  sleep 0.2
done
t1=$(now)
ferry_from=("$t0" "$t1")
sink_rss=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$worker/status")
kill -TERM "$worker"; wait "$worker" || true
same=$(q "SELECT count(*) FROM bench_src s JOIN bench_dst d USING (id) WHERE s.c_text = d.c_text AND s.c_num = d.c_num AND s.c_ts = d.c_ts")
[ "$same" = "$rows" ] || { echo "bench_dst differs from bench_src ($same of $rows rows equal)" >&2; exit 1; }

echo
echo "| step | psql COPY | Ferry | Ferry/COPY |"
echo "|---|---:|---:|---:|"
echo "| export ($rows rows × 10 columns) | $(rate "$rows" "${copy_to[@]}") rows/s ($(secs "${copy_to[@]}") s) | $(rate "$rows" "${ferry_to[@]}") rows/s ($(secs "${ferry_to[@]}") s) | $(ratio "${ferry_to[@]}" "${copy_to[@]}") |"
echo "| import ($rows rows × 10 columns) | $(rate "$rows" "${copy_from[@]}") rows/s ($(secs "${copy_from[@]}") s) | $(rate "$rows" "${ferry_from[@]}") rows/s ($(secs "${ferry_from[@]}") s; first row after $(secs "$t0" "$first") s) | $(ratio "${ferry_from[@]}" "${copy_from[@]}") |"
if [ -n "$bound" ]; then
  echo "| bound: kcat producing the same $(wc -c <"$dir/one.json") B records | | $(rate "$rows" "${bound[@]}") rows/s ($(secs "${bound[@]}") s) | $(ratio "${bound[@]}" "${copy_to[@]}") |"
fi
echo
echo "peak RSS: source worker ${source_rss} MB, sink worker ${sink_rss} MB"
