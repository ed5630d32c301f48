package dev.nightshift.serde;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Severity;

import java.time.Instant;
import java.util.Map;

final class Samples {
    private Samples() {
    }

    static Alert alert(String name) {
        Instant now = Instant.parse("2026-11-21T03:00:00Z");
        return Alert.newBuilder()
                .setAlertId("a-" + name)
                .setSource(AlertSource.CLOUDWATCH)
                .setFingerprint("fp-" + name)
                .setState(AlertState.FIRING)
                .setSeverity(Severity.HIGH)
                .setName(name)
                .setTitle("Throttled reads on orders-eu")
                .setResource("dynamodb:table/orders-eu")
                .setLabels(Map.of("TableName", "orders-eu"))
                .setAccount("123456789012")
                .setRegion("eu-west-1")
                .setOccurredAt(now)
                .setReceivedAt(now.plusMillis(250))
                .build();
    }
}
