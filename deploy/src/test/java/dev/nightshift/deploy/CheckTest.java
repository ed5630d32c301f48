package dev.nightshift.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CheckTest {
    private static final String OWNERS = """
            services:
              - name: orders
                team: payments
                slack: "#payments-oncall"
                jira: PAY
                environment: staging
                approvers: [U0123ABCD, sam@example.com]
                resources: ["dynamodb:orders-*"]
            """;
    private static final String THROTTLING_ALARM = """
            {"name": "orders-eu DynamoDB read throttling", "state": "firing", "severity": "high",
             "resource": "dynamodb:table/orders-eu", "labels": {"TableName": "orders-eu", "env": "prod"}}
            """;

    @TempDir
    Path dir;

    /** What one run printed and returned. */
    private record Run(int status, String out, String err) {
    }

    private Run check(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Check.run(args, env::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run check(String... args) {
        return check(Map.of(), args);
    }

    private String file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void shippedFilesPass() {
        Run run = check();

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).startsWith("ok: ").contains(" rules, 6 playbooks, 0 services")
                .contains("rules classpath:triage/rules.yaml", "playbooks classpath:nightshift/playbooks.yaml", "no ownership file")
                .doesNotContain("problem");
    }

    @Test
    void shippedFilesPassWithAnOwnershipFile() throws IOException {
        Run run = check("--ownership", file("owners.yaml", OWNERS));

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains(" rules, 6 playbooks, 1 services").contains("ownership " + dir.resolve("owners.yaml"));
    }

    @Test
    void filesFromTheServicesVariablesAreChecked() throws IOException {
        String rules = file("rules.yaml", """
                rules:
                  - name: throttling
                    match: {nameRegex: "(?i).*throttl.*"}
                    set: {category: capacity, playbook: dynamodb-throttling}
                """);

        Run run = check(Map.of("TRIAGE_RULES_FILE", rules));

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).startsWith("ok: 1 rules, 6 playbooks").contains("rules " + rules);
    }

    @Test
    void ruleNamingAMissingPlaybookFails() throws IOException {
        String rules = file("rules.yaml", """
                rules:
                  - name: disk-full
                    match: {nameRegex: "(?i).*disk.*"}
                    set: {category: capacity, playbook: grow-disk}
                """);

        Run run = check("--rules", rules);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: " + rules + ": rule 'disk-full' (#1): set.playbook 'grow-disk' is not in the playbooks file")
                .doesNotContain("ok:");
    }

    @Test
    void everyBrokenRuleIsReportedInItsPlace() throws IOException {
        String rules = file("rules.yaml", """
                rules:
                  - name: disk-full
                    match: {nameRegex: "(?i).*disk.*"}
                    set: {category: capacity, playbook: grow-disk}
                  - name: fine
                    match: {source: generic}
                    set: {category: capacity}
                  - name: bad-regex
                    match: {nameRegex: "(unclosed"}
                    set: {category: capacity}
                  - match: {source: generic}
                    set: {category: capacity}
                """);

        Run run = check("--rules", rules);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains(rules + ": rule 'disk-full' (#1): set.playbook 'grow-disk' is not in the playbooks file")
                .contains(rules + ": rule 'bad-regex' (#3): nameRegex: '(unclosed' is not a valid regular expression")
                .contains(rules + ": rule #4: has no name")
                .contains("3 problems");
    }

    @Test
    void unknownActionAndUnknownTemplateVariableFail() throws IOException {
        String playbooks = file("playbooks.yaml", """
                playbooks:
                  grow-disk:
                    steps:
                      - name: grow
                        action: ebs-grow
                        parameters: {volume: "${alert.labels.VolumeId}"}
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.lables.TableName}"}
                """);
        String rules = file("rules.yaml", """
                rules:
                  - name: disk-full
                    match: {nameRegex: "(?i).*disk.*"}
                    set: {category: capacity, playbook: grow-disk}
                """);

        Run run = check("--rules", rules, "--playbooks", playbooks);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out())
                .contains("problem: " + playbooks + ": playbook 'grow-disk': step 'grow': unknown action 'ebs-grow'")
                .contains("problem: " + playbooks + ": playbook 'grow-disk': step 'scale': parameter 'table': unknown template variable "
                        + "'alert.lables.TableName'")
                .contains("2 problems");
    }

    @Test
    void badApprovalPolicyFails() throws IOException {
        String playbooks = file("playbooks.yaml", """
                playbooks:
                  dynamodb-throttling:
                    steps:
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}"}
                        approval: {in: [prod], required: 2, approvers: [U0123ABCD]}
                """);
        String rules = file("rules.yaml", """
                rules:
                  - name: throttling
                    match: {nameRegex: "(?i).*throttl.*"}
                    set: {category: capacity, playbook: dynamodb-throttling}
                """);

        Run run = check("--rules", rules, "--playbooks", playbooks);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: " + playbooks + ": playbook 'dynamodb-throttling': step 'scale': approval: required is 2 "
                + "but only 1 approver(s) are named");
    }

    @Test
    void badOwnershipEntryFails() throws IOException {
        String owners = file("owners.yaml", """
                services:
                  - name: orders
                    team: payments
                    approvers: [sam]
                  - team: search
                """);

        Run run = check("--ownership", owners);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: " + owners + ": service 'orders': approvers: 'sam' is neither a Slack user id")
                .contains("problem: " + owners + ": services entry #2: has no name");
    }

    @Test
    void aStepNobodyCouldApproveIsAWarning() throws IOException {
        String owners = file("owners.yaml", """
                services:
                  - name: orders
                    team: payments
                    environment: prod
                    resources: ["dynamodb:orders-*"]
                  - name: search
                    team: search
                    environment: staging
                    approvers: [U0123ABCD]
                """);

        Run run = check("--ownership", owners);

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains("warning: " + owners + ": service 'orders' has no approvers, too few for these steps: an "
                        + "incident of orders routed to one of them would wait until its approval expires (PT30M) and escalate")
                .contains("\n    playbook 'dynamodb-throttling' step 'scale': needs 1 approval in [prod]\n")
                .contains("\n    playbook 'ec2-status-check' step 'restart': needs 1 approval always\n")
                .doesNotContain("service 'search'");
    }

    @Test
    void aStepNeedingMoreApprovalsThanTheServiceHasPeopleIsAWarning() throws IOException {
        String playbooks = file("playbooks.yaml", """
                playbooks:
                  dynamodb-throttling:
                    steps:
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}"}
                        approval: {required: 2}
                """);
        String rules = file("rules.yaml", """
                rules:
                  - name: throttling
                    match: {nameRegex: "(?i).*throttl.*"}
                    set: {category: capacity, playbook: dynamodb-throttling}
                """);
        String owners = file("owners.yaml", """
                services:
                  - name: search
                    team: search
                    approvers: [U0123ABCD]
                    resources: ["dynamo:search-*"]
                """);

        Run run = check("--rules", rules, "--playbooks", playbooks, "--ownership", owners);

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains("warning: " + owners + ": service 'search' has approvers [U0123ABCD], too few for these steps")
                .contains("\n    playbook 'dynamodb-throttling' step 'scale': needs 2 approvals always\n")
                .contains("warning: " + owners + ": service 'search': ");
    }

    @Test
    void aBadCommandLineExitsWithTwo() {
        assertThat(check("--rulez", "x.yaml").status()).isEqualTo(2);
        assertThat(check("--rules").status()).isEqualTo(2);
        assertThat(check("--rules", "a.yaml", "--rules", "b.yaml").status()).isEqualTo(2);
        Run run = check("rules.yaml");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("unknown argument 'rules.yaml'").contains("usage: ./pipeline check");
    }

    @Test
    void aMissingFileIsAProblem() {
        Run run = check("--playbooks", dir.resolve("nothing.yaml").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: " + dir.resolve("nothing.yaml") + ": cannot read the file");
    }

    @Test
    void explainsADynamoDbThrottlingAlarmInProd() throws IOException {
        String owners = file("owners.yaml", OWNERS);
        String alert = file("alert.json", THROTTLING_ALARM);

        Run run = check(Map.of("WORKERS_DRY_RUN", "false"), "--alert", alert, "--ownership", owners);

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(lines(run.out())).contains(
                "rule         dynamodb-throttling-by-name (classpath:triage/rules.yaml)",
                "category     capacity",
                "severity     HIGH",
                "playbook     dynamodb-throttling",
                "owner        team payments, service orders (ownership entry 'orders', found by its resource patterns), "
                        + "Slack #payments-oncall, Jira PAY",
                "environment  prod (the alert's label)",
                "  1. metrics: action cloudwatch-metrics (reads only)",
                "  2. scale: action dynamodb-scale (changes)",
                "                  table=orders-eu");
        assertThat(run.out())
                .contains("metric=   <- no value for alert.metricName")
                .contains("dimensions=TableName=orders-eu")
                .contains("needs 1 approval in prod from [U0123ABCD, sam@example.com] (the service's ownership entry)")
                .contains("live: the workers make the AWS calls (WORKERS_DRY_RUN is false and WORKERS_DRY_RUN_ACTIONS does not name dynamodb-scale)")
                .contains("blast radius: at most 1 live run of dynamodb-scale per resource and 10 over all resources per PT1H")
                .contains("circuit breaker: dynamodb-scale is switched off after 3 live runs in a row failed")
                .contains("escalate: the run stops and a person is paged")
                .contains("no value for [alert.metricName] in this alert: the runner refuses the step (input) and the run goes on");
    }

    @Test
    void explanationSaysDryRunAsTheWorkersSettingsHaveIt() throws IOException {
        String owners = file("owners.yaml", OWNERS);
        String alert = file("alert.json", THROTTLING_ALARM);

        Run byDefault = check(Map.of(), "--alert", alert, "--ownership", owners);
        Run heldAction = check(Map.of("WORKERS_DRY_RUN", "false", "WORKERS_DRY_RUN_ACTIONS", "dynamodb-scale,waf-block-ip"),
                "--alert", alert, "--ownership", owners);

        assertThat(byDefault.out()).contains("dry-run: the plan is recorded, no AWS call is made (WORKERS_DRY_RUN is true)")
                .contains("needs 1 approval in prod from [U0123ABCD, sam@example.com]")
                .contains("In dry-run it is not asked")
                .contains("the blast radius and the circuit breaker hold live changes only");
        assertThat(heldAction.out())
                .contains("dry-run: the plan is recorded, no AWS call is made (WORKERS_DRY_RUN_ACTIONS names dynamodb-scale)")
                .contains("live: the workers make the AWS calls (WORKERS_DRY_RUN is false and WORKERS_DRY_RUN_ACTIONS does not name "
                        + "cloudwatch-metrics)");
    }

    @Test
    void withoutAnOwnerNobodyCouldApprove() throws IOException {
        Run run = check(Map.of("WORKERS_DRY_RUN", "false", "WORKERS_RUNNER_APPROVAL_TIMEOUT", "15m"),
                "--alert", file("alert.json", THROTTLING_ALARM));

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains("owner        team unowned (no ownership entry owns it and it names no team: the default team)")
                .contains("needs 1 approval in prod from [] (the service's ownership entry); nobody may give it, so the step would wait "
                        + "until its approval expires (PT15M) and the run escalates");
    }

    @Test
    void conditionsOnEarlierStepsAreNotKnownYet() throws IOException {
        String playbooks = file("playbooks.yaml", """
                playbooks:
                  dynamodb-throttling:
                    steps:
                      - name: metrics
                        action: cloudwatch-metrics
                        parameters: {namespace: AWS/DynamoDB, metric: ThrottledRequests, dimensions: "TableName=${alert.labels.TableName}"}
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}"}
                        when: "${steps.metrics.max} > 10"
                      - name: prod-only
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}"}
                        when: "${environment} == prod"
                      - name: staging-only
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.Table}"}
                        when: "${environment} == staging"
                """);
        String rules = file("rules.yaml", """
                rules:
                  - name: throttling
                    match: {nameRegex: "(?i).*throttl.*"}
                    set: {category: capacity, playbook: dynamodb-throttling}
                """);

        Run run = check("--rules", rules, "--playbooks", playbooks, "--alert", file("alert.json", THROTTLING_ALARM));

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains("${steps.metrics.max} > 10: not known yet; it reads the results of step 'metrics'")
                .contains("${environment} == prod: true for this alert, the step runs")
                .contains("${environment} == staging: false for this alert, the runner skips the step")
                .doesNotContain("no value for [alert.labels.Table]");
    }

    @Test
    void aResolvedAlertStartsNothing() throws IOException {
        Run run = check("--alert", file("alert.json", THROTTLING_ALARM.replace("firing", "resolved")));

        assertThat(run.status()).as(run.out()).isZero();
        assertThat(run.out()).contains("a resolved alert opens no incident").doesNotContain("1. metrics");
    }

    @Test
    void anAlertThatIsNotTheGenericJsonIsAProblem() throws IOException {
        String alert = file("alert.json", "{\"name\": \"x\", \"state\": \"burning\"}");

        Run run = check("--alert", alert);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: " + alert + ": field 'state' must be 'firing' or 'resolved'");
    }

    @Test
    void dryRunActionsThatNameNoActionAreAWarning() {
        Run run = check(Map.of("WORKERS_DRY_RUN", "false", "WORKERS_DRY_RUN_ACTIONS", "waf-block-ip, ssm-runbook"));

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("warning: WORKERS_DRY_RUN_ACTIONS names ' ssm-runbook', which is no action");
    }

    @Test
    void aSettingTheWorkersCouldNotReadIsAProblem() {
        Run run = check(Map.of("WORKERS_RUNNER_BLAST_RADIUS_WINDOW", "an hour"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("problem: WORKERS_RUNNER_BLAST_RADIUS_WINDOW='an hour' is not a duration");
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(text.lines().toList());
    }
}
