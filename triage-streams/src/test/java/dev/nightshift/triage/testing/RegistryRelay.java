package dev.nightshift.triage.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP relay in front of a real schema registry, on a free loopback port, that a test can take down (it
 * then answers every request with 503, as a registry behind a failing load balancer does) and bring back.
 * Requests are passed on as they came: method, path, query, body and the registry client's headers.
 */
public final class RegistryRelay implements AutoCloseable {
    private static final Set<String> PASSED_HEADERS = Set.of("accept", "content-type", "authorization");
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI registry;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger refused = new AtomicInteger();

    private RegistryRelay(URI registry) throws IOException {
        this.registry = registry;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::relay);
        server.start();
    }

    /** A relay to the registry at {@code url} (the URL the registry's clients use, with its path). */
    public static RegistryRelay to(String url) throws IOException {
        return new RegistryRelay(URI.create(url));
    }

    /** The URL to give a registry client instead of the registry's own: the same path, on the relay's port. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + registry.getRawPath();
    }

    public void down() {
        down.set(true);
    }

    public void up() {
        down.set(false);
    }

    /** How many requests were answered 503 while the relay was down. */
    public int refused() {
        return refused.get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (down.get()) {
                refused.incrementAndGet();
                respond(exchange, 503, "text/plain", "registry unavailable".getBytes(StandardCharsets.UTF_8));
                return;
            }
            URI target = registry.resolve(exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(target).method(exchange.getRequestMethod(),
                    body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (PASSED_HEADERS.contains(name.toLowerCase())) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            respond(exchange, response.statusCode(), response.headers().firstValue("content-type").orElse("application/json"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().put("Content-Type", List.of(contentType));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
