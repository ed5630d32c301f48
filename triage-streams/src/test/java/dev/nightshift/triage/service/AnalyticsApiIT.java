package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.schema.Alert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nightshift.triage.service.TriageInstances.get;
import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The analytics API as a user meets it: alerts with chosen times opened, acknowledged and resolved on the real broker
 * and registry, and the figures asked over HTTP of either of two instances, each holding part of the incidents.
 */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsApiIT {
    // the shipped rules file classifies "5xx high" as network; "orders db cpu" matches no rule (unclassified)
    private static final Instant TEN = Instant.parse("2026-11-20T10:00:00Z");   // a Friday
    private static final String UNTIL = "until=2026-11-20T12:00:00Z";
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {
    };
    private final ObjectMapper json = new ObjectMapper();
    private final List<EmbeddedServer> instances = new ArrayList<>();
    private Topics topics;
    private KafkaProducer<String, Alert> alerts;
    private KafkaProducer<byte[], byte[]> commands;

    @BeforeAll
    void start(KafkaStack stack) throws Exception {
        topics = TriageInstances.pipelineTopics(stack, "analytics", 4);
        String prefix = topics.names().alertsRaw().substring(0, topics.names().alertsRaw().length() - "alerts.raw".length());
        String applicationId = KafkaStack.unique("analytics-app");
        for (int i = 0; i < 2; i++) {
            instances.add(TriageInstances.start(stack, prefix, applicationId, Map.of("triage.reopen-window", "PT1S",
                    "triage.punctuate-interval", "PT0.2S")));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream().allMatch(i -> streams(i).state() == KafkaStreams.State.RUNNING));
        alerts = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
        commands = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());

        // payments: opened 10:00, acknowledged 10:05, resolved 10:20
        send(Alerts.firing("fp-orders", "orders db cpu").setTeam("payments").build(), TEN);
        String orders = awaitIncident("fp-orders");
        commands.send(new OperatorCommands(topics).acknowledge(orders, "U0AAA1", List.of(), "slack", TEN.plusSeconds(300))).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> "ACKNOWLEDGED".equals(incident(orders).get("state")));
        send(Alerts.resolved("fp-orders", "orders db cpu").setTeam("payments").build(), TEN.plusSeconds(1200));
        // search: the same 5xx alert on three hosts, each resolved by people after 15 minutes, and nobody ran anything
        for (int host = 1; host <= 3; host++) {
            send(Alerts.firing("fp-5xx-" + host, "5xx high").setTeam("search").build(), TEN);
            send(Alerts.resolved("fp-5xx-" + host, "5xx high").setTeam("search").build(), TEN.plusSeconds(900));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> rows(instances.get(0), "/v1/analytics/facts?window=24h&" + UNTIL).size() == 4);
    }

    @AfterAll
    void stop() {
        if (alerts != null) {
            alerts.close();
        }
        if (commands != null) {
            commands.close();
        }
        instances.forEach(EmbeddedServer::close);
    }

    @Test
    void mttrAndMttaByTeamAreTheSameFromEitherInstance() throws Exception {
        for (EmbeddedServer instance : instances) {
            List<Map<String, Object>> teams = rows(instance, "/v1/analytics/mttr?by=team&window=24h&" + UNTIL);

            assertThat(teams).hasSize(2);
            assertThat(teams.get(0)).containsEntry("team", "payments").containsEntry("incidents", 1)
                    .containsEntry("mttaMeanSeconds", 300.0).containsEntry("mttrMeanSeconds", 1200.0)
                    .containsEntry("resolvedByAutomationShare", 0.0);
            assertThat(teams.get(1)).containsEntry("team", "search").containsEntry("incidents", 3)
                    .containsEntry("mttrP90Seconds", 900.0).containsEntry("mttaMeanSeconds", null);
        }
        assertThat(rows(instances.get(1), "/v1/analytics/mttr?by=team&window=24h&until=2026-11-23T12:00:00Z"))
                .as("three days later, the last 24 hours hold none of them").isEmpty();
    }

    @Test
    void mttrPerWeekGivesEachTeamsFiguresUnderTheWeeksStart() throws Exception {
        List<Map<String, Object>> weeks = rows(instances.get(1), "/v1/analytics/mttr?by=team&window=7d&per=week&" + UNTIL);

        assertThat(weeks).extracting(w -> w.get("periodStart"), w -> w.get("team"), w -> w.get("mttrMeanSeconds"), w -> w.get("mttaMeanSeconds"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2026-11-16T00:00:00Z", "payments", 1200.0, 300.0),
                        org.assertj.core.groups.Tuple.tuple("2026-11-16T00:00:00Z", "search", 900.0, null));
        HttpResponse<String> month = get(instances.get(0), "/v1/analytics/mttr?per=month");
        assertThat(month.statusCode()).isEqualTo(400);
        assertThat(month.body()).contains("day", "week");
    }

    @Test
    void theSameFiguresComeAsCsv() throws Exception {
        HttpResponse<String> csv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + instances.get(1).getPort() + "/v1/analytics/mttr?by=category&window=7d&" + UNTIL)).header("Accept", "text/csv").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/csv"));
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("category,incidents,mttrMeanSeconds,mttrP50Seconds,mttrP90Seconds,mttaMeanSeconds");
        assertThat(lines).containsSubsequence("network,3,900.0,900.0,900.0,,,,,,0.0,0.0",
                "unclassified,1,1200.0,1200.0,1200.0,300.0,300.0,300.0,,,0.0,0.0").hasSize(3);
        assertThat(get(instances.get(0), "/v1/analytics/coverage?format=csv&" + UNTIL).body())
                .containsPattern("network,5xx high,[^,]*,3,0,0,0,0,3,900.0,2700.0,2700.0\r\n");
    }

    @Test
    void aFrequentAlertNobodyAutomatedTopsTheCandidates() throws Exception {
        List<Map<String, Object>> candidates = rows(instances.get(0), "/v1/analytics/candidates?" + UNTIL);

        assertThat(candidates).extracting(c -> c.get("alertName")).containsExactly("5xx high", "orders db cpu");
        assertThat(candidates.get(0)).containsEntry("fired", 3).containsEntry("playbookRuns", 0).containsEntry("score", 2700.0);
    }

    @Test
    void badParametersAreRefusedNamingTheChoices() {
        HttpResponse<String> by = get(instances.get(0), "/v1/analytics/mttr?by=region");
        HttpResponse<String> window = get(instances.get(0), "/v1/analytics/mttr?window=week");

        assertThat(by.statusCode()).isEqualTo(400);
        assertThat(by.body()).contains("team", "service", "category");
        assertThat(window.statusCode()).isEqualTo(400);
        assertThat(window.body()).contains("24h, 7d, 30d, all");
    }

    private void send(Alert alert, Instant at) throws Exception {
        alert.setOccurredAt(at);
        alert.setReceivedAt(at);
        alerts.send(new ProducerRecord<>(topics.alertsRaw().name(), alert.getFingerprint(), alert)).get();
    }

    private String awaitIncident(String fingerprint) {
        await().atMost(Duration.ofSeconds(30)).until(() -> rowsOrEmpty("/v1/incidents").stream().anyMatch(i -> fingerprint.equals(i.get("fingerprint"))));
        return rowsOrEmpty("/v1/incidents").stream().filter(i -> fingerprint.equals(i.get("fingerprint"))).findFirst()
                .orElseThrow().get("incidentId").toString();
    }

    private Map<String, Object> incident(String id) throws Exception {
        return json.readValue(get(instances.get(0), "/v1/incidents/" + id).body(), new TypeReference<>() {
        });
    }

    private List<Map<String, Object>> rowsOrEmpty(String path) {
        try {
            return rows(instances.get(0), path);
        } catch (Exception e) {
            return List.of();
        }
    }

    private List<Map<String, Object>> rows(EmbeddedServer instance, String path) throws Exception {
        HttpResponse<String> response = get(instance, path);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return json.readValue(response.body(), ROWS);
    }
}
