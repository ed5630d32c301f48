package dev.nightshift.triage.service;

import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TopicReader;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.nightshift.triage.service.TriageInstances.count;
import static dev.nightshift.triage.service.TriageInstances.get;
import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service as deployed: two instances of one app on the real broker and registry, over HTTP. */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TriageServiceIT {
    private KafkaStack stack;
    private String prefix;
    private Topics topics;
    private final List<EmbeddedServer> instances = new ArrayList<>();
    private KafkaProducer<String, Alert> producer;

    @BeforeAll
    void start(KafkaStack stack) throws Exception {
        this.stack = stack;
        prefix = KafkaStack.unique("triage") + ".";
        TopicNames names = TopicNames.withPrefix(prefix);
        topics = new Topics(names, RegistryConfig.of(stack.schemaRegistryUrl()));
        stack.createTopics(4, names.alertsRaw(), names.remediationOutcomes(), names.ownership(), names.incidents(),
                names.incidentOutcomes(), TopicNames.deadLetter(names.alertsRaw()));
        String applicationId = KafkaStack.unique("triage-app");
        for (int i = 0; i < 2; i++) {
            instances.add(TriageInstances.start(stack, prefix, applicationId, Map.of("triage.team-topic-partitions", 2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> instances.stream()
                .allMatch(i -> streams(i).state() == KafkaStreams.State.RUNNING));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        instances.forEach(EmbeddedServer::close);
    }

    @Test
    void repeatedAndResolvedAlertsBecomeOneIncidentRoutedToItsTeamNamingItsPlaybook() throws Exception {
        String fingerprint = KafkaStack.unique("fp");
        Alert.Builder firing = Alerts.firing(fingerprint, "suspicious client ip").setTeam("payments").setPlaybook("suspicious-ip");
        send(firing.setAlertId("a1").build());
        send(firing.setAlertId("a2").build());
        send(Alerts.resolved(fingerprint, "suspicious client ip").setTeam("payments").setAlertId("a3").build());

        try (TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents());
             TopicReader<String, TriagedAlert> team = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("payments"))) {
            // the repeat a moment later is coalesced on incidents (repeat-publish-interval), not on the team topic
            await().atMost(Duration.ofSeconds(30)).until(() -> ofFingerprint(incidents.values(), fingerprint).size() == 2);
            List<Incident> changes = ofFingerprint(incidents.values(), fingerprint);
            assertThat(changes).extracting(Incident::getChange).containsExactly("opened", "resolved");
            assertThat(changes.get(1).getOccurrences()).isEqualTo(2);
            assertThat(changes).extracting(Incident::getIncidentId).containsOnly(changes.get(0).getIncidentId());
            assertThat(changes).extracting(Incident::getPlaybook).containsOnly("suspicious-ip");
            String incidentId = changes.get(0).getIncidentId();

            await().atMost(Duration.ofSeconds(30)).until(() -> team.poll().stream()
                    .filter(r -> r.key().equals(incidentId)).count() == 3);
        }
        assertThat(partitionsOf(topics.teamAlerts("payments").name())).as("a team topic created on the first alert routed to it")
                .isEqualTo(2);
        assertThat(partitionsOf(TopicNames.deadLetter(topics.names().approvalDecisions()))).as("other topics it creates: as alerts.raw")
                .isEqualTo(4);
    }

    @Test
    void anAcknowledgementOnIncidentResponsesAcknowledgesTheIncidentSayingWho() throws Exception {
        String fingerprint = KafkaStack.unique("fp");
        send(Alerts.firing(fingerprint, "orders database CPU high").setTeam("payments").setAlertId("b1").build());
        try (TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents());
             KafkaProducer<byte[], byte[]> responses = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ofFingerprint(incidents.values(), fingerprint).size() == 1);
            String incidentId = ofFingerprint(incidents.values(), fingerprint).get(0).getIncidentId();
            Instant pressed = Instant.now();

            responses.send(new OperatorCommands(topics).acknowledge(incidentId, "U0AAA1", List.of("sam@example.com"), "slack", pressed)).get();

            await().atMost(Duration.ofSeconds(30)).until(() -> ofFingerprint(incidents.values(), fingerprint).size() == 2);
            Incident acknowledged = ofFingerprint(incidents.values(), fingerprint).get(1);
            assertThat(acknowledged.getChange()).isEqualTo("acknowledged");
            assertThat(acknowledged.getState()).isEqualTo(dev.nightshift.schema.IncidentState.ACKNOWLEDGED);
            assertThat(acknowledged.getAcknowledgedBy()).isEqualTo("U0AAA1");
            assertThat(acknowledged.getAcknowledgedAt()).isEqualTo(pressed.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        }
    }

    @Test
    void aStoppedInstanceLeavesItsGroupSoThatItsPartitionsMoveAtOnce() throws Exception {
        String applicationId = KafkaStack.unique("triage-leaving");
        EmbeddedServer instance = TriageInstances.start(stack, prefix, applicationId, Map.of());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> streams(instance).state() == KafkaStreams.State.RUNNING);
            assertThat(members(admin, applicationId)).as("members while it runs").isEqualTo(1);
            instance.close();
            // Had it not left, the broker would keep it a member, and its partitions unassigned, for the 45 s session timeout.
            await().atMost(Duration.ofSeconds(10)).until(() -> members(admin, applicationId) == 0);
        } finally {
            if (instance.isRunning()) {
                instance.close();
            }
        }
    }

    private static int members(Admin admin, String groupId) throws Exception {
        return admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get().members().size();
    }

    @Test
    void garbageOnAlertsRawLandsOnTheDeadLetterTopicWhileValidAlertsKeepFlowing() throws Exception {
        byte[] garbage = "{\"this is\": \"not avro\"}".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.alertsRaw().name(), "garbage".getBytes(StandardCharsets.UTF_8), garbage)).get();
        }
        String fingerprint = KafkaStack.unique("fp");
        send(Alerts.firing(fingerprint, "after the garbage").build());

        try (TopicReader<byte[], byte[]> deadLetters = new TopicReader<>(stack.bootstrapServers(),
                topics.alertsRaw().deadLetterName(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
             TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters.poll().isEmpty());
            ConsumerRecord<byte[], byte[]> dead = deadLetters.poll().get(0);
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.TOPIC)).isEqualTo(topics.alertsRaw().name());
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.OFFSET)).matches("\\d+");
            assertThat(DeadLetters.header(dead.headers(), DeadLetters.ERROR_MESSAGE)).contains("magic byte");
            await().atMost(Duration.ofSeconds(30)).until(() -> ofFingerprint(incidents.values(), fingerprint).size() == 1);
        }
    }

    @Test
    void anyInstanceAnswersForAnIncidentAndListsThoseOfAllInstances() throws Exception {
        String team = "search-" + KafkaStack.unique("t").substring(2);
        Set<String> fingerprints = new java.util.HashSet<>();
        for (int i = 0; i < 16; i++) {
            String fingerprint = KafkaStack.unique("fp");
            fingerprints.add(fingerprint);
            send(Alerts.firing(fingerprint, "latency high").setTeam(team).build());
        }
        List<String> ids;
        try (TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> incidents.values().stream()
                    .filter(i -> fingerprints.contains(i.getFingerprint())).count() == 16);
            ids = incidents.values().stream().filter(i -> fingerprints.contains(i.getFingerprint()))
                    .map(Incident::getIncidentId).toList();
        }
        for (EmbeddedServer instance : instances) {
            for (String id : ids) {
                HttpResponse<String> response = get(instance, "/v1/incidents/" + id);
                assertThat(response.statusCode()).as("GET %s from %s", id, instance.getPort()).isEqualTo(200);
                assertThat(response.body()).contains("\"incidentId\":\"" + id + "\"").contains("\"state\":\"OPEN\"");
            }
            HttpResponse<String> list = get(instance, "/v1/incidents?team=" + team + "&state=open");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(ids).allSatisfy(id -> assertThat(list.body()).contains(id));
        }
        assertThat(get(instances.get(0), "/v1/incidents/no-such-incident-1").statusCode()).isEqualTo(404);
        // the team as a person may write it finds what triage filed under its topic-name form
        HttpResponse<String> asWritten = get(instances.get(1), "/v1/incidents?team=" + team.toUpperCase(java.util.Locale.ROOT) + "&state=OPEN");
        assertThat(asWritten.statusCode()).isEqualTo(200);
        assertThat(ids).allSatisfy(id -> assertThat(asWritten.body()).contains(id));
        HttpResponse<String> badState = get(instances.get(0), "/v1/incidents?state=bogus");
        assertThat(badState.statusCode()).isEqualTo(400);
        assertThat(badState.body()).contains("unknown state 'bogus'").contains("OPEN").contains("EXPIRED");
        Set<Integer> localCounts = instances.stream()
                .map(i -> count(get(i, "/v1/incidents?local=true&team=" + team).body(), "\"incidentId\""))
                .collect(Collectors.toSet());
        assertThat(localCounts).as("each instance holds part of them").doesNotContain(16);
    }

    @Test
    void ownershipFileAppliedWhileAlertsFlowReroutesTheNextAlert(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String fingerprint = KafkaStack.unique("fp");
        String service = KafkaStack.unique("checkout");
        Alert alert = Alerts.firing(fingerprint, "checkout errors").setLabels(Map.of("service", service)).build();
        send(alert);
        java.nio.file.Path file = dir.resolve("ownership.yaml");
        Files.writeString(file, """
                services:
                  - name: %s
                    team: storefront
                    slack: "#storefront-oncall"
                    jira: STORE
                    resources: ["label:service=%s"]
                  - name: legacy-%s
                    team: archive
                """.formatted(service, service, service));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(), "NIGHTSHIFT_TOPICS_PREFIX", topics.names().prefix(),
                "TRIAGE_TEAM_TOPIC_PARTITIONS", "3");
        int status = dev.nightshift.triage.cli.OwnershipCli.run(new String[]{"apply", file.toString()}, env::get,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("+ " + service + ": team storefront").contains("2 added");
        assertThat(partitionsOf(topics.names().teamAlerts("archive"))).as("a team topic the file's apply created").isEqualTo(3);

        try (TopicReader<String, TriagedAlert> storefront = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("storefront"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                send(Alerts.firing(fingerprint, "checkout errors").setLabels(Map.of("service", service)).build());
                return storefront.values().stream().anyMatch(t -> t.getAlert().getFingerprint().equals(fingerprint));
            });
            TriagedAlert routed = storefront.values().stream().filter(t -> t.getAlert().getFingerprint().equals(fingerprint))
                    .findFirst().orElseThrow();
            assertThat(routed.getOwner().getService()).isEqualTo(service);
            assertThat(routed.getOwner().getSlackChannel()).isEqualTo("#storefront-oncall");
        }

        Files.writeString(file, """
                services:
                  - name: %s
                    team: billing
                    resources: ["label:service=%s", "dynamo:orders-%s-*"]
                """.formatted(service, service, service));
        out.reset();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        status = dev.nightshift.triage.cli.OwnershipCli.run(new String[]{"apply", file.toString()}, env::get,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as("a likely mistaken pattern is applied all the same, with a warning").isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("warning: service '" + service + "': resource pattern 'dynamo:orders-"
                + service + "-*'").contains("did you mean 'dynamodb:orders-" + service + "-*'?");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("~ " + service + ": team storefront -> billing;")
                .contains("- legacy-" + service + ": removed (tombstone)");
    }

    @Test
    void anUnreadableRecordOnTheOwnershipTopicIsSkippedAndTheNextOwnershipChangeStillApplies(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String broken = KafkaStack.unique("broken");
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(topics.ownership().name(), broken.getBytes(StandardCharsets.UTF_8),
                    "not an ownership entry".getBytes(StandardCharsets.UTF_8))).get();
        }
        String service = KafkaStack.unique("search");
        java.nio.file.Path file = dir.resolve("ownership.yaml");
        Files.writeString(file, """
                services:
                  - name: %s
                    team: discovery
                    resources: ["label:service=%s"]
                """.formatted(service, service));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(), "NIGHTSHIFT_TOPICS_PREFIX", topics.names().prefix());
        int status = dev.nightshift.triage.cli.OwnershipCli.run(new String[]{"apply", file.toString()}, env::get,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).as("the file is the whole truth: the unreadable record is removed")
                .contains("+ " + service + ": team discovery")
                .contains("- " + broken + ": removed (tombstone); its record could not be read: ")
                .contains("magic byte");

        String fingerprint = KafkaStack.unique("fp");
        try (TopicReader<String, TriagedAlert> discovery = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("discovery"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                send(Alerts.firing(fingerprint, "search latency").setLabels(Map.of("service", service)).build());
                return discovery.values().stream().anyMatch(t -> t.getAlert().getFingerprint().equals(fingerprint));
            });
        }
        assertThat(instances).allSatisfy(instance -> assertThat(streams(instance).state()).isEqualTo(KafkaStreams.State.RUNNING));
    }

    @Test
    void ownershipApplyCreatesTeamTopicsWithTheConfiguredReplicationAndPublishesNothingWhenItCannot() throws Exception {
        String service = "ledger-" + System.nanoTime();
        java.nio.file.Path file = Files.createTempFile("ownership", ".yaml");
        Files.writeString(file, """
                services:
                  - name: %s
                    team: %s
                """.formatted(service, service));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        // one broker: two replicas cannot be placed, so the broker refuses the topic
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(), "NIGHTSHIFT_TOPICS_PREFIX", topics.names().prefix(),
                "TRIAGE_REPLICATION_FACTOR", "2");
        int status = dev.nightshift.triage.cli.OwnershipCli.run(new String[]{"apply", file.toString()}, env::get,
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ownership apply failed: cannot create topic "
                + topics.names().teamAlerts(service)).containsIgnoringCase("replication factor");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(dev.nightshift.triage.cli.OwnershipCli.readCurrent(dev.nightshift.kafka.PipelineSettings.from(
                Map.of("kafka.bootstrap.servers", stack.bootstrapServers(), "schema.registry.url", stack.schemaRegistryUrl(),
                        "nightshift.topics.prefix", topics.names().prefix())::get), topics.ownership())).doesNotContainKey(service);
    }

    @Test
    void healthShowsTheStreamsAppRunning() {
        for (EmbeddedServer instance : instances) {
            HttpResponse<String> health = get(instance, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("triageStreams").contains("RUNNING");
            assertThat(get(instance, "/health/readiness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anInstanceIsReadyOnlyWhileItsStreamsAppRuns() throws Exception {
        try (EmbeddedServer instance = TriageInstances.start(stack, prefix, KafkaStack.unique("triage-ready"), Map.of())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> get(instance, "/health").statusCode() == 200);
            assertThat(streams(instance).state()).isEqualTo(KafkaStreams.State.RUNNING);

            streams(instance).close(Duration.ofSeconds(30));

            HttpResponse<String> health = get(instance, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("NOT_RUNNING");
            assertThat(get(instance, "/health/readiness").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void metricsShowTheStreamsAppAndItsConsumerLag() {
        HttpResponse<String> metrics = get(instances.get(0), "/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("kafka_stream_thread_process_total").contains("kafka_consumer_fetch_manager_records_lag_max");
    }

    private int partitionsOf(String topic) throws Exception {
        return stack.admin().describeTopics(List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                .get(topic).partitions().size();
    }

    private void send(Alert alert) throws Exception {
        producer.send(new ProducerRecord<>(topics.alertsRaw().name(), null, Instant.now().toEpochMilli(), alert.getFingerprint(), alert)).get();
    }

    private static List<Incident> ofFingerprint(List<Incident> incidents, String fingerprint) {
        return incidents.stream().filter(i -> i.getFingerprint().equals(fingerprint)).toList();
    }
}
