package dev.nightshift.triage.errors;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.util.Map;

/**
 * Where a poison record goes and what it carries: its original key and value bytes on the
 * dead-letter topic of the external topic it came from ({@code alerts.raw.dlq} for alerts;
 * records from the outcome and approval repartition topics go to {@code remediation.outcomes.dlq} and
 * {@code approvals.decisions.dlq}), with the
 * pipeline's dead-letter headers (source topic, partition, offset, stage, error class and message).
 * A registry that cannot be reached is not the record's fault, so such errors are not dead-lettered.
 * Records of the {@code ownership} topic, read by the global store's thread, have no dead-letter topic:
 * Streams cannot write one from that thread (it has no record collector), so they are skipped and logged,
 * and stay on the compacted topic until an entry for their key replaces them.
 */
final class DeadLetterRouting {
    /** Streams config key: the outcomes topic, whose dead-letter topic takes records from the repartition topic. */
    static final String OUTCOMES_TOPIC = dev.nightshift.triage.service.TriageRuntime.OUTCOMES_TOPIC;
    static final String APPROVALS_TOPIC = dev.nightshift.triage.service.TriageRuntime.APPROVALS_TOPIC;
    static final String OWNERSHIP_TOPIC = dev.nightshift.triage.service.TriageRuntime.OWNERSHIP_TOPIC;

    private String outcomesTopic;
    private String approvalsTopic;
    private String ownershipTopic;

    void configure(Map<String, ?> configs) {
        Object outcomes = configs.get(OUTCOMES_TOPIC);
        outcomesTopic = outcomes == null ? null : outcomes.toString();
        Object approvals = configs.get(APPROVALS_TOPIC);
        approvalsTopic = approvals == null ? null : approvals.toString();
        Object ownership = configs.get(OWNERSHIP_TOPIC);
        ownershipTopic = ownership == null ? null : ownership.toString();
    }

    /** Whether the record came from the topic the global store reads, which cannot have a dead-letter write. */
    boolean fromGlobalStore(ErrorHandlerContext context) {
        return ownershipTopic != null && ownershipTopic.equals(context.topic());
    }

    static boolean isTransient(Throwable error) {
        return SchemaRegistryException.isRegistryTrouble(error);
    }

    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, String stage, Exception error) {
        String topic = context.topic();
        if (topic != null && topic.endsWith(dev.nightshift.triage.topology.StoreNames.APPROVALS_BY_FINGERPRINT + "-repartition")
                && approvalsTopic != null) {
            topic = approvalsTopic;
        } else if (topic != null && topic.endsWith("-repartition") && outcomesTopic != null) {
            topic = outcomesTopic;
        }
        ProducerRecord<byte[], byte[]> record = DeadLetters.of(topic == null ? "unknown" : topic, context.partition(),
                context.offset(), key, value, context.headers(), stage, error);
        return record.topic().equals(TopicNames.deadLetter("unknown")) ? null : record;
    }
}
