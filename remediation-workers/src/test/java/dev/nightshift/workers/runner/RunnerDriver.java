package dev.nightshift.workers.runner;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.Severity;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbooks;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/** The runner topology in a TopologyTestDriver with the project's real serdes, a test playbook and typed topics around it. */
final class RunnerDriver implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Map<String, ActionSpec> SPECS = Map.of(
            "cloudwatch-metrics", new ActionSpec("cloudwatch-metrics", ActionSpec.Kind.READ, Map.of("namespace", "n", "metric", "m"), Map.of(), false),
            "dynamodb-scale", new ActionSpec("dynamodb-scale", ActionSpec.Kind.CHANGE, Map.of("table", "t"), Map.of("factor", "f"), true),
            "wait-stable", new ActionSpec("wait-stable", ActionSpec.Kind.READ, Map.of("table", "t"), Map.of(), false));
    static final Function<String, Optional<ActionSpec>> ACTIONS = name -> Optional.ofNullable(SPECS.get(name));
    static final String PLAYBOOKS = """
            playbooks:
              throttled:
                steps:
                  - name: metrics
                    action: cloudwatch-metrics
                    parameters: {namespace: AWS/DynamoDB, metric: "${alert.metricName}"}
                  - name: scale
                    action: dynamodb-scale
                    parameters: {table: "${alert.labels.TableName}", factor: "1.5"}
                    approval: {in: [prod]}
                    onFailure: escalate
                  - name: stable
                    action: wait-stable
                    parameters: {table: "${alert.labels.TableName}"}
                    timeout: PT5M
                    onFailure: escalate
              paired:
                steps:
                  - name: scale
                    action: dynamodb-scale
                    parameters: {table: "${alert.labels.TableName}"}
                    approval: {in: [prod], required: 2}
              conditional:
                steps:
                  - name: read
                    action: cloudwatch-metrics
                    parameters: {namespace: AWS/DynamoDB, metric: "${alert.metricName}"}
                  - name: scale
                    action: dynamodb-scale
                    parameters: {table: "${alert.labels.TableName}"}
                    when: "${steps.read.max} > 100"
              handover:
                steps:
                  - name: scale
                    action: dynamodb-scale
                    parameters: {table: "${alert.labels.TableName}"}
                    onFailure: continue
                  - name: tell
                    manual: true
                    instructions: "look at ${alert.labels.TableName}: ${steps.scale.status}"
            """;

    private final Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
    private final TopologyTestDriver driver;
    private final Set<String> dryRunActions;
    private final TestInputTopic<String, Incident> incidents;
    private final TestInputTopic<String, RemediationOutcome> outcomesIn;
    private final TestInputTopic<String, ApprovalDecision> decisions;
    private final TestInputTopic<String, PlaybookCommand> commands;
    private final TestInputTopic<String, Ownership> ownership;
    private final TestInputTopic<String, AutomationControl> controls;
    private final TestOutputTopic<String, PlaybookRun> runs;
    private final TestOutputTopic<String, ApprovalRequest> approvals;
    private final TestOutputTopic<String, RemediationOutcome> outcomesOut;
    private final List<RemediationOutcome> outcomesSeen = new ArrayList<>();
    private final List<PlaybookRun> runsSeen = new ArrayList<>();
    private final List<ApprovalRequest> approvalsSeen = new ArrayList<>();

    RunnerDriver(Guardrails.Limits limits, Set<String> dryRunActions) {
        this(limits, dryRunActions, RunnerMetrics.NONE);
    }

    RunnerDriver(Guardrails.Limits limits, Set<String> dryRunActions, RunnerMetrics metrics) {
        this.dryRunActions = dryRunActions;
        Playbooks.Read read = Playbooks.parse("test-playbooks", new Yaml().load(PLAYBOOKS), ACTIONS);
        if (!read.problems().isEmpty()) {
            throw new IllegalStateException(read.problems().toString());
        }
        RunnerTopology.Settings settings = new RunnerTopology.Settings(topics, read.playbooks(), ACTIONS, dryRunActions::contains,
                new PlaybookRunner(new PlaybookRunner.Settings(Duration.ofMinutes(30), Duration.ofMinutes(1))), new Guardrails(limits),
                Duration.ofSeconds(1), Duration.ofDays(7), null, false, metrics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "runner-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("runner-ttd").toString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        driver = new TopologyTestDriver(RunnerTopology.build(settings), props, T0);
        incidents = input(topics.incidents());
        outcomesIn = input(topics.remediationOutcomes());
        decisions = input(topics.approvalDecisions());
        commands = input(topics.playbookCommands());
        ownership = input(topics.ownership());
        controls = input(topics.automationControl());
        runs = output(topics.playbookRuns());
        approvals = output(topics.approvalRequests());
        outcomesOut = output(topics.remediationOutcomes());
    }

    RunnerDriver() {
        this(Guardrails.Limits.defaults(), Set.of());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    static Incident.Builder incident(String id, String playbook) {
        return Incident.newBuilder().setIncidentId(id).setFingerprint(id.substring(0, id.lastIndexOf('-'))).setState(IncidentState.OPEN)
                .setSource(AlertSource.CLOUDWATCH).setName("orders table throttled").setSeverity(Severity.HIGH).setCategory("capacity")
                .setOwner(new Owner("payments", "orders", "#payments", "PAY", null)).setResource("dynamodb:table/orders-eu")
                .setPlaybook(playbook).setLabels(Map.of("TableName", "orders-eu")).setMetricName("ReadThrottleEvents")
                .setLastAlertId("a-1").setChange("opened").setVersion(1).setOpenedAt(T0).setLastSeenAt(T0).setUpdatedAt(T0);
    }

    void incident(Incident incident) {
        incidents.pipeInput(incident.getIncidentId(), incident);
    }

    void owners(String service, String environment, String... approvers) {
        ownership.pipeInput(service, Ownership.newBuilder().setService(service).setTeam("payments").setEnvironment(environment)
                .setApprovers(List.of(approvers)).setResources(List.of()).setUpdatedAt(T0).build());
    }

    void control(String key, ControlKind kind, Instant at) {
        controls.pipeInput(key, AutomationControl.newBuilder().setKind(kind).setTarget(key).setBy("sam@example.com").setAt(at).build());
    }

    void decide(String approvalId, String by, boolean approved) {
        decide(approvalId, by, List.of(), "cli", approved);
    }

    /** A decision as the notifier writes a Slack press: the Slack user, and their e-mail as another name. */
    void decide(String approvalId, String by, List<String> aliases, String channel, boolean approved) {
        decisions.pipeInput(approvalId, ApprovalDecision.newBuilder().setApprovalId(approvalId).setRequestId(approvalId)
                .setIncidentId(RunnerTopology.incidentOf(approvalId)).setApproved(approved).setDecidedBy(by).setDecidedByAliases(aliases)
                .setDecidedAt(T0).setChannel(channel).build());
    }

    void command(String incidentId, String requestId, dev.nightshift.schema.CommandKind kind) {
        commands.pipeInput(incidentId, PlaybookCommand.newBuilder().setKind(kind).setIncidentId(incidentId).setRequestId(requestId)
                .setBy("sam@example.com").setAt(T0).build());
    }

    /** The workers' answer to a request. */
    void answer(RemediationRequest request, OutcomeStatus status, Map<String, String> results, Long checkAfterMillis) {
        answer(request, status, results, checkAfterMillis, Map.of());
    }

    /** The workers' answer to a request, with the resource's state before the change. */
    void answer(RemediationRequest request, OutcomeStatus status, Map<String, String> results, Long checkAfterMillis,
                Map<String, String> before) {
        outcomesIn.pipeInput(request.getIncidentId(), RemediationOutcome.newBuilder().setRequestId(request.getRequestId())
                .setIncidentId(request.getIncidentId()).setPlaybook(request.getPlaybook()).setStepIndex(request.getStepIndex())
                .setStepName(request.getStepName()).setAction(request.getAction()).setStatus(status).setDryRun(request.getDryRun())
                .setSummary(request.getAction() + " " + status).setResource(request.getResource()).setOwner(request.getOwner())
                .setStartedAt(T0).setFinishedAt(T0).setMode(request.getMode()).setResults(results).setCheckAfterMillis(checkAfterMillis)
                .setBefore(before).build());
    }

    List<RemediationRequest> requests(String action) {
        return driver.createOutputTopic(topics.names().actions(action), topics.actions(action).keySerde().deserializer(),
                topics.actions(action).valueSerde().deserializer()).readValuesToList();
    }

    /** Every outcome written so far (the runner's own and those piped in), in order. */
    List<RemediationOutcome> outcomes() {
        outcomesOut.readValuesToList().forEach(outcomesSeen::add);
        return outcomesSeen;
    }

    List<PlaybookRun> runs() {
        runs.readValuesToList().forEach(runsSeen::add);
        return runsSeen;
    }

    PlaybookRun lastRun() {
        List<PlaybookRun> all = runs();
        return all.get(all.size() - 1);
    }

    List<ApprovalRequest> approvals() {
        approvals.readValuesToList().forEach(approvalsSeen::add);
        return approvalsSeen;
    }

    ApprovalRequest lastApproval() {
        List<ApprovalRequest> all = approvals();
        return all.get(all.size() - 1);
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    TopologyTestDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
