package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.playbook.PlaybookNames;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once through a crash: two instances over four partitions, one killed (SIGKILL, its JVM
 * gone mid-transaction) while alerts flow; a read_committed reader of the outputs must see every
 * incident change and every routed alert exactly once.
 */
@WithKafkaStack
class TriageFailoverIT {
    private static final int FINGERPRINTS = 1500;

    @Test
    void killedInstanceLosesNothingAndDuplicatesNothing(KafkaStack stack, @TempDir Path dir) throws Exception {
        Topics topics = TriageInstances.pipelineTopics(stack, "failover", 4);
        TopicNames names = topics.names();
        String prefix = names.prefix();
        String applicationId = KafkaStack.unique("failover-app");
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", stack.bootstrapServers(),
                "schema.registry.url", stack.schemaRegistryUrl(), "nightshift.topics.prefix", prefix);
        PlaybookNames playbooks = PlaybookNames.load(null);
        Process victim = null;
        try (TriageRuntime survivor = new TriageRuntime(TriageInstanceMain.config(applicationId, dir.resolve("a").toString()),
                PipelineSettings.from(settings::get), ClassificationRules.load(null, playbooks::contains));
             KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                     topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer());
             TopicReader<String, Incident> incidents = TopicReader.of(stack.bootstrapServers(), topics.incidents());
             TopicReader<String, TriagedAlert> routed = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts("unowned"))) {
            victim = new ProcessBuilder(javaBinary(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    TriageInstanceMain.class.getName(), stack.bootstrapServers(), stack.schemaRegistryUrl(), prefix,
                    applicationId, dir.resolve("b").toString())
                    .redirectErrorStream(true).redirectOutput(Path.of("target", "failover-victim.log").toFile()).start();
            survivor.start(null);
            KafkaStreams streams = survivor.streams();
            // once the victim has joined, each instance holds part of the tasks
            await().atMost(Duration.ofSeconds(90)).until(() -> streams.state() == KafkaStreams.State.RUNNING
                    && bothHoldPartitions(stack, applicationId));

            for (int i = 0; i < FINGERPRINTS; i++) {
                Alert alert = Alerts.firing("fp-" + i, "failover check").setAlertId("first-" + i).build();
                producer.send(new ProducerRecord<>(topics.alertsRaw().name(), alert.getFingerprint(), alert));
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> incidents.poll().size() >= 200);
            victim.destroyForcibly().waitFor();
            assertThat(incidents.poll().size()).as("the kill came while alerts were still being triaged").isLessThan(FINGERPRINTS);

            for (int i = 0; i < FINGERPRINTS; i++) {
                Alert alert = Alerts.firing("fp-" + i, "failover check").setAlertId("second-" + i).build();
                producer.send(new ProducerRecord<>(topics.alertsRaw().name(), alert.getFingerprint(), alert));
            }
            producer.flush();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> incidents.poll().size() >= 2 * FINGERPRINTS && routed.poll().size() >= 2 * FINGERPRINTS);
            // give a straggler (a duplicate) the time of another commit to show up
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

            List<ConsumerRecord<String, Incident>> changes = incidents.poll();
            Map<String, Long> perChange = changes.stream().collect(Collectors.groupingBy(
                    r -> r.value().getIncidentId() + "#" + r.value().getVersion(), Collectors.counting()));
            assertThat(changes).hasSize(2 * FINGERPRINTS);
            assertThat(perChange).hasSize(2 * FINGERPRINTS).allSatisfy((change, count) -> assertThat(count).as(change).isEqualTo(1L));
            Map<String, Set<String>> idsPerFingerprint = new HashMap<>();
            changes.forEach(r -> idsPerFingerprint.computeIfAbsent(r.value().getFingerprint(), f -> new HashSet<>())
                    .add(r.value().getIncidentId()));
            assertThat(idsPerFingerprint).hasSize(FINGERPRINTS).allSatisfy((fp, ids) -> assertThat(ids).as(fp).hasSize(1));
            assertThat(changes.stream().filter(r -> r.value().getChange().equals("opened"))).hasSize(FINGERPRINTS);

            List<String> alertIds = routed.poll().stream().map(r -> r.value().getAlert().getAlertId()).toList();
            assertThat(alertIds).hasSize(2 * FINGERPRINTS).doesNotHaveDuplicates();
            assertThat(new ArrayList<>(alertIds.stream().collect(Collectors.toMap(Function.identity(), a -> 1)).keySet()))
                    .hasSize(2 * FINGERPRINTS);
        } finally {
            if (victim != null) {
                victim.destroyForcibly();
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString() + (File.separatorChar == '\\' ? ".exe" : "");
    }

    /** The group has two members and each has partitions assigned: the tasks are shared. */
    private static boolean bothHoldPartitions(KafkaStack stack, String applicationId) throws Exception {
        var members = stack.admin().describeConsumerGroups(List.of(applicationId)).all().get(10, TimeUnit.SECONDS)
                .get(applicationId).members();
        return members.size() == 2 && members.stream().noneMatch(member -> member.assignment().topicPartitions().isEmpty());
    }
}
