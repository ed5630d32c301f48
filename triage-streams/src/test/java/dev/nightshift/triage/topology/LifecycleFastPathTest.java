package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.triage.classify.Classification;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.FingerprintState;
import dev.nightshift.triage.lifecycle.IncidentLifecycle;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.lifecycle.TriageOutput;
import dev.nightshift.triage.playbook.Playbooks;
import dev.nightshift.triage.testing.Alerts;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast path against the lifecycle it stands in for: on random histories of alerts (repeats, resolves, reopens,
 * flapping, changes of classification, owner, title and resource, approvals), every alert it takes must give exactly
 * the state bytes, the team record and (for a resolve or reopen) the version of the incident the lifecycle gives, the
 * lifecycle must publish nothing else for it, and it must take every plain repeat, resolve and reopen for which the
 * lifecycle publishes no more than those.
 */
class LifecycleFastPathTest {
    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private final Playbooks playbooks = Playbooks.load(null);
    private final ClassificationRules rules = ClassificationRules.load(null, playbooks::contains);
    private final FingerprintStateSerde serde = new FingerprintStateSerde();
    private final CompiledAvro.ValueWriter teamWriter = CompiledAvro.writerFor(TriagedAlert.getClassSchema()).orElseThrow();
    private final CompiledAvro.ValueWriter incidentWriter = CompiledAvro.writerFor(Incident.getClassSchema()).orElseThrow();

