package dev.nightshift.ingest.publish;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.RejectedAlert;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes normalized alerts to {@code alerts.raw}, keyed by fingerprint, and refused payloads to
 * {@code alerts.rejected}, keyed by source. An alert counts as accepted only once the broker has
 * acknowledged it (the producer is {@code acks=all} and idempotent). At most a fixed number of
 * alerts wait for acknowledgement at once: beyond that a request is refused at once
 * ({@link BackPressureException}) rather than queued in memory. A request with an alert larger than
 * the producer sends ({@code max.request.size}) is refused whole before anything is sent
 * ({@link AlertTooLargeException}).
 */
public final class AlertPublisher implements AlertSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertPublisher.class);
    /**
     * What the producer adds around a record's key and value when it checks the record against
     * {@code max.request.size}: the batch header (61 bytes), the record's own (at most 21) and the
     * two lengths (at most 5 each).
     */
    static final int RECORD_OVERHEAD = 92;

    private final Producer<byte[], byte[]> producer;
    private final Topic<String, Alert> alertsRaw;
    private final Topic<String, RejectedAlert> alertsRejected;
    private final Serializer<Alert> alertSerializer;
    private final Serializer<RejectedAlert> rejectedSerializer;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final int maxRecordSize;
    private final Executor completions;
    private volatile boolean open = true;

    /**
     * @param producer          an acks=all, idempotent producer of bytes
     * @param topics            the topic registry
     * @param maxInFlightAlerts how many alerts may wait for acknowledgement at once
     * @param maxRecordSize     the producer's {@code max.request.size}: the largest record it sends
     * @param completions       where a request's outcome is handed on once the broker has answered,
     *                          so that the producer's I/O thread does no other work
     */
    public AlertPublisher(Producer<byte[], byte[]> producer, Topics topics, int maxInFlightAlerts, int maxRecordSize,
                          Executor completions) {
        this.producer = producer;
        this.maxRecordSize = maxRecordSize;
        this.completions = completions;
        this.alertsRaw = topics.alertsRaw();
        this.alertsRejected = topics.alertsRejected();
        this.alertSerializer = alertsRaw.valueSerde().serializer();
        this.rejectedSerializer = alertsRejected.valueSerde().serializer();
        this.maxInFlight = maxInFlightAlerts;
        this.inFlight = new Semaphore(maxInFlightAlerts);
    }

    /**
     * Sends every alert and completes, once each has an answer from the broker (or its delivery
     * timeout passed), with one outcome per alert in their order. Never completes exceptionally.
     *
     * @throws BackPressureException  when the alerts cannot be admitted now; nothing was sent
     * @throws AlertTooLargeException when an alert is larger than one record may be; nothing was sent
     */
    @Override
    public CompletableFuture<List<PublishOutcome>> publish(List<Alert> alerts) {
        int count = alerts.size();
        if (count > maxInFlight || !inFlight.tryAcquire(count)) {
            throw new BackPressureException("too many alerts are waiting for the broker");
        }
        CompletableFuture<List<PublishOutcome>> done = new CompletableFuture<>();
        if (count == 0) {
            done.complete(List.of());
            return done;
        }
        byte[][] keys = new byte[count][];
        byte[][] values = new byte[count][];
        RuntimeException[] unserializable = new RuntimeException[count];
        for (int i = 0; i < count; i++) {
            keys[i] = alerts.get(i).getFingerprint().getBytes(StandardCharsets.UTF_8);
            try {
                values[i] = alertSerializer.serialize(alertsRaw.name(), alerts.get(i));
            } catch (RuntimeException e) {
                unserializable[i] = e;
                continue;
            }
            int size = keys[i].length + values[i].length + RECORD_OVERHEAD;
            if (size > maxRecordSize) {
                inFlight.release(count);
                throw new AlertTooLargeException(i, size, maxRecordSize);
            }
        }
        PublishOutcome[] outcomes = new PublishOutcome[count];
        AtomicInteger remaining = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            Alert alert = alerts.get(i);
            int index = i;
            Callback callback = (metadata, error) -> {
                outcomes[index] = new PublishOutcome(alert, error);
                inFlight.release();
                if (remaining.decrementAndGet() == 0) {
                    // the producer's I/O thread only hands over; the answer is built elsewhere
                    try {
                        completions.execute(() -> done.complete(Arrays.asList(outcomes)));
                    } catch (RuntimeException closed) {
                        done.complete(Arrays.asList(outcomes));
                    }
                }
            };
            if (unserializable[i] != null) {
                callback.onCompletion(null, unserializable[i]);
                continue;
            }
            try {
                producer.send(new ProducerRecord<>(alertsRaw.name(), keys[i], values[i]), callback);
            } catch (RuntimeException e) {
                callback.onCompletion(null, e);
            }
        }
        return done;
    }

    /** Keeps a refused payload on the rejected topic; a failure is logged, never thrown. */
    @Override
    public void reject(String source, RejectedAlert rejected) {
        try {
            byte[] value = rejectedSerializer.serialize(alertsRejected.name(), rejected);
            producer.send(new ProducerRecord<>(alertsRejected.name(), source.getBytes(StandardCharsets.UTF_8), value),
                    (metadata, error) -> {
                        if (error != null) {
                            LOG.warn("could not keep a rejected {} payload on {}: {}", source, alertsRejected.name(),
                                    error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("could not keep a rejected {} payload on {}: {}", source, alertsRejected.name(), e.toString());
        }
    }

    /** Alerts now waiting for the broker. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** False once {@link #close()} has begun: nothing more can be written. */
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        producer.close(Duration.ofSeconds(5));
    }
}
