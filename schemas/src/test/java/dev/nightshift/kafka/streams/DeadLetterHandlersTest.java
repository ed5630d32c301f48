package dev.nightshift.kafka.streams;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterHandlersTest {
    private static final byte[] KEY = "fp-1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 7, 1, 2, 3};

    private static ErrorHandlerContext context(String topic, byte[] rawKey, byte[] rawValue) {
        Headers headers = new RecordHeaders().add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        return new ErrorHandlerContext() {
            public String topic() {
                return topic;
            }

            public int partition() {
                return 3;
            }

            public long offset() {
                return 42;
            }

            public Headers headers() {
                return headers;
            }

            public String processorNodeId() {
                return "triage-alerts";
            }

            public TaskId taskId() {
                return new TaskId(0, 3);
            }

            public long timestamp() {
                return 0;
            }

            public byte[] sourceRawKey() {
                return rawKey;
            }

            public byte[] sourceRawValue() {
                return rawValue;
            }
        };
    }

    @Test
    void recordWhoseProcessingThrowsGoesToItsTopicsDeadLetterTopicAndProcessingGoesOn() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(Map.of(DeadLetterRouting.APP, "triage", DeadLetterRouting.REPARTITIONS, "triage-outcomes-by-fingerprint-repartition=remediation.outcomes"));

        ProcessingExceptionHandler.Response response = handler.handleError(context("alerts.raw", KEY, VALUE),
                new Record<>("fp-1", "x", 0L), new IllegalStateException("boom"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> dead = response.deadLetterQueueRecords().get(0);
        assertThat(dead.topic()).isEqualTo("alerts.raw.dlq");
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(VALUE);
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.TOPIC)).isEqualTo("alerts.raw");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.STAGE)).isEqualTo("triage/triage-alerts");
        assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE)).contains("boom");
        assertThat(DeadLetters.header(dead.headers(), "trace")).isEqualTo("abc");
    }

    @Test
    void outcomeFromTheRepartitionTopicGoesToTheOutcomesDeadLetterTopic() {
        DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(Map.of(DeadLetterRouting.APP, "triage", DeadLetterRouting.REPARTITIONS, "triage-outcomes-by-fingerprint-repartition=remediation.outcomes"));

        ProcessingExceptionHandler.Response response = handler.handleError(
                context("app-triage-outcomes-by-fingerprint-repartition", KEY, VALUE), new Record<>("k", "v", 0L),
                new IllegalArgumentException("bad"));

        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo("remediation.outcomes.dlq"));
    }

    @Test
    void unreadableOwnershipRecordIsSkippedWithoutADeadLetterWhichTheGlobalStoreCannotWrite() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(DeadLetterRouting.GLOBAL_TOPICS, "team-x.ownership"));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("team-x.ownership", 0, 42, KEY, VALUE);

        DeserializationExceptionHandler.Response response = handler.handleError(context("team-x.ownership", KEY, VALUE), record,
                new SchemaRegistryException(SchemaRegistryException.Kind.UNKNOWN_ID, "no schema 7"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void unreachableRegistryIsNotThePoisonRecordsFault() {
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of());
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("alerts.raw", 3, 42, KEY, VALUE);

        DeserializationExceptionHandler.Response transientFailure = handler.handleError(context("alerts.raw", KEY, VALUE), record,
                new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "registry down"));
        DeserializationExceptionHandler.Response poison = handler.handleError(context("alerts.raw", KEY, VALUE), record,
                new SchemaRegistryException(SchemaRegistryException.Kind.UNKNOWN_ID, "no schema 7"));

        assertThat(transientFailure.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(poison.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(poison.deadLetterQueueRecords()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo("alerts.raw.dlq");
            assertThat(r.value()).isEqualTo(VALUE);
        });
    }
}
