package dev.nightshift.ingest.publish;

import dev.nightshift.serde.SchemaRegistryException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Sorts every failure to write an alert into one of three kinds, and so decides the answer the
 * sender gets: a failure that may pass (broker or registry unreachable, timeouts, back-pressure) is
 * {@link Kind#RETRYABLE} and becomes 503 with Retry-After; a record the broker will never take for its
 * size is {@link Kind#TOO_LARGE} (413); anything else is {@link Kind#PERMANENT}, a fault on our side
 * (500, never with detail).
 */
public final class ErrorClassifier {
    public enum Kind { RETRYABLE, TOO_LARGE, PERMANENT }

    private ErrorClassifier() {
    }

    public static Kind classify(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof RecordTooLargeException) {
            return Kind.TOO_LARGE;
        }
        if (e instanceof SchemaRegistryException registry) {
            return registry.retryable() ? Kind.RETRYABLE : Kind.PERMANENT;
        }
        if (e instanceof AuthenticationException || e instanceof AuthorizationException) {
            return Kind.PERMANENT;
        }
        if (e instanceof RetriableException || e instanceof InterruptException || e instanceof RejectedExecutionException
                || e instanceof BackPressureException || e instanceof IOException
                || e instanceof java.util.concurrent.TimeoutException || e instanceof InterruptedException) {
            return Kind.RETRYABLE;
        }
        if (e instanceof SerializationException) {
            return Kind.PERMANENT;
        }
        if (e instanceof KafkaException && e.getCause() != null && e.getCause() != e) {
            return classify(e.getCause());
        }
        return Kind.PERMANENT;
    }

    public static boolean retryable(Throwable error) {
        return classify(error) == Kind.RETRYABLE;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