    @Test
    void everyAlertItTakesGetsTheStateAndRecordsTheLifecycleGives() throws IOException {
        LifecycleSettings settings = new LifecycleSettings(Duration.ofMinutes(10), 4, Duration.ofMinutes(30), Duration.ofHours(24),
                Duration.ofDays(7), Duration.ofMinutes(1));
        IncidentLifecycle lifecycle = new IncidentLifecycle(settings, playbooks);
        LifecycleFastPath fastPath = new LifecycleFastPath(lifecycle);
        Random random = new Random(11);
        List<String> names = List.of("orders-eu ReadThrottleEvents", "checkout 5xx error rate", "payments-api ECS service unhealthy",
                "disk nearly full", "suspicious ip 203.0.113.9 login failures", "Lambda pay-fn Throttles");
        List<Owner> owners = List.of(new Owner("payments", "checkout", "#payments-oncall", "PAY", "prod"),
                new Owner("payments", "checkout", "#payments-oncall", "PAY", null), new Owner("unowned", null, null, null, null),
                new Owner("storefront", "web", null, "STORE", "prod"), new Owner("équipe-données", "entrepôt", "#données", null, null));
        int taken = 0;
        int alerts = 0;
        int repeatsLeftToTheLifecycle = 0;
        int resolvesAndReopensLeftToTheLifecycle = 0;
        int resolvesAndReopensTaken = 0;
        for (int fingerprint = 0; fingerprint < 300; fingerprint++) {
            String fp = "fp-" + fingerprint;
            byte[] stored = null;
            long now = T0;
            String name = names.get(random.nextInt(names.size()));
            Owner owner = owners.get(random.nextInt(owners.size()));
            for (int step = 0; step < 40; step++) {
                now += random.nextInt(20) == 0 ? 15 * 60_000L : 1_000L + random.nextInt(20_000);
                long at = random.nextInt(10) == 0 ? now - random.nextInt(30_000) : now;   // now and then one late, out of order
                if (random.nextInt(15) == 0) {
                    name = names.get(random.nextInt(names.size()));
                }
                if (random.nextInt(15) == 0) {
                    owner = owners.get(random.nextInt(owners.size()));
                }
                if (stored != null && random.nextInt(20) == 0) {   // a person answers an approval: the incident is acknowledged
                    FingerprintState state = serde.read(stored);
                    if (state.incident() != null) {
                        ApprovalDecision decision = ApprovalDecision.newBuilder().setApprovalId("a-" + step)
                                .setIncidentId(state.incident().getIncidentId()).setRequestId("r").setApproved(true)
                                .setDecidedBy("someone").setDecidedAt(Instant.ofEpochMilli(now)).build();
                        IncidentLifecycle.Result result = lifecycle.onApproval(state, decision, now);
                        if (result.changed()) {
                            stored = serde.write(result.state());
                        }
                    }
                }
                boolean resolve = random.nextInt(7) == 0;
                Alert.Builder builder = (resolve ? Alerts.resolved(fp, name) : Alerts.firing(fp, name))
                        .setSource(AlertSource.values()[random.nextInt(AlertSource.values().length)])
                        .setTitle(random.nextBoolean() ? null : "title " + random.nextInt(3))
                        .setResource(random.nextBoolean() ? null : "dynamodb:orders-" + random.nextInt(3))
                        .setLink(random.nextBoolean() ? null : "https://console.example/alarm/" + fingerprint);
                if (random.nextBoolean()) {
                    builder.setAnnotations(Map.of("runbook_url", "https://runbooks.example/" + name.length()));
                }
                Alert alert = builder.build();
                Classification classification = rules.classify(alert);
                long handledAt = now + random.nextInt(500);
                alerts++;

                LifecycleFastPath.Step fast = stored == null ? null : fastPath.apply(stored, alert, classification, owner, at, handledAt);
                IncidentLifecycle.Result general = lifecycle.onAlert(stored == null ? null : serde.read(stored), alert, classification,
                        owner, at, handledAt);
                IncidentState before = stored == null || serde.read(stored).incident() == null ? null
                        : serde.read(stored).incident().getState();
                if (fast != null) {
                    taken++;
                    List<TriageOutput> outputs = general.outputs();
                    if (fast.incident() == null) {
                        assertThat(outputs).as("what the lifecycle publishes for a repeat the fast path takes").singleElement()
                                .isInstanceOf(TriageOutput.Routed.class);
                    } else {
                        resolvesAndReopensTaken++;
                        assertThat(outputs).as("what the lifecycle publishes for a resolve or reopen the fast path takes")
                                .hasSize(2).first().isInstanceOf(TriageOutput.IncidentChanged.class);
                        Incident changed = ((TriageOutput.IncidentChanged) outputs.get(0)).incident();
                        EncodedOutputs.IncidentVersion version = fast.incident();
                        assertThat(Arrays.copyOfRange(version.body(), version.bodyOffset(), version.bodyOffset() + version.bodyLength()))
                                .as("incident after alert %d of %s (%s)", step, fp, changed.getChange()).isEqualTo(body(changed));
                        assertThat(version.getIncidentId()).isEqualTo(changed.getIncidentId());
                    }
                    TriagedAlert routed = ((TriageOutput.Routed) outputs.get(outputs.size() - 1)).alert();
                    assertThat(fast.state()).as("state after alert %d of %s", step, fp).isEqualTo(serde.write(general.state()));
                    assertThat(fast.teamRecord().body()).as("team record of alert %d of %s", step, fp).isEqualTo(body(routed));
                    assertThat(read(fast.teamRecord().body())).isEqualTo(routed);
                    assertThat(fast.teamRecord().getIncidentId()).isEqualTo(routed.getIncidentId());
                    assertThat(fast.teamRecord().getOwner()).isEqualTo(owner);
                } else if (general.outputs().size() == 1 && general.state().incident() != null
                        && IncidentLifecycle.REPEATED.equals(general.state().incident().getChange())) {
                    repeatsLeftToTheLifecycle++;
                } else if (general.outputs().size() == 2 && general.state().incident() != null && before != null
                        && (before == IncidentState.RESOLVED) != (alert.getState() == AlertState.RESOLVED)
                        && !IncidentLifecycle.OPENED.equals(general.state().incident().getChange())) {
                    resolvesAndReopensLeftToTheLifecycle++;
                }
                if (general.changed()) {
                    stored = serde.write(general.state());
                }
            }
        }
        System.out.printf("fast path: %d of %d alerts (%d resolves and reopens); left to the lifecycle: %d unpublished repeats, "
                + "%d resolves and reopens%n", taken, alerts, resolvesAndReopensTaken, repeatsLeftToTheLifecycle,
                resolvesAndReopensLeftToTheLifecycle);
        assertThat(taken).as("alerts the fast path took, of %d", alerts).isGreaterThan(alerts / 4);
        assertThat(resolvesAndReopensTaken).as("resolves and reopens the fast path took").isGreaterThan(alerts / 20);
        assertThat(repeatsLeftToTheLifecycle).as("repeats the lifecycle published nothing for but the fast path left to it").isZero();
        assertThat(resolvesAndReopensLeftToTheLifecycle)
                .as("resolves and reopens the lifecycle published only the incident and team record for but the fast path left to it")
                .isZero();
    }

