package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.config.FormerVariableNames;
import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.ingest.config.SnsConfig;
import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.PropertySource;
import io.micronaut.http.server.HttpServerConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented environment variables reach their settings, read the way Micronaut reads the
 * process environment (a property source with the environment-variable convention), with no line in
 * application.yml for the ingest ones; and the variables of earlier releases still work.
 */
class IngestVariablesTest {
    private static final String DATADOG_KEY = "datadog-key";
    private static final String SHARED_KEY = "shared-key";

    /** A context that sees {@code variables} as its whole process environment. */
    private static ApplicationContext startWith(Map<String, Object> variables, PropertySource... more) {
        ApplicationContextBuilder builder = ApplicationContext.builder()
                .environmentPropertySource(false)
                .propertySources(PropertySource.of("variables", variables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE));
        builder.propertySources(more);
        return builder.start();
    }

    @Test
    void eachIngestVariableSetsItsSetting() {
        try (ApplicationContext context = startWith(Map.ofEntries(
                Map.entry("INGEST_API_KEY_SHA256", ApiKeys.sha256Hex(SHARED_KEY)),
                Map.entry("INGEST_SOURCES_DATADOG_KEY_SHA256", ApiKeys.sha256Hex(DATADOG_KEY)),
                Map.entry("INGEST_MAX_BODY_SIZE", "2048"),
                Map.entry("INGEST_RETRY_AFTER", "PT7S"),
                Map.entry("INGEST_WORKER_THREADS", "3"),
                Map.entry("INGEST_RATE_LIMIT_REQUESTS_PER_SECOND", "12.5"),
                Map.entry("INGEST_PRODUCER_LINGER", "PT0.005S"),
                Map.entry("INGEST_PRODUCER_DELIVERY_TIMEOUT", "PT30S"),
                Map.entry("INGEST_SNS_TOPIC_ARN_ALLOWLIST", "arn:aws:sns:eu-west-1:123456789012:alarms,arn:aws:sns:*:123456789012:pages-*"),
                Map.entry("INGEST_SNS_MAX_MESSAGE_AGE", "PT2H"),
                Map.entry("INGEST_MAX_REQUEST_SIZE", "4194304"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "localhost:19092,127.0.0.1:19093"),
                Map.entry("SCHEMA_REGISTRY_URL", "http://registry.test:8081"),
                Map.entry("NIGHTSHIFT_TOPICS_PREFIX", "staging.")))) {
            IngestConfig config = context.getBean(IngestConfig.class);
            IngestConfig.RateLimit rateLimit = context.getBean(IngestConfig.RateLimit.class);
            IngestConfig.Producer producer = context.getBean(IngestConfig.Producer.class);
            SnsConfig sns = context.getBean(SnsConfig.class);
            ApiKeys keys = context.getBean(ApiKeys.class);
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(config.getMaxBodySize()).isEqualTo(2048);
            assertThat(config.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
            assertThat(config.workerThreadCount()).isEqualTo(3);
            assertThat(rateLimit.getRequestsPerSecond()).isEqualTo(12.5);
            assertThat(producer.getLinger()).isEqualTo(Duration.ofMillis(5));
            assertThat(producer.getDeliveryTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(sns.getTopicArnAllowlist()).containsExactly("arn:aws:sns:eu-west-1:123456789012:alarms",
                    "arn:aws:sns:*:123456789012:pages-*");
            assertThat(sns.getMaxMessageAge()).isEqualTo(Duration.ofHours(2));
            assertThat(keys.match(IngestSource.DATADOG, DATADOG_KEY)).isPresent();
            assertThat(keys.match(IngestSource.GENERIC, DATADOG_KEY)).isEmpty();
            assertThat(keys.match(IngestSource.GENERIC, SHARED_KEY)).isPresent();
            assertThat(context.getBean(HttpServerConfiguration.class).getMaxRequestSize()).isEqualTo(4194304);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo("localhost:19092,127.0.0.1:19093");
            assertThat(pipeline.registry().url()).isEqualTo("http://registry.test:8081");
            assertThat(pipeline.topicNames().alertsRaw()).isEqualTo("staging.alerts.raw");
        }
    }

    @Test
    void thePlainApiKeyAndThePortVariablesWork() {
        try (ApplicationContext context = startWith(Map.of("INGEST_API_KEY", "plain-key", "INGEST_PORT", "18123"))) {
            assertThat(context.getBean(ApiKeys.class).match(IngestSource.ALERTMANAGER, "plain-key")).isPresent();
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(18123);
        }
    }

    @Test
    void theFormerNightshiftIngestVariablesAreReadUnderTheirNewNamesAndTheNewNameWins() {
        Map<String, String> environment = Map.of(
                "NIGHTSHIFT_INGEST_MAX_BODY_SIZE", "4096",
                "NIGHTSHIFT_INGEST_SOURCES_DATADOG_KEY_SHA256", ApiKeys.sha256Hex(DATADOG_KEY),
                "NIGHTSHIFT_INGEST_RETRY_AFTER", "PT9S",
                "INGEST_RETRY_AFTER", "PT3S");
        try (ApplicationContext context = startWith(new java.util.HashMap<>(environment),
                FormerVariableNames.propertySource(environment))) {
            IngestConfig config = context.getBean(IngestConfig.class);

            assertThat(config.getMaxBodySize()).isEqualTo(4096);
            assertThat(config.getRetryAfter()).isEqualTo(Duration.ofSeconds(3));
            assertThat(context.getBean(ApiKeys.class).match(IngestSource.DATADOG, DATADOG_KEY)).isPresent();
        }
    }

    @Test
    void withoutFormerVariablesThereIsNothingToAdd() {
        assertThat(FormerVariableNames.propertySource(Map.of("INGEST_MAX_BODY_SIZE", "1", "PATH", "/usr/bin"))).isNull();
    }
}
