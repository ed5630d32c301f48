#!/usr/bin/python3
"""MTTR by team from the incident.outcomes topic, with Confluent's own Python client.

Reads every record on the topic (a consumer that joins no group and commits nothing), decodes each
value through the schema registry with Confluent's Avro deserializer, and prints, per team (or per
team and ISO week of the incident's opening with --per-week): the closed incidents, how many of them
were resolved (an incident that expired has no time to resolve) and their mean time to resolve in
minutes.

Needs Debian's python3-confluent-kafka, python3-avro and python3-requests (run it with /usr/bin/python3).

usage: mttr_by_team.py [--bootstrap HOST:PORT] [--registry URL] [--topic NAME] [--per-week]
  defaults: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092; $SCHEMA_REGISTRY_URL or
  http://localhost:8081/apis/ccompat/v7; incident.outcomes
"""
import argparse
import datetime
import os
import sys
import uuid
from collections import defaultdict

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def read_outcomes(bootstrap, registry, topic):
    """Every outcome on the topic, decoded, read from the beginning of each partition to its end."""
    values = MessageSerializer(CachedSchemaRegistryClient({"url": registry}))
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        # librdkafka wants a group id; with assign() and no commits the group is never joined
        "group.id": "mttr-by-team-" + uuid.uuid4().hex[:8],
        "enable.auto.commit": False,
        "enable.partition.eof": True,
        "isolation.level": "read_committed",
    })
    try:
        metadata = consumer.list_topics(topic, timeout=30)
        if metadata.topics[topic].error is not None:
            raise SystemExit("topic %s: %s" % (topic, metadata.topics[topic].error))
        partitions = list(metadata.topics[topic].partitions)
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        at_end = set()
        outcomes = []
        while len(at_end) < len(partitions):
            message = consumer.poll(5.0)
            if message is None:
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    at_end.add(message.partition())
                    continue
                raise SystemExit("reading %s: %s" % (topic, message.error()))
            if message.value() is not None:
                outcomes.append(values.decode_message(message.value()))
        return outcomes
    finally:
        consumer.close()


def opened(outcome):
    """The incident's opening time (timestamp-millis: a datetime, or milliseconds with an older avro)."""
    value = outcome["openedAt"]
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
    return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)


def mttr_by_team(outcomes, per_week=False):
    """Rows of (team, week or None, incidents, resolved, mean minutes to resolve or None), sorted."""
    groups = defaultdict(list)
    for outcome in outcomes:
        week = None
        if per_week:
            year, number, _ = opened(outcome).isocalendar()
            week = "%d-W%02d" % (year, number)
        groups[(outcome["owner"]["team"], week)].append(outcome["timeToResolveMillis"])
    rows = []
    for (team, week), times in sorted(groups.items()):
        resolved = [t for t in times if t is not None]
        mean = sum(resolved) / len(resolved) / 60000.0 if resolved else None
        rows.append((team, week, len(times), len(resolved), mean))
    return rows


def main():
    parser = argparse.ArgumentParser(description="MTTR by team from incident.outcomes")
    parser.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"))
    parser.add_argument("--registry", default=os.environ.get("SCHEMA_REGISTRY_URL", "http://localhost:8081/apis/ccompat/v7"))
    parser.add_argument("--topic", default="incident.outcomes")
    parser.add_argument("--per-week", action="store_true", help="one row per team and ISO week of the opening")
    args = parser.parse_args()

    rows = mttr_by_team(read_outcomes(args.bootstrap, args.registry, args.topic), args.per_week)
    week_column = "%-9s " if args.per_week else "%.0s"
    print(("%-20s " + week_column + "%9s %9s %13s") % ("team", "week", "incidents", "resolved", "mttr_minutes"))
    for team, week, incidents, resolved, mean in rows:
        print(("%-20s " + week_column + "%9d %9d %13s") % (team, week, incidents, resolved, "-" if mean is None else "%.1f" % mean))
    return 0


if __name__ == "__main__":
    sys.exit(main())
