package dev.nightshift.triage.service;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TopicReader;
import dev.nightshift.triage.topology.StoreNames;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.nightshift.triage.service.TriageInstances.count;
import static dev.nightshift.triage.service.TriageInstances.get;
import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incident lists when not every instance holds incidents: one partition and a standby replica, so one
 * instance holds the only active task and the other only its standby copy. Both must answer a list with
 * every incident.
 */
@WithKafkaStack
class IncidentQueriesStandbyIT {
    @Test
    void anInstanceHoldingOnlyAStandbyAnswersListsAndIsNotAskedForItsPart(KafkaStack stack) throws Exception {
        Topics topics = TriageInstances.pipelineTopics(stack, "standby", 1);
        TopicNames names = topics.names();
        String prefix = names.prefix();
        String applicationId = KafkaStack.unique("standby-app");
        List<EmbeddedServer> instances = new ArrayList<>();
        try (KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer())) {
            for (int i = 0; i < 2; i++) {
                instances.add(TriageInstances.start(stack, prefix, applicationId, Map.of("triage.standby-replicas", 1)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream()
                    .allMatch(i -> streams(i).state() == KafkaStreams.State.RUNNING) && streams(instances.get(0)).streamsMetadataForStore(StoreNames.INCIDENTS).stream()
                    .anyMatch(m -> m.standbyStateStoreNames().contains(StoreNames.INCIDENTS)));
            List<StreamsMetadata> holders = List.copyOf(streams(instances.get(0)).streamsMetadataForStore(StoreNames.INCIDENTS));
            assertThat(holders).as("one instance holds the active store, the other only its standby").hasSize(2)
                    .filteredOn(m -> m.stateStoreNames().contains(StoreNames.INCIDENTS)).hasSize(1);

            String fingerprint = KafkaStack.unique("fp");
            String team = "search-" + KafkaStack.unique("t").substring(2);
            producer.send(new ProducerRecord<>(topics.alertsRaw().name(), fingerprint,
                    Alerts.firing(fingerprint, "latency high").setTeam(team).build())).get();
            String incidentId;
            try (TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> incidents.values().stream()
                        .anyMatch(i -> i.getFingerprint().equals(fingerprint)));
                incidentId = incidents.values().stream().filter(i -> i.getFingerprint().equals(fingerprint))
                        .findFirst().orElseThrow().getIncidentId();
            }

            for (EmbeddedServer instance : instances) {
                HttpResponse<String> list = get(instance, "/v1/incidents?team=" + team);
                assertThat(list.statusCode()).as("list from %s: %s", instance.getPort(), list.body()).isEqualTo(200);
                assertThat(list.body()).contains("\"incidentId\":\"" + incidentId + "\"");
                assertThat(count(list.body(), "\"incidentId\"")).as("the incident once, not once per copy").isEqualTo(1);
                assertThat(get(instance, "/v1/incidents/" + incidentId).statusCode()).isEqualTo(200);
            }
        } finally {
            instances.forEach(EmbeddedServer::close);
        }
    }
}
