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
 * with its own prefix ({@code NIGHTSHIFT_INGEST_}, {@code NIGHTSHIFT_INGEST_RATE_LIMIT_}, ...); the
 * plain key keeps its own name, {@code INGEST_API_KEY}; the rows whose defaults live elsewhere (the
 * pipeline's shared settings, the HTTP server's two in application.yml) are checked against those
 * places.
 */
class IngestSettingsDocTest {
    private static final Path README = Path.of("README.md");
    private static final String PREFIX = "NIGHTSHIFT_INGEST_";
    /** The one ingest setting whose variable does not follow the prefix (an alias in application.yml). */
    private static final Map<String, String> RENAMED = Map.of("apiKey", "INGEST_API_KEY");

    @Test
    void theIngestSettingsAreDocumentedWithTheirDefaults() {
        Map<String, String> elsewhere = new HashMap<>();
        // the nested settings are checked by the tests below, each against its own class
        SettingsTable.read(README).forEach((variable, documented) -> {
            if (variable.startsWith(PREFIX + "RATE_LIMIT_") || variable.startsWith(PREFIX + "PRODUCER_")
                    || variable.startsWith(PREFIX + "SNS_")) {
                elsewhere.put(variable, documented);
            }
        });
        for (IngestSource source : IngestSource.values()) {
            elsewhere.put(PREFIX + "SOURCES_" + source.name() + "_KEY_SHA256",
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

        assertThat(SettingsTable.disagreements(README, new IngestConfig(), PREFIX, RENAMED, elsewhere, Map.of()))
                .isEmpty();
    }

    @Test
    void theRateLimitSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new IngestConfig.RateLimit(), PREFIX + "RATE_LIMIT_",
                Map.of(), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void theProducerSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new IngestConfig.Producer(), PREFIX + "PRODUCER_",
                Map.of(), Map.of(), Map.of())).isEmpty();
    }

    @Test
    void theSnsSettingsAreDocumentedWithTheirDefaults() {
        assertThat(SettingsTable.disagreements(README, new SnsConfig(), PREFIX + "SNS_", Map.of(), Map.of(), Map.of()))
                .isEmpty();
    }

    /** INGEST_API_KEY's line in application.yml adds no default: unset, the key is the code's own (none). */
    @Test
    void theApiKeyAliasKeepsTheCodesDefault() {
        IngestConfig fromYml = new IngestConfig();
        fromYml.setApiKey(applicationYmlDefault("INGEST_API_KEY"));

        assertThat(fromYml.getApiKey()).isEqualTo(new IngestConfig().getApiKey());
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
