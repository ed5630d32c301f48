package dev.nightshift.workers.playbook;

import dev.nightshift.workers.actions.ActionSpec;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlaybooksTest {
    private static final Map<String, ActionSpec> SPECS = Map.of(
            "dynamodb-scale", new ActionSpec("dynamodb-scale", ActionSpec.Kind.CHANGE, Map.of("table", "the table"),
                    Map.of("factor", "x", "maxReadCapacity", "r", "maxWriteCapacity", "w"), true),
            "cloudwatch-metrics", new ActionSpec("cloudwatch-metrics", ActionSpec.Kind.READ, Map.of("namespace", "n", "metric", "m"),
                    Map.of("dimensions", "d"), false));
    private static final Function<String, Optional<ActionSpec>> ACTIONS = name -> Optional.ofNullable(SPECS.get(name));

    private static Playbooks.Read read(String yaml) {
        return Playbooks.parse("playbooks.yaml", new Yaml().load(yaml), ACTIONS);
    }

    @Test
    void aPlaybookReadsAsStepsWithTemplatesConditionsApprovalTimeoutAndFailurePolicy() {
        Playbooks.Read read = read("""
                playbooks:
                  throttled:
                    description: scale it
                    steps:
                      - name: metrics
                        action: cloudwatch-metrics
                        parameters: {namespace: AWS/DynamoDB, metric: "${alert.metricName}", dimensions: "TableName=${alert.labels.TableName}"}
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}", factor: "1.5"}
                        when: "${steps.metrics.max} > 100 and ${environment} != test"
                        approval: {in: [prod], required: 2, approvers: [U0123ABCD, sam@example.com]}
                        timeout: PT3M
                        onFailure: escalate
                      - name: tell
                        manual: true
                        instructions: "Capacity is now ${steps.scale.readCapacityUnits}"
                """);

        assertThat(read.problems()).isEmpty();
        Playbook playbook = read.playbooks().find("throttled").orElseThrow();
        assertThat(playbook.steps()).extracting(PlaybookStep::name).containsExactly("metrics", "scale", "tell");
        PlaybookStep metrics = playbook.steps().get(0);
        assertThat(metrics.onFailure()).as("a step that only reads never blocks a fix").isEqualTo(FailurePolicy.CONTINUE);
        assertThat(metrics.approval().mode()).isEqualTo(ApprovalPolicy.Mode.NEVER);
        PlaybookStep scale = playbook.steps().get(1);
        assertThat(scale.onFailure()).isEqualTo(FailurePolicy.ESCALATE);
        assertThat(scale.timeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(scale.approval().requiredIn("prod")).isTrue();
        assertThat(scale.approval().requiredIn("PROD")).isTrue();
        assertThat(scale.approval().requiredIn("staging")).isFalse();
        assertThat(scale.approval().requiredIn(null)).isFalse();
        assertThat(scale.approval().required()).isEqualTo(2);
        Variables values = name -> Optional.ofNullable(Map.of("alert.labels.TableName", "orders-eu", "steps.metrics.max", "240",
                "environment", "prod").get(name));
        assertThat(scale.render(values)).containsEntry("table", "orders-eu").containsEntry("factor", "1.5");
        assertThat(scale.when().test(values)).isTrue();
        assertThat(scale.when().test(name -> Optional.ofNullable(Map.of("steps.metrics.max", "40").get(name)))).isFalse();
        PlaybookStep tell = playbook.steps().get(2);
        assertThat(tell.manual()).isTrue();
        assertThat(tell.action()).isNull();
        assertThat(tell.onFailure()).isEqualTo(FailurePolicy.STOP);
        assertThat(read.playbooks().actions()).containsExactly("cloudwatch-metrics", "dynamodb-scale");
    }

    @Test
    void everyProblemIsNamedWithTheFileThePlaybookAndTheStep() {
        Playbooks.Read read = read("""
                playbooks:
                  broken:
                    steps:
                      - action: dynamodb-scael
                      - name: scale
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}", size: "2", factor: "${steps.later.x}"}
                        approval: {in: [], required: 0, approvers: [the-on-call]}
                      - name: metrics
                        action: cloudwatch-metrics
                        parameters: {namespace: "${incident.nope}", metric: m}
                        approval: always
                        timeout: ten minutes
                        onFailure: shrug
                      - name: later
                        manual: true
                """);

        assertThat(read.problems()).anySatisfy(p -> assertThat(p)
                        .isEqualTo("playbooks.yaml: playbook 'broken': step 'dynamodb-scael': unknown action 'dynamodb-scael'"))
                .anySatisfy(p -> assertThat(p).startsWith("playbooks.yaml: playbook 'broken': step 'scale': action 'dynamodb-scale' takes no parameter 'size'"))
                .anySatisfy(p -> assertThat(p).contains("step 'scale': parameter 'factor': unknown template variable 'steps.later.x': 'later' is not an earlier step"))
                .anySatisfy(p -> assertThat(p).contains("step 'scale': approval: in names no environment"))
                .anySatisfy(p -> assertThat(p).contains("step 'scale': approval: required must be a whole number of people, at least 1"))
                .anySatisfy(p -> assertThat(p).contains("step 'scale': approval: approvers: 'the-on-call' is neither a Slack user id"))
                .anySatisfy(p -> assertThat(p).contains("step 'metrics': parameter 'namespace': unknown template variable 'incident.nope'"))
                .anySatisfy(p -> assertThat(p).contains("step 'metrics': action 'cloudwatch-metrics' only reads; it changes nothing and needs no approval"))
                .anySatisfy(p -> assertThat(p).contains("step 'metrics': timeout 'ten minutes' is not an ISO-8601 duration"))
                .anySatisfy(p -> assertThat(p).contains("step 'metrics': onFailure 'shrug' is not one of stop, continue, escalate"))
                .anySatisfy(p -> assertThat(p).contains("step 'later': a manual step needs instructions"));
        assertThatThrownBy(() -> Playbooks.load(writeTemp("playbooks: {x: {steps: [{action: nope}]}}"), ACTIONS))
                .hasMessageContaining("unknown action 'nope'");
    }

    @Test
    void twoStepsOfOneNameAndAConditionThatIsNoComparisonAreRefused() {
        List<String> problems = read("""
                playbooks:
                  twice:
                    steps:
                      - action: cloudwatch-metrics
                        parameters: {namespace: a, metric: b}
                      - action: cloudwatch-metrics
                        parameters: {namespace: a, metric: b}
                        when: "${environment}"
                """).problems();

        assertThat(problems).anySatisfy(p -> assertThat(p).contains("two steps are named 'cloudwatch-metrics'"))
                .anySatisfy(p -> assertThat(p).contains("when: '${environment}' is not a comparison"));
    }

    private static String writeTemp(String yaml) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("playbooks", ".yaml");
            java.nio.file.Files.writeString(file, yaml);
            return file.toString();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
