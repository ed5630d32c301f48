package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.ingest.config.SnsConfig;
import dev.nightshift.ingest.config.SourceConfig;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.testkit.SettingsTable;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.http.server.HttpServerConfiguration;
import io.micronaut.inject.qualifiers.Qualifiers;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every variable of the README's settings table reaches its setting, read the way Micronaut reads
 * the process environment (a property source with the environment-variable convention): the
 * {@code NIGHTSHIFT_INGEST_*} ones through Micronaut's own mapping to {@code nightshift.ingest.*},
 * {@code INGEST_API_KEY}, {@code INGEST_PORT} and {@code INGEST_MAX_REQUEST_SIZE} through their
 * lines in application.yml.
 */
class IngestVariablesTest {
    private static final Path README = Path.of("README.md");
    private static final String PREFIX = "NIGHTSHIFT_INGEST_";
    /** Test values for the settings that a made-up word would not do for (the service starts with them). */
    private static final Map<String, Object> MEANINGFUL = Map.of(
            PREFIX + "PRODUCER_COMPRESSION", "gzip",
            PREFIX + "SNS_SIGNING_CERT_URL_PATTERN", "^https://certs\\.example\\.test/[^?#]*\\.pem$",
            PREFIX + "SNS_SUBSCRIBE_URL_PATTERN", "^https://sns\\.example\\.test/.*$",
            PREFIX + "SNS_TOPIC_ARN_ALLOWLIST", List.of("arn:aws:sns:eu-west-1:123456789012:alarms",
                    "arn:aws:sns:*:123456789012:pages-*"));

    /** One variable: the value it is given, where the setting is read back, and what it must then be. */
    private record Binding(String variable, String value, Function<ApplicationContext, Object> read, Object expected) {
    }

