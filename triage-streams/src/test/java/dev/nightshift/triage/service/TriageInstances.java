package dev.nightshift.triage.service;

import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Instances of the triage service as deployed (Micronaut, on a free port) for the integration tests, and ways to ask them. */
final class TriageInstances {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TriageInstances() {
    }

    /**
     * The topics of one test's pipeline, under a prefix of their own: those triage reads and writes are created
     * with {@code partitions} partitions (triage creates the rest when it starts).
     */
    static Topics pipelineTopics(KafkaStack stack, String label, int partitions) {
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique(label) + ".");
        stack.createTopics(partitions, names.alertsRaw(), names.remediationOutcomes(), names.ownership(), names.incidents(),
                names.incidentOutcomes(), names.approvalDecisions(), names.incidentResponses(), names.playbookRuns(),
                names.notificationsDeliveries());
        return new Topics(names, RegistryConfig.of(stack.schemaRegistryUrl()));
    }

    /** Starts an instance of {@code applicationId} on the stack's broker and registry, with topics under {@code prefix}. */
    static EmbeddedServer start(KafkaStack stack, String prefix, String applicationId, Map<String, Object> settings) throws IOException {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("kafka.bootstrap.servers", stack.bootstrapServers());
        props.put("schema.registry.url", stack.schemaRegistryUrl());
        props.put("nightshift.topics.prefix", prefix);
        props.put("triage.application-id", applicationId);
        props.put("triage.state-dir", Files.createTempDirectory("triage-it").toString());
        props.put("triage.advertised-host", "127.0.0.1");
        props.putAll(settings);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    static KafkaStreams streams(EmbeddedServer instance) {
        return instance.getApplicationContext().getBean(TriageStreams.class).streams().orElseThrow();
    }

    static HttpResponse<String> get(EmbeddedServer instance, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.getPort() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
