package dev.nightshift.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.topics.TopicNames;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * One alert's whole path, real in every part: the local stack ({@code ./pipeline}'s launcher) starts
 * a KRaft broker, the schema registry and the four services as processes on free ports; alerts go
 * in over HTTP; each topic is read back through the registry, and by Confluent's own client.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineEndToEndIT {
    private static final String THROTTLE = """
            {"name":"orders-eu-read-throttle","state":"%s","severity":"high","service":"orders","team":"payments",
             "summary":"orders-eu throttles reads","resource":"dynamodb:table/orders-eu",
             "labels":{"TableName":"orders-eu"},"playbook":"dynamodb-throttling"}""";
    private static final String FIVE_XX = """
            [{"name":"checkout-5xx","state":"firing","severity":"critical","team":"web","resource":"alb:app/checkout"}]""";

    private LocalStack stack;
    private SlackSink slack;
    private final TopicNames names = TopicNames.defaults();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startStack() throws Exception {
        StackConfig config = TestStacks.onFreePorts("e2e-pipeline");
        slack = new SlackSink(System.out);
        stack = LocalStack.start(config, Map.of("SLACK_WEBHOOK_URL", slack.url()), new PrintStream(System.out, true));
    }

    @AfterAll
    void stopStack() {
        List<Long> pids = stack == null ? List.of() : stack.pids();
        if (stack != null) {
            stack.close();
        }
        if (slack != null) {
            slack.close();
        }
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d is still running after the stack stopped", pid).isFalse());
    }

    @Test
    void alertsBecomeOneIncidentPerProblemRoutedRemediatedAndNotified() throws Exception {
        assertThat(post("/v1/alerts", "Bearer not-the-key", THROTTLE.formatted("firing")).statusCode()).isEqualTo(401);
        HttpResponse<String> bad = post("/v1/alerts", "Bearer " + stack.apiKey(), "{\"state\":\"firing\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("name");

        for (String body : List.of(THROTTLE.formatted("firing"), THROTTLE.formatted("firing"), FIVE_XX)) {
            HttpResponse<String> accepted = post("/v1/alerts", "Bearer " + stack.apiKey(), body);
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        }

        // The shipped playbook reads the table's metrics, then scales it: in dry-run (the default) the change is only planned.
        List<RemediationOutcome> outcomes = read(List.of(names.remediationOutcomes()), RemediationOutcome.class,
                r -> r.stream().anyMatch(o -> o.getAction().equals("dynamodb-scale")));
        RemediationOutcome outcome = outcomes.stream().filter(o -> o.getAction().equals("dynamodb-scale")).findFirst().orElseThrow();
        String incidentId = outcome.getIncidentId();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.PLANNED);
        assertThat(outcome.getAction()).isEqualTo("dynamodb-scale");
        assertThat(outcome.getSummary()).startsWith("dry-run: would").contains("orders-eu");
        assertThat(outcome.getStepName()).isEqualTo("scale");
        assertThat(outcomes).filteredOn(o -> o.getIncidentId().equals(incidentId) && o.getAction().equals("cloudwatch-metrics"))
                .as("the enrichment step came first (refused: this alert names no metric), and did not block the fix")
                .singleElement().satisfies(o -> assertThat(o.getStepName()).isEqualTo("metrics"));

        assertThat(post("/v1/alerts", "Bearer " + stack.apiKey(), THROTTLE.formatted("resolved")).statusCode()).isEqualTo(202);

        List<Alert> raw = read(List.of(names.alertsRaw()), Alert.class, r -> r.size() >= 4);
        assertThat(raw).hasSize(4);
        assertThat(raw.stream().filter(a -> a.getName().equals("orders-eu-read-throttle")).map(Alert::getFingerprint).distinct()).hasSize(1);

        List<Incident> incidents = read(List.of(names.incidents()), Incident.class,
                r -> r.stream().anyMatch(i -> i.getState() == IncidentState.RESOLVED));
        List<Incident> throttle = incidents.stream().filter(i -> i.getName().equals("orders-eu-read-throttle")).toList();
        assertThat(throttle).extracting(Incident::getIncidentId).containsOnly(incidentId);
        assertThat(throttle.stream().filter(i -> "opened".equals(i.getChange()))).hasSize(1);
        assertThat(throttle.get(throttle.size() - 1).getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(throttle.get(throttle.size() - 1).getOccurrences()).isEqualTo(2);
        assertThat(incidents.stream().map(Incident::getIncidentId).distinct()).hasSize(2);

        List<TriagedAlert> payments = read(List.of(names.teamAlerts("payments")), TriagedAlert.class, r -> !r.isEmpty());
        assertThat(payments).allSatisfy(t -> {
            assertThat(t.getIncidentId()).isEqualTo(incidentId);
            assertThat(t.getOwner().getTeam()).isEqualTo("payments");
        });
        List<TriagedAlert> web = read(List.of(names.teamAlerts("web")), TriagedAlert.class, r -> !r.isEmpty());
        assertThat(web).extracting(t -> t.getAlert().getName()).containsOnly("checkout-5xx");

        List<RemediationRequest> requests = read(List.of(names.actions("dynamodb-scale")), RemediationRequest.class, r -> !r.isEmpty());
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.getIncidentId()).isEqualTo(incidentId);
            assertThat(request.getPlaybook()).isEqualTo("dynamodb-throttling");
            assertThat(request.getStepIndex()).isEqualTo(1);
            assertThat(request.getDryRun()).isTrue();
            assertThat(request.getParameters()).containsEntry("table", "orders-eu").containsEntry("factor", "1.5");
        });
        List<PlaybookRun> runs = read(List.of(names.playbookRuns()), PlaybookRun.class,
                r -> r.stream().anyMatch(run -> run.getIncidentId().equals(incidentId)
                        && (run.getStatus() == RunStatus.COMPLETED || run.getStatus() == RunStatus.CANCELLED)));
        assertThat(runs).filteredOn(run -> run.getIncidentId().equals(incidentId))
                .anySatisfy(run -> assertThat(run.getSteps()).extracting(StepRun::getStatus).contains(StepStatus.PLANNED));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(slack.messages())
                .anySatisfy(m -> assertThat(m).contains("[OPEN]").contains(incidentId))
                .anySatisfy(m -> assertThat(m).contains("dynamodb-scale: PLANNED"))
                .anySatisfy(m -> assertThat(m).contains("[" + incidentId + "] resolved:").contains("(RESOLVED")));

        decodeWithConfluentsClient(incidentId, outcomes.size());
    }

    /** Confluent's own Python client decodes our records through the registry, with no code of ours. */
    private void decodeWithConfluentsClient(String incidentId, int outcomesWritten) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeThat(Files.isExecutable(python)).as("Debian's python3 with python3-confluent-kafka").isTrue();
        Process check = new ProcessBuilder(python.toString(), "-c",
                "import confluent_kafka.avro.serializer.message_serializer, requests").redirectErrorStream(true).start();
        assumeThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0)
                .as("python3-confluent-kafka, python3-avro and python3-requests are installed (.ci/packages.txt)").isTrue();

        List<JsonNode> outcomes = readWithConfluentsClient(names.remediationOutcomes(), 0);
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(outcomesWritten);
        assertThat(outcomes).anySatisfy(r -> {
            assertThat(r.path("key").asText()).isEqualTo(incidentId);
            assertThat(r.path("value").path("status").asText()).isEqualTo("PLANNED");
        });
        List<JsonNode> requests = readWithConfluentsClient(names.actions("dynamodb-scale"), 1);
        assertThat(requests).anySatisfy(r -> assertThat(r.path("value").path("action").asText()).isEqualTo("dynamodb-scale"));
    }

    /** The first {@code count} records of a topic (0: all there are) as Confluent's Python client decodes them. */
    private List<JsonNode> readWithConfluentsClient(String topic, int count) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Path script = Path.of(getClass().getResource("/confluent_read.py").toURI());
        Process reader = new ProcessBuilder(python.toString(), script.toString(), stack.config().bootstrapServers(),
                stack.config().registryUrl(), Integer.toString(count), topic)
                .redirectErrorStream(true).start();
        List<JsonNode> records = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("{\"topic\"")) {
                    records.add(new ObjectMapper().readTree(line));
                }
            }
        }
        assertThat(reader.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(reader.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(records).allSatisfy(r -> assertThat(r.path("topic").asText()).isEqualTo(topic));
        return records;
    }

    private HttpResponse<String> post(String path, String authorization, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stack.url(Service.INGEST) + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private <T extends SpecificRecord> List<T> read(List<String> topics, Class<T> type, Predicate<List<T>> enough) {
        return TestStacks.read(stack.config(), topics, type, enough);
    }
}