    @Test
    void whatTheFastPathDoesNotTakeGoesTheLongWay() throws IOException {
        IncidentLifecycle lifecycle = new IncidentLifecycle(LifecycleSettings.defaults(), playbooks);
        LifecycleFastPath fastPath = new LifecycleFastPath(lifecycle);
        Owner owner = new Owner("payments", null, null, null, null);
        Alert first = Alerts.firing("fp", "disk nearly full").build();
        Classification classification = rules.classify(first);
        byte[] opened = serde.write(lifecycle.onAlert(null, first, classification, owner, T0, T0).state());
        Alert repeat = Alerts.firing("fp", "disk nearly full").build();

        assertThat(fastPath.apply(opened, repeat, classification, owner, T0 + 1_000, T0 + 1_000)).isNotNull();
        assertThat(fastPath.apply(opened, repeat, classification, owner, T0 + 60_000, T0 + 60_000)).as("due on incidents").isNull();
        assertThat(fastPath.apply(opened, repeat, classification, new Owner("storefront", null, null, null, null), T0 + 1_000, T0 + 1_000))
                .as("another owner").isNull();
        assertThat(fastPath.apply(opened, repeat, new Classification("r", "capacity", classification.severity(), null), owner,
                T0 + 1_000, T0 + 1_000)).as("another category").isNull();
        Alert resolve = Alerts.resolved("fp", "disk nearly full").build();
        LifecycleFastPath.Step resolveStep = fastPath.apply(opened, resolve, classification, owner, T0 + 2_000, T0 + 2_000);
        assertThat(resolveStep).as("a resolve").isNotNull();
        assertThat(read(resolveStep.teamRecord().body()).getIncidentState()).isEqualTo(IncidentState.RESOLVED);
        FingerprintState resolved = lifecycle.onAlert(serde.read(opened), resolve, classification, owner, T0 + 2_000, T0 + 2_000).state();
        assertThat(resolved.incident().getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolveStep.state()).isEqualTo(serde.write(resolved));
        assertThat(fastPath.apply(serde.write(resolved), repeat, classification, owner, T0 + 3_000, T0 + 3_000)).as("a reopen").isNotNull();
        assertThat(fastPath.apply(serde.write(resolved), repeat, classification, owner, T0 + 2_000 + 10 * 60_000, T0 + 2_000 + 10 * 60_000))
                .as("a new incident once the reopen window has passed").isNull();
        assertThat(fastPath.apply(serde.write(resolved), resolve, classification, owner, T0 + 3_000, T0 + 3_000))
                .as("a resolve of a resolved incident").isNull();
        IncidentLifecycle closingOnResolve = new IncidentLifecycle(new LifecycleSettings(Duration.ZERO, 4,
                Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofDays(7), Duration.ofMinutes(1)), playbooks);
        assertThat(new LifecycleFastPath(closingOnResolve).apply(opened, resolve, classification, owner, T0 + 2_000, T0 + 2_000))
                .as("a resolve that closes the incident (no reopen window)").isNull();

        IncidentLifecycle publishingEveryRepeat = new IncidentLifecycle(new LifecycleSettings(Duration.ofMinutes(10), 4,
                Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofDays(7), Duration.ZERO), playbooks);
        assertThat(new LifecycleFastPath(publishingEveryRepeat).apply(opened, repeat, classification, owner, T0 + 1_000, T0 + 1_000))
                .as("every repeat published").isNull();
    }

    private byte[] body(TriagedAlert routed) throws IOException {
        ByteArrayEncoder encoder = new ByteArrayEncoder();
        teamWriter.write(routed, encoder);
        return encoder.toByteArray();
    }

    private byte[] body(Incident incident) throws IOException {
        ByteArrayEncoder encoder = new ByteArrayEncoder();
        incidentWriter.write(incident, encoder);
        return encoder.toByteArray();
    }

    private static TriagedAlert read(byte[] body) throws IOException {
        return new SpecificDatumReader<>(TriagedAlert.class).read(null, DecoderFactory.get().binaryDecoder(body, null));
    }
}
