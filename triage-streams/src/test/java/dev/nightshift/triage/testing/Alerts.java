package dev.nightshift.triage.testing;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Alerts as ingest writes them. */
public final class Alerts {
    private Alerts() {
    }

    public static Alert.Builder firing(String fingerprint, String name) {
        return alert(fingerprint, name, AlertState.FIRING);
    }

    public static Alert.Builder resolved(String fingerprint, String name) {
        return alert(fingerprint, name, AlertState.RESOLVED);
    }

    public static Alert.Builder alert(String fingerprint, String name, AlertState state) {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        return Alert.newBuilder()
                .setAlertId(UUID.randomUUID().toString())
                .setSource(AlertSource.GENERIC)
                .setFingerprint(fingerprint)
                .setState(state)
                .setSeverity(Severity.HIGH)
                .setName(name)
                .setLabels(Map.of())
                .setAnnotations(Map.of())
                .setOccurredAt(now)
                .setReceivedAt(now);
    }
}
