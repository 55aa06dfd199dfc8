#!/usr/bin/env bash
# Checks the REST API from outside, as its users' tools see it, against a `ferry standalone`
# worker on the broker of scripts/broker.sh ($KAFKA_BOOTSTRAP_SERVERS):
#  1. a published client library, kafka-connect-py from PyPI, drives a connector's whole life
#     (tests/rest_clients/kafka_connect_py_lifecycle.py);
#  2. schemathesis fuzzes every operation of the OpenAPI document the worker serves
#     (/openapi.json) for FERRY_REST_FUZZ_SECONDS (default 60): no answer may be a 5xx.
# Both tools are installed from PyPI into target/tools/rest-venv (needs python3 with venv).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${KAFKA_BOOTSTRAP_SERVERS:?start the broker first: eval \$(scripts/broker.sh start)}"
seconds="${FERRY_REST_FUZZ_SECONDS:-60}"
venv="$(pwd)/target/tools/rest-venv"
if ! "$venv/bin/python" -c 'import kafka_connect, schemathesis' 2>/dev/null; then
  echo "== installing schemathesis and kafka-connect-py into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5" "kafka-connect-py==1.0.0"
fi

cargo build -q --release -p ferry
ferry="$(pwd)/target/release/ferry"
dir="$(pwd)/target/rest-checks"
rm -rf "$dir" && mkdir -p "$dir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/worker.properties" <<PROPS
bootstrap.servers=$KAFKA_BOOTSTRAP_SERVERS
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.storage.file.filename=$dir/connect.offsets
offset.flush.interval.ms=200
listeners=http://127.0.0.1:$port
PROPS
# connectors the fuzzer may create write relative files here, not elsewhere
(cd "$dir" && exec "$ferry" standalone worker.properties 2>"$dir/worker.log") &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 300); do
  curl -sf "$base/" >/dev/null && break
  kill -0 "$worker" 2>/dev/null || { echo "the worker did not start:" >&2; cat "$dir/worker.log" >&2; exit 1; }
  sleep 0.1
done

echo "== kafka-connect-py drives a connector's whole life"
timeout 300 "$venv/bin/python" tests/rest_clients/kafka_connect_py_lifecycle.py "$base" "$dir"

# a connector for the fuzzer to find (the document's examples name it)
echo "line" >"$dir/fuzz-input.txt"
curl -sf -X POST -H 'Content-Type: application/json' "$base/connectors" -d '{"name":"fuzz-source","config":{"connector.class":"FileStreamSource","file":"fuzz-input.txt","topic":"fuzz-topic","topic.creation.default.partitions":"1","topic.creation.default.replication.factor":"1"}}' >/dev/null

echo "== schemathesis: ${seconds} s over $base/openapi.json, no 5xx allowed"
# run from the scratch directory: schemathesis keeps its cache in ./.schemathesis; the
# internal putTaskConfigs is left out: a standalone worker answers it 500, as Kafka's does
(cd "$dir" && "$venv/bin/st" run "$base/openapi.json" \
  --checks not_a_server_error \
  --exclude-operation-id putTaskConfigs \
  --max-time "$seconds" \
  --max-examples 100 \
  --request-timeout 60 \
  --seed 1 \
  --no-color \
  --report junit --report-dir "$dir/schemathesis") \
  || { echo "schemathesis found server errors; the worker's log is $dir/worker.log" >&2; exit 1; }
kill -0 "$worker" 2>/dev/null || { echo "the worker died during the fuzzing:" >&2; tail -50 "$dir/worker.log" >&2; exit 1; }
echo "== REST checks passed"
