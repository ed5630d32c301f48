package dev.nightshift.triage.service;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.StepStatus;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
 * An incident's timeline and post-mortem draft as a responder asks for them over HTTP: an alert, the runner's run and
 * its steps' outcomes (each with its plan, approver, before and after) on the real broker and registry, and either of
 * two triage instances answering, whichever holds the incident.
 */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentTimelineApiIT {
    private static final Instant TEN = Instant.parse("2026-11-20T10:00:00Z");
    private static final Owner PAYMENTS = Owner.newBuilder().setTeam("payments").setService("orders").build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<EmbeddedServer> instances = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;
    private Topics topics;
    private String incidentId;

    @BeforeAll
    void start(KafkaStack stack) throws Exception {
        topics = TriageInstances.pipelineTopics(stack, "timeline", 4);
        String prefix = topics.names().alertsRaw().substring(0, topics.names().alertsRaw().length() - "alerts.raw".length());
        String applicationId = KafkaStack.unique("timeline-app");
        for (int i = 0; i < 2; i++) {
            instances.add(TriageInstances.start(stack, prefix, applicationId, Map.of("triage.reopen-window", "PT1S",
                    "triage.punctuate-interval", "PT0.2S")));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream().allMatch(i -> streams(i).state() == KafkaStreams.State.RUNNING));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());

        Alert firing = Alerts.firing("fp-orders", "orders throttled").setTeam("payments").setOccurredAt(TEN).setReceivedAt(TEN).build();
        send(topics.alertsRaw(), firing.getFingerprint(), firing);
        incidentId = awaitIncident("fp-orders");
        // the runner's outcomes, written as the steps finished; the later step first, as a slow partition may deliver them
        send(topics.remediationOutcomes(), incidentId, step("r2", 2, "restart consumers", "ecs-restart", at(6), at(8))
                .setPlan("restart the 3 tasks of service orders-consumers").setApprovedBy(List.of("alex@example.com"))
                .setBefore(Map.of("deployment", "d-1")).setAfter(Map.of("deployment", "d-2")).build());
        send(topics.remediationOutcomes(), incidentId, step("r0", 0, "read metrics", "cloudwatch-read", at(0).plusSeconds(20), at(0).plusSeconds(30))
                .setResults(Map.of("throttledRequests", "412")).build());
        send(topics.remediationOutcomes(), incidentId, step("r1", 1, "raise capacity", "dynamodb-scale", at(2), at(3))
                .setPlan("raise write capacity of orders from 100 to 150").setApprovedBy(List.of("sam@example.com"))
                .setBefore(Map.of("writeCapacity", "100")).setAfter(Map.of("writeCapacity", "150")).build());
        send(topics.playbookRuns(), incidentId, PlaybookRun.newBuilder().setIncidentId(incidentId).setPlaybook("dynamodb-throttling").setRun(1)
                .setStatus(RunStatus.COMPLETED).setOwner(PAYMENTS).setCurrentStep(3).setStartedAt(at(0).plusSeconds(10)).setUpdatedAt(at(8))
                .setVersion(6).setSteps(List.of(stepRun(0, "read metrics", "cloudwatch-read"), stepRun(1, "raise capacity", "dynamodb-scale"),
                        stepRun(2, "restart consumers", "ecs-restart"))).build());
        Alert resolved = Alerts.resolved("fp-orders", "orders throttled").setTeam("payments").setOccurredAt(at(20)).setReceivedAt(at(20)).build();
        send(topics.alertsRaw(), resolved.getFingerprint(), resolved);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Map<String, Object>> entries = entriesOrEmpty(instances.get(0));
            return entries.stream().filter(e -> "step".equals(e.get("kind"))).count() == 2
                    && entries.stream().anyMatch(e -> String.valueOf(e.get("text")).contains("resolved"));
        });
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        instances.forEach(EmbeddedServer::close);
    }

    @Test
    void theTimelineListsTheStepsInOrderWithBeforeAndAfterFromEitherInstance() throws Exception {
        for (EmbeddedServer instance : instances) {
            List<Map<String, Object>> entries = entries(instance);

            assertThat(entries).extracting(e -> (String) e.get("at")).isSorted();
            assertThat(entries.get(0)).containsEntry("kind", "alert").containsEntry("at", "2026-11-20T10:00:00Z");
            List<Map<String, Object>> steps = entries.stream().filter(e -> List.of("enrichment", "step").contains(e.get("kind"))).toList();
            assertThat(steps).extracting(e -> e.get("kind")).containsExactly("enrichment", "step", "step");
            assertThat(steps).extracting(e -> e.get("at"))
                    .containsExactly("2026-11-20T10:00:30Z", "2026-11-20T10:03:00Z", "2026-11-20T10:08:00Z");
            assertThat(details(steps.get(0))).containsEntry("results", Map.of("throttledRequests", "412"));
            assertThat(details(steps.get(1))).containsEntry("plan", "raise write capacity of orders from 100 to 150")
                    .containsEntry("approvedBy", List.of("sam@example.com"))
                    .containsEntry("before", Map.of("writeCapacity", "100")).containsEntry("after", Map.of("writeCapacity", "150"));
            assertThat(details(steps.get(2))).containsEntry("plan", "restart the 3 tasks of service orders-consumers")
                    .containsEntry("approvedBy", List.of("alex@example.com"))
                    .containsEntry("before", Map.of("deployment", "d-1")).containsEntry("after", Map.of("deployment", "d-2"));
            assertThat(entries).last().satisfies(e -> assertThat(entries.indexOf(e)).isGreaterThan(entries.indexOf(steps.get(2))));
            assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("kind", "alert").containsEntry("at", "2026-11-20T10:20:00Z"));
        }
    }

    @Test
    void thePostmortemDraftNamesEachStepsPlanAndApproverFromEitherInstance() {
        for (EmbeddedServer instance : instances) {
            HttpResponse<String> draft = get(instance, "/v1/incidents/" + incidentId + "/postmortem");

            assertThat(draft.statusCode()).as(draft.body()).isEqualTo(200);
            assertThat(draft.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/markdown"));
            assertThat(draft.body()).startsWith("# Post-mortem draft: orders throttled\n")
                    .contains("- Owner: team payments\n", "- MTTR: 20 min\n")
                    .containsSubsequence(
                            "### Step 2: raise capacity (dynamodb-scale) - SUCCEEDED\n",
                            "- Plan: raise write capacity of orders from 100 to 150\n- Approved by: sam@example.com\n"
                                    + "- Before: writeCapacity=100\n- After: writeCapacity=150\n",
                            "### Step 3: restart consumers (ecs-restart) - SUCCEEDED\n",
                            "- Plan: restart the 3 tasks of service orders-consumers\n- Approved by: alex@example.com\n"
                                    + "- Before: deployment=d-1\n- After: deployment=d-2\n");
        }
    }

    @Test
    void anUnknownIncidentIsNotFoundOnEitherRoute() {
        for (EmbeddedServer instance : instances) {
            for (String route : List.of("timeline", "postmortem")) {
                HttpResponse<String> answer = get(instance, "/v1/incidents/fp-nobody-mwot5j40/" + route);

                assertThat(answer.statusCode()).as(route + ": " + answer.body()).isEqualTo(404);
                assertThat(answer.body()).as(route).contains("no records of incident fp-nobody-mwot5j40");
                assertThat(answer.headers().firstValue("Content-Type")).as(route).hasValueSatisfying(type ->
                        assertThat(type).startsWith(route.equals("timeline") ? "application/json" : "text/plain"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> entry) {
        return (Map<String, Object>) entry.get("details");
    }

    private static Instant at(int minutes) {
        return TEN.plus(Duration.ofMinutes(minutes));
    }

    private RemediationOutcome.Builder step(String requestId, int index, String name, String action, Instant started, Instant finished) {
        return RemediationOutcome.newBuilder().setRequestId(requestId).setIncidentId(incidentId).setPlaybook("dynamodb-throttling").setStepIndex(index)
                .setStepName(name).setAction(action).setStatus(OutcomeStatus.SUCCEEDED).setDryRun(false)
                .setSummary(name + " succeeded").setOwner(PAYMENTS).setStartedAt(started).setFinishedAt(finished);
    }

    private static StepRun stepRun(int index, String name, String action) {
        return StepRun.newBuilder().setIndex(index).setName(name).setAction(action).setManual(false).setStatus(StepStatus.SUCCEEDED).build();
    }

    private <V extends SpecificRecord> void send(Topic<String, V> topic, String key, V value) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), topic.keySerde().serializer().serialize(topic.name(), key),
                topic.valueSerde().serializer().serialize(topic.name(), value))).get();
    }

    private String awaitIncident(String fingerprint) {
        await().atMost(Duration.ofSeconds(30)).until(() -> incidents().stream().anyMatch(i -> fingerprint.equals(i.get("fingerprint"))));
        return incidents().stream().filter(i -> fingerprint.equals(i.get("fingerprint"))).findFirst().orElseThrow().get("incidentId").toString();
    }

    private List<Map<String, Object>> incidents() {
        try {
            return json.readValue(get(instances.get(0), "/v1/incidents").body(), new TypeReference<>() {
            });
        } catch (Exception e) {
            return List.of();
        }
    }

    private List<Map<String, Object>> entriesOrEmpty(EmbeddedServer instance) {
        try {
            return entries(instance);
        } catch (Exception | AssertionError e) {
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> entries(EmbeddedServer instance) throws Exception {
        HttpResponse<String> response = get(instance, "/v1/incidents/" + incidentId + "/timeline");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) json.readValue(response.body(), Map.class).get("entries");
    }
}
