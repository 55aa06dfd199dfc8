#!/usr/bin/env bash
# Time one WordCount peer against a fresh `ferry embedded-broker`.
# Usage: bench/streams/time_peer.sh quix|faust [LINES] [--check]
# Pre-creates the peer's topics (2 partitions each), produces LINES generated
# lines (default 100000) to streams-plaintext-input, starts the peer and waits
# until the output topic holds one record per input word. Prints startup time
# (peer start -> first output), wall time (peer start -> last output) and
# lines/s. --check also verifies every final count. Stops broker and peer.
set -euo pipefail
peer=${1:?usage: time_peer.sh quix|faust [LINES] [--check]}
lines=${2:-100000}
check=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
venvs=$repo/target/bench/venvs
scratch=$repo/target/bench/scratch/$peer
py=$venvs/$peer/bin/python
count="$venvs/quix/bin/python $here/count_records.py"
input=streams-plaintext-input
output=streams-wordcount-output
app_id=$peer-wordcount
mkdir -p "$scratch"

broker_pid= peer_pid=
cleanup() {
  [ -n "$peer_pid" ] && kill "$peer_pid" 2>/dev/null && wait "$peer_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
}
trap cleanup EXIT

topics=($(APP_ID=$app_id "$py" "$here/${peer}_wordcount.py" --topics 2))
topic_args=()
for t in "${topics[@]}"; do topic_args+=(--topic "$t"); done
rm -f "$scratch/broker.out"  # else the wait below may read the last run's port
"$repo/target/release/ferry" embedded-broker "${topic_args[@]}" >"$scratch/broker.out" 2>"$scratch/broker.err" &
broker_pid=$!
for _ in $(seq 100); do grep -qs KAFKA_BOOTSTRAP_SERVERS= "$scratch/broker.out" && break; sleep 0.1; done
bs=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$scratch/broker.out")
[ -n "$bs" ] || { echo "the broker did not start: $(cat "$scratch/broker.err")" >&2; exit 1; }

python3 "$here/gen_lines.py" "$lines" >"$scratch/lines.txt"
words=$(python3 "$here/gen_lines.py" "$lines" --words-total)
# sticky.partitioning.linger.ms=0: null-key lines spread evenly over both partitions
kcat -P -b "$bs" -t "$input" -X sticky.partitioning.linger.ms=0 <"$scratch/lines.txt"
got=$($count "$bs" "$input")
[ "$got" = "$lines" ] || { echo "produced $got of $lines lines" >&2; exit 1; }
dropped=$($count --low "$bs" "$input")
if [ "$dropped" != 0 ]; then
  echo "the broker already dropped $dropped input lines (the mock keeps 5 MiB per partition)" >&2
  exit 1
fi
echo "input: $lines lines, $words words; partitions: $(kcat -Q -b "$bs" -t $input:0:-1 -t $input:1:-1 | awk '{printf "%s ", $4}')"

start=$(date +%s.%N)
"$py" "$here/${peer}_wordcount.py" "$bs" "$input" "$output" "$app_id" >"$scratch/peer.out" 2>"$scratch/peer.err" &
peer_pid=$!
$count --wait-for 1 --timeout 300 "$bs" "$output" >/dev/null
first=$(date +%s.%N)
if ! $count --wait-for "$words" --timeout 3600 --stall 60 "$bs" "$output" >"$scratch/wait.out"; then
  echo "gave up: $(cat "$scratch/wait.out") (seconds, output records) of $words" >&2
  echo "records dropped by the mock's 5 MiB per partition cap (low watermarks):" >&2
  $count --low "$bs" "${topics[@]%:*}" >&2
  exit 1
fi
end=$(date +%s.%N)
awk -v p="$peer" -v s="$start" -v f="$first" -v e="$end" -v n="$lines" -v w="$words" 'BEGIN {
  printf "%s: %d lines, %d words: startup %.2f s, wall %.2f s, %.0f lines/s (%.0f lines/s after the first output)\n",
    p, n, w, f - s, e - s, n / (e - s), n / (e - f) }'
if [ "$check" = --check ]; then
  kcat -C -b "$bs" -t "$output" -e -o beginning -q -s value=q -f '%k %s %S\n' |
    python3 "$here/check_counts.py" "$scratch/lines.txt" "$($count "$bs" "$output")"
fi
