#!/usr/bin/env bash
# WordCount throughput of Ferry Streams against Quix Streams 3.28.1 and faust-streaming 0.15.3,
# in one run, each on a fresh embedded broker (librdkafka's mock cluster, a process of its
# own) with the same topics layout (2 input partitions, repartition by word, changelog):
#
#   bench/streams_wordcount.sh [LINES] [CHUNK]     (default 1,000,000 lines, chunks of 50,000)
#
# Input: bench/streams/gen_lines.py (1..12 words per line from 5,000 random 7-letter words).
# Every system counts with caching off (one output record per input word, 8-byte big-endian
# Long values) at least once, its producer compressing with lz4 (the mock keeps only 5 MiB per
# partition). bench/streams/feed.py feeds the input chunk by chunk, chunk k+2 once the system
# has written the outputs of chunks 0..k, so one chunk always waits queued and the system never
# idles on the feeder (the mock keeps at most 100,000 batches per partition, so 1 M lines
# cannot wait in the input topic); the expected output totals are worked out before timing.
# It times from the system's start
# to its last output record ("wall") and from its first output record ("steady").
# The bench ends with a check of every final count of every system (check_counts.py) and the
# ratios Ferry/peer. FERRY_BENCH_SYSTEMS (default "ferry quix faust") picks systems;
# FERRY_BENCH_WORKERS=2 runs Ferry with num.stream.threads=2 and each peer as two processes in
# its consumer group (one per input partition), so each system may use both cores.
# Needs kcat and python3; installs the peers' virtualenvs under target/bench/venvs once.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
lines="${1:-1000000}"
chunk="${2:-50000}"
systems="${FERRY_BENCH_SYSTEMS:-ferry quix faust}"
workers="${FERRY_BENCH_WORKERS:-1}"
venvs="$repo/target/bench/venvs"
dir="$repo/target/bench/streams_wordcount"
rm -rf "$dir" && mkdir -p "$dir"
command -v kcat >/dev/null || { echo "kcat is needed (apt-get install -y kcat)" >&2; exit 1; }

if [ ! -x "$venvs/quix/bin/python" ]; then
  python3 -m venv "$venvs/quix" && "$venvs/quix/bin/pip" install -q quixstreams==3.28.1
fi
if [ ! -x "$venvs/faust/bin/python" ]; then
  python3 -m venv "$venvs/faust"
  "$venvs/faust/bin/pip" install -q "faust-streaming[rocksdict]==0.15.3" "aiokafka[lz4]==0.14.0"
fi
# apart: built together, the example's dev-dependency features (jemalloc in place of the C
# malloc) would reach the broker's binary too
cargo build -q --release -p ferry
cargo build -q --release -p streams --example wordcount
Q="$venvs/quix/bin/python"

python3 bench/streams/gen_lines.py "$lines" > "$dir/lines.txt"
words=$(python3 bench/streams/gen_lines.py "$lines" --words-total)
"$Q" bench/streams/feed.py plan "$dir/lines.txt" "$chunk" > "$dir/plan.txt"
echo "== input: $lines lines, $words words, 2 partitions, chunks of $chunk lines, $workers worker(s) per system"

broker_pid= sut_pids=()
stop() {
  for p in "${sut_pids[@]}"; do kill -INT "$p" 2>/dev/null || true; done
  [ ${#sut_pids[@]} -gt 0 ] && sleep 1
  for p in "${sut_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  [ -n "$broker_pid" ] && { kill "$broker_pid" 2>/dev/null || true; wait "$broker_pid" 2>/dev/null || true; }
  sut_pids=() broker_pid=
}
trap stop EXIT

S=KSTREAM-AGGREGATE-STATE-STORE-0000000003
topics() {
  case "$1" in
    ferry) printf '%s\n' streams-plaintext-input:2 streams-wordcount-output:2 \
             "ferry-wordcount-$S-repartition:2" "ferry-wordcount-$S-changelog:2" ;;
    quix) APP_ID=quix-wordcount "$Q" bench/streams/quix_wordcount.py --topics 2 ;;
    faust) APP_ID=faust-wordcount "$venvs/faust/bin/python" bench/streams/faust_wordcount.py --topics 2 ;;
  esac
}

start_system() {
  local bs=$1 i
  case "$2" in
    ferry) target/release/examples/wordcount application.id=ferry-wordcount "bootstrap.servers=$bs" \
             "state.dir=$dir/ferry-state" producer.compression.type=lz4 "num.stream.threads=$workers" \
             ${FERRY_BENCH_FERRY_EXTRA:-} > "$dir/ferry.log" 2>&1 &
           sut_pids+=($!) ;;
    quix) for i in $(seq "$workers"); do
            STATE_DIR="$dir/quix-state-$i" "$Q" bench/streams/quix_wordcount.py "$bs" \
              streams-plaintext-input streams-wordcount-output quix-wordcount > "$dir/quix-$i.log" 2>&1 &
            sut_pids+=($!)
          done ;;
    faust) for i in $(seq "$workers"); do
             STATE_DIR="$dir/faust-state-$i" "$venvs/faust/bin/python" bench/streams/faust_wordcount.py "$bs" \
               streams-plaintext-input streams-wordcount-output faust-wordcount > "$dir/faust-$i.log" 2>&1 &
             sut_pids+=($!)
           done ;;
  esac
}

declare -A wall steady
for sys in $systems; do
  args=()
  for t in $(topics "$sys"); do args+=(--topic "$t"); done
  target/release/ferry embedded-broker "${args[@]}" > "$dir/$sys-broker.out" 2>&1 &
  broker_pid=$!
  for _ in $(seq 100); do grep -q KAFKA_BOOTSTRAP_SERVERS= "$dir/$sys-broker.out" && break; sleep 0.1; done
  bs=$(sed -n 's/^KAFKA_BOOTSTRAP_SERVERS=//p' "$dir/$sys-broker.out")
  t0=$(date +%s.%N)
  start_system "$bs" "$sys"
  result=$("$Q" bench/streams/feed.py "$bs" streams-plaintext-input streams-wordcount-output \
    "$dir/lines.txt" "$t0" "$dir/plan.txt" "$chunk")
  first=$(echo "$result" | awk '{print $2}'); done_s=$(echo "$result" | awk '{print $4}')
  wall[$sys]=$done_s
  steady[$sys]=$(python3 -c "print(f'{$done_s - $first:.3f}')")
  written=$("$Q" bench/streams/count_records.py "$bs" streams-wordcount-output)
  if kcat -C -b "$bs" -t streams-wordcount-output -e -o beginning -q -s value=q -f '%k %s %S\n' \
      | "$Q" bench/streams/check_counts.py "$dir/lines.txt" "$written" > "$dir/$sys-check.txt" 2>&1; then
    check=ok
  else
    check="FAILED (see $dir/$sys-check.txt)"
  fi
  python3 -c "print(f'$sys: wall {$done_s:.2f} s ({$lines / $done_s:,.0f} lines/s, {$words / $done_s:,.0f} words/s); after the first output {${steady[$sys]}:.2f} s ({$lines / ${steady[$sys]}:,.0f} lines/s); counts: $check')"
  stop
done

echo "== Ferry / peer (lines/s, wall; after the first output)"
for peer in quix faust; do
  if [ -n "${wall[ferry]:-}" ] && [ -n "${wall[$peer]:-}" ]; then
    python3 -c "print(f'ferry/$peer: {${wall[$peer]} / ${wall[ferry]}:.1f}x; {${steady[$peer]} / ${steady[ferry]}:.1f}x')"
  fi
done
