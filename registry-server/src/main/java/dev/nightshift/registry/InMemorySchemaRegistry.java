package dev.nightshift.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two calls of the Confluent registry API the serde makes (register a schema under a subject,
 * fetch a schema by id), in memory on a free port, so that TopologyTestDriver tests use the
 * project's real serde without starting a registry process. Not a stand-in for the registry in
 * tests of the registry, of compatibility or of an outage: those run against Apicurio ({@link SchemaRegistryServer}).
 */
public final class InMemorySchemaRegistry implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InMemorySchemaRegistry shared;

    private final HttpServer server;
    private final Map<String, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final Map<Integer, String> schemasById = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    private InMemorySchemaRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** One registry per test JVM. */
    public static synchronized InMemorySchemaRegistry shared() {
        if (shared == null) {
            try {
                shared = new InMemorySchemaRegistry();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if ("POST".equals(exchange.getRequestMethod()) && path.startsWith("/subjects/")) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                String schema = body.path("schema").asText();
                int id = idsBySchema.computeIfAbsent(schema, s -> {
                    int n = nextId.getAndIncrement();
                    schemasById.put(n, s);
                    return n;
                });
                reply(exchange, 200, JSON.createObjectNode().put("id", id).toString());
            } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/schemas/ids/")) {
                String schema = schemasById.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
                if (schema == null) {
                    reply(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
                } else {
                    reply(exchange, 200, JSON.createObjectNode().put("schema", schema).toString());
                }
            } else {
                reply(exchange, 404, "{\"error_code\":404,\"message\":\"not supported here\"}");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
