#!/usr/bin/env python3
"""Count the records ever written to Kafka topics: the sum over a topic's
partitions of the high watermark (the next offset). Needs confluent-kafka (it
comes with quixstreams: run it with the quix venv's python).

The high watermark, not (high - low): librdkafka's mock cluster keeps at most
5 MiB (and 100,000 message sets) per partition and drops the oldest batches
past that, which moves the low watermark up.

Usage: count_records.py [--low] BOOTSTRAP TOPIC [TOPIC ...]
         one line per topic: "<count>" if one topic was given, else "<topic> <count>";
         --low: the sum of low watermarks instead (records the mock dropped)
       count_records.py --wait-for N [--timeout S] BOOTSTRAP TOPIC
         poll every 0.1 s until TOPIC holds >= N records; print the seconds
         waited and the count ("<seconds> <count>"); exit 1 on timeout
         (default 3600 s) with the count reached. --stall S: also give up
         (exit 1) when the count has not moved for S seconds after the first
         record (a peer that lost records never reaches N).
"""
import sys
import time

from confluent_kafka import Consumer, TopicPartition


def count(consumer, topic, low=False):
    md = consumer.list_topics(topic, timeout=10)
    t = md.topics.get(topic)
    if t is None or t.error is not None:
        return 0
    total = 0
    for p in t.partitions:
        lo, hi = consumer.get_watermark_offsets(
            TopicPartition(topic, p), timeout=10, cached=False
        )
        total += lo if low else hi
    return total


def main():
    args = sys.argv[1:]
    wait_for = None
    timeout = 3600.0
    stall = None
    low = False
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--wait-for":
            wait_for = int(args.pop(0))
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        elif opt == "--low":
            low = True
        elif opt == "--stall":
            stall = float(args.pop(0))
        else:
            sys.exit(__doc__)
    if len(args) < 2 or (wait_for is not None and len(args) != 2):
        sys.exit(__doc__)
    c = Consumer(
        {
            "bootstrap.servers": args[0],
            "group.id": "count-records",
            "enable.auto.commit": False,
            "allow.auto.create.topics": False,
        }
    )
    try:
        topics = args[1:]
        if wait_for is None:
            for t in topics:
                n = count(c, t, low)
                print(n if len(topics) == 1 else f"{t} {n}")
            return
        start = time.monotonic()
        deadline = start + timeout
        last_n, last_change = -1, start
        while True:
            n = count(c, topics[0])
            now = time.monotonic()
            if n != last_n:
                last_n, last_change = n, now
            elif stall is not None and n > 0 and now - last_change >= stall:
                deadline = now
            if n >= wait_for or now >= deadline:
                print(f"{now - start:.3f} {n}")
                sys.exit(0 if n >= wait_for else 1)
            time.sleep(0.1)
    finally:
        c.close()


if __name__ == "__main__":
    main()
