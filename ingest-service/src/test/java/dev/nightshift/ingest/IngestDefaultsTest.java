package dev.nightshift.ingest;

import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The documented defaults are what the service really starts with. */
class IngestDefaultsTest {
    @Test
    void withoutSettingsTheServiceTalksToTheLocalStackWithTheDocumentedLimits() {
        assumeTrue(System.getenv("KAFKA_BOOTSTRAP_SERVERS") == null && System.getenv("SCHEMA_REGISTRY_URL") == null
                && System.getenv("NIGHTSHIFT_TOPICS_PREFIX") == null, "the environment sets the pipeline's addresses");
        try (ApplicationContext context = ApplicationContext.run(Map.of("nightshift.ingest.api-key", "k"))) {
            PipelineSettings settings = context.getBean(PipelineSettings.class);
            IngestConfig config = context.getBean(IngestConfig.class);

            assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(settings.registry().url()).isEqualTo("http://localhost:8081/apis/ccompat/v7");
            assertThat(settings.topicNames().alertsRaw()).isEqualTo("alerts.raw");
            assertThat(config.getMaxBodySize()).isEqualTo(1024 * 1024);
            assertThat(config.getProducer().getDeliveryTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(config.getProducer().getMaxBlock()).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.getRateLimit().getRequestsPerSecond()).isEqualTo(500);
        }
    }

    @Test
    void aRequestLimitAboveTheInFlightLimitStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                        "nightshift.ingest.max-alerts-per-request", 500,
                        "nightshift.ingest.max-in-flight-alerts", 100)).close())
                .hasStackTraceContaining("must not be above nightshift.ingest.max-in-flight-alerts");
    }

    @Test
    void aDigestForAnUnknownSourceStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                        "nightshift.ingest.sources.pagerduty.key-sha256", "0".repeat(64))).close())
                .hasStackTraceContaining("names no source");
    }
}
