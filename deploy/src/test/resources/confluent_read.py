"""Reads topics with Confluent's own Python client (librdkafka + its Avro deserializer) and prints
one JSON line per record: an independent check that our records are Confluent Avro, decodable
through the schema registry with no code of ours.

usage: confluent_read.py BOOTSTRAP REGISTRY_URL EXPECTED_COUNT TOPIC...
"""
import json
import sys
import time
import uuid

from confluent_kafka import Consumer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer


def main():
    bootstrap, registry, expected, topics = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    # Keys are plain UTF-8 strings; values are Confluent Avro, decoded by Confluent's own serializer.
    values = MessageSerializer(CachedSchemaRegistryClient({"url": registry}))
    consumer = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "confluent-reader-" + uuid.uuid4().hex[:8],
        "auto.offset.reset": "earliest",
        "isolation.level": "read_committed",
    })
    consumer.subscribe(topics)
    seen = 0
    deadline = time.time() + 60
    last = time.time()
    try:
        # expected 0: every record there is (until none came for 3 s after the first)
        while (seen < expected or expected == 0) and time.time() < deadline:
            message = consumer.poll(1.0)
            if message is None:
                if expected == 0 and seen > 0 and time.time() - last > 3:
                    break
                continue
            last = time.time()
            if message.error():
                print(json.dumps({"error": str(message.error())}), flush=True)
                continue
            key = message.key().decode("utf-8") if message.key() is not None else None
            value = values.decode_message(message.value()) if message.value() is not None else None
            print(json.dumps({"topic": message.topic(), "key": key, "value": value}, default=str), flush=True)
            seen += 1
    finally:
        consumer.close()
    return 0 if seen >= max(expected, 1) else 1


if __name__ == "__main__":
    sys.exit(main())
