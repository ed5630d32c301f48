package dev.nightshift.deploy;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.topics.Topic;
import dev.nightshift.triage.ownership.OwnershipFile;
import dev.nightshift.commands.OperatorCommands;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What {@code ./pipeline demo} does, step by step, while {@link Demo} prints what the pipeline makes of
 * it. Live (dynalite runs): a provisioned table throttles, its playbook asks for an approval, the demo
 * approves it as {@code ./pipeline approve} would, and the capacity is raised for real; the same alarm
 * within the hour is refused by the blast radius. In dry-run: the same alarm, and the plan instead of
 * the change. Both then send another team's 5xx alert.
 */
final class DemoScript {
    static final String SERVICE = "orders";
    static final String TEAM = "payments";
    static final String APPROVER = "demo@example.com";
    static final DemoTable.Capacity PROVISIONED = new DemoTable.Capacity(100, 100);
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final Set<RunStatus> RUN_ENDED = Set.of(RunStatus.COMPLETED, RunStatus.STOPPED, RunStatus.ESCALATED,
            RunStatus.CANCELLED);
    private static final String FIVE_XX = """
            [{"name":"checkout-5xx-rate","state":"firing","severity":"critical","service":"checkout","team":"web",
              "summary":"5xx rate above 5% on checkout","resource":"alb:app/checkout-prod","labels":{"env":"prod"}}]""";

    /**
     * What the live demo saw: the table's capacity when the approval was asked, after the approved change,
     * and after the second run; the two approval requests (their ids are the scale steps' request ids).
     */
    record LiveRun(String table, String incidentId, ApprovalRequest firstApproval, ApprovalRequest secondApproval,
                   DemoTable.Capacity whileAsking, DemoTable.Capacity afterApproval, DemoTable.Capacity afterSecondRun) {
    }

    private final LocalStack stack;
    private final Demo tail;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoScript(LocalStack stack, Demo tail, PrintStream out) {
        this.stack = stack;
        this.tail = tail;
        this.out = out;
    }

    /** A new table name each run: the runner remembers an hour of live changes per table (the blast radius). */
    static String newTableName() {
        StringBuilder name = new StringBuilder("orders-demo-");
        for (int i = 0; i < 4; i++) {
            name.append(Character.forDigit(ThreadLocalRandom.current().nextInt(36), 36));
        }
        return name.toString();
    }

    /** The live demo, against dynalite (the stack must have started it). */
    LiveRun runLive() throws IOException, InterruptedException {
        String endpoint = stack.dynamoDbEndpoint().orElseThrow(() -> new IllegalStateException("the stack runs no dynalite"));
        try (DemoTable table = new DemoTable(endpoint, newTableName())) {
            section("1/3  A provisioned DynamoDB table throttles; its playbook raises the capacity, once a person approves");
            out.printf("[demo]      the workers run %s live against dynalite, every other action in dry-run; no AWS endpoint is reachable%n",
                    DemoAws.LIVE_ACTION);
            publishOwnership();
            table.create(PROVISIONED);
            out.printf("[dynamodb]  created table %s in dynalite, provisioned capacity %s%n", table.name(), table.capacity());
            sendAlarm(table.name(), "ALARM");
            Incident incident = tail.await(Incident.class, i -> i.getName().equals(alarmName(table.name())) && "opened".equals(i.getChange()),
                    WAIT, "incident for the alarm " + alarmName(table.name()));
            ApprovalRequest first = awaitApproval(incident.getIncidentId(), null);
            DemoTable.Capacity whileAsking = table.capacity();
            out.printf("[dynamodb]  %s while the approval waits: %s (nothing changes until a person says yes)%n", table.name(), whileAsking);
            approve(first.getApprovalId());
            RemediationOutcome scaled = tail.await(RemediationOutcome.class, o -> o.getRequestId().equals(first.getRequestId()), WAIT,
                    "outcome of the approved scale step");
            if (scaled.getStatus() != OutcomeStatus.SUCCEEDED) {
                throw new IllegalStateException("the approved scale step was " + scaled.getStatus() + ": " + scaled.getSummary());
            }
            out.printf("[outcome]   its record on remediation.outcomes: before %s, after %s, approved by %s%n", capacity(scaled.getBefore()),
                    capacity(scaled.getAfter()), String.join(", ", scaled.getApprovedBy()));
            DemoTable.Capacity afterApproval = table.capacity();
            out.printf("[dynamodb]  DescribeTable %s on dynalite: %s. The change is real%n", table.name(), afterApproval);
            awaitRunEnd(incident.getIncidentId(), 1);

            section("2/3  The same alarm again within the hour: at most one live change per table per hour (the blast radius)");
            sendAlarm(table.name(), "OK");
            tail.await(Incident.class, i -> i.getIncidentId().equals(incident.getIncidentId()) && "resolved".equals(i.getChange()), WAIT,
                    "resolution of the incident");
            sendAlarm(table.name(), "ALARM");
            ApprovalRequest second = awaitApproval(incident.getIncidentId(), first.getApprovalId());
            approve(second.getApprovalId());
            RemediationOutcome refused = tail.await(RemediationOutcome.class, o -> o.getRequestId().equals(second.getRequestId()), WAIT,
                    "outcome of the second scale step");
            if (refused.getStatus() != OutcomeStatus.REFUSED) {
                throw new IllegalStateException("the second scale step was " + refused.getStatus() + ", not refused: " + refused.getSummary());
            }
            DemoTable.Capacity afterSecondRun = table.capacity();
            out.printf("[dynamodb]  DescribeTable %s on dynalite: %s, unchanged: the guardrail held back even an approved change%n",
                    table.name(), afterSecondRun);
            awaitRunEnd(incident.getIncidentId(), 2);

            section("3/3  Another team's alert: a 5xx rate on checkout (reads for context, then a hand-over to the responder)");
            sendFiveXx();
            out.println("[demo]      done. The pipeline runs on: send your own alerts (README.md), or Ctrl-C to stop everything");
            return new LiveRun(table.name(), incident.getIncidentId(), first, second, whileAsking, afterApproval, afterSecondRun);
        }
    }

