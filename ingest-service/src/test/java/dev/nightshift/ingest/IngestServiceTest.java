package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.auth.RateLimiter;
import dev.nightshift.ingest.normalize.GenericAlertParser;
import dev.nightshift.ingest.publish.AlertSink;
import dev.nightshift.ingest.publish.AlertTooLargeException;
import dev.nightshift.ingest.publish.BackPressureException;
import dev.nightshift.ingest.publish.PublishOutcome;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.RejectedAlert;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The request pipeline without HTTP: the order of checks, what is kept, and the answer to each outcome. */
class IngestServiceTest {
    private static final String KEY = "unit-key";

    /** An in-memory stand-in for the broker: the outcome of each alert is decided by the test. */
    static final class RecordingSink implements AlertSink {
        final List<Alert> published = new ArrayList<>();
        final List<RejectedAlert> rejected = new ArrayList<>();
        Function<Alert, Throwable> failure = a -> null;
        boolean full;
        /** Bytes an alert may take as a record; a larger one refuses the whole request, as the publisher does. */
        int maxRecordSize = Integer.MAX_VALUE;

        @Override
        public synchronized CompletableFuture<List<PublishOutcome>> publish(List<Alert> alerts) {
            if (full) {
                throw new BackPressureException("too many alerts are waiting for the broker");
            }
            for (int i = 0; i < alerts.size(); i++) {
                int size = avroSize(alerts.get(i));
                if (size > maxRecordSize) {
                    throw new AlertTooLargeException(i, size, maxRecordSize);
                }
            }
            List<PublishOutcome> outcomes = new ArrayList<>();
            for (Alert alert : alerts) {
                Throwable error = failure.apply(alert);
                if (error == null) {
                    published.add(alert);
                }
                outcomes.add(new PublishOutcome(alert, error));
            }
            return CompletableFuture.completedFuture(outcomes);
        }

        private static int avroSize(Alert alert) {
            try {
                return alert.toByteBuffer().remaining();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void reject(String source, RejectedAlert alert) {
            rejected.add(alert);
        }

        /** The rejected records once there are {@code count} of them (they are kept asynchronously). */
        List<RejectedAlert> awaitRejected(int count) {
            return org.awaitility.Awaitility.await().until(() -> {
                synchronized (this) {
                    return List.copyOf(rejected);
                }
            }, list -> list.size() >= count);
        }
    }

    private final RecordingSink sink = new RecordingSink();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
    private final AtomicInteger ids = new AtomicInteger();

    private IngestService service(RateLimiter limiter, int maxBody) {
        return new IngestService(ApiKeys.builder().plainKeyForAll(KEY).build(), limiter,
                List.of(new GenericAlertParser(() -> "id-" + ids.incrementAndGet(), 100)), sink, workers,
                new IngestService.Settings(maxBody, 16, Duration.ofSeconds(9), "X-Nightshift-Api-Key"),
                Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC));
    }

    private IngestService service() {
        return service(new RateLimiter(0, 1), 1024);
    }

    private static IngestRequest request(String contentType, String body, Map<String, String> headers) {
        return new IngestRequest(IngestSource.GENERIC, contentType, body.getBytes(StandardCharsets.UTF_8),
                name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null), "10.0.0.7");
    }

    private static IngestRequest authorized(String body) {
        return request("application/json", body, Map.of("Authorization", "Bearer " + KEY));
    }

