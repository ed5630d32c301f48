package dev.nightshift.deploy;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What {@code ./pipeline demo} shows: a few sample alerts sent to the ingest API, and, as they
 * happen, the incidents, the records the owning team receives, the remediation outcomes and the
 * notifications, each decoded through the schema registry.
 */
final class Demo implements AutoCloseable {
    static final List<String> SAMPLES = List.of(
            """
            {"name":"orders-eu-read-throttle","state":"firing","severity":"high","service":"orders","team":"payments",
             "summary":"DynamoDB table orders-eu is throttling reads","resource":"dynamodb:table/orders-eu",
             "labels":{"TableName":"orders-eu","env":"prod"},"playbook":"dynamodb-throttling"}""",
            """
            {"name":"orders-eu-read-throttle","state":"firing","severity":"high","service":"orders","team":"payments",
             "summary":"DynamoDB table orders-eu is throttling reads","resource":"dynamodb:table/orders-eu",
             "labels":{"TableName":"orders-eu","env":"prod"},"playbook":"dynamodb-throttling"}""",
            """
            [{"name":"checkout-5xx-rate","state":"firing","severity":"critical","service":"checkout","team":"web",
              "summary":"5xx rate above 5% on checkout","resource":"alb:app/checkout-prod","labels":{"env":"prod"}}]""",
            """
            {"name":"orders-eu-read-throttle","state":"resolved","service":"orders","team":"payments",
             "resource":"dynamodb:table/orders-eu","labels":{"TableName":"orders-eu","env":"prod"}}""");

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RegistryAvroDeserializer<SpecificRecord> deserializer;
    private final PrintStream out;
    private final Thread thread;
    private final long since = System.currentTimeMillis();
    private final Map<TopicPartition, Long> printed = new HashMap<>();
    private volatile boolean running = true;

    Demo(LocalStack stack, TopicNames names, PrintStream out) {
        this.out = out;
        Map<String, Object> config = KafkaSettings.of(stack.config().bootstrapServers())
                .consumer("nightshift-demo-" + System.nanoTime(), "nightshift-demo");
        // Team topics appear while the demo runs: read them from their start, and skip what earlier runs wrote.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(config);
        this.deserializer = new RegistryAvroDeserializer<>(
                SchemaRegistryClient.shared(RegistryConfig.of(stack.config().registryUrl())), null);
        Pattern watched = Pattern.compile(Pattern.quote(names.incidents()) + "|" + Pattern.quote(names.remediationOutcomes())
                + "|" + names.teamAlertsPattern().pattern());
        consumer.subscribe(watched);
        this.thread = new Thread(this::tail, "demo-tail");
    }

    void start() {
        thread.start();
    }

    /** Waits until the tail has its partitions, so no sample's records are missed. */
    void awaitAssignment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !assigned) {
            Thread.sleep(100);
        }
    }

    private volatile boolean assigned;

    private void tail() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // A new team topic rebalances the group and, with nothing committed, rewinds it: print each offset once.
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() <= printed.getOrDefault(partition, -1L)) {
                        continue;
                    }
                    printed.put(partition, record.offset());
                    if (record.timestamp() >= since) {
                        print(record);
                    }
                }
                if (!consumer.assignment().isEmpty()) {
                    assigned = true;
                }
            }
        } catch (WakeupException stopping) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void print(ConsumerRecord<byte[], byte[]> record) {
        SpecificRecord value;
        try {
            value = deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            out.println("[" + record.topic() + "] undecodable record: " + e.getMessage());
            return;
        }
        if (value instanceof Incident incident) {
            out.printf("[incident]  %s %-8s %-9s %s team=%s occurrences=%d%s%n", incident.getIncidentId(), incident.getState(),
                    incident.getChange(), incident.getName(), incident.getOwner().getTeam(), incident.getOccurrences(),
                    incident.getFlapping() ? " FLAPPING" : "");
        } else if (value instanceof TriagedAlert triaged) {
            out.printf("[%s]  %s %s %s category=%s severity=%s playbook=%s%n", record.topic(), triaged.getIncidentId(),
                    triaged.getAlert().getState(), triaged.getAlert().getName(), triaged.getCategory(), triaged.getSeverity(),
                    triaged.getPlaybook());
        } else if (value instanceof RemediationOutcome outcome) {
            out.printf("[outcome]   %s step %d %s %s: %s%n", outcome.getIncidentId(), outcome.getStepIndex() + 1,
                    outcome.getAction(), outcome.getStatus(), outcome.getSummary());
        } else if (value != null) {
            out.println("[" + record.topic() + "] " + value);
        }
    }

    /** Posts the sample alerts and prints what ingest answered. */
    static void sendSamples(LocalStack stack, PrintStream out) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String sample : SAMPLES) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(stack.url(Service.INGEST) + "/v1/alerts"))
                    .header("Authorization", "Bearer " + stack.apiKey())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(sample)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String compact = sample.replaceAll("\\s+", " ").trim();
            out.printf("[ingest]    POST /v1/alerts %s -> %d %s%n", compact.length() > 90 ? compact.substring(0, 90) + "..." : compact,
                    response.statusCode(), response.body());
            Thread.sleep(1500);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