    /** The demo without dynalite: every action in dry-run, so the plan is printed instead of a change. */
    void runDryRun() throws IOException, InterruptedException {
        String table = newTableName();
        section("1/2  A DynamoDB table throttles; in dry-run its playbook records the plan and changes nothing");
        publishOwnership();
        sendAlarm(table, "ALARM");
        Incident incident = tail.await(Incident.class, i -> i.getName().equals(alarmName(table)) && "opened".equals(i.getChange()), WAIT,
                "incident for the alarm " + alarmName(table));
        RemediationOutcome planned = tail.await(RemediationOutcome.class, o -> o.getIncidentId().equals(incident.getIncidentId())
                && o.getAction().equals(DemoAws.LIVE_ACTION), WAIT, "outcome of the scale step");
        out.printf("[demo]      the plan, not made: %s. Live (with Node.js), %s would ask %s first%n", planned.getPlan(),
                DemoAws.LIVE_ACTION, APPROVER);
        awaitRunEnd(incident.getIncidentId(), 1);
        sendAlarm(table, "OK");
        tail.await(Incident.class, i -> i.getIncidentId().equals(incident.getIncidentId()) && "resolved".equals(i.getChange()), WAIT,
                "resolution of the incident");

        section("2/2  Another team's alert: a 5xx rate on checkout (reads for context, then a hand-over to the responder)");
        sendFiveXx();
        out.println("[demo]      done. The pipeline runs on: send your own alerts (README.md), or Ctrl-C to stop everything");
    }

    private PlaybookRun awaitRunEnd(String incidentId, int run) throws InterruptedException {
        return tail.await(PlaybookRun.class, r -> r.getIncidentId().equals(incidentId) && r.getRun() == run && RUN_ENDED.contains(r.getStatus()),
                WAIT, "end of playbook run " + run);
    }

    private ApprovalRequest awaitApproval(String incidentId, String notThis) throws InterruptedException {
        return tail.await(ApprovalRequest.class, a -> a.getIncidentId().equals(incidentId) && a.getStatus() == ApprovalStatus.PENDING
                && !a.getApprovalId().equals(notThis), WAIT, "approval request for the scale step");
    }

