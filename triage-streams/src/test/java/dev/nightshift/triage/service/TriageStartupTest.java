package dev.nightshift.triage.service;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TriageStartupTest {
    @Test
    @org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable(named = "KAFKA_BOOTSTRAP_SERVERS", matches = ".+")
    void documentedDefaultsComeFromApplicationYml() {
        try (ApplicationContext context = ApplicationContext.run()) {
            assertThat(context.getProperty("kafka.bootstrap.servers", String.class)).contains("localhost:9092");
            assertThat(context.getProperty("schema.registry.url", String.class)).contains("http://localhost:8081/apis/ccompat/v7");
            TriageConfig config = context.getBean(TriageConfig.class);
            assertThat(config.getApplicationId()).isEqualTo("nightshift-triage");
            assertThat(config.getDefaultTeam()).isEqualTo("unowned");
            assertThat(config.getReopenWindow()).hasMinutes(10);
            assertThat(config.getCommitInterval()).hasMillis(100);
            assertThat(config.getProducerLinger()).hasMillis(100);
            assertThat(config.getProducerBatchSize()).isEqualTo(131072);
            assertThat(config.getProducerBufferMemory()).isEqualTo(134217728L);
            assertThat(config.getProducerCompression()).isEqualTo("lz4");
            assertThat(config.getStores()).isEqualTo("in-memory");
            assertThat(config.getReplicationFactor()).isEqualTo((short) -1);
            assertThat(config.getTeamTopicPartitions()).isEqualTo(1);
            assertThat(new TriageConfig().getTeamTopicPartitions()).as("the default the ownership CLI uses").isEqualTo(1);
        }
    }

    @Test
    void badRulesFileStopsTheServiceNamingTheRuleAndTheProblem(@TempDir Path dir) throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                rules:
                  - name: ok
                    match: {source: datadog}
                    set: {category: compute}
                  - name: typo
                    match: {nameRegex: "(unclosed"}
                    set: {category: compute}
                """);

        assertThatThrownBy(() -> ApplicationContext.run(Map.of("triage.rules-file", rules.toString())).close())
                .hasStackTraceContaining("rule 'typo' (#2)")
                .hasStackTraceContaining("nameRegex")
                .hasStackTraceContaining("not a valid regular expression");
    }
}
