package dev.nightshift.triage.classify;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Severity;
import dev.nightshift.triage.playbook.PlaybookNames;
import dev.nightshift.triage.testing.Alerts;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassificationRulesTest {
    private static final PlaybookNames PLAYBOOKS = PlaybookNames.load(null);
    private static final ClassificationRules SHIPPED = ClassificationRules.load(null, PLAYBOOKS::contains);

    private static ClassificationRules rules(String yaml) {
        return ClassificationRules.parse("rules.yaml", new Yaml().load(yaml), PLAYBOOKS::contains);
    }

    @Test
    void firstMatchingRuleWins() {
        ClassificationRules rules = rules("""
                rules:
                  - name: specific
                    match: {source: cloudwatch, name: "orders throttled"}
                    set: {category: database, severity: critical}
                  - name: general
                    match: {nameRegex: ".*throttled"}
                    set: {category: capacity}
                """);
        assertThat(rules.classify(Alerts.firing("f", "orders throttled").setSource(AlertSource.CLOUDWATCH).build()))
                .isEqualTo(new Classification("specific", "database", Severity.CRITICAL, null));
        assertThat(rules.classify(Alerts.firing("f", "orders throttled").build()))
                .isEqualTo(new Classification("general", "capacity", Severity.HIGH, null));
    }

    @Test
    void labelsMatchExactlyByPresenceOrByRegex() {
        ClassificationRules rules = rules("""
                rules:
                  - name: prod-db
                    match: {labels: {env: prod, TableName: "*"}, labelsRegex: {region: "eu-.*"}}
                    set: {category: database}
                """);
        assertThat(rules.classify(Alerts.firing("f", "x").setLabels(Map.of("env", "prod", "TableName", "t", "region", "eu-west-1")).build())
                .category()).isEqualTo("database");
        assertThat(rules.classify(Alerts.firing("f", "x").setLabels(Map.of("env", "prod", "TableName", "t", "region", "us-east-1")).build())
                .category()).isEqualTo("unclassified");
        assertThat(rules.classify(Alerts.firing("f", "x").setLabels(Map.of("env", "prod", "region", "eu-west-1")).build())
                .category()).isEqualTo("unclassified");
    }

    @Test
    void alertsOwnPlaybookWinsOverTheRules() {
        ClassificationRules rules = rules("""
                rules:
                  - name: r
                    match: {metricNamespace: AWS/DynamoDB}
                    set: {category: capacity, playbook: dynamodb-throttling}
                """);
        assertThat(rules.classify(Alerts.firing("f", "x").setMetricNamespace("AWS/DynamoDB").setPlaybook("suspicious-ip").build())
                .playbook()).isEqualTo("suspicious-ip");
    }

    @Test
    void shippedRulesCoverTheSeedCases() {
        assertThat(SHIPPED.classify(Alerts.firing("f", "orders-eu-ReadThrottleEvents").setMetricNamespace("AWS/DynamoDB")
                .setMetricName("ReadThrottleEvents").build())).extracting(Classification::category, Classification::playbook)
                .containsExactly("capacity", "dynamodb-throttling");
        // a throttle alert of any source about a DynamoDB table (its TableName dimension), whatever its name says
        assertThat(SHIPPED.classify(Alerts.firing("f", "orders-eu-read-throttle").setLabels(Map.of("TableName", "orders-eu")).build()))
                .extracting(Classification::category, Classification::playbook).containsExactly("capacity", "dynamodb-throttling");
        assertThat(SHIPPED.classify(Alerts.firing("f", "orders-eu-read-throttle").build()).category()).isEqualTo("unclassified");
        assertThat(SHIPPED.classify(Alerts.firing("f", "payments ECS service unhealthy").build()))
                .extracting(Classification::category, Classification::playbook).containsExactly("compute", "ecs-unhealthy-service");
        assertThat(SHIPPED.classify(Alerts.firing("f", "checkout-fn").setMetricNamespace("AWS/Lambda").setMetricName("Throttles").build()))
                .extracting(Classification::category, Classification::playbook).containsExactly("capacity", "lambda-throttles");
        assertThat(SHIPPED.classify(Alerts.firing("f", "checkout-fn").setMetricNamespace("AWS/Lambda").setMetricName("Errors").build()))
                .extracting(Classification::category, Classification::playbook).containsExactly("compute", null);
        assertThat(SHIPPED.classify(Alerts.firing("f", "i-0abc").setMetricNamespace("AWS/EC2").setMetricName("StatusCheckFailed").build()))
                .extracting(Classification::category, Classification::playbook).containsExactly("compute", "ec2-status-check");
        assertThat(SHIPPED.classify(Alerts.firing("f", "alb").setMetricName("HTTPCode_Target_5XX_Count").build()).category())
                .isEqualTo("network");
        assertThat(SHIPPED.classify(Alerts.firing("f", "High 5xx rate on checkout").build()).category()).isEqualTo("network");
        assertThat(SHIPPED.classify(Alerts.firing("f", "Suspicious IP address hammering login").build()))
                .extracting(Classification::category, Classification::severity, Classification::playbook)
                .containsExactly("security", Severity.CRITICAL, "suspicious-ip");
        assertThat(SHIPPED.classify(Alerts.firing("f", "disk almost full").build()).category()).isEqualTo("unclassified");
    }

    /** Alarm names as people write them, and what the shipped rules make of them by name alone. */
    @Test
    void shippedNameRulesMatchWhatTheNamesSayAndNotNumbersOrWordsThatMerelyContainThem() {
        Map<String, String> categoryByName = new java.util.LinkedHashMap<>();
        categoryByName.put("High 5xx rate on checkout", "network");
        categoryByName.put("checkout-alb-HTTPCode_Target_5XX_Count", "network");
        categoryByName.put("api 5XXError above 1%", "network");
        categoryByName.put("HTTP 503 on payments", "network");
        categoryByName.put("checkout returns 502 errors", "network");
        categoryByName.put("status=500 spike", "network");
        categoryByName.put("Internal Server Error count", "network");
        categoryByName.put("orders 500 rate high", "network");
        categoryByName.put("node-1534 disk full", "unclassified");
        categoryByName.put("checkout p99 latency 550ms", "unclassified");
        categoryByName.put("walk-1795340597-after-junk", "unclassified");
        categoryByName.put("queue depth above 512", "unclassified");
        categoryByName.put("Suspicious IP address hammering login", "security");
        categoryByName.put("brute-force-ip-detected", "security");
        categoryByName.put("Blocked IPs spiking on WAF", "security");
        categoryByName.put("malicious client on /login", "security");
        categoryByName.put("deploy blocked on payments pipeline", "unclassified");
        categoryByName.put("shipping blocked: suspicious zip codes", "unclassified");
        categoryByName.put("payments ECS service unhealthy", "compute");
        categoryByName.put("orders-ecs-health check failing", "compute");
        categoryByName.put("specs generator unhealthy", "unclassified");
        categoryByName.forEach((name, category) -> assertThat(SHIPPED.classify(Alerts.firing("f", name).build()).category())
                .as("category of an alert named '%s'", name).isEqualTo(category));
    }

    @Test
    void badRegexFailsNamingTheRule() {
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: broken
                    match: {nameRegex: "([a-z"}
                    set: {category: compute}
                """)).hasMessageContaining("rule 'broken' (#1)").hasMessageContaining("nameRegex").hasMessageContaining("regular expression");
    }

    @Test
    void unknownPlaybookSeverityOrKeyFailsNamingTheRuleAndTheProblem() {
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: a
                    match: {source: datadog}
                    set: {category: compute, playbook: no-such-playbook}
                """)).hasMessageContaining("rule 'a' (#1)").hasMessageContaining("no-such-playbook");
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: b
                    match: {source: datadog}
                    set: {category: compute, severity: terrible}
                """)).hasMessageContaining("rule 'b' (#1)").hasMessageContaining("terrible");
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: c
                    match: {sauce: datadog}
                    set: {category: compute}
                """)).hasMessageContaining("rule 'c' (#1)").hasMessageContaining("sauce");
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: d
                    match: {source: pagerduty}
                    set: {category: compute}
                """)).hasMessageContaining("rule 'd' (#1)").hasMessageContaining("pagerduty");
        assertThatThrownBy(() -> rules("""
                rules:
                  - match: {source: datadog}
                    set: {category: compute}
                """)).hasMessageContaining("rule #1").hasMessageContaining("no name");
    }

    @Test
    void ruleWithoutConditionsOrCategoryIsRefused() {
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: everything
                    match: {}
                    set: {category: compute}
                """)).hasMessageContaining("rule 'everything'").hasMessageContaining("no condition");
        assertThatThrownBy(() -> rules("""
                rules:
                  - name: nocat
                    match: {source: generic}
                    set: {severity: high}
                """)).hasMessageContaining("rule 'nocat'").hasMessageContaining("category");
    }
}
