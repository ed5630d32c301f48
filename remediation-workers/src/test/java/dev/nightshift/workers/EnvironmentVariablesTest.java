package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.runner.RunnerConfig;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workers read each environment variable the README documents, by that name, into their settings, through
 * Micronaut's own mapping of variables to properties ({@code WORKERS_DRY_RUN} is {@code workers.dry-run}); and
 * without variables they use their settings classes' defaults.
 */
class EnvironmentVariablesTest {
    @Test
    void everyVariableReachesItsSetting(@TempDir Path dir) throws IOException {
        Path clientConfig = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\n");
        try (ApplicationContext context = withEnvironment(Map.ofEntries(
                Map.entry("WORKERS_DRY_RUN", "false"),
                Map.entry("WORKERS_DRY_RUN_ACTIONS", "waf-block-ip,ssm-runbook"),
                Map.entry("WORKERS_GROUP_ID", "workers-eu"),
                Map.entry("WORKERS_MAX_REQUEST_AGE", "PT15M"),
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("WORKERS_RUNNER_APPROVAL_TIMEOUT", "PT5M"),
                Map.entry("WORKERS_RUNNER_BLAST_RADIUS_PER_RESOURCE", "2"),
                Map.entry("WORKERS_PORT", "9083"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092"),
                Map.entry("KAFKA_CLIENT_CONFIG", clientConfig.toString()),
                Map.entry("SCHEMA_REGISTRY_URL", "http://registry:8081"),
                Map.entry("SCHEMA_REGISTRY_USER_INFO", "workers:secret"),
                Map.entry("NIGHTSHIFT_TOPICS_PREFIX", "staging."),
                Map.entry("NIGHTSHIFT_TOPICS_REMEDIATION_OUTCOMES", "staging.step-outcomes"),
                Map.entry("NIGHTSHIFT_TOPICS_ACTIONS_LEDGER", "staging.step-ledger")))) {
            WorkersConfig workers = context.getBean(WorkersConfig.class);
            AwsConfig aws = context.getBean(AwsConfig.class);
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(workers.isDryRun()).isFalse();
            assertThat(workers.getDryRunActions()).isEqualTo(Set.of("waf-block-ip", "ssm-runbook"));
            assertThat(workers.getGroupId()).isEqualTo("workers-eu");
            assertThat(workers.getMaxRequestAge()).isEqualTo(java.time.Duration.ofMinutes(15));
            assertThat(aws.getRegion()).isEqualTo("eu-west-1");
            RunnerConfig runner = context.getBean(RunnerConfig.class);
            assertThat(runner.getApprovalTimeout()).isEqualTo(java.time.Duration.ofMinutes(5));
            assertThat(runner.getBlastRadiusPerResource()).isEqualTo(2);
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(9083);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
            assertThat(pipeline.kafka().client()).containsEntry("security.protocol", "SASL_SSL");
            assertThat(pipeline.registry().url()).isEqualTo("http://registry:8081");
            assertThat(pipeline.registry().userInfo()).isEqualTo("workers:secret");
            assertThat(pipeline.topics().actions("dynamodb-scale").name()).isEqualTo("staging.actions.dynamodb-scale");
            assertThat(pipeline.topics().remediationOutcomes().name()).isEqualTo("staging.step-outcomes");
            assertThat(pipeline.topics().actionsLedger().name()).isEqualTo("staging.step-ledger");
        }
    }

    @Test
    void withoutVariablesTheWorkersUseTheirSettingsClassesDefaults() {
        try (ApplicationContext context = withEnvironment(Map.of())) {
            WorkersConfig workers = context.getBean(WorkersConfig.class);
            AwsConfig aws = context.getBean(AwsConfig.class);
            PipelineSettings pipeline = context.getBean(PipelineSettings.class);

            assertThat(workers).usingRecursiveComparison().isEqualTo(new WorkersConfig());
            assertThat(workers.isDryRun()).as("dry-run unless told otherwise").isTrue();
            assertThat(aws).usingRecursiveComparison().isEqualTo(new AwsConfig());
            assertThat(context.getProperty("micronaut.server.port", Integer.class)).contains(8083);
            assertThat(pipeline.kafka().bootstrapServers()).isEqualTo(PipelineSettings.DEFAULT_BOOTSTRAP);
            assertThat(pipeline.registry().url()).isEqualTo(PipelineSettings.DEFAULT_REGISTRY);
            assertThat(pipeline.topics().remediationOutcomes().name()).isEqualTo("remediation.outcomes");
        }
    }

    /** The workers' context with these environment variables and no others (this JVM's own are left out). */
    static ApplicationContext withEnvironment(Map<String, String> variables) {
        PropertySource environment = new MapPropertySource("environment variables", variables) {
            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
        // The health monitor would schedule its first check after this short-lived context has closed.
        return ApplicationContext.builder().environmentPropertySource(false).propertySources(environment)
                .properties(Map.of("micronaut.health.monitor.enabled", false)).start();
    }
}
