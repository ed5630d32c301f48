package dev.nightshift.triage.topology;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.AlertState;
import dev.nightshift.schema.ApprovalDecision;
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
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repeat fast path against the lifecycle it stands in for: on random histories of alerts (repeats, resolves,
 * reopens, flapping, changes of classification, owner, title and resource, approvals), every alert it takes must
 * give exactly the state bytes and the team record the lifecycle gives, the lifecycle must publish nothing else for
 * it, and it must take every repeat for which the lifecycle publishes only the team record.
 */
class RepeatFastPathTest {
    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();
    private final Playbooks playbooks = Playbooks.load(null);
    private final ClassificationRules rules = ClassificationRules.load(null, playbooks::contains);
    private final FingerprintStateSerde serde = new FingerprintStateSerde();
    private final CompiledAvro.ValueWriter teamWriter = CompiledAvro.writerFor(TriagedAlert.getClassSchema()).orElseThrow();

    @Test
    void everyAlertItTakesGetsTheStateAndTeamRecordTheLifecycleGives() throws IOException {
        LifecycleSettings settings = new LifecycleSettings(Duration.ofMinutes(10), 4, Duration.ofMinutes(30), Duration.ofHours(24),
                Duration.ofDays(7), Duration.ofMinutes(1));
        IncidentLifecycle lifecycle = new IncidentLifecycle(settings, playbooks);
        RepeatFastPath fastPath = new RepeatFastPath(lifecycle);
        Random random = new Random(11);
        List<String> names = List.of("orders-eu ReadThrottleEvents", "checkout 5xx error rate", "payments-api ECS service unhealthy",
                "disk nearly full", "suspicious ip 203.0.113.9 login failures", "Lambda pay-fn Throttles");
        List<Owner> owners = List.of(new Owner("payments", "checkout", "#payments-oncall", "PAY", "prod"),
                new Owner("payments", "checkout", "#payments-oncall", "PAY", null), new Owner("unowned", null, null, null, null),
                new Owner("storefront", "web", null, "STORE", "prod"), new Owner("équipe-données", "entrepôt", "#données", null, null));
        int taken = 0;
        int alerts = 0;
        int repeatsLeftToTheLifecycle = 0;
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

                RepeatFastPath.Repeat fast = stored == null ? null : fastPath.apply(stored, alert, classification, owner, at, handledAt);
                IncidentLifecycle.Result general = lifecycle.onAlert(stored == null ? null : serde.read(stored), alert, classification,
                        owner, at, handledAt);
                if (fast != null) {
                    taken++;
                    assertThat(general.outputs()).as("what the lifecycle publishes for an alert the fast path takes").singleElement()
                            .isInstanceOf(TriageOutput.Routed.class);
                    TriagedAlert routed = ((TriageOutput.Routed) general.outputs().get(0)).alert();
                    assertThat(fast.state()).as("state after alert %d of %s", step, fp).isEqualTo(serde.write(general.state()));
                    assertThat(fast.teamRecord().body()).as("team record of alert %d of %s", step, fp).isEqualTo(body(routed));
                    assertThat(read(fast.teamRecord().body())).isEqualTo(routed);
                    assertThat(fast.teamRecord().getIncidentId()).isEqualTo(routed.getIncidentId());
                    assertThat(fast.teamRecord().getOwner()).isEqualTo(owner);
                } else if (general.outputs().size() == 1 && general.state().incident() != null
                        && IncidentLifecycle.REPEATED.equals(general.state().incident().getChange())) {
                    repeatsLeftToTheLifecycle++;
                }
                if (general.changed()) {
                    stored = serde.write(general.state());
                }
            }
        }
        System.out.printf("fast path: %d of %d alerts; unpublished repeats left to the lifecycle: %d%n", taken, alerts,
                repeatsLeftToTheLifecycle);
        assertThat(taken).as("alerts the fast path took, of %d", alerts).isGreaterThan(alerts / 4);
        assertThat(repeatsLeftToTheLifecycle).as("repeats the lifecycle published nothing for but the fast path left to it").isZero();
    }

    @Test
    void aRepeatThatIsDueToBePublishedOrChangesTheIncidentGoesTheLongWay() {
        IncidentLifecycle lifecycle = new IncidentLifecycle(LifecycleSettings.defaults(), playbooks);
        RepeatFastPath fastPath = new RepeatFastPath(lifecycle);
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
        assertThat(fastPath.apply(opened, Alerts.resolved("fp", "disk nearly full").build(), classification, owner, T0 + 1_000, T0 + 1_000))
                .as("a resolve").isNull();
        FingerprintState resolved = lifecycle.onAlert(serde.read(opened), Alerts.resolved("fp", "disk nearly full").build(),
                classification, owner, T0 + 2_000, T0 + 2_000).state();
        assertThat(resolved.incident().getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(fastPath.apply(serde.write(resolved), repeat, classification, owner, T0 + 3_000, T0 + 3_000)).as("a reopen").isNull();

        IncidentLifecycle publishingEveryRepeat = new IncidentLifecycle(new LifecycleSettings(Duration.ofMinutes(10), 4,
                Duration.ofMinutes(30), Duration.ofHours(24), Duration.ofDays(7), Duration.ZERO), playbooks);
        assertThat(new RepeatFastPath(publishingEveryRepeat).apply(opened, repeat, classification, owner, T0 + 1_000, T0 + 1_000))
                .as("every repeat published").isNull();
    }

    private byte[] body(TriagedAlert routed) throws IOException {
        ByteArrayEncoder encoder = new ByteArrayEncoder();
        teamWriter.write(routed, encoder);
        return encoder.toByteArray();
    }

    private static TriagedAlert read(byte[] body) throws IOException {
        return new SpecificDatumReader<>(TriagedAlert.class).read(null, DecoderFactory.get().binaryDecoder(body, null));
    }
}
