package dev.nightshift.ingest;

import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.ingest.config.SnsConfig;
import dev.nightshift.ingest.config.SourceConfig;
import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpStatus;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the service starts with when nothing is set: the field initializers of its settings classes,
 * unchanged by application.yml (which holds no ingest default), and the pipeline's shared defaults.
 */
class IngestDefaultsTest {
    @Test
    void withoutSettingsTheServiceRunsWithTheDefaultsOfItsSettingsClasses() {
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).start()) {
            PipelineSettings settings = context.getBean(PipelineSettings.class);

            assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(settings.registry().url()).isEqualTo("http://localhost:8081/apis/ccompat/v7");
            assertThat(settings.topicNames().alertsRaw()).isEqualTo("alerts.raw");
            assertThat(context.getBean(IngestConfig.class)).usingRecursiveComparison().isEqualTo(new IngestConfig());
            assertThat(context.getBean(IngestConfig.RateLimit.class)).usingRecursiveComparison()
                    .isEqualTo(new IngestConfig.RateLimit());
            assertThat(context.getBean(IngestConfig.Producer.class)).usingRecursiveComparison()
                    .isEqualTo(new IngestConfig.Producer());
            assertThat(context.getBean(SnsConfig.class)).usingRecursiveComparison().isEqualTo(new SnsConfig());
            assertThat(context.getBeansOfType(SourceConfig.class)).isEmpty();
            assertThat(context.getBean(IngestConfig.Producer.class).getDeliveryTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(8080);
        }
    }

    @Test
    void aHealthStatusNobodyCanTellIsAnswered503LikeDown() {
        try (ApplicationContext context = ApplicationContext.builder().environmentPropertySource(false).start()) {
            Map<String, HttpStatus> mapping = context.getBean(HealthEndpoint.class).getStatusConfiguration().getHttpMapping();

            assertThat(mapping).containsEntry("UNKNOWN", HttpStatus.SERVICE_UNAVAILABLE)
                    .containsEntry("DOWN", HttpStatus.SERVICE_UNAVAILABLE).containsEntry("UP", HttpStatus.OK);
        }
    }

    @Test
    void aRequestLimitAboveTheInFlightLimitStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                        "nightshift.ingest.max-alerts-per-request", 500,
                        "nightshift.ingest.max-in-flight-alerts", 100)).close())
                .hasStackTraceContaining("must not be above NIGHTSHIFT_INGEST_MAX_IN_FLIGHT_ALERTS");
    }

    @Test
    void aDigestForAnUnknownSourceStopsTheStart() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ApplicationContext.run(Map.of(
                        "nightshift.ingest.sources.pagerduty.key-sha256", "0".repeat(64))).close())
                .hasStackTraceContaining("names no source");
    }
}
