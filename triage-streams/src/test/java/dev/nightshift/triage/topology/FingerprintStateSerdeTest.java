package dev.nightshift.triage.topology;

import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.Owner;
import dev.nightshift.triage.lifecycle.FingerprintState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintStateSerdeTest {
    private final FingerprintStateSerde serde = new FingerprintStateSerde();

    @Test
    void stateSurvivesTheStoreRoundTrip() {
        Instant t = Instant.parse("2026-11-21T10:00:00Z");
        Incident incident = Incident.newBuilder().setIncidentId("fp-1").setFingerprint("fp").setState(IncidentState.RESOLVED)
                .setSource(AlertSource.DATADOG).setName("n").setOwner(new Owner("t", null, null, null, null)).setLastAlertId("a")
                .setChange("resolved").setOpenedAt(t).setLastSeenAt(t).setResolvedAt(t).setUpdatedAt(t).build();
        FingerprintState state = new FingerprintState(incident, List.of(1L, 2L, 3L), AlertState.RESOLVED, true, true, 2, 42L, 7L, 9L,
                List.of("inc-1:dynamodb-throttling:0"));

        FingerprintState read = serde.deserializer().deserialize("x", serde.serializer().serialize("x", state));

        assertThat(read.incident()).isEqualTo(incident);
        assertThat(read.transitions()).containsExactly(1L, 2L, 3L);
        assertThat(read.lastAlertState()).isEqualTo(AlertState.RESOLVED);
        assertThat(read.outcomeEmitted()).isTrue();
        assertThat(read.playbookRequested()).isTrue();
        assertThat(read.automatedActions()).isEqualTo(2);
        assertThat(read.lastSucceededActionAt()).isEqualTo(42L);
        assertThat(read.lastPublishedAt()).isEqualTo(7L);
        assertThat(read.lastHandledAt()).isEqualTo(9L);
        assertThat(read.countedRequests()).containsExactly("inc-1:dynamodb-throttling:0");
        FingerprintState empty = serde.deserializer().deserialize("x", serde.serializer().serialize("x", new FingerprintState()));
        assertThat(empty.incident()).isNull();
        assertThat(empty.lastSucceededActionAt()).isNull();
    }
}
