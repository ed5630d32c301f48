package dev.nightshift.triage.service;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TopicReader;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.nightshift.triage.service.TriageInstances.streams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A team topic deleted while triage runs: the next alert of that team must not hold the stream thread
 * for ever (Streams' exactly-once producer would retry the send without end); the topic is created
 * again and the alert arrives. Short recheck, delivery and session timeouts keep the test quick (the failed
 * transaction costs the stream thread, which is replaced and rejoins the group).
 */
@WithKafkaStack
class TeamTopicDeletedIT {
    @Test
    void aTeamTopicDeletedUnderTheAppIsCreatedAgainAndTheNextAlertArrives(KafkaStack stack) throws Exception {
        Topics topics = TriageInstances.pipelineTopics(stack, "deleted", 2);
        TopicNames names = topics.names();
        String prefix = names.prefix();
        String team = "search";
        try (EmbeddedServer instance = TriageInstances.start(stack, prefix, KafkaStack.unique("deleted-app"), Map.of(
                "triage.team-topic-recheck", "PT2S", "triage.producer-delivery-timeout", "PT8S",
                "triage.streams.producer.request.timeout.ms", "3000", "triage.streams.session.timeout.ms", "10000"));
             KafkaProducer<String, Alert> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     stack.bootstrapServers()), topics.alertsRaw().keySerde().serializer(), topics.alertsRaw().valueSerde().serializer())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> streams(instance).state() == KafkaStreams.State.RUNNING);
            String first = KafkaStack.unique("fp");
            producer.send(new ProducerRecord<>(topics.alertsRaw().name(), first, Alerts.firing(first, "search slow").setTeam(team).build())).get();
            try (TopicReader<String, TriagedAlert> teamTopic = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts(team))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> teamTopic.values().stream()
                        .anyMatch(t -> t.getAlert().getFingerprint().equals(first)));
            }

            stack.admin().deleteTopics(List.of(names.teamAlerts(team))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> gone(stack, names.teamAlerts(team)));

            String second = KafkaStack.unique("fp");
            producer.send(new ProducerRecord<>(topics.alertsRaw().name(), second, Alerts.firing(second, "search slow again")
                    .setTeam(team).build())).get();
            try (TopicReader<String, TriagedAlert> teamTopic = TopicReader.of(stack.bootstrapServers(), topics.teamAlerts(team))) {
                await().atMost(Duration.ofSeconds(90)).until(() -> teamTopic.values().stream()
                        .anyMatch(t -> t.getAlert().getFingerprint().equals(second)));
            }
            assertThat(streams(instance).state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static boolean gone(KafkaStack stack, String topic) throws Exception {
        try {
            stack.admin().describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof UnknownTopicOrPartitionException;
        }
    }
}
