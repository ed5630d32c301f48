package dev.nightshift.triage.bench;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Severity;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.FingerprintState;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.playbook.Playbooks;
import dev.nightshift.triage.topology.FingerprintStateSerde;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * How long the fingerprint store's serde takes to read and to write one state (not a test; run by
 * {@code triage-streams/bench/run.sh state-serde}). The states are those the lifecycle makes for the
 * triage benchmark's alerts, one per fingerprint, read in turn as the stream thread reads them (more than
 * fit in the CPU's own caches). Prints each round and the median of the rounds; the first rounds warm
 * the JIT. Settings: bench.fingerprints (20000), bench.rounds (15).
 */
public final class StateSerdeBenchmark {
    public static void main(String[] args) {
        int fingerprints = Integer.getInteger("bench.fingerprints", 20_000);
        int rounds = Integer.getInteger("bench.rounds", 15);
        Playbooks playbooks = Playbooks.load(null);
        ClassificationRules rules = ClassificationRules.load(null, playbooks::contains);
        IncidentLifecycle lifecycle = new IncidentLifecycle(LifecycleSettings.defaults(), playbooks);
        FingerprintStateSerde serde = new FingerprintStateSerde();
        Serializer<FingerprintState> serializer = serde.serializer();
        Deserializer<FingerprintState> deserializer = serde.deserializer();
        long t0 = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();
        byte[][] stored = new byte[fingerprints][];
        for (int i = 0; i < fingerprints; i++) {
            Alert alert = Alert.newBuilder().setAlertId("bench-" + i + "-" + System.nanoTime()).setSource(AlertSource.CLOUDWATCH)
                    .setFingerprint("bench-fp-" + i).setState(AlertState.FIRING).setSeverity(Severity.HIGH)
                    .setName("orders-" + i + " ReadThrottleEvents").setTitle("DynamoDB table throttled")
                    .setResource("dynamodb:orders-" + i).setLabels(Map.of("TableName", "orders-" + i, "env", "prod"))
                    .setAccount("123456789012").setRegion("eu-west-1").setMetricNamespace("AWS/DynamoDB")
                    .setMetricName("ReadThrottleEvents").setOccurredAt(Instant.ofEpochMilli(t0)).setReceivedAt(Instant.ofEpochMilli(t0))
                    .build();
            Owner owner = new Owner("unowned", null, null, null, "prod");
            IncidentLifecycle.Result opened = lifecycle.onAlert(null, alert, rules.classify(alert), owner, t0, t0);
            IncidentLifecycle.Result repeated = lifecycle.onAlert(opened.state(), alert, rules.classify(alert), owner, t0 + 1, t0 + 1);
            stored[i] = serializer.serialize("bench", repeated.state());
        }
        System.out.printf("%,d fingerprint states of %d bytes each%n", fingerprints, stored[0].length);
        List<Double> reads = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            FingerprintState[] states = new FingerprintState[fingerprints];
            long start = System.nanoTime();
            for (int i = 0; i < fingerprints; i++) {
                states[i] = deserializer.deserialize("bench", stored[i]);
            }
            long read = System.nanoTime();
            for (int i = 0; i < fingerprints; i++) {
                sink += serializer.serialize("bench", states[i]).length;
            }
            long written = System.nanoTime();
            reads.add((read - start) / (double) fingerprints);
            writes.add((written - read) / (double) fingerprints);
            System.out.printf("  round %2d: read %4.0f ns/state   write %4.0f ns/state%n", round + 1, reads.get(round), writes.get(round));
        }
        System.out.printf("median of the last %d rounds: read %.0f ns/state, write %.0f ns/state (checksum %d)%n", rounds / 2,
                median(reads.subList(rounds - rounds / 2, rounds)), median(writes.subList(rounds - rounds / 2, rounds)), sink);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
