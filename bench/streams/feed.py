#!/usr/bin/env python3
"""Feeds WordCount input to a running peer in chunks and times it.

librdkafka's mock cluster keeps at most 5 MiB and 100,000 message sets per partition, so
1 M lines cannot wait in the input topic: each chunk is produced only once the peer has
written one output record per word of the chunks before (every peer pays the same waits).

Usage: feed.py BOOTSTRAP INPUT OUTPUT LINES_FILE START_EPOCH [CHUNK_LINES]
Prints: "first <s> done <s> words <n>": seconds from START_EPOCH to the first output
record and to the last one. Needs confluent-kafka (run it with the quix venv's python).
"""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition


def words(line):
    """Java's line.toLowerCase().split("\\\\W+") (ASCII \\W, leading "" kept, trailing dropped)."""
    low = line.lower()
    out, cur, delim_seen = [], [], False
    for ch in low:
        if ch.isascii() and (ch.isalnum() or ch == "_"):
            cur.append(ch)
        else:
            delim_seen = True
            out.append("".join(cur))
            cur = []
    out.append("".join(cur))
    if not delim_seen:
        return [low]
    lead = out[0] == ""
    toks = [w for w in out if w]
    if toks and lead:
        toks.insert(0, "")
    return toks


def total(consumer, topic):
    md = consumer.list_topics(topic, timeout=10).topics[topic]
    n = 0
    for p in md.partitions:
        _, high = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)
        n += high
    return n


def main(argv):
    bootstrap, inp, out, path, start = argv[1], argv[2], argv[3], argv[4], float(argv[5])
    chunk = int(argv[6]) if len(argv) > 6 else 20000
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f]
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "compression.type": "lz4"})
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "feed-watcher"})
    partitions = len(consumer.list_topics(inp, timeout=10).topics[inp].partitions)
    expected, first, i = 0, None, 0
    for c in range(0, len(lines), chunk):
        for line in lines[c:c + chunk]:
            producer.produce(inp, value=line.encode(), partition=i % partitions)
            i += 1
            expected += len(words(line))
        producer.flush(60)
        last_move, last = time.time(), -1
        while True:
            n = total(consumer, out)
            now = time.time()
            if n > 0 and first is None:
                first = now - start
            if n >= expected:
                break
            if n != last:
                last, last_move = n, now
            elif now - last_move > 120:
                sys.exit(f"stalled at {n} of {expected} output records")
            time.sleep(0.005)
    print(f"first {first:.3f} done {time.time() - start:.3f} words {expected}")


if __name__ == "__main__":
    main(sys.argv)
