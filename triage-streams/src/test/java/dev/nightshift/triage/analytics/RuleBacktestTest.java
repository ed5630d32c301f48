package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Severity;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.ownership.OwnerResolver;
import dev.nightshift.triage.ownership.OwnershipIndex;
import dev.nightshift.triage.testing.Alerts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBacktestTest {
    private static final Instant TEN = Instant.parse("2026-11-20T10:00:00Z");
    private static final String CURRENT = """
            rules:
              - name: throttling
                match: {nameRegex: "(?i).*throttl.*"}
                set: {category: capacity, severity: HIGH, playbook: dynamodb-throttling}
              - name: disk
                match: {nameRegex: "(?i).*disk.*"}
                set: {category: storage, severity: MEDIUM}
              - name: never
                match: {name: "no such alert"}
                set: {category: compute}
            """;
    private static final Map<String, String> PLAYBOOKS = Map.of("dynamodb-throttling", "raise-capacity, notify",
            "lambda-throttles", "raise-concurrency");

    @TempDir
    Path dir;

    private ClassificationRules rules(String name, String yaml) throws IOException {
        return ClassificationRules.load(Files.writeString(dir.resolve(name), yaml).toString(), playbook -> true);
    }

    private static RuleBacktest.Side side(ClassificationRules rules, List<Ownership> ownership, Map<String, String> playbooks) {
        return new RuleBacktest.Side(rules, new OwnershipIndex(ownership), playbooks::get);
    }

    private static RuleBacktest backtest(RuleBacktest.Side current, RuleBacktest.Side proposed) {
        return new RuleBacktest(current, proposed, new OwnerResolver("platform"), new IncidentLifecycle(LifecycleSettings.defaults()));
    }

    private static Alert alert(Alert.Builder builder, Instant at) {
        return builder.setOccurredAt(at).setReceivedAt(at).setAlertId(builder.getFingerprint() + "@" + at).build();
    }

    @Test
    void aNarrowerRuleMovesTheIncidentsItNoLongerMatchesNamingAnAlertOfEach() throws IOException {
        ClassificationRules current = rules("current.yaml", CURRENT);
        // throttling becomes DynamoDB-only; Lambda throttles get their own rule; disk alerts become CRITICAL
        ClassificationRules proposed = rules("proposed.yaml", """
                rules:
                  - name: dynamodb-throttling
                    match: {nameRegex: "(?i).*dynamo.*throttl.*"}
                    set: {category: capacity, severity: HIGH, playbook: dynamodb-throttling}
                  - name: lambda-throttles
                    match: {nameRegex: "(?i).*lambda.*throttl.*"}
                    set: {category: compute, severity: MEDIUM, playbook: lambda-throttles}
                  - name: disk
                    match: {nameRegex: "(?i).*disk.*"}
                    set: {category: storage, severity: CRITICAL}
                  - name: never
                    match: {name: "no such alert"}
                    set: {category: compute}
                """);
        List<Alert> alerts = List.of(
                alert(Alerts.firing("fp-dynamo", "orders DynamoDB throttling"), TEN),
                alert(Alerts.firing("fp-dynamo", "orders DynamoDB throttling"), TEN.plusSeconds(60)),
                alert(Alerts.resolved("fp-dynamo", "orders DynamoDB throttling"), TEN.plusSeconds(600)),
                alert(Alerts.firing("fp-lambda", "checkout Lambda throttles"), TEN.plusSeconds(5)),
                alert(Alerts.firing("fp-disk", "db-1 disk full"), TEN.plusSeconds(7)),
                alert(Alerts.firing("fp-cpu", "db-1 cpu high"), TEN.plusSeconds(9)));

        RuleBacktest.Result result = backtest(side(current, List.of(), PLAYBOOKS), side(proposed, List.of(), PLAYBOOKS)).run(alerts);

        assertThat(RuleBacktest.describe(result)).containsExactly(
                "rule                     before   after",
                "throttling                    4       0  removed rule",
                "disk                          1       1",
                "dynamodb-throttling           0       3  new rule",
                "lambda-throttles              0       1  new rule",
                "(no rule: unclassified)       1       1",
                "(1 other rule match no alert before or after)",
                "",
                "2 of 4 incidents would change:",
                "  fp-lambda-" + Long.toString(TEN.plusSeconds(5).toEpochMilli(), 36)
                        + " (fingerprint fp-lambda): category capacity -> compute, severity HIGH -> MEDIUM, playbook dynamodb-throttling -> lambda-throttles",
                "      e.g. alert \"checkout Lambda throttles\" (fp-lambda@2026-11-20T10:00:05Z, firing at 2026-11-20T10:00:05Z)",
                "  fp-disk-" + Long.toString(TEN.plusSeconds(7).toEpochMilli(), 36)
                        + " (fingerprint fp-disk): severity MEDIUM -> CRITICAL",
                "      e.g. alert \"db-1 disk full\" (fp-disk@2026-11-20T10:00:07Z, firing at 2026-11-20T10:00:07Z)",
                "",
                "backtest: 6 alerts, 4 incidents; 3 rules match a different number of alerts; 2 incidents would change (category 1, severity 2, team 0, playbook 1)");
    }

    @Test
    void sameRulesChangeNothing() throws IOException {
        ClassificationRules current = rules("current.yaml", CURRENT);
        List<Alert> alerts = List.of(alert(Alerts.firing("fp-dynamo", "orders DynamoDB throttling"), TEN),
                alert(Alerts.firing("fp-cpu", "db-1 cpu high"), TEN));

        RuleBacktest.Result result = backtest(side(current, List.of(), PLAYBOOKS), side(current, List.of(), PLAYBOOKS)).run(alerts);

        assertThat(result.moved()).isEmpty();
        assertThat(result.changedRules()).isZero();
        assertThat(RuleBacktest.describe(result)).contains("no incident would change").last()
                .isEqualTo("backtest: 2 alerts, 2 incidents; 0 rules match a different number of alerts; 0 incidents would change (category 0, severity 0, team 0, playbook 0)");
    }

    @Test
    void aProposedOwnershipMovesTeamsAndAChangedPlaybookIsNamedByItsSteps() throws IOException {
        ClassificationRules current = rules("current.yaml", CURRENT);
        Ownership orders = Ownership.newBuilder().setService("orders").setTeam("payments").setUpdatedAt(TEN).build();
        Ownership moved = Ownership.newBuilder(orders).setTeam("storage").build();
        List<Alert> alerts = List.of(alert(Alerts.firing("fp-dynamo", "orders DynamoDB throttling").setService("orders"), TEN),
                alert(Alerts.firing("fp-other", "billing DynamoDB throttling").setService("billing").setSeverity(Severity.LOW), TEN));

        RuleBacktest.Result result = backtest(side(current, List.of(orders), PLAYBOOKS),
                side(current, List.of(moved), Map.of("dynamodb-throttling", "raise-capacity"))).run(alerts);

        assertThat(result.moved()).hasSize(2);
        assertThat(result.moved().get(0).changes()).extracting(Object::toString).containsExactly("team payments -> storage",
                "playbook dynamodb-throttling [raise-capacity, notify] -> dynamodb-throttling [raise-capacity]");
        assertThat(result.moved().get(1).changes()).extracting(Object::toString)
                .containsExactly("playbook dynamodb-throttling [raise-capacity, notify] -> dynamodb-throttling [raise-capacity]");
        assertThat(result.movedBy("team")).isEqualTo(1);
    }
}
