package dev.nightshift.deploy;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Severity;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./pipeline backtest} on the real broker and registry: alerts on alerts.raw, the ownership on its topic, a
 * changed rules file and ownership file; the printed diff names the incidents that would move, leaves out the alerts
 * older than --since and the record that is no alert, and no topic gains a record.
 */
@WithKafkaStack
class BacktestIT {
    @TempDir
    Path dir;

    @Test
    void aChangedRuleFilePrintsTheIncidentsItWouldMoveAndWritesNothing(KafkaStack stack) throws Exception {
        String prefix = KafkaStack.unique("backtest") + ".";
        TopicNames names = TopicNames.withPrefix(prefix);
        stack.createTopics(3, names.alertsRaw());
        stack.createTopics(1, names.ownership());
        Topics topics = new Topics(names, RegistryConfig.of(stack.schemaRegistryUrl()));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            Ownership orders = Ownership.newBuilder().setService("orders").setTeam("payments").setUpdatedAt(now).build();
            producer.send(new ProducerRecord<>(names.ownership(), topics.ownership().keySerde().serializer().serialize(names.ownership(), "orders"),
                    topics.ownership().valueSerde().serializer().serialize(names.ownership(), orders))).get();
            // three days old: before --since 24h
            send(producer, topics, alert("fp-old", "payments Lambda throttles", AlertState.FIRING, "payments", now.minus(Duration.ofDays(3))));
            send(producer, topics, alert("fp-orders", "orders DynamoDB read throttling", AlertState.FIRING, "orders", now.minus(Duration.ofHours(2))));
            send(producer, topics, alert("fp-orders", "orders DynamoDB read throttling", AlertState.RESOLVED, "orders",
                    now.minus(Duration.ofHours(2)).plusSeconds(600)));
            send(producer, topics, alert("fp-checkout", "checkout Lambda throttles", AlertState.FIRING, "checkout", now.minus(Duration.ofHours(1))));
            producer.send(new ProducerRecord<>(names.alertsRaw(), null, now.toEpochMilli(), "fp-junk".getBytes(StandardCharsets.UTF_8),
                    "not an alert".getBytes(StandardCharsets.UTF_8))).get();
        }
        // the bundled rules: Lambda throttles are capacity, MEDIUM, playbook lambda-throttles; the proposal makes them
        // compute and CRITICAL with no playbook, and gives the orders service to the storage team
        String rules = Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: dynamodb-throttling-by-name
                    match: {nameRegex: "(?i).*dynamo.*throttl.*"}
                    set: {category: capacity, severity: HIGH, playbook: dynamodb-throttling}
                  - name: lambda-throttles-are-code
                    match: {nameRegex: "(?i).*lambda.*throttl.*"}
                    set: {category: compute, severity: CRITICAL}
                """).toString();
        String ownership = Files.writeString(dir.resolve("owners.yaml"), """
                services:
                  - name: orders
                    team: storage
                """).toString();
        Map<TopicPartition, Long> before = endOffsets(stack);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> env = Map.of("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers(), "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "NIGHTSHIFT_TOPICS_PREFIX", prefix);
        int status = Backtest.run(new String[] {"--rules", rules, "--ownership", ownership, "--since", "24h"}, env::get,
                Clock.fixed(now, ZoneOffset.UTC),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);

        assertThat(status).as(printed + err).isZero();
        String checkout = "fp-checkout-" + Long.toString(now.minus(Duration.ofHours(1)).toEpochMilli(), 36);
        String orders = "fp-orders-" + Long.toString(now.minus(Duration.ofHours(2)).toEpochMilli(), 36);
        assertThat(printed.lines()).contains(
                "current:  rules classpath:triage/rules.yaml, playbooks classpath:nightshift/playbooks.yaml, ownership: 1 services on "
                        + names.ownership(),
                "alerts:   3 on " + names.alertsRaw() + " since " + now.minus(Duration.ofHours(24)),
                "2 of 2 incidents would change:",
                "  " + orders + " (fingerprint fp-orders): team payments -> storage",
                "  " + checkout + " (fingerprint fp-checkout): category capacity -> compute, severity MEDIUM -> CRITICAL, "
                        + "playbook lambda-throttles -> none",
                "backtest: 3 alerts, 2 incidents; 2 rules match a different number of alerts; 2 incidents would change (category 1, severity 1, team 1, playbook 1)");
        assertThat(printed).contains("e.g. alert \"checkout Lambda throttles\" (fp-checkout-alert, firing at ")
                .containsPattern("\ndynamodb-throttling-by-name +2 +2\n").containsPattern("\nlambda-throttles-by-name +1 +0  removed rule\n")
                .containsPattern("\nlambda-throttles-are-code +0 +1  new rule\n")
                .containsPattern("skipped:  " + names.alertsRaw().replace(".", "\\.") + " \\d@\\d+: .*")
                .doesNotContain("fp-old", "payments Lambda throttles");
        assertThat(endOffsets(stack)).as("no topic gained a record").isEqualTo(before);
    }

    private static Alert alert(String fingerprint, String name, AlertState state, String service, Instant at) {
        return Alert.newBuilder().setAlertId(fingerprint + "-alert").setSource(AlertSource.GENERIC).setFingerprint(fingerprint)
                .setState(state).setSeverity(Severity.HIGH).setName(name).setService(service).setLabels(Map.of())
                .setAnnotations(Map.of()).setOccurredAt(at).setReceivedAt(at).build();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Topics topics, Alert alert) throws Exception {
        String topic = topics.alertsRaw().name();
        producer.send(new ProducerRecord<>(topic, null, alert.getReceivedAt().toEpochMilli(),
                topics.alertsRaw().keySerde().serializer().serialize(topic, alert.getFingerprint()),
                topics.alertsRaw().valueSerde().serializer().serialize(topic, alert))).get();
    }

    /** The end offset of every partition of every topic on the broker, the internal ones included. */
    private static Map<TopicPartition, Long> endOffsets(KafkaStack stack) throws Exception {
        Set<String> names = stack.admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        stack.admin().describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        return stack.admin().listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
}
