package dev.nightshift.ingest.publish;

import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

import static dev.nightshift.ingest.publish.ErrorClassifier.Kind.PERMANENT;
import static dev.nightshift.ingest.publish.ErrorClassifier.Kind.RETRYABLE;
import static dev.nightshift.ingest.publish.ErrorClassifier.Kind.TOO_LARGE;
import static org.assertj.core.api.Assertions.assertThat;

class ErrorClassifierTest {
    @Test
    void brokerTimeoutsAndBackPressureAreRetryable() {
        assertThat(ErrorClassifier.classify(new TimeoutException("expired"))).isEqualTo(RETRYABLE);
        assertThat(ErrorClassifier.classify(new NotEnoughReplicasException("isr"))).isEqualTo(RETRYABLE);
        assertThat(ErrorClassifier.classify(new BackPressureException("full"))).isEqualTo(RETRYABLE);
        assertThat(ErrorClassifier.classify(new RejectedExecutionException())).isEqualTo(RETRYABLE);
    }

    @Test
    void wrappersAreLookedThrough() {
        assertThat(ErrorClassifier.classify(new CompletionException(new TimeoutException("x")))).isEqualTo(RETRYABLE);
        assertThat(ErrorClassifier.classify(new ExecutionException(new RecordTooLargeException("x")))).isEqualTo(TOO_LARGE);
        assertThat(ErrorClassifier.classify(new KafkaException("wrapped", new TimeoutException("x")))).isEqualTo(RETRYABLE);
    }

    @Test
    void anUnreachableRegistryIsRetryableButARefusedSchemaIsNot() {
        assertThat(ErrorClassifier.classify(new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE, "down")))
                .isEqualTo(RETRYABLE);
        assertThat(ErrorClassifier.classify(new SchemaRegistryException(SchemaRegistryException.Kind.INCOMPATIBLE, "no")))
                .isEqualTo(PERMANENT);
    }

    @Test
    void authorizationSerializationAndUnknownFailuresArePermanent() {
        assertThat(ErrorClassifier.classify(new TopicAuthorizationException(Set.of("t")))).isEqualTo(PERMANENT);
        assertThat(ErrorClassifier.classify(new SerializationException("bad"))).isEqualTo(PERMANENT);
        assertThat(ErrorClassifier.classify(new IllegalStateException("bug"))).isEqualTo(PERMANENT);
    }

    @Test
    void aRecordTooLargeForTheBrokerIsItsOwnKind() {
        assertThat(ErrorClassifier.classify(new RecordTooLargeException("big"))).isEqualTo(TOO_LARGE);
    }
}