    /** Rejected payloads are written from the worker pool: let it finish before asserting that nothing was kept. */
    private void drainWorkers() {
        workers.shutdown();
        try {
            assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static IngestResponse answer(IngestService service, IngestRequest request) {
        return service.handle(request).join();
    }

    @Test
    void acceptedAlertsAreAnswered202WithTheirIdsInOrder() {
        IngestResponse response = answer(service(), authorized("[{\"name\":\"a\",\"state\":\"firing\"},{\"name\":\"b\",\"state\":\"resolved\"}]"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(response.body()).containsEntry("accepted", 2).containsEntry("alertIds", List.of("id-1", "id-2"));
        assertThat(sink.published).extracting(Alert::getName).containsExactly("a", "b");
    }

    @Test
    void authenticationComesFirstAndAFailureIsNeitherDetailedNorKept() {
        IngestResponse response = answer(service(), request("text/html", "x".repeat(5000), Map.of("Authorization", "Bearer wrong")));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(Map.of("error", "unauthorized"));
        assertThat(response.headers()).containsKey("WWW-Authenticate");
        drainWorkers();
        assertThat(sink.rejected).isEmpty();
    }

    @Test
    void theCustomKeyHeaderAuthenticates() {
        IngestResponse response = answer(service(), request("application/json", "{\"name\":\"a\",\"state\":\"firing\"}",
                Map.of("X-Nightshift-Api-Key", KEY)));

        assertThat(response.status()).isEqualTo(202);
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndNothingIsKept() {
        IngestService limited = service(new RateLimiter(0.5, 1), 1024);
        answer(limited, authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

        IngestResponse response = answer(limited, authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.headers()).containsEntry("Retry-After", "2");
        drainWorkers();
        assertThat(sink.rejected).isEmpty();
    }

    @Test
    void anOversizedBodyGets413AndIsKeptCappedWithItsSizeAndSource() {
        String body = "{\"name\":\"" + "x".repeat(2000) + "\",\"state\":\"firing\"}";

        IngestResponse response = answer(service(), authorized(body));

        assertThat(response.status()).isEqualTo(413);
        RejectedAlert kept = sink.awaitRejected(1).get(0);
        assertThat(kept.getSource()).isEqualTo("generic");
        assertThat(kept.getHttpStatus()).isEqualTo(413);
        assertThat(kept.getPayloadSize()).isEqualTo(body.length());
        assertThat(kept.getPayload().remaining()).isEqualTo(16);
        assertThat(kept.getTruncated()).isTrue();
        assertThat(kept.getRemoteAddress()).isEqualTo("10.0.0.7");
        assertThat(kept.getReason()).contains("over the limit");
    }

    @Test
    void anAlertTooLargeOnceNormalizedGets413SayingWhichAndIsKeptWithNothingWritten() {
        sink.maxRecordSize = 600;
        String body = "[{\"name\":\"a\",\"state\":\"firing\"},{\"name\":\"b\",\"state\":\"firing\",\"summary\":\""
                + "y".repeat(700) + "\"}]";

        IngestResponse response = answer(service(), authorized(body));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).containsEntry("error", "payload_too_large");
        assertThat((String) response.body().get("message")).startsWith("the alert at index 1 is ")
                .contains("over the limit of 600 bytes").contains("No alert of this request was written");
        assertThat(sink.published).isEmpty();
        RejectedAlert kept = sink.awaitRejected(1).get(0);
        assertThat(kept.getHttpStatus()).isEqualTo(413);
        assertThat(kept.getReason()).isEqualTo(response.body().get("message"));
        assertThat(kept.getPayloadSize()).isEqualTo(body.length());
        assertThat(kept.getPayload().remaining()).isEqualTo(16);
        assertThat(kept.getTruncated()).isTrue();
    }

    @Test
    void anAlertTheBrokerRefusesAsTooLargeGets413AndIsKept() {
        sink.failure = alert -> alert.getName().equals("b") ? new RecordTooLargeException("The message is 1200000 bytes") : null;
        String body = "[{\"name\":\"a\",\"state\":\"firing\"},{\"name\":\"b\",\"state\":\"firing\"}]";

        IngestResponse response = answer(service(), authorized(body));

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body()).containsEntry("error", "payload_too_large").containsEntry("accepted", 1);
        assertThat((String) response.body().get("message")).startsWith("the broker refused the alert at index 1 as too large");
        RejectedAlert kept = sink.awaitRejected(1).get(0);
        assertThat(kept.getSource()).isEqualTo("generic");
        assertThat(kept.getHttpStatus()).isEqualTo(413);
        assertThat(kept.getReason()).isEqualTo(response.body().get("message"));
        assertThat(kept.getPayloadSize()).isEqualTo(body.length());
    }

    @Test
    void aWrongContentTypeGets415AndIsKept() {
        IngestResponse response = answer(service(), request("text/plain", "{\"name\":\"a\",\"state\":\"firing\"}",
                Map.of("Authorization", "Bearer " + KEY)));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.body()).containsEntry("error", "unsupported_media_type");
        assertThat(sink.awaitRejected(1)).hasSize(1);
    }

    @Test
    void aBadFieldGets400NamingItAndIsKept() {
        IngestResponse response = answer(service(), authorized("{\"name\":\"a\",\"state\":\"sleeping\"}"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).containsEntry("field", "state");
        assertThat(sink.awaitRejected(1)).extracting(RejectedAlert::getHttpStatus).containsExactly(400);
        assertThat(sink.published).isEmpty();
    }

    @Test
    void whenTheBrokerIsFullTheRequestGets503WithRetryAfter() {
        sink.full = true;

        IngestResponse response = answer(service(), authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "9");
    }

    @Test
    void aBatchThatIsPartlyWrittenGets503SayingWhichAlertsWereAccepted() {
        sink.failure = alert -> alert.getName().equals("b") ? new TimeoutException("Expiring 1 record(s)") : null;

        IngestResponse response = answer(service(), authorized("[{\"name\":\"a\",\"state\":\"firing\"},{\"name\":\"b\",\"state\":\"firing\"}]"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsKey("Retry-After");
        assertThat(response.body()).containsEntry("accepted", 1).containsEntry("alertIds", List.of("id-1"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> items = (List<Map<String, Object>>) response.body().get("alerts");
        assertThat(items).extracting(i -> i.get("status")).containsExactly("accepted", "failed");
        assertThat(response.body().toString()).doesNotContain("Expiring").doesNotContain("Exception");
    }

    @Test
    void bodiesAreParsedOnTheWorkerPoolNeverOnTheCallersThread() {
        List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        GenericAlertParser generic = new GenericAlertParser(() -> "id", 10);
        dev.nightshift.ingest.normalize.SourceParser recordingThread = new dev.nightshift.ingest.normalize.SourceParser() {
            @Override
            public IngestSource source() {
                return IngestSource.GENERIC;
            }

            @Override
            public dev.nightshift.ingest.normalize.ParseResult parse(dev.nightshift.ingest.normalize.Delivery delivery) {
                threads.add(Thread.currentThread().getName());
                return generic.parse(delivery);
            }
        };
        workers.setThreadFactory(r -> new Thread(r, "test-worker"));
        IngestService service = new IngestService(ApiKeys.builder().plainKeyForAll(KEY).build(), new RateLimiter(0, 1),
                List.of(recordingThread), sink, workers,
                new IngestService.Settings(1024, 16, Duration.ofSeconds(9), "X-Nightshift-Api-Key"), Clock.systemUTC());

        IngestResponse response = answer(service, authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

        assertThat(response.status()).isEqualTo(202);
        assertThat(threads).containsExactly("test-worker");
    }

    @Test
    void whenTheWorkerQueueIsFullTheRequestGets503AtOnce() {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ThreadPoolExecutor tiny = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>());
        try {
            tiny.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            IngestService service = new IngestService(ApiKeys.builder().plainKeyForAll(KEY).build(), new RateLimiter(0, 1),
                    List.of(new GenericAlertParser(() -> "id", 10)), sink, tiny,
                    new IngestService.Settings(1024, 16, Duration.ofSeconds(9), "X-Nightshift-Api-Key"), Clock.systemUTC());

            IngestResponse response = answer(service, authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.headers()).containsEntry("Retry-After", "9");
            assertThat(sink.published).isEmpty();
        } finally {
            release.countDown();
            tiny.shutdown();
        }
    }

    @Test
    void aPermanentBrokerFailureGets500WithoutDetail() {
        sink.failure = alert -> new IllegalStateException("secret internals");

        IngestResponse response = answer(service(), authorized("{\"name\":\"a\",\"state\":\"firing\"}"));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.body().toString()).doesNotContain("secret internals");
    }
}
