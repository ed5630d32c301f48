package dev.nightshift.ingest;

import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key rate limit, as a sender meets it. */
@WithKafkaStack
class RateLimitIT {
    @Test
    void aKeyOverItsRateGets429WithRetryAfter(KafkaStack stack) {
        try (IngestTestServer ingest = IngestTestServer.start(stack, Map.of(
                "nightshift.ingest.rate-limit.requests-per-second", 0.2,
                "nightshift.ingest.rate-limit.burst", 2))) {
            String alert = "{\"name\":\"limited\",\"state\":\"firing\"}";

            assertThat(ingest.postAuthorized("/v1/alerts", alert).statusCode()).isEqualTo(202);
            assertThat(ingest.postAuthorized("/v1/alerts", alert).statusCode()).isEqualTo(202);
            HttpResponse<String> limited = ingest.postAuthorized("/v1/alerts", alert);

            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                    v -> assertThat(Integer.parseInt(v)).isBetween(1, 5));
            assertThat(ingest.postJson("/v1/alerts", alert, "Authorization", "Bearer wrong").statusCode())
                    .as("a wrong key is refused as unauthenticated, not counted against the real key").isEqualTo(401);
        }
    }
}
