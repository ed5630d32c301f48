package dev.nightshift.deploy;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The analysts' worked example, docs/examples/mttr_by_team.py, run as a user runs it: incident outcomes with chosen
 * times on the real broker, read back through the registry by Confluent's own Python client, and its MTTR by team
 * (and per week) printed as the times say.
 */
@WithKafkaStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MttrByTeamExampleIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of(System.getProperty("nightshift.home", ".."), "docs", "examples", "mttr_by_team.py");
    private String topic;
    private KafkaStack stack;

    @BeforeAll
    void writeOutcomes(KafkaStack stack) throws Exception {
        assumeThat(Files.isExecutable(PYTHON)).as("Debian's python3 with python3-confluent-kafka").isTrue();
        Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import confluent_kafka.avro, requests").redirectErrorStream(true).start();
        assumeThat(check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0)
                .as("python3-confluent-kafka, python3-avro and python3-requests are installed (.ci/packages.txt)").isTrue();
        this.stack = stack;
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique("mttr-example") + ".");
        topic = names.incidentOutcomes();
        stack.createTopics(2, topic);
        Topic<String, IncidentOutcome> outcomes = new Topics(names, RegistryConfig.of(stack.schemaRegistryUrl())).incidentOutcomes();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            // payments: 20 and 10 minutes in the week of 16 November (2026-W47), 60 minutes the week after
            for (IncidentOutcome outcome : List.of(
                    resolved("fp-a", "payments", "2026-11-16T10:00:00Z", Duration.ofMinutes(20)),
                    resolved("fp-b", "payments", "2026-11-18T09:00:00Z", Duration.ofMinutes(10)),
                    resolved("fp-c", "payments", "2026-11-24T10:00:00Z", Duration.ofMinutes(60)),
                    // search: 45 minutes, and one that expired (no time to resolve)
                    resolved("fp-d", "search", "2026-11-17T03:00:00Z", Duration.ofMinutes(45)),
                    expired("fp-e", "search", "2026-11-19T03:00:00Z"))) {
                producer.send(new ProducerRecord<>(topic, outcomes.keySerde().serializer().serialize(topic, outcome.getIncidentId()),
                        outcomes.valueSerde().serializer().serialize(topic, outcome))).get();
            }
        }
    }

    @Test
    void printsTheMeanTimeToResolveOfEachTeam() throws Exception {
        List<List<String>> rows = run();

        assertThat(rows).containsExactly(
                List.of("team", "incidents", "resolved", "mttr_minutes"),
                List.of("payments", "3", "3", "30.0"),
                List.of("search", "2", "1", "45.0"));
    }

    @Test
    void perWeekSplitsThemByTheWeekTheyOpened() throws Exception {
        List<List<String>> rows = run("--per-week");

        assertThat(rows).containsExactly(
                List.of("team", "week", "incidents", "resolved", "mttr_minutes"),
                List.of("payments", "2026-W47", "2", "2", "15.0"),
                List.of("payments", "2026-W48", "1", "1", "60.0"),
                List.of("search", "2026-W47", "2", "1", "45.0"));
    }

    /** The script's printed rows, each split into its columns; it must exit 0. */
    private List<List<String>> run(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString(), "--bootstrap", stack.bootstrapServers(),
                "--registry", stack.schemaRegistryUrl(), "--topic", topic));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("the script finishes").isTrue();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(printed).isZero();
        return printed.lines().map(line -> List.of(line.trim().split("\\s+"))).toList();
    }

    private static IncidentOutcome resolved(String fingerprint, String team, String opened, Duration toResolve) {
        Instant openedAt = Instant.parse(opened);
        return outcome(fingerprint, team, openedAt).setFinalState(IncidentState.RESOLVED).setClosedReason("resolved at source")
                .setClosedAt(openedAt.plus(toResolve)).setTimeToResolveMillis(toResolve.toMillis()).build();
    }

    private static IncidentOutcome expired(String fingerprint, String team, String opened) {
        Instant openedAt = Instant.parse(opened);
        return outcome(fingerprint, team, openedAt).setFinalState(IncidentState.EXPIRED).setClosedReason("expired: no alert for PT24H")
                .setClosedAt(openedAt.plus(Duration.ofHours(24))).build();
    }

    private static IncidentOutcome.Builder outcome(String fingerprint, String team, Instant openedAt) {
        return IncidentOutcome.newBuilder().setIncidentId(fingerprint + "-" + Long.toString(openedAt.toEpochMilli(), 36))
                .setFingerprint(fingerprint).setSource(AlertSource.CLOUDWATCH).setName(fingerprint + " alarm")
                .setOwner(new Owner(team, null, null, null, null)).setOccurrences(1).setOpenedAt(openedAt);
    }
}
