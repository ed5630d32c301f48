package dev.nightshift.notifier.delivery;

import dev.nightshift.schema.NotificationLedger;
import dev.nightshift.schema.NotificationLedgerState;
import dev.nightshift.topics.Topic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The delivery ledger of the outbox partitions this worker holds, in memory: for each notification id, STARTED or
 * FINISHED and what it made. An outbox partition's entries are on the same partition number of
 * {@code notifications.ledger}, read to its end (read_committed) before the partition's first record is delivered, and
 * kept up to date as this worker commits; forgotten when the partition goes to another worker. Poll thread only.
 */
final class Ledger {
    private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(30);

    private final Topic<String, NotificationLedger> topic;
    private final Consumer<byte[], byte[]> reader;
    private final Map<Integer, Partition> partitions = new HashMap<>();

    /** @param reader a read_committed consumer without a group, owned by this ledger */
    Ledger(Topic<String, NotificationLedger> topic, Consumer<byte[], byte[]> reader) {
        this.topic = topic;
        this.reader = reader;
    }

    /** The ledger of an outbox partition, read first if it is not in memory. Throws when it cannot be read now. */
    Partition of(int partition) {
        Partition loaded = partitions.get(partition);
        if (loaded == null) {
            loaded = load(partition);
            partitions.put(partition, loaded);
        }
        return loaded;
    }

    void forget(int partition) {
        partitions.remove(partition);
    }

    void forgetAll() {
        partitions.clear();
    }

    private Partition load(int partition) {
        List<PartitionInfo> infos = reader.partitionsFor(topic.name(), Duration.ofSeconds(10));
        if (infos == null || infos.size() <= partition) {
            throw new IllegalStateException(topic.name() + " has " + (infos == null ? 0 : infos.size())
                    + " partitions; it needs as many as the outbox (at least " + (partition + 1) + ")");
        }
        TopicPartition ledgerPartition = new TopicPartition(topic.name(), partition);
        reader.assign(List.of(ledgerPartition));
        reader.seekToBeginning(List.of(ledgerPartition));
        long end = reader.endOffsets(List.of(ledgerPartition), Duration.ofSeconds(10)).get(ledgerPartition);
        Partition entries = new Partition();
        long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
        while (reader.position(ledgerPartition, Duration.ofSeconds(10)) < end) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("could not read " + ledgerPartition + " to its end within " + LOAD_TIMEOUT);
            }
            for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                String id = topic.keySerde().deserializer().deserialize(topic.name(), record.key());
                NotificationLedger entry = topic.valueSerde().deserializer().deserialize(topic.name(), record.headers(), record.value());
                entries.put(id, entry);
            }
        }
        reader.assign(List.of());
        return entries;
    }

    void close() {
        reader.close(Duration.ofSeconds(5));
    }

    /** One outbox partition's ledger. */
    static final class Partition implements LedgerView {
        private final Map<String, NotificationLedger> entries = new HashMap<>();

        Optional<NotificationLedger> get(String notificationId) {
            return Optional.ofNullable(entries.get(notificationId));
        }

        /** Records an entry committed by this worker (a null entry: the key deleted). */
        void put(String notificationId, NotificationLedger entry) {
            if (entry == null) {
                entries.remove(notificationId);
            } else {
                entries.put(notificationId, entry);
            }
        }

        int size() {
            return entries.size();
        }

        @Override
        public Optional<Made> made(String notificationId) {
            NotificationLedger entry = entries.get(notificationId);
            return entry == null || entry.getState() != NotificationLedgerState.FINISHED ? Optional.empty()
                    : Optional.of(new Made(entry.getDestination(), entry.getRef()));
        }
    }
}
