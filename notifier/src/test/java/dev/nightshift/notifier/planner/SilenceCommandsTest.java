package dev.nightshift.notifier.planner;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.Silence;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SilenceCommandsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private final Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
    private final SilenceCommands commands = new SilenceCommands(topics);

    private Silence read(ProducerRecord<byte[], byte[]> record) {
        return topics.notificationsSilences().valueSerde().deserializer().deserialize(record.topic(), record.value());
    }

    @Test
    void aSilenceOfAServiceIsKeyedByTeamAndServiceAndSaysWhoUntilWhenAndWhy() {
        ProducerRecord<byte[], byte[]> record = commands.silence("payments", "orders", null, SilenceCommands.end("PT2H", null, NOW),
                "sam@example.com", "cli", "database migration", NOW);

        assertThat(record.topic()).isEqualTo("notifications.silences");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("payments|service:orders");
        Silence silence = read(record);
        assertThat(silence.getTeam()).isEqualTo("payments");
        assertThat(silence.getService()).isEqualTo("orders");
        assertThat(silence.getAlertName()).isNull();
        assertThat(silence.getUntil()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        assertThat(silence.getBy()).isEqualTo("sam@example.com");
        assertThat(silence.getChannel()).isEqualTo("cli");
        assertThat(silence.getReason()).isEqualTo("database migration");
    }

    @Test
    void aLiftedSilenceOfAnAlertEndsNowAndSaysWhoLiftedIt() {
        ProducerRecord<byte[], byte[]> record = commands.lift("payments", null, "orders-read-throttle", "U0AAA1", "cli", NOW);

        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("payments|alert:orders-read-throttle");
        Silence lifted = read(record);
        assertThat(lifted.getUntil()).isEqualTo(NOW);
        assertThat(lifted.getBy()).isEqualTo("U0AAA1");
        assertThat(Silences.holding(PlannerDriver.incident("inc-1", NOW).build(), NOW.toEpochMilli(), key -> lifted)).isEmpty();
    }

    @Test
    void aSilenceThatCannotBeRightIsRefusedBeforeAnythingIsWritten() {
        assertThatThrownBy(() -> commands.silence("payments", "orders", "orders-read-throttle", NOW.plusSeconds(60), "sam@example.com", "cli", null, NOW))
                .hasMessageContaining("one of them");
        assertThatThrownBy(() -> commands.silence("payments", null, null, NOW.plusSeconds(60), "sam@example.com", "cli", null, NOW))
                .hasMessageContaining("--service S");
        assertThatThrownBy(() -> commands.silence(" ", "orders", null, NOW.plusSeconds(60), "sam@example.com", "cli", null, NOW))
                .hasMessageContaining("--team");
        assertThatThrownBy(() -> commands.silence("payments", "orders", null, NOW.plusSeconds(60), null, "cli", null, NOW))
                .hasMessageContaining("--as PERSON");
        assertThatThrownBy(() -> commands.silence("payments", "orders", null, NOW.minusSeconds(1), "sam@example.com", "cli", null, NOW))
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> SilenceCommands.end("2 hours", null, NOW)).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> SilenceCommands.end("PT2H", "2026-12-06T18:00:00Z", NOW)).hasMessageContaining("one of them");
        assertThat(SilenceCommands.end(null, "2026-12-06T18:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-06T18:00:00Z"));

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = SilenceCli.run(new String[]{"--team", "payments", "--service", "orders", "--for", "PT2H"},
                Map.of("SCHEMA_REGISTRY_URL", InMemorySchemaRegistry.shared().url())::get, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--as PERSON").contains("usage:");
    }
}
