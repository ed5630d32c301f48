package dev.nightshift.serde;

import com.sun.net.httpserver.HttpServer;
import dev.nightshift.schema.Alert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's requests on the wire, against a local HTTP server that records them. */
class SchemaRegistryClientTest {
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"id\":7}";

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    @Test
    void sendsBasicAuthAndRegistersUnderTheSubjectOnce() {
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryConfig(url(), "svc:s3cret", true, Duration.ofSeconds(2)));

        assertThat(client.idFor("alerts.raw-value", Alert.getClassSchema())).isEqualTo(7);
        assertThat(client.idFor("alerts.raw-value", Alert.getClassSchema())).isEqualTo(7);

        assertThat(paths).containsExactly("POST /apis/ccompat/v7/subjects/alerts.raw-value/versions");
        assertThat(authorizations).containsExactly("Basic c3ZjOnMzY3JldA==");
    }

    @Test
    void looksUpInsteadOfRegisteringWhenAutoRegisterIsOff() {
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryConfig(url(), null, false, Duration.ofSeconds(2)));

        client.idFor("incidents-value", Alert.getClassSchema());

        assertThat(paths).containsExactly("POST /apis/ccompat/v7/subjects/incidents-value");
        assertThat(authorizations).containsExactly("null");
    }

    @Test
    void refusedCredentialsAreReportedWithoutThem() {
        status = 401;
        answer = "{\"error_code\":401,\"message\":\"Unauthorized\"}";
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryConfig(url(), "svc:s3cret", true, Duration.ofSeconds(2)));

        assertThatThrownBy(() -> client.register("alerts.raw-value", Alert.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAUTHORIZED);
                    assertThat(e.retryable()).isFalse();
                })
                .hasMessageContaining("not authorized")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void serverErrorsAreRetryable() {
        status = 503;
        answer = "{\"error_code\":50301,\"message\":\"busy\"}";
        SchemaRegistryClient client = new SchemaRegistryClient(new RegistryConfig(url(), null, true, Duration.ofSeconds(2)));

        assertThatThrownBy(() -> client.schemaById(3))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void configNeverPrintsTheCredentials() {
        assertThat(new RegistryConfig(url(), "svc:s3cret", true, null).toString()).doesNotContain("s3cret");
        assertThat(new RegistryConfig("http://svc:s3cret@registry.internal:8081/apis/ccompat/v7", null, true, null).toString())
                .doesNotContain("s3cret").contains("http://registry.internal:8081/apis/ccompat/v7");
        assertThatThrownBy(() -> new RegistryConfig("http://svc:s3cret@registry internal/", null, true, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("s3cret");
    }
}
