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
 */
final class DeadLetterRouting {
    /** Streams config key: the outcomes topic, whose dead-letter topic takes records from the repartition topic. */
    static final String OUTCOMES_TOPIC = dev.nightshift.triage.service.TriageRuntime.OUTCOMES_TOPIC;
    static final String APPROVALS_TOPIC = dev.nightshift.triage.service.TriageRuntime.APPROVALS_TOPIC;

    private String outcomesTopic;
    private String approvalsTopic;

    void configure(Map<String, ?> configs) {
        Object outcomes = configs.get(OUTCOMES_TOPIC);
        outcomesTopic = outcomes == null ? null : outcomes.toString();
        Object approvals = configs.get(APPROVALS_TOPIC);
        approvalsTopic = approvals == null ? null : approvals.toString();
    }

    static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return switch (registry.kind()) {
                    case UNREACHABLE, SERVER_ERROR, UNAUTHORIZED -> true;
                    default -> false;
                };
            }
        }
        return false;
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
