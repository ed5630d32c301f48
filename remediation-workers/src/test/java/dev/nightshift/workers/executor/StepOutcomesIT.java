package dev.nightshift.workers.executor;

import dev.nightshift.workers.runner.CommittedReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workers service on a real broker and registry, with the fake actions: a dry-run, a read, a check and refusals
 * are each written once (read_committed) in one transaction with their offset, never touching the ledger or changing
 * anything; a live change is on the ledger; a poison record is dead-lettered; the metrics count it all; and readiness
 * waits for the assignment.
 */
@WithKafkaStack
class StepOutcomesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyRequestGetsOneOutcomeWithItsOffsetAndOnlyALiveChangeIsOnTheLedger(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("outcomes") + ".";
        Topics topics = WorkerTopics.create(stack, prefix, 2, FakeActions.SCALE, FakeActions.DESCRIBE, "fake-unknown");
        String group = KafkaStack.unique("workers");
        try (FakeAws aws = new FakeAws();
             EmbeddedServer workers = workers(stack, prefix, group, aws);
             KafkaProducer<String, RemediationRequest> runner = WorkerTopics.requests(stack, topics);
             CommittedReader<RemediationOutcome> outcomes = new CommittedReader<>(stack.bootstrapServers(), topics.remediationOutcomes());
             CommittedReader<StepLedger> ledger = new CommittedReader<>(stack.bootstrapServers(), topics.actionsLedger())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(workers, "/health/readiness") == 200);
            Instant now = Instant.now();
            List<RemediationRequest> requests = List.of(
                    StepRequests.request("r-plan", "inc-1", FakeActions.SCALE, "w-1", now).setDryRun(true).build(),
                    StepRequests.request("r-read", "inc-2", FakeActions.DESCRIBE, "w-2", now).build(),
                    StepRequests.request("r-check", "inc-3", FakeActions.DESCRIBE, "w-3", now).setMode("check").build(),
                    StepRequests.request("r-region", "inc-4", FakeActions.SCALE, "w-4", now).setRegion("eu-west-3").build(),
                    StepRequests.request("r-late", "inc-5", FakeActions.SCALE, "w-5", now.minusSeconds(120)).setTimeoutAt(now.minusSeconds(60)).build(),
                    StepRequests.request("r-unknown", "inc-6", "fake-unknown", "w-6", now).build(),
                    StepRequests.request("r-live", "inc-7", FakeActions.SCALE, "w-7", now).build());
            for (RemediationRequest request : requests) {
                WorkerTopics.send(runner, topics, request);
            }
            try (KafkaProducer<byte[], byte[]> raw = rawProducer(stack)) {
                raw.send(new ProducerRecord<>(topics.actions(FakeActions.SCALE).name(), "inc-8".getBytes(StandardCharsets.UTF_8),
                        "not avro at all".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.values().size() >= requests.size());
            await().atMost(Duration.ofSeconds(30)).until(() -> handledEverything(stack, group, topics));
            // give a straggler (a duplicate) the time of another transaction to show up
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);

            Map<String, String> statuses = outcomes.values().stream().collect(Collectors.toMap(RemediationOutcome::getRequestId,
                    o -> o.getStatus() + (o.getGuardrail() == null ? "" : " " + o.getGuardrail())));
            assertThat(outcomes.values()).as("one outcome per request").hasSize(requests.size());
            assertThat(statuses).isEqualTo(Map.of("r-plan", "PLANNED", "r-read", "SUCCEEDED", "r-check", "SUCCEEDED",
                    "r-region", "REFUSED region", "r-late", "REFUSED deadline", "r-unknown", "REFUSED", "r-live", "SUCCEEDED"));
            assertThat(outcomes.values()).filteredOn(o -> o.getRequestId().equals("r-read")).singleElement()
                    .satisfies(o -> assertThat(o.getResults()).containsEntry("size", "2"));
            assertThat(ledger.values()).as("only the live change is on the ledger")
                    .extracting(e -> e.getRequestId() + " " + e.getState()).containsExactly("r-live STARTED", "r-live FINISHED");
            assertThat(aws.callsPerRequest("/change")).as("nothing else changed anything").isEqualTo(Map.of("r-live", 1L));
            assertThat(aws.callsPerRequest("/read")).isEqualTo(Map.of("r-read", 1L));
            assertThat(aws.callsPerRequest("/check")).isEqualTo(Map.of("r-check", 1L));

            List<ConsumerRecord<byte[], byte[]>> dead = read(stack, topics.actions(FakeActions.SCALE).deadLetterName());
            assertThat(dead).singleElement().satisfies(poison -> {
                assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("not avro at all");
                assertThat(DeadLetters.header(poison.headers(), DeadLetters.TOPIC)).isEqualTo(topics.actions(FakeActions.SCALE).name());
                assertThat(DeadLetters.header(poison.headers(), DeadLetters.ERROR_MESSAGE)).contains("magic byte");
            });

            String metrics = body(workers, "/prometheus");
            assertThat(metrics).contains("nightshift_steps_total{action=\"fake-scale\",mode=\"run\",status=\"REFUSED\"} 2.0")
                    .contains("nightshift_steps_total{action=\"fake-scale\",mode=\"run\",status=\"SUCCEEDED\"} 1.0")
                    .contains("nightshift_steps_total{action=\"fake-describe\",mode=\"check\",status=\"SUCCEEDED\"} 1.0")
                    .contains("nightshift_action_calls_seconds_count{action=\"fake-scale\",mode=\"run\",status=\"SUCCEEDED\"} 1");
        }
    }

    @Test
    void healthIsDownUntilTheConsumerHasJoinedItsGroupAndHasItsAssignment(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("outcomes") + ".";
        Topics topics = WorkerTopics.create(stack, prefix, 2, FakeActions.SCALE);
        String group = KafkaStack.unique("workers");
        // A member that joined the group and stops polling holds the next rebalance until it leaves.
        try (FakeAws aws = new FakeAws();
             KafkaConsumer<byte[], byte[]> idleMember = idleMember(stack, group, topics.actions(FakeActions.SCALE).name())) {
            try (EmbeddedServer workers = workers(stack, prefix, group, aws)) {
                await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(2)).until(() -> {
                    JsonNode loop = JSON.readTree(body(workers, "/health")).path("details").path("workers-actions");
                    return loop.path("status").asText().equals("DOWN") && loop.path("details").path("polling").asBoolean();
                });
                assertThat(status(workers, "/health")).isEqualTo(503);
                assertThat(status(workers, "/health/readiness")).isEqualTo(503);

                idleMember.close();
                await().atMost(Duration.ofSeconds(60)).until(() -> status(workers, "/health") == 200);
                assertThat(JSON.readTree(body(workers, "/health")).path("status").asText()).isEqualTo("UP");
                assertThat(status(workers, "/health/readiness")).isEqualTo(200);
            }
        }
    }

    private static EmbeddedServer workers(KafkaStack stack, String prefix, String group, FakeAws aws) {
        Map<String, Object> properties = new HashMap<>(WorkerTopics.settings(stack, prefix, group, aws));
        properties.put("micronaut.server.port", -1);
        return ApplicationContext.run(EmbeddedServer.class, properties);
    }

    /** The group's committed offset of every action partition is its end: each request was handled, its offset committed. */
    private static boolean handledEverything(KafkaStack stack, String group, Topics topics) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = stack.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String action : List.of(FakeActions.SCALE, FakeActions.DESCRIBE, "fake-unknown")) {
            partitions.add(new TopicPartition(topics.actions(action).name(), 0));
            partitions.add(new TopicPartition(topics.actions(action).name(), 1));
        }
        Map<TopicPartition, OffsetSpec> latest = partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var ends = stack.admin().listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        return partitions.stream().allMatch(p -> ends.get(p).offset() == 0
                || committed.containsKey(p) && committed.get(p).offset() == ends.get(p).offset());
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaStack stack, String topic) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = consumer(stack, KafkaStack.unique("reader"), Map.of())) {
            reader.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
            });
        }
        return records;
    }

    private int status(EmbeddedServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private String body(EmbeddedServer server, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A member of the group that has its assignment and then stops polling (it stays in the group until closed). */
    private static KafkaConsumer<byte[], byte[]> idleMember(KafkaStack stack, String group, String topic) {
        KafkaConsumer<byte[], byte[]> member = consumer(stack, group, Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 120_000));
        member.subscribe(List.of(topic));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            member.poll(Duration.ofMillis(100));
            return !member.assignment().isEmpty();
        });
        return member;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(KafkaStack stack, String group, Map<String, Object> more) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        config.putAll(more);
        return new KafkaConsumer<>(config);
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(KafkaStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }
}
