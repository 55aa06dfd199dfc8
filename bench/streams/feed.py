#!/usr/bin/env python3
"""Feeds WordCount input to a running peer in chunks and times it.

librdkafka's mock cluster keeps at most 5 MiB and 100,000 message sets per partition, so
1 M lines cannot wait in the input topic: chunk k+2 is produced only once the peer has
written one output record per word of chunks 0..k. One chunk is always queued ahead of
the one being processed, so the peer never waits on the feeder (every peer gets the same).

Usage:
  feed.py plan LINES_FILE CHUNK_LINES > PLAN      (before timing: output records expected
                                                  after each chunk, one number per line)
  feed.py BOOTSTRAP INPUT OUTPUT LINES_FILE START_EPOCH PLAN CHUNK_LINES
Prints: "first <s> done <s> words <n>": seconds from START_EPOCH to the first output
record and to the last one. Needs confluent-kafka (run it with the quix venv's python).
"""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

from wordsplit import split_words


def total(consumer, topic):
    md = consumer.list_topics(topic, timeout=10).topics[topic]
    n = 0
    for p in md.partitions:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
        n += high
    return n


def plan(path, chunk):
    """Cumulative output records expected once each chunk of lines is processed."""
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    total_words = 0
    for c in range(0, len(lines), chunk):
        total_words += sum(len(split_words(line)) for line in lines[c:c + chunk])
        print(total_words)


def main(argv):
    if argv[1] == "plan":
        plan(argv[2], int(argv[3]))
        return
    bootstrap, inp, out, path, start = argv[1], argv[2], argv[3], argv[4], float(argv[5])
    with open(argv[6], encoding="utf-8") as f:
        expected = [int(l) for l in f if l.strip()]
    chunk = int(argv[7])
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n").encode() for l in f]
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "compression.type": "lz4"})
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "feed-watcher"})
    partitions = len(consumer.list_topics(inp, timeout=10).topics[inp].partitions)
    first = None
    state = {"last": -1, "last_move": time.time()}

    def wait_for(target):
        nonlocal first
        while True:
            n = total(consumer, out)
            now = time.time()
            if n > 0 and first is None:
                first = now - start
            if n >= target:
                return
            if n != state["last"]:
                state["last"], state["last_move"] = n, now
            elif now - state["last_move"] > 120:
                sys.exit(f"stalled at {n} of {target} output records")
            time.sleep(0.005)

    i = 0
    for k, c in enumerate(range(0, len(lines), chunk)):
        if k >= 2:
            wait_for(expected[k - 2])
        for line in lines[c:c + chunk]:
            producer.produce(inp, value=line, partition=i % partitions)
            i += 1
            producer.poll(0)
        producer.flush(60)
    wait_for(expected[-1])
    print(f"first {first:.3f} done {time.time() - start:.3f} words {expected[-1]}")


if __name__ == "__main__":
    main(sys.argv)
