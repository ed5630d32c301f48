package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.auth.Credentials;
import dev.nightshift.ingest.auth.RateLimiter;
import dev.nightshift.ingest.normalize.Delivery;
import dev.nightshift.ingest.normalize.InvalidPayloadException;
import dev.nightshift.ingest.normalize.ParseResult;
import dev.nightshift.ingest.normalize.SourceParser;
import dev.nightshift.ingest.publish.AlertSink;
import dev.nightshift.ingest.publish.AlertTooLargeException;
import dev.nightshift.ingest.publish.BackPressureException;
import dev.nightshift.ingest.publish.ErrorClassifier;
import dev.nightshift.ingest.publish.PublishOutcome;
import dev.nightshift.ingest.sns.UpstreamUnavailableException;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.RejectedAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

/**
 * Takes one request to a source endpoint from arrival to answer, in this order: the key (401, with
 * no detail, and nothing kept), the key's rate (429), the body's size (413) and content type (415),
 * the source's parser (400/403/413), the size of each normalized alert (413), then the broker. A
 * refused payload other than a failed authentication or rate limit is kept on {@code alerts.rejected},
 * capped in size, with its reason and source; so is one with an alert the broker refused as too
 * large. The answer is 202 only when the broker has acknowledged every alert of the request;
 * otherwise 503 with Retry-After and a list of what was accepted.
 */
public final class IngestService {
    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    /** Limits and names the service works with. */
    public record Settings(int maxBodySize, int rejectedPayloadCap, Duration retryAfter, String keyHeader) {
    }

    private final ApiKeys keys;
    private final RateLimiter rateLimiter;
    private final Map<IngestSource, SourceParser> parsers = new EnumMap<>(IngestSource.class);
    private final AlertSink publisher;
    private final Executor workers;
    private final Settings settings;
    private final Clock clock;

    public IngestService(ApiKeys keys, RateLimiter rateLimiter, List<SourceParser> parsers, AlertSink publisher,
                         Executor workers, Settings settings, Clock clock) {
        this.keys = keys;
        this.rateLimiter = rateLimiter;
        parsers.forEach(p -> this.parsers.put(p.source(), p));
        this.publisher = publisher;
        this.workers = workers;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Answers the request; the future never completes exceptionally. Only the key and the rate are
     * checked on the caller's thread; the body is parsed, and the alerts sent, on the worker pool, so
     * the caller (an HTTP event loop) never waits for the outside world. When the pool's queue is
     * full the answer is 503 at once.
     */
    public CompletableFuture<IngestResponse> handle(IngestRequest request) {
        Instant receivedAt = clock.instant();
        String presented = Credentials.presentedKey(request.header().apply("Authorization"),
                request.header().apply(settings.keyHeader()));
        String keyId = keys.match(request.source(), presented).orElse(null);
        if (keyId == null) {
            return CompletableFuture.completedFuture(IngestResponse.error(401, "unauthorized", null, null)
                    .withHeader("WWW-Authenticate", "Basic realm=\"nightshift-ingest\", Bearer realm=\"nightshift-ingest\""));
        }
        Duration wait = rateLimiter.tryAcquire(keyId);
        if (wait != null) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return CompletableFuture.completedFuture(IngestResponse.error(429, "rate_limited",
                    "too many requests with this key; retry after " + seconds + " s", null)
                    .withHeader("Retry-After", Long.toString(seconds)));
        }
        try {
            return CompletableFuture.supplyAsync(() -> accept(request, receivedAt), workers)
                    .thenCompose(f -> f)
                    .exceptionally(e -> unexpected(request, e));
        } catch (RejectedExecutionException busy) {
            return CompletableFuture.completedFuture(unavailable("the service is busy; retry later"));
        }
    }

