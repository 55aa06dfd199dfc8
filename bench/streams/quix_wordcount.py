#!/usr/bin/env python3
"""Kafka's WordCount demo on Quix Streams 3.28.1 (a benchmark peer).

Usage: quix_wordcount.py [BOOTSTRAP [INPUT [OUTPUT [APP_ID]]]]
       quix_wordcount.py --topics [INPUT_PARTITIONS]
Each argument falls back to an environment variable, then a default:
  BOOTSTRAP  KAFKA_BOOTSTRAP_SERVERS  (required)
  INPUT      INPUT_TOPIC              streams-plaintext-input
  OUTPUT     OUTPUT_TOPIC             streams-wordcount-output
  APP_ID     APP_ID                   quix-wordcount   (the consumer group)
Environment only:
  STATE_DIR       <repo>/target/bench/state/quix
  COMPRESSION     lz4    the producer's compression.type
  QUIX_LOGLEVEL   WARNING
`--topics` prints, one per line as NAME:PARTITIONS, the topics that must exist
before the peer starts (input, output, repartition, changelog) and exits.

Runs until killed (SIGINT/SIGTERM). Reads the input from the earliest offset.

Against librdkafka's mock cluster (the `ferry embedded-broker`): the mock
answers Metadata but not DescribeConfigs/CreateTopics (the admin client waits
for a controller that never comes), and Quix inspects every topic it uses with
DescribeConfigs. So the app gets a TopicManager whose admin reads partition
counts from Metadata only and reports Kafka's default retention settings, with
auto_create_topics=False: all topics must be pre-created (see --topics).
Changelog topics stay on. The producer compresses with lz4 by default: the mock
keeps only the last 5 MiB of each partition, and without compression the
repartition topic's unread tail outgrows that on 100k lines (the consumer is
reset past the lost records, and counts go missing).
"""
import os
import shutil
import struct
import sys
import warnings
from pathlib import Path

# quixstreams imports authlib, which warns (always) about httpx on import
try:
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.filterwarnings("ignore", category=AuthlibDeprecationWarning)
except ImportError:
    pass

from quixstreams import Application

from wordsplit import split_words
from quixstreams.models.serializers import Serializer
from quixstreams.models.topics import TopicAdmin, TopicConfig, TopicManager

PACK_LONG = struct.Struct(">q").pack
# Kafka's broker defaults (log.retention.hours=168, retention.bytes=-1)
DEFAULT_TOPIC_CONFIG = {"retention.ms": "604800000", "retention.bytes": "-1"}


class LongSerializer(Serializer):
    """Kafka's LongSerializer: 8-byte big-endian signed."""

    def __call__(self, value, ctx):
        return PACK_LONG(value)


class MetadataOnlyTopicAdmin(TopicAdmin):
    """Partition counts from Metadata, no DescribeConfigs, no CreateTopics."""

    def __init__(self, *args, fake_partitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fake_partitions = fake_partitions  # for --topics: no broker
        self.seen = []

    def inspect_topics(self, topic_names, timeout=30):
        self.seen.extend(t for t in topic_names if t not in self.seen)
        if self.fake_partitions is not None:
            return {
                t: TopicConfig(
                    num_partitions=self.fake_partitions,
                    replication_factor=1,
                    extra_config=dict(DEFAULT_TOPIC_CONFIG),
                )
                for t in topic_names
            }
        cluster = self.list_topics(timeout=timeout)
        out = {}
        for t in topic_names:
            md = cluster.get(t)
            if md is None or md.error is not None or not md.partitions:
                out[t] = None
                continue
            out[t] = TopicConfig(
                num_partitions=len(md.partitions),
                replication_factor=len(md.partitions[0].replicas) or 1,
                extra_config=dict(DEFAULT_TOPIC_CONFIG),
            )
        return out

    def create_topics(self, topics, timeout=30, finalize_timeout=60):
        names = ", ".join(t.name for t in topics)
        raise RuntimeError(f"topics must be pre-created on the mock broker: {names}")


def consumer_extra():
    """librdkafka consumer settings from CONSUMER_EXTRA ("key=value,key=value")."""
    pairs = [p for p in os.environ.get("CONSUMER_EXTRA", "").split(",") if p.strip()]
    return dict(p.strip().split("=", 1) for p in pairs)


def build(bootstrap, input_topic, output_topic, app_id, state_dir, fake_partitions=None):
    admin = MetadataOnlyTopicAdmin(
        broker_address=bootstrap, fake_partitions=fake_partitions
    )
    topic_manager = TopicManager(
        topic_admin=admin, consumer_group=app_id, auto_create_topics=False
    )
    app = Application(
        broker_address=bootstrap,
        consumer_group=app_id,
        auto_offset_reset="earliest",
        state_dir=state_dir,
        topic_manager=topic_manager,
        auto_create_topics=False,
        use_changelog_topics=True,
        processing_guarantee="at-least-once",
        producer_extra_config={"compression.type": os.environ.get("COMPRESSION", "lz4")},
        consumer_extra_config=consumer_extra(),
        loglevel=os.environ.get("QUIX_LOGLEVEL", "WARNING"),
    )
    source = app.topic(
        input_topic, key_deserializer="bytes", value_deserializer="str"
    )
    sink = app.topic(
        output_topic, key_serializer="str", value_serializer=LongSerializer()
    )

    def count(word, state):
        n = state.get(word, 0) + 1
        state.set(word, n)
        return n

    sdf = app.dataframe(source)
    sdf = sdf.apply(split_words, expand=True)
    sdf = sdf.group_by(
        lambda w: w,
        name="word",
        key_serializer="str",
        key_deserializer="str",
        value_serializer="str",
        value_deserializer="str",
    )
    sdf = sdf.apply(count, stateful=True)
    sdf.to_topic(sink)
    return app, admin


def main():
    argv = sys.argv[1:]
    input_topic = os.environ.get("INPUT_TOPIC", "streams-plaintext-input")
    output_topic = os.environ.get("OUTPUT_TOPIC", "streams-wordcount-output")
    app_id = os.environ.get("APP_ID", "quix-wordcount")
    repo = Path(__file__).resolve().parents[2]
    state_root = Path(os.environ.get("STATE_DIR", repo / "target/bench/state/quix"))

    if argv and argv[0] == "--topics":
        parts = int(argv[1]) if len(argv) > 1 else 2
        app, admin = build(
            "127.0.0.1:1", input_topic, output_topic, app_id,
            state_root / "topics-dry-run", fake_partitions=parts,
        )
        for name in admin.seen:
            print(f"{name}:{parts}")
        return

    bootstrap = argv[0] if len(argv) > 0 else os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not bootstrap:
        sys.exit(__doc__)
    if len(argv) > 1:
        input_topic = argv[1]
    if len(argv) > 2:
        output_topic = argv[2]
    if len(argv) > 3:
        app_id = argv[3]

    # Fresh local state each start; a restart restores it from the changelog.
    state_dir = state_root / app_id
    shutil.rmtree(state_dir, ignore_errors=True)
    app, _ = build(bootstrap, input_topic, output_topic, app_id, state_dir)
    print(f"quix wordcount: {input_topic} -> {output_topic} (group {app_id})", flush=True)
    app.run()


if __name__ == "__main__":
    main()
