package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** application.yml gives the defaults the README documents when no variable is set. */
class ApplicationDefaultsTest {
    @Test
    void withoutVariablesTheNotifierUsesTheDocumentedDefaults() {
        for (String variable : new String[]{"KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "NOTIFIER_GROUP_ID", "NOTIFIER_RETRY_BUDGET",
                "NOTIFIER_RETRY_MAX_WAIT"}) {
            assumeThat(System.getenv(variable)).as(variable + " is set in this environment").isNull();
        }
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            Environment environment = context.getEnvironment().start();
            PipelineSettings settings = PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));

            assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(settings.registry().url()).isEqualTo("http://localhost:8081/apis/ccompat/v7");
            assertThat(environment.getProperty("nightshift.notifier.group-id", String.class)).contains("nightshift-notifier");
            assertThat(environment.getProperty("nightshift.notifier.retry-budget", Duration.class)).contains(Duration.ofMinutes(2));
            assertThat(environment.getProperty("nightshift.notifier.retry-max-wait", Duration.class)).contains(Duration.ofSeconds(30));
        }
    }
}