    private CompletableFuture<IngestResponse> accept(IngestRequest request, Instant receivedAt) {
        byte[] body = request.body() == null ? new byte[0] : request.body();
        SourceParser parser = parsers.get(request.source());
        try {
            if (body.length > settings.maxBodySize()) {
                throw new InvalidPayloadException(413, "the body is " + body.length + " bytes, over the limit of "
                        + settings.maxBodySize() + " bytes", null);
            }
            checkContentType(request);
            ParseResult result = parser.parse(new Delivery(request.source(), request.contentType(), body,
                    request.header(), receivedAt));
            if (result instanceof ParseResult.Acknowledged ack) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("message", ack.message());
                return CompletableFuture.completedFuture(new IngestResponse(ack.status(), answer, Map.of()));
            }
            List<Alert> alerts = ((ParseResult.Alerts) result).alerts();
            CompletableFuture<List<PublishOutcome>> written;
            try {
                written = publisher.publish(alerts);
            } catch (AlertTooLargeException e) {
                throw new InvalidPayloadException(413, tooLarge(e, alerts.size()), null);
            }
            return written.thenApply(outcomes -> answer(outcomes, request, body, receivedAt));
        } catch (InvalidPayloadException e) {
            reject(request, body, e.getMessage(), e.status(), receivedAt);
            return CompletableFuture.completedFuture(IngestResponse.error(e.status(), errorCode(e.status()),
                    e.getMessage(), e.field()));
        } catch (UpstreamUnavailableException e) {
            return CompletableFuture.completedFuture(unavailable(e.getMessage()));
        } catch (BackPressureException e) {
            return CompletableFuture.completedFuture(unavailable(e.getMessage() + "; retry later"));
        }
    }

    private void checkContentType(IngestRequest request) {
        String type = request.contentType();
        if (type == null || type.isBlank()) {
            return;
        }
        String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean json = mediaType.equals("application/json") || mediaType.endsWith("+json") || mediaType.equals("text/json");
        boolean plain = mediaType.equals("text/plain");
        boolean allowed = json || (plain && request.source() == IngestSource.CLOUDWATCH);
        if (!allowed) {
            throw new InvalidPayloadException(415, "content type '" + mediaType + "' is not accepted here; send "
                    + (request.source() == IngestSource.CLOUDWATCH ? "application/json or text/plain (SNS)" : "application/json"),
                    null);
        }
    }

    private static String tooLarge(AlertTooLargeException e, int alerts) {
        return (alerts == 1 ? "the alert" : "the alert at index " + e.index()) + " is " + e.size()
                + " bytes once normalized, over the limit of " + e.limit() + " bytes for one alert on the broker"
                + " (normalizing copies some fields, such as a title into both name and title); shorten its longest"
                + " fields. No alert of this request was written";
    }

    private IngestResponse answer(List<PublishOutcome> outcomes, IngestRequest request, byte[] payload, Instant receivedAt) {
        List<Map<String, Object>> items = new ArrayList<>(outcomes.size());
        List<String> acceptedIds = new ArrayList<>(outcomes.size());
        Throwable firstError = null;
        List<Integer> tooLarge = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            PublishOutcome outcome = outcomes.get(i);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            item.put("alertId", outcome.alert().getAlertId());
            item.put("fingerprint", outcome.alert().getFingerprint());
            if (outcome.accepted()) {
                item.put("status", "accepted");
                acceptedIds.add(outcome.alert().getAlertId());
            } else {
                item.put("status", "failed");
                firstError = firstError == null ? outcome.error() : firstError;
                if (ErrorClassifier.classify(outcome.error()) == ErrorClassifier.Kind.TOO_LARGE) {
                    tooLarge.add(i);
                }
            }
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (firstError == null) {
            body.put("accepted", acceptedIds.size());
            body.put("alertIds", acceptedIds);
            body.put("alerts", items);
            return new IngestResponse(202, body, Map.of());
        }
        ErrorClassifier.Kind kind = ErrorClassifier.classify(firstError);
        LOG.warn("{} of {} alerts were not acknowledged by the broker ({}): {}", outcomes.size() - acceptedIds.size(),
                outcomes.size(), kind, firstError.toString());
        int status = switch (kind) {
            case RETRYABLE -> 503;
            case TOO_LARGE -> 413;
            case PERMANENT -> 500;
        };
        String message = switch (kind) {
            case RETRYABLE -> "the broker did not acknowledge " + (outcomes.size() - acceptedIds.size()) + " of "
                    + outcomes.size() + " alerts in time; send the failed ones again";
            case TOO_LARGE -> "the broker refused " + (tooLarge.size() == 1 ? "the alert at index " : "the alerts at indexes ")
                    + tooLarge.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " as too large; shorten their longest fields (alerts[] says which were accepted)";
            case PERMANENT -> "the alerts could not be written";
        };
        if (kind == ErrorClassifier.Kind.TOO_LARGE) {
            // a sender's payload the broker will never take: kept, like every other refusal
            reject(request, payload, message, status, receivedAt);
        }
        body.put("error", errorCode(status));
        body.put("message", message);
        body.put("accepted", acceptedIds.size());
        body.put("alertIds", acceptedIds);
        body.put("alerts", items);
        IngestResponse response = new IngestResponse(status, body, Map.of());
        return status == 503 ? response.withHeader("Retry-After", retryAfterSeconds()) : response;
    }

    private IngestResponse unexpected(IngestRequest request, Throwable error) {
        LOG.error("unexpected failure handling a {} request: {}", request.source().configName(), error.toString(), error);
        if (ErrorClassifier.retryable(error)) {
            return unavailable("the service cannot take the request now; retry later");
        }
        return IngestResponse.error(500, "internal", "the request could not be handled", null);
    }

    private IngestResponse unavailable(String message) {
        return IngestResponse.error(503, "unavailable", message, null).withHeader("Retry-After", retryAfterSeconds());
    }

    private String retryAfterSeconds() {
        return Long.toString(Math.max(1, settings.retryAfter().toSeconds()));
    }

    private void reject(IngestRequest request, byte[] body, String reason, int status, Instant receivedAt) {
        int cap = Math.min(body.length, settings.rejectedPayloadCap());
        RejectedAlert rejected = RejectedAlert.newBuilder()
                .setSource(request.source().configName())
                .setReason(reason)
                .setHttpStatus(status)
                .setContentType(request.contentType())
                .setPayload(ByteBuffer.wrap(Arrays.copyOf(body, cap)))
                .setPayloadSize(body.length)
                .setTruncated(cap < body.length)
                .setRemoteAddress(request.remoteAddress())
                .setReceivedAt(receivedAt)
                .build();
        try {
            // the first rejected record may register its schema: never on an event loop
            workers.execute(() -> publisher.reject(request.source().configName(), rejected));
        } catch (RejectedExecutionException busy) {
            LOG.warn("a rejected {} payload was not kept: the service is busy", request.source().configName());
        }
    }

    private static String errorCode(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }
}
