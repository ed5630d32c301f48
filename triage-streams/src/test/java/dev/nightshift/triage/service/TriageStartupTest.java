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
