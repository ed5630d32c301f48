package dev.nightshift.workers.runner;

import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Severity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The integration tests' own playbook, {@code orders-throttled}, over three of the workers' real actions: a read
 * ({@code trail}: the table's CloudTrail events), then two changes ({@code concurrency}: the checkout function's
 * reserved concurrency to 50; {@code capacity}: the table's capacity doubled), each with the test's timeout; and the
 * incidents that start it, as triage writes them. Incident {@code n} is about table {@code orders-<n>} and function
 * {@code checkout-<n>}, so that the calls of each step of each run are told apart at the fake.
 */
final class TestPlaybook {
    static final String NAME = "orders-throttled";
    static final List<String> ACTIONS = List.of("cloudtrail-events", "lambda-concurrency", "dynamodb-scale");
    static final List<String> STEPS = List.of("trail", "concurrency", "capacity");
    static final String REGION = "eu-west-1";

    private TestPlaybook() {
    }

    /** Writes the playbooks file, each step with {@code timeout}, and returns its path. */
    static Path write(Path dir, Duration timeout) throws IOException {
        return Files.writeString(dir.resolve("playbooks.yaml"), """
                playbooks:
                  %s:
                    description: The orders API is throttled; see who touched the table, give checkout room, then the table.
                    steps:
                      - name: trail
                        action: cloudtrail-events
                        parameters: {resourceName: "${alert.labels.TableName}", minutes: "30"}
                        timeout: %s
                      - name: concurrency
                        action: lambda-concurrency
                        parameters: {function: "${alert.labels.FunctionName}", reservedConcurrency: "50"}
                        timeout: %s
                        onFailure: escalate
                      - name: capacity
                        action: dynamodb-scale
                        parameters: {table: "${alert.labels.TableName}", factor: "2"}
                        timeout: %s
                        onFailure: escalate
                """.formatted(NAME, timeout, timeout, timeout));
    }

    /** The incident {@code id} about table {@code orders-<resource>} and function {@code checkout-<resource>}, opened now. */
    static Incident incident(String id, String resource) {
        Instant now = Instant.now();
        return Incident.newBuilder().setIncidentId(id).setFingerprint(id.substring(0, id.lastIndexOf('-'))).setState(IncidentState.OPEN)
                .setSource(AlertSource.CLOUDWATCH).setName("orders-" + resource + " ReadThrottleEvents").setSeverity(Severity.HIGH)
                .setCategory("capacity").setOwner(new Owner("payments", "orders", "#payments", "PAY", null))
                .setResource("dynamodb:table/" + table(resource)).setPlaybook(NAME)
                .setLabels(Map.of("TableName", table(resource), "FunctionName", function(resource), "env", "staging"))
                .setAccount("123456789012").setRegion(REGION).setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents")
                .setLastAlertId("alert-" + id).setChange("opened").setVersion(1).setOpenedAt(now).setLastSeenAt(now).setUpdatedAt(now)
                .build();
    }

    static String table(String resource) {
        return "orders-" + resource;
    }

    static String function(String resource) {
        return "checkout-" + resource;
    }
}
