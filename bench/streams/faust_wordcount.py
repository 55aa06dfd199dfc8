#!/usr/bin/env python3
"""Kafka's WordCount demo on faust-streaming 0.15.3 (a benchmark peer).

Follows faust's examples/word_count.py: one agent splits lines and sends each
word keyed by itself to a repartition topic; a second agent counts words in
`app.Table('word_counts', default=int)` (RocksDB store, changelog on) and
sends (word, count as an 8-byte big-endian long) to the output topic.

Usage: faust_wordcount.py [BOOTSTRAP [INPUT [OUTPUT [APP_ID]]]]
       faust_wordcount.py --topics [PARTITIONS]
Each argument falls back to an environment variable, then a default:
  BOOTSTRAP   KAFKA_BOOTSTRAP_SERVERS  (required)
  INPUT       INPUT_TOPIC              streams-plaintext-input
  OUTPUT      OUTPUT_TOPIC             streams-wordcount-output
  APP_ID      APP_ID                   faust-wordcount
Environment only:
  PARTITIONS      2           partitions of the repartition and changelog
                              topics (the input's count)
  STATE_DIR       <repo>/target/bench/state/faust
  FAUST_STORE     rocksdb://  (memory:// to compare)
  COMPRESSION     lz4         the producer's compression type
  LINGER_MS       100         producer linger: Kafka Streams' producer
                              default. aiokafka's default is 0 and 5 ran ~1.5x
                              faster on 10k lines, but its small batches
                              compress poorly and the repartition backlog
                              outgrew the mock's 5 MiB per partition on 100k
                              lines (records lost, see below)
  FETCH_WAIT_MS   10          the consumer's fetch_max_wait_ms (faust hard-codes
                              1500): the mock answers an empty fetch only after
                              that wait, even if data arrives meanwhile (a real
                              broker answers at once), and faust sat idle ~75%
                              of the time at 1500
  FAUST_LOGLEVEL  info        at warn/error faust runs a terminal spinner
                              that sets the root logger to DEBUG, so every
                              debug call builds a record (~10% of the CPU)
`--topics` prints, one per line as NAME:PARTITIONS, the topics that must exist
before the peer starts, and exits.

Runs until killed (SIGINT/SIGTERM). Reads the input from the earliest offset.

Against librdkafka's mock cluster (the `ferry embedded-broker`), which does
not answer CreateTopics: topic_allow_declare=False (faust declares no topic;
all are pre-created), topic_disable_leader=True (no `<id>-__assignor-__leader`
topic), web server off (--without-web). The producer compresses with lz4 and
lingers 100 ms by default: the mock keeps only the last 5 MiB of each
partition, and an unread tail of the repartition topic longer than that is
lost (the consumer's offset is out of range and resets past it).
"""
import os
import shutil
import struct
import sys
from pathlib import Path

import aiokafka
import faust

from wordsplit import split_words

FETCH_WAIT_MS = int(os.environ.get("FETCH_WAIT_MS", "10"))


class PromptConsumer(aiokafka.AIOKafkaConsumer):
    """faust's consumer with fetch_max_wait_ms=FETCH_WAIT_MS (see FETCH_WAIT_MS above)."""

    def __init__(self, *args, **kwargs):
        kwargs["fetch_max_wait_ms"] = FETCH_WAIT_MS
        super().__init__(*args, **kwargs)


aiokafka.AIOKafkaConsumer = PromptConsumer

PACK_LONG = struct.Struct(">q").pack


argv = sys.argv[1:]
LIST_TOPICS = bool(argv) and argv[0] == "--topics"
BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1")
INPUT = os.environ.get("INPUT_TOPIC", "streams-plaintext-input")
OUTPUT = os.environ.get("OUTPUT_TOPIC", "streams-wordcount-output")
APP_ID = os.environ.get("APP_ID", "faust-wordcount")
PARTITIONS = int(os.environ.get("PARTITIONS", "2"))
if LIST_TOPICS:
    if len(argv) > 1:
        PARTITIONS = int(argv[1])
else:
    for i, name in enumerate(("BOOTSTRAP", "INPUT", "OUTPUT", "APP_ID")):
        if len(argv) > i:
            globals()[name] = argv[i]
    if "KAFKA_BOOTSTRAP_SERVERS" not in os.environ and not argv:
        sys.exit(__doc__)
REPO = Path(__file__).resolve().parents[2]
STATE_DIR = Path(os.environ.get("STATE_DIR", REPO / "target/bench/state/faust")) / APP_ID

app = faust.App(
    APP_ID,
    broker="kafka://" + ",".join(BOOTSTRAP.split(",")),
    store=os.environ.get("FAUST_STORE", "rocksdb://"),
    datadir=str(STATE_DIR),
    topic_partitions=PARTITIONS,
    topic_replication_factor=1,
    topic_allow_declare=False,
    topic_disable_leader=True,
    web_enabled=False,
    consumer_auto_offset_reset="earliest",
    processing_guarantee="at_least_once",
    producer_compression_type=os.environ.get("COMPRESSION", "lz4"),
    producer_linger=float(os.environ.get("LINGER_MS", "100")) / 1000.0,
)

lines_topic = app.topic(INPUT, key_serializer="raw", value_serializer="raw")
words_topic = app.topic(
    f"{APP_ID}-words-repartition",
    partitions=PARTITIONS,
    key_serializer="raw",
    value_serializer="raw",
)
counts_topic = app.topic(OUTPUT, key_serializer="raw", value_serializer="raw")
word_counts = app.Table("word_counts", default=int, partitions=PARTITIONS)


@app.agent(lines_topic)
async def shuffle_words(lines):
    async for line in lines:
        for word in split_words(line.decode("utf-8") if line is not None else ""):
            w = word.encode("utf-8")
            await words_topic.send(key=w, value=w)


@app.agent(words_topic)
async def count_words(words):
    async for w in words:
        word = w.decode("utf-8")
        n = word_counts[word] + 1
        word_counts[word] = n
        await counts_topic.send(key=w, value=PACK_LONG(n))


def main():
    if LIST_TOPICS:
        for name in (INPUT, OUTPUT, words_topic.get_topic_name(), word_counts.changelog_topic.get_topic_name()):
            print(f"{name}:{PARTITIONS}")
        return
    # Fresh local state each start; a restart restores it from the changelog.
    shutil.rmtree(STATE_DIR, ignore_errors=True)
    STATE_DIR.mkdir(parents=True)
    print(f"faust wordcount: {INPUT} -> {OUTPUT} (app {APP_ID})", flush=True)
    sys.argv = [sys.argv[0], "worker", "--without-web", "--loglevel", os.environ.get("FAUST_LOGLEVEL", "info")]
    app.main()


if __name__ == "__main__":
    main()
