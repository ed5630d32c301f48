package dev.nightshift.ingest;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.RejectedAlert;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The ingest service on a free port, against the real broker and registry, with topics of its
 * own; and a plain HTTP client to call it as a sender would.
 */
final class IngestTestServer implements AutoCloseable {
    final String apiKey = "it-" + UUID.randomUUID();
    final TopicNames names;
    final Topics topics;
    final String bootstrapServers;
    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private IngestTestServer(String bootstrapServers, String registryUrl, TopicNames names, Map<String, Object> extra) {
        this.names = names;
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> properties = new HashMap<>();
        properties.put("micronaut.server.port", -1);
        properties.put("kafka.bootstrap.servers", bootstrapServers);
        properties.put("schema.registry.url", registryUrl);
        properties.put("nightshift.topics.prefix", names.prefix());
        properties.put("nightshift.ingest.api-key", apiKey);
        properties.putAll(extra);
        this.server = ApplicationContext.run(EmbeddedServer.class, properties);
        this.topics = server.getApplicationContext().getBean(PipelineSettings.class).topics();
    }

    /** Starts the service on the shared stack, with its own topics (3 partitions each). */
    static IngestTestServer start(KafkaStack stack, Map<String, Object> extra) {
        TopicNames names = TopicNames.withPrefix(KafkaStack.unique("ingest") + ".");
        stack.createTopics(3, names.alertsRaw(), names.alertsRejected());
        return new IngestTestServer(stack.bootstrapServers(), stack.schemaRegistryUrl(), names, extra);
    }

    /** Starts the service on a broker of the caller's (the caller creates the topics). */
    static IngestTestServer start(String bootstrapServers, String registryUrl, TopicNames names, Map<String, Object> extra) {
        return new IngestTestServer(bootstrapServers, registryUrl, names, extra);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    int port() {
        return server.getPort();
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> postJson(String path, String json, String... headers) {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
    }

    /** A JSON post with this server's key as a bearer token. */
    HttpResponse<String> postAuthorized(String path, String json) {
        return postJson(path, json, "Authorization", "Bearer " + apiKey);
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    TopicReader<Alert> alerts() {
        return new TopicReader<>(bootstrapServers, names.alertsRaw(), topics.alertsRaw().valueSerde().deserializer());
    }

    TopicReader<RejectedAlert> rejected() {
        return new TopicReader<>(bootstrapServers, names.alertsRejected(), topics.alertsRejected().valueSerde().deserializer());
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
