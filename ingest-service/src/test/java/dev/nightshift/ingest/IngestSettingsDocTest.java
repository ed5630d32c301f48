package dev.nightshift.ingest;

import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.ingest.config.SnsConfig;
import dev.nightshift.ingest.config.SourceConfig;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.testkit.SettingsTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's settings table and the code agree, both ways: every setting has its row with the
 * default the code starts with, and every row names a setting. Each settings class is checked
 * with its own prefix; the rows whose defaults live elsewhere (the pipeline's shared settings, the
 * HTTP server's two in application.yml) are checked against those places.
 */
class IngestSettingsDocTest {
    private static final Path README = Path.of("README.md");

    @Test
    void theIngestSettingsAreDocumentedWithTheirDefaults() {
        Map<String, String> elsewhere = new HashMap<>();
        // checked by the tests below, each against its own class
        SettingsTable.read(README).forEach((variable, documented) -> {
            if (variable.startsWith("INGEST_RATE_LIMIT_") || variable.startsWith("INGEST_PRODUCER_")
                    || variable.startsWith("INGEST_SNS_")) {
                elsewhere.put(variable, documented);
            }
        });
        for (IngestSource source : IngestSource.values()) {
            elsewhere.put("INGEST_SOURCES_" + source.name() + "_KEY_SHA256",
                    String.join(",", new SourceConfig(source.configName()).getKeySha256()));
        }
        elsewhere.put("INGEST_PORT", applicationYmlDefault("INGEST_PORT"));
        elsewhere.put("INGEST_MAX_REQUEST_SIZE", applicationYmlDefault("INGEST_MAX_REQUEST_SIZE"));
        PipelineSettings pipeline = PipelineSettings.from(setting -> null);
        elsewhere.put("KAFKA_BOOTSTRAP_SERVERS", pipeline.kafka().bootstrapServers());
        elsewhere.put("KAFKA_CLIENT_CONFIG", "");
        elsewhere.put("SCHEMA_REGISTRY_URL", pipeline.registry().url());
        elsewhere.put("SCHEMA_REGISTRY_USER_INFO", "");
        elsewhere.put("NIGHTSHIFT_TOPICS_PREFIX", pipeline.topicNames().prefix());
        elsewhere.put("NIGHTSHIFT_TOPICS_ALERTS_RAW", pipeline.topicNames().alertsRaw());
        elsewhere.put("NIGHTSHIFT_TOPICS_ALERTS_REJECTED", pipeline.topicNames().alertsRejected());

        assertThat(SettingsTable.disagreements(README, new IngestConfig(), "INGEST_", Map.of(), elsewhere, Map.of()))
                .isEmpty();
    }

    @Test
    void theRateLimitSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new IngestConfig.RateLimit(), "INGEST_RATE_LIMIT_",
                Map.of(), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void theProducerSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new IngestConfig.Producer(), "INGEST_PRODUCER_",
                Map.of(), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void theSnsSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new SnsConfig(), "INGEST_SNS_", Map.of(), Map.of(), Map.of()))
                .isEmpty();
    }

    /** The default of a {@code ${VARIABLE:default}} placeholder in application.yml, its only place. */
    private static String applicationYmlDefault(String variable) {
        try (InputStream yml = IngestSettingsDocTest.class.getResourceAsStream("/application.yml")) {
            String text = new String(yml.readAllBytes(), StandardCharsets.UTF_8);
            Matcher placeholder = Pattern.compile("\\$\\{" + variable + ":([^}]*)}").matcher(text);
            assertThat(placeholder.find()).as("application.yml has a ${%s:...} placeholder", variable).isTrue();
            return placeholder.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