    /** A context that sees {@code variables} as its whole process environment. */
    private static ApplicationContext startWith(Map<String, Object> variables) {
        return ApplicationContext.builder()
                .environmentPropertySource(false)
                .propertySources(PropertySource.of("variables", variables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start();
    }

    @Test
    void everyDocumentedVariableSetsItsSetting(@TempDir Path dir) throws IOException {
        List<Binding> bindings = new ArrayList<>();
        settingsOf(bindings, IngestConfig.class, new IngestConfig(), PREFIX, Map.of("apiKey", "INGEST_API_KEY"));
        settingsOf(bindings, IngestConfig.RateLimit.class, new IngestConfig.RateLimit(), PREFIX + "RATE_LIMIT_", Map.of());
        settingsOf(bindings, IngestConfig.Producer.class, new IngestConfig.Producer(), PREFIX + "PRODUCER_", Map.of());
        settingsOf(bindings, SnsConfig.class, new SnsConfig(), PREFIX + "SNS_", Map.of());
        for (IngestSource source : IngestSource.values()) {
            String digest = ApiKeys.sha256Hex(source.configName() + "-key");
            bindings.add(new Binding(PREFIX + "SOURCES_" + source.name() + "_KEY_SHA256", digest,
                    context -> context.getBean(SourceConfig.class, Qualifiers.byName(source.configName())).getKeySha256(),
                    List.of(digest)));
        }
        bindings.add(new Binding("INGEST_PORT", "18123",
                context -> context.getProperty("micronaut.server.port", Integer.class).orElse(null), 18123));
        bindings.add(new Binding("INGEST_MAX_REQUEST_SIZE", "4194304",
                context -> context.getBean(HttpServerConfiguration.class).getMaxRequestSize(), 4194304L));
        Path clientConfig = Files.writeString(dir.resolve("client.properties"), "max.request.size=2097152\n");
        bindings.add(new Binding("KAFKA_BOOTSTRAP_SERVERS", "localhost:19092,127.0.0.1:19093",
                context -> pipeline(context).kafka().bootstrapServers(), "localhost:19092,127.0.0.1:19093"));
        bindings.add(new Binding("KAFKA_CLIENT_CONFIG", clientConfig.toString(),
                context -> pipeline(context).kafka().client().get("max.request.size"), "2097152"));
        bindings.add(new Binding("SCHEMA_REGISTRY_URL", "http://registry.test:8081",
                context -> pipeline(context).registry().url(), "http://registry.test:8081"));
        bindings.add(new Binding("SCHEMA_REGISTRY_USER_INFO", "ingest:secret",
                context -> pipeline(context).registry().userInfo(), "ingest:secret"));
        bindings.add(new Binding("NIGHTSHIFT_TOPICS_PREFIX", "staging.",
                context -> pipeline(context).topicNames().prefix(), "staging."));
        bindings.add(new Binding("NIGHTSHIFT_TOPICS_ALERTS_RAW", "raw-test",
                context -> pipeline(context).topicNames().alertsRaw(), "raw-test"));
        bindings.add(new Binding("NIGHTSHIFT_TOPICS_ALERTS_REJECTED", "rejected-test",
                context -> pipeline(context).topicNames().alertsRejected(), "rejected-test"));

        // every row of the table, and nothing else, is checked here
        assertThat(bindings.stream().map(Binding::variable).sorted().toList())
                .containsExactlyElementsOf(new TreeMap<>(SettingsTable.read(README)).keySet());

        Map<String, Object> variables = new LinkedHashMap<>();
        bindings.forEach(b -> variables.put(b.variable(), b.value()));
        SoftAssertions softly = new SoftAssertions();
        try (ApplicationContext context = startWith(variables)) {
            for (Binding binding : bindings) {
                softly.assertThat(binding.read().apply(context)).as(binding.variable() + "=" + binding.value())
                        .isEqualTo(binding.expected());
            }
        }
        softly.assertAll();
    }

    @Test
    void theKeyVariablesLetTheirKeysIn() {
        try (ApplicationContext context = startWith(Map.of(
                "INGEST_API_KEY", "plain-key",
                "NIGHTSHIFT_INGEST_API_KEY_SHA256", ApiKeys.sha256Hex("shared-key"),
                "NIGHTSHIFT_INGEST_SOURCES_DATADOG_KEY_SHA256", ApiKeys.sha256Hex("datadog-key")))) {
            ApiKeys keys = context.getBean(ApiKeys.class);

            assertThat(keys.match(IngestSource.ALERTMANAGER, "plain-key")).isPresent();
            assertThat(keys.match(IngestSource.GENERIC, "shared-key")).isPresent();
            assertThat(keys.match(IngestSource.DATADOG, "datadog-key")).isPresent();
            assertThat(keys.match(IngestSource.GENERIC, "datadog-key")).isEmpty();
        }
    }

    @Test
    void anEmptyApiKeyIsNoKey() {
        try (ApplicationContext context = startWith(Map.of("INGEST_API_KEY", ""))) {
            assertThat(context.getBean(IngestConfig.class).getApiKey()).isNull();
            assertThat(context.getBean(ApiKeys.class).isEmpty()).isTrue();
        }
    }

    private static PipelineSettings pipeline(ApplicationContext context) {
        return context.getBean(PipelineSettings.class);
    }

    /**
     * A binding for each property of a settings class: its variable by the naming rule (or
     * {@code renamed}) gets a value unlike the default, which the bean must then hold.
     */
    private static void settingsOf(List<Binding> bindings, Class<?> type, Object defaults, String prefix,
                                   Map<String, String> renamed) {
        SettingsTable.properties(defaults).forEach((property, fallback) -> {
            String variable = renamed.getOrDefault(property, SettingsTable.variable(prefix, property));
            Object value = unlike(fallback, getterType(type, property), variable);
            bindings.add(new Binding(variable, text(value),
                    context -> SettingsTable.properties(context.getBean(type)).get(property), value));
        });
    }

    private static Class<?> getterType(Class<?> type, String property) {
        try {
            return type.getMethod("get" + Character.toUpperCase(property.charAt(0)) + property.substring(1)).getReturnType();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A value of {@code type} other than {@code fallback}. */
    private static Object unlike(Object fallback, Class<?> type, String variable) {
        if (MEANINGFUL.containsKey(variable)) {
            return MEANINGFUL.get(variable);
        }
        if (type == int.class) {
            return (Integer) fallback + 1;
        }
        if (type == long.class) {
            return (Long) fallback + 1;
        }
        if (type == double.class) {
            return (Double) fallback + 0.5;
        }
        if (type == Duration.class) {
            return ((Duration) fallback).plusSeconds(1);
        }
        String word = variable.toLowerCase(Locale.ROOT).replace('_', '-');
        if (type == String.class) {
            return "test-" + word;
        }
        if (List.class.isAssignableFrom(type)) {
            // key digests are checked at start; any other list takes them as well
            return List.of(ApiKeys.sha256Hex(word + "-1"), ApiKeys.sha256Hex(word + "-2"));
        }
        throw new IllegalStateException("no test value for " + variable + " of " + type);
    }

    /** A value as it is written in an environment variable (a list comma-separated, a Duration ISO-8601). */
    private static String text(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }
}
