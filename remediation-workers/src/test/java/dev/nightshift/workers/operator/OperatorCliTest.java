package dev.nightshift.workers.operator;

import dev.nightshift.registry.InMemorySchemaRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line refuses what cannot be right before it connects to anything (the records are OperatorCommandsTest's). */
class OperatorCliTest {
    private static final Map<String, String> ENV = Map.of("SCHEMA_REGISTRY_URL", InMemorySchemaRegistry.shared().url(),
            "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:1");

    @Test
    void aCommandWithoutAPersonOrAnIncidentIsRefusedWithTheUsage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(err, "approve", "fp-orders-1a2b:dynamodb-throttling:1:1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--as PERSON").contains("usage:");

        ByteArrayOutputStream noIncident = new ByteArrayOutputStream();
        assertThat(run(noIncident, "ack", "--as", "sam@example.com")).isEqualTo(2);
        assertThat(noIncident.toString(StandardCharsets.UTF_8)).contains("missing argument").contains("ack INCIDENT_ID --as PERSON");

        ByteArrayOutputStream nobody = new ByteArrayOutputStream();
        assertThat(run(nobody, "ack", "fp-orders-1a2b")).isEqualTo(2);
        assertThat(nobody.toString(StandardCharsets.UTF_8)).contains("--as PERSON");
    }

    private static int run(ByteArrayOutputStream err, String... args) {
        return OperatorCli.run(args, ENV::get, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    }
}