    /** Publishes the demo's service as {@code ./pipeline ownership apply} would, for this one entry (others stay). */
    private void publishOwnership() {
        Map<String, Object> entry = Map.of("name", SERVICE, "team", TEAM, "environment", "prod", "approvers", List.of(APPROVER),
                "resources", List.of("dynamodb:orders-demo*"));
        Ownership ownership = OwnershipFile.parse("the demo's ownership entry", Map.of("services", List.of(entry)), Instant.now()).get(0);
        Topic<String, Ownership> topic = stack.topics().ownership();
        send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), SERVICE),
                topic.valueSerde().serializer().serialize(topic.name(), ownership)));
        out.printf("[ownership] service %s: team %s, environment %s, approvers %s, resources %s (on %s)%n", ownership.getService(),
                ownership.getTeam(), ownership.getEnvironment(), ownership.getApprovers(), ownership.getResources(), topic.name());
    }

    /** Approves as {@code ./pipeline approve ID --as demo@example.com} does: the same record, written the same way. */
    private void approve(String approvalId) {
        out.println("[you]       $ " + approveCommand(approvalId));
        ProducerRecord<byte[], byte[]> decision = new OperatorCommands(stack.topics())
                .decide(approvalId, true, APPROVER, "cli", null, Instant.now());
        send(decision);
        out.println("[you]       approved " + approvalId + " as " + APPROVER + " (" + decision.topic() + ")");
    }

    /** The command a person would type, with the stack's ports when they are not the defaults. */
    String approveCommand(String approvalId) {
        StringBuilder command = new StringBuilder();
        if (stack.config().kafkaPort() != 9092) {
            command.append("KAFKA_PORT=").append(stack.config().kafkaPort()).append(' ');
        }
        if (stack.config().registryPort() != 8081) {
            command.append("REGISTRY_PORT=").append(stack.config().registryPort()).append(' ');
        }
        return command.append("./pipeline approve ").append(approvalId).append(" --as ").append(APPROVER).toString();
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaSettings.of(stack.config().bootstrapServers())
                .producer("nightshift-demo"))) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not write to " + record.topic() + ": " + e.getMessage(), e);
        }
    }

    static String alarmName(String table) {
        return table + "-read-throttle";
    }

    /** A CloudWatch alarm's state change for the table's read throttling, as EventBridge delivers it. */
    static String alarmEvent(String table, String state, Instant at) {
        String alarm = alarmName(table);
        boolean alarming = state.equals("ALARM");
        return """
                {"version":"0","id":"%s","detail-type":"CloudWatch Alarm State Change","source":"aws.cloudwatch",
                 "account":"%s","time":"%s","region":"%s","resources":["arn:aws:cloudwatch:%s:%s:alarm:%s"],
                 "detail":{"alarmName":"%s",
                  "state":{"value":"%s","reason":"Threshold Crossed: 1 datapoint [%s] was %sgreater than the threshold (0.0).","timestamp":"%s"},
                  "previousState":{"value":"%s"},
                  "configuration":{"description":"Reads on DynamoDB table %s are throttled. severity=high",
                   "metrics":[{"id":"m1","returnData":true,"metricStat":{"period":60,"stat":"Sum",
                    "metric":{"namespace":"AWS/DynamoDB","name":"ReadThrottleEvents","dimensions":{"TableName":"%s"}}}}]}}}
                """.formatted(UUID.randomUUID(), DemoAws.ACCOUNT, at, DemoAws.REGION, DemoAws.REGION, DemoAws.ACCOUNT, alarm, alarm, state,
                alarming ? "37.0" : "0.0", alarming ? "" : "not ", at, alarming ? "OK" : "ALARM", table, table);
    }

    private void sendAlarm(String table, String state) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/v1/alerts/cloudwatch", alarmEvent(table, state, Instant.now()));
        out.printf("[alarm]     CloudWatch alarm %s is %s (AWS/DynamoDB ReadThrottleEvents, TableName=%s, %s): "
                + "POST /v1/alerts/cloudwatch as EventBridge sends it -> %d%n", alarmName(table), state, table, DemoAws.REGION,
                response.statusCode());
    }

    private void sendFiveXx() throws IOException, InterruptedException {
        HttpResponse<String> response = post("/v1/alerts", FIVE_XX);
        out.printf("[alert]     checkout-5xx-rate firing (team web, the generic JSON): POST /v1/alerts -> %d%n", response.statusCode());
        // an earlier demo's incident may still be open: then the alert is a repeat, and no playbook runs
        Incident incident = tail.await(Incident.class, i -> i.getName().equals("checkout-5xx-rate"), WAIT, "incident for checkout-5xx-rate");
        if (!"opened".equals(incident.getChange()) && !"reopened".equals(incident.getChange())) {
            tail.await(TriagedAlert.class, t -> t.getIncidentId().equals(incident.getIncidentId()), WAIT, "team web's record of the 5xx alert");
            return;
        }
        PlaybookRun run = tail.await(PlaybookRun.class, r -> r.getIncidentId().equals(incident.getIncidentId())
                && RUN_ENDED.contains(r.getStatus()), WAIT, "end of the 5xx playbook run");
        tail.await(TriagedAlert.class, t -> t.getIncidentId().equals(incident.getIncidentId()), WAIT, "team web's record of the 5xx alert");
        Set<String> steps = run.getSteps().stream().map(StepRun::getRequestId).filter(Objects::nonNull).collect(Collectors.toSet());
        for (String step : steps) {
            tail.await(RemediationOutcome.class, o -> o.getRequestId().equals(step), WAIT, "outcome of the 5xx playbook's steps");
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(Service.INGEST) + path))
                .header("Authorization", "Bearer " + stack.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("ingest answered " + response.statusCode() + " to POST " + path + ": " + response.body());
        }
        return response;
    }

    private void section(String title) {
        out.println();
        out.println("=== " + title);
    }

    /** The capacity units in an outcome's before or after. */
    private static String capacity(Map<String, String> values) {
        return "read " + values.getOrDefault("readCapacityUnits", "?") + ", write " + values.getOrDefault("writeCapacityUnits", "?");
    }
}
