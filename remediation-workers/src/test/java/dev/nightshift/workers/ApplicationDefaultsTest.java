package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** application.yml gives the defaults the README documents when no variable is set. */
class ApplicationDefaultsTest {
    @Test
    void withoutVariablesTheWorkersUseTheDocumentedDefaults() {
        for (String variable : new String[]{"KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL", "WORKERS_DRY_RUN", "AWS_REGION"}) {
            assumeThat(System.getenv(variable)).as(variable + " is set in this environment").isNull();
        }
        try (ApplicationContext context = ApplicationContext.builder().build()) {
            Environment environment = context.getEnvironment().start();
            PipelineSettings settings = PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));

            assertThat(settings.kafka().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(settings.registry().url()).isEqualTo("http://localhost:8081/apis/ccompat/v7");
            assertThat(environment.getProperty("nightshift.workers.dry-run", Boolean.class)).contains(true);
            assertThat(environment.getProperty("nightshift.workers.aws-region", String.class)).contains("us-east-1");
        }
    }
}
