package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;
import dev.nightshift.testkit.FreePorts;
import dev.nightshift.testkit.KafkaStack;
import dev.nightshift.testkit.WithKafkaStack;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager) whose webhook receiver points
 * at the service: an alert fired at Alertmanager's API lands on alerts.raw, normalized, and its
 * resolution follows. Skipped only when the binary is not installed.
 */
@WithKafkaStack
class AlertmanagerWebhookIT {
    static Optional<Path> alertmanagerBinary() {
        return Stream.of("/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager")
                .map(Path::of).filter(Files::isExecutable).findFirst();
    }

    @Test
    void anAlertFiredAtARealAlertmanagerLandsOnAlertsRawAndItsResolutionFollows(KafkaStack stack) throws Exception {
        Optional<Path> binary = alertmanagerBinary();
        assumeThat(binary).as("prometheus-alertmanager is installed (apt-get install prometheus-alertmanager)").isPresent();
        String key = "am-" + UUID.randomUUID();
        try (IngestTestServer ingest = IngestTestServer.start(stack, Map.of(
                "nightshift.ingest.sources.alertmanager.key-sha256", ApiKeys.sha256Hex(key)));
             RunningAlertmanager alertmanager = RunningAlertmanager.start(binary.get(), ingest.port(), key);
             TopicReader<Alert> alerts = ingest.alerts()) {
            String name = "DiskWillFill-" + UUID.randomUUID().toString().substring(0, 8);
            Instant startsAt = Instant.now().minusSeconds(30);

            alertmanager.post(name, startsAt, null);

            Alert firing = await().atMost(Duration.ofSeconds(60)).until(() -> alerts.readNow().stream().map(TopicReader.Read::value)
                    .filter(a -> a.getName().equals(name)).findFirst().orElse(null), a -> a != null);
            assertThat(firing.getSource()).isEqualTo(AlertSource.ALERTMANAGER);
            assertThat(firing.getState()).isEqualTo(AlertState.FIRING);
            assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(firing.getService()).isEqualTo("billing");
            assertThat(firing.getLabels()).containsEntry("alertname", name).containsEntry("instance", "db-3:9100");
            assertThat(firing.getAnnotations()).containsEntry("summary", "disk fills within 4h");
            assertThat(firing.getLink()).isEqualTo("http://prometheus.test:9090/graph?g0.expr=disk");
            assertThat(firing.getSourceId()).as("Alertmanager's own fingerprint").hasSize(16);
            assertThat(firing.getStartsAt()).isEqualTo(startsAt.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

            alertmanager.post(name, startsAt, Instant.now());

            Alert resolved = await().atMost(Duration.ofSeconds(60)).until(() -> alerts.readNow().stream().map(TopicReader.Read::value)
                    .filter(a -> a.getName().equals(name) && a.getState() == AlertState.RESOLVED).findFirst().orElse(null), a -> a != null);
            assertThat(resolved.getFingerprint()).isEqualTo(firing.getFingerprint());
            assertThat(resolved.getEndsAt()).isNotNull();
        }
    }

    /** An Alertmanager child process with a config of its own, on free ports. */
    static final class RunningAlertmanager implements AutoCloseable {
        private final Process process;
        private final Path dir;
        private final int port;
        private final HttpClient http = HttpClient.newHttpClient();

        private RunningAlertmanager(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        static RunningAlertmanager start(Path binary, int ingestPort, String key) throws IOException {
            Path dir = Files.createTempDirectory("alertmanager-it");
            Files.writeString(dir.resolve("alertmanager.yml"), """
                    route:
                      receiver: nightshift
                      group_by: ['alertname', 'instance']
                      group_wait: 0s
                      group_interval: 1s
                      repeat_interval: 1h
                    receivers:
                      - name: nightshift
                        webhook_configs:
                          - url: http://127.0.0.1:%d/v1/alerts/alertmanager
                            send_resolved: true
                            http_config:
                              authorization:
                                type: Bearer
                                credentials: %s
                    """.formatted(ingestPort, key));
            int port = FreePorts.next();
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=",
                    "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
            RunningAlertmanager running = new RunningAlertmanager(process, dir, port);
            try {
                await().atMost(Duration.ofSeconds(30)).until(running::ready);
            } catch (RuntimeException e) {
                running.close();
                throw new IllegalStateException("alertmanager did not start: " + Files.readString(dir.resolve("alertmanager.log")), e);
            }
            return running;
        }

        boolean ready() {
            if (!process.isAlive()) {
                throw new IllegalStateException("alertmanager exited");
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        void post(String name, Instant startsAt, Instant endsAt) throws Exception {
            String alert = """
                    [{"labels":{"alertname":"%s","severity":"critical","service":"billing","instance":"db-3:9100"},
                      "annotations":{"summary":"disk fills within 4h"},
                      "generatorURL":"http://prometheus.test:9090/graph?g0.expr=disk",
                      "startsAt":"%s"%s}]
                    """.formatted(name, startsAt, endsAt == null ? "" : ",\"endsAt\":\"" + endsAt + "\"");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alert)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
