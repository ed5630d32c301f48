package dev.nightshift.kafka;

import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A consumer's writes committed together with its offsets, in one Kafka transaction for the consumer's group generation
 * (KIP-447): a member that lost the partition to another is fenced, its transaction fails and nothing it wrote is seen.
 * A transaction that fails otherwise (Kafka unreachable, a timeout whose result is unknown) replaces the producer, its
 * transactional id kept, so the new one ends what the old one left open; the caller tries again later. Another producer
 * with this transactional id (a second instance with the same instance id) is fatal: {@link InstanceFenced}.
 * Not thread-safe: the poll thread's.
 */
public final class OffsetTransactions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetTransactions.class);

    /** What became of a transaction. */
    public enum Commit {
        /** Its records and offsets are committed. */
        COMMITTED,
        /** This member no longer owns a partition it committed for: nothing of it is seen. */
        FENCED,
        /** Not committed (Kafka or the schema registry unavailable): to be tried again later. */
        FAILED
    }

    /** Thrown when another producer took this transactional id: the instance must stop. */
    public static final class InstanceFenced extends RuntimeException {
        public InstanceFenced(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final String instanceSetting;
    private Producer<byte[], byte[]> producer;

    /**
     * @param producers       makes a transactional producer (always with the same transactional id); owned and closed here
     * @param instanceSetting the setting that names the instance, for the message of {@link InstanceFenced}
     */
    public OffsetTransactions(Supplier<Producer<byte[], byte[]>> producers, String instanceSetting) {
        this.producers = producers;
        this.instanceSetting = instanceSetting;
    }

    /**
     * Writes the records, and commits the offsets for the group if any, in one transaction. The records are made
     * (serialized) first: a schema registry that cannot be used fails the transaction before it begins.
     */
    public Commit commit(Supplier<List<ProducerRecord<byte[], byte[]>>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                         ConsumerGroupMetadata group) {
        if (!offsets.isEmpty() && group.generationId() < 0) {
            // Not a member of its group now: the broker would take offsets without a generation unchecked.
            return Commit.FENCED;
        }
        List<ProducerRecord<byte[], byte[]>> serialized;
        try {
            serialized = records.get();
        } catch (RuntimeException e) {
            if (SchemaRegistryException.isRegistryTrouble(e)) {
                LOG.warn("the schema registry cannot be used now: {}", DeadLetters.describe(e));
                return Commit.FAILED;
            }
            throw e;
        }
        Producer<byte[], byte[]> transactional;
        try {
            transactional = producer();
        } catch (KafkaException e) {
            LOG.warn("no transactional producer now: {}", DeadLetters.describe(e));
            return Commit.FAILED;
        }
        try {
            transactional.beginTransaction();
            for (ProducerRecord<byte[], byte[]> record : serialized) {
                transactional.send(record);
            }
            if (!offsets.isEmpty()) {
                transactional.sendOffsetsToTransaction(offsets, group);
            }
            transactional.commitTransaction();
            return Commit.COMMITTED;
        } catch (KafkaException e) {
            if (causedBy(e, ProducerFencedException.class)) {
                discardProducer();
                throw new InstanceFenced("another instance took this one's transactional id (the same " + instanceSetting + "?)", e);
            }
            if (causedBy(e, CommitFailedException.class) || causedBy(e, FencedInstanceIdException.class)
                    || causedBy(e, IllegalGenerationException.class) || causedBy(e, UnknownMemberIdException.class)
                    || causedBy(e, RebalanceInProgressException.class)) {
                abort(transactional);
                return Commit.FENCED;
            }
            LOG.warn("a transaction failed: {}; the producer is replaced", DeadLetters.describe(e));
            discardProducer();
            return Commit.FAILED;
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.get();
            try {
                created.initTransactions();
            } catch (KafkaException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void abort(Producer<byte[], byte[]> transactional) {
        try {
            transactional.abortTransaction();
        } catch (KafkaException e) {
            discardProducer();
        }
    }

    private void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debug("closing a failed producer: {}", e.toString());
            }
            producer = null;
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
