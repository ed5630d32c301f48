package dev.nightshift.ingest.normalize;

import dev.nightshift.ingest.IngestSource;
import dev.nightshift.schema.Alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Small helpers shared by the parser tests. */
final class ParserTesting {
    static final Instant RECEIVED = Instant.parse("2026-11-21T12:00:00Z");

    private ParserTesting() {
    }

    static Supplier<String> ids() {
        AtomicInteger n = new AtomicInteger();
        return () -> "id-" + n.incrementAndGet();
    }

    static Delivery delivery(IngestSource source, String body, Map<String, String> headers) {
        return new Delivery(source, "application/json", body.getBytes(StandardCharsets.UTF_8),
                name -> headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null),
                RECEIVED);
    }

    static List<Alert> alerts(ParseResult result) {
        return ((ParseResult.Alerts) result).alerts();
    }

    static InvalidPayloadException refusal(Runnable parse) {
        try {
            parse.run();
        } catch (InvalidPayloadException e) {
            return e;
        }
        throw new AssertionError("expected the payload to be refused");
    }
}
