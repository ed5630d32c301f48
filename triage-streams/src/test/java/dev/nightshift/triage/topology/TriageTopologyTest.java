package dev.nightshift.triage.topology;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.schema.Alert;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.FingerprintState;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.lifecycle.LifecycleSettings;
import dev.nightshift.triage.playbook.PlaybookNames;
import dev.nightshift.triage.testing.Alerts;
import dev.nightshift.triage.testing.TriageDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.nightshift.triage.testing.TriageDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

class TriageTopologyTest {
    private static final LifecycleSettings LIFECYCLE = new LifecycleSettings(Duration.ofMinutes(10), 4, Duration.ofMinutes(30),
            Duration.ofHours(4), Duration.ofDays(7), Duration.ofMinutes(1));
    private static final PlaybookNames PLAYBOOKS = PlaybookNames.load(null);
    private static final ClassificationRules RULES = ClassificationRules.load(null, PLAYBOOKS::contains);

    private static final Owner UNOWNED = new Owner("unowned", null, null, null, null);

    private TriageDriver triage = new TriageDriver(LIFECYCLE, RULES, "unowned");

    @AfterEach
    void close() {
        triage.close();
    }

    @Test
    void firstFiringAlertOpensAnIncidentKeyedByItsIdAndRoutesItToTheHintedTeam() {
        triage.send(Alerts.firing("fp-1", "CPU high").setTeam("payments").build(), T0);

        List<TestRecord<String, Incident>> incidents = triage.incidents();
        assertThat(incidents).hasSize(1);
        Incident incident = incidents.get(0).value();
        assertThat(incidents.get(0).key()).isEqualTo(incident.getIncidentId()).startsWith("fp-1-");
        assertThat(incident.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(incident.getChange()).isEqualTo("opened");
        assertThat(incident.getOccurrences()).isEqualTo(1);
        assertThat(incident.getOpenedAt()).isEqualTo(T0);

        List<TestRecord<String, TriagedAlert>> routed = triage.teamAlerts("payments");
        assertThat(routed).hasSize(1);
        assertThat(routed.get(0).key()).isEqualTo(incident.getIncidentId());
        assertThat(routed.get(0).value().getOwner().getTeam()).isEqualTo("payments");
        assertThat(routed.get(0).value().getAlert().getName()).isEqualTo("CPU high");
    }

    @Test
    void theTeamRecordCarriesTheAlertExactlyAsItArrived() {
        Alert alert = Alerts.firing("fp-full", "ReadThrottleEvents").setTeam("payments").setTitle("orders throttled")
                .setDescription("reads throttled for 5 minutes").setService("checkout").setResource("dynamodb:orders")
                .setLabels(Map.of("TableName", "orders", "env", "prod")).setAnnotations(Map.of("runbook_url", "https://runbooks/ddb"))
                .setAccount("123456789012").setRegion("eu-west-1").setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents")
                .setLink("https://console/alarm").setSourceId("arn:alarm").setStartsAt(T0).build();
        triage.send(alert, T0);

        List<TestRecord<String, TriagedAlert>> routed = triage.teamAlerts("payments");
        assertThat(routed).hasSize(1);
        assertThat(routed.get(0).value().getAlert()).isEqualTo(alert);
        assertThat(routed.get(0).value().getLinks()).containsExactly("https://console/alarm", "https://runbooks/ddb");
    }


    @Test
    void anAlertKeyedByAnotherFingerprintIsRoutedWithTheKeyAsItsFingerprint() {
        Alert alert = Alerts.firing("fp-in-body", "CPU high").setTeam("payments").build();
        triage.send("fp-key", alert, T0);

        TriagedAlert routed = triage.teamAlerts("payments").get(0).value();
        assertThat(routed.getAlert().getFingerprint()).isEqualTo("fp-key");
        assertThat(routed.getIncidentId()).startsWith("fp-key-");
        assertThat(routed.getAlert().getAlertId()).isEqualTo(alert.getAlertId());
    }

    @Test
    void repeatedAlarmUpdatesTheOpenIncident() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(60));
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(120));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "repeated", "repeated");
        Incident last = incidents.get(2);
        assertThat(last.getOccurrences()).isEqualTo(3);
        assertThat(last.getLastSeenAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(last.getOpenedAt()).isEqualTo(T0);
        assertThat(last.getVersion()).isEqualTo(3);
        assertThat(triage.teamAlerts("unowned")).extracting(r -> r.value().getOccurrences()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void repeatsWithinTheIntervalAreCoalescedOnIncidentsButEveryAlertIsRouted() {
        for (int i = 0; i < 5; i++) {
            triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(i * 10L));
        }
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(65));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "repeated");
        assertThat(incidents).extracting(Incident::getVersion).containsExactly(1L, 2L);
        assertThat(incidents.get(1).getOccurrences()).isEqualTo(6);
        assertThat(triage.teamAlerts("unowned")).extracting(r -> r.value().getOccurrences())
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void resolvedAlertResolvesTheIncident() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(300));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).hasSize(2);
        Incident resolved = incidents.get(1);
        assertThat(resolved.getIncidentId()).isEqualTo(incidents.get(0).getIncidentId());
        assertThat(resolved.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolved.getResolvedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(triage.teamAlerts("unowned")).extracting(r -> r.value().getIncidentState())
                .containsExactly(IncidentState.OPEN, IncidentState.RESOLVED);
    }

    @Test
    void aResolveCarryingNoSeverityOrPlaybookKeepsTheIncidentsOwn() {
        triage.send(Alerts.firing("fp-1", "CPU high").setSeverity(Severity.CRITICAL).setPlaybook("ec2-status-check").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").setSeverity(Severity.UNKNOWN).setPlaybook(null).build(), T0.plusSeconds(300));

        List<Incident> incidents = values(triage.incidents());
        Incident resolved = incidents.get(incidents.size() - 1);
        assertThat(resolved.getState()).isEqualTo(IncidentState.RESOLVED);
        assertThat(resolved.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(resolved.getPlaybook()).isEqualTo("ec2-status-check");
    }

    @Test
    void resolveWithoutAnOpenIncidentChangesNothing() {
        triage.send(Alerts.resolved("fp-9", "CPU high").build(), T0);

        assertThat(triage.incidents()).isEmpty();
        assertThat(triage.teamAlerts("unowned")).isEmpty();
    }

    @Test
    void firingAgainWithinTheReopenWindowReopensTheSameIncident() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(60));
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(120));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "resolved", "reopened");
        Incident reopened = incidents.get(2);
        assertThat(reopened.getIncidentId()).isEqualTo(incidents.get(0).getIncidentId());
        assertThat(reopened.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(reopened.getReopenCount()).isEqualTo(1);
        assertThat(reopened.getResolvedAt()).isNull();
        assertThat(triage.incidentOutcomes()).isEmpty();
    }

    @Test
    void firingAfterTheReopenWindowOpensANewIncidentAndClosesTheOldOne() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(60));
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0.plusSeconds(60 + 11 * 60));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "resolved", "opened");
        assertThat(incidents.get(2).getIncidentId()).isNotEqualTo(incidents.get(0).getIncidentId());
        List<IncidentOutcome> outcomes = values(triage.incidentOutcomes());
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.getIncidentId()).isEqualTo(incidents.get(0).getIncidentId());
            assertThat(o.getFinalState()).isEqualTo(IncidentState.RESOLVED);
            assertThat(o.getTimeToResolveMillis()).isEqualTo(60_000L);
        });
    }

    @Test
    void resolvedIncidentPublishesOneOutcomeWhenItsReopenWindowHasPassed() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(90));

        triage.advanceWallClock(Duration.ofMinutes(5));
        assertThat(triage.incidentOutcomes()).isEmpty();
        triage.advanceWallClock(Duration.ofMinutes(6));
        triage.advanceWallClock(Duration.ofMinutes(6));

        List<IncidentOutcome> outcomes = values(triage.incidentOutcomes());
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.getClosedReason()).isEqualTo("resolved at source");
            assertThat(o.getOpenedAt()).isEqualTo(T0);
            assertThat(o.getClosedAt()).isEqualTo(T0.plusSeconds(90));
            assertThat(o.getTimeToResolveMillis()).isEqualTo(90_000L);
            assertThat(o.getResolvedByAutomation()).isFalse();
        });
    }

    @Test
    void aResolveSentAgainAfterTheIncidentResolvedDoesNotPostponeItsOutcome() {
        triage.send(Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(90));
        assertThat(values(triage.incidents())).extracting(Incident::getChange).containsExactly("opened", "resolved");
        triage.advanceWallClock(Duration.ofMinutes(8));
        triage.send(Alerts.resolved("fp-1", "CPU high").build(), T0.plusSeconds(90 + 8 * 60));   // the source repeats its resolve
        assertThat(triage.incidents()).as("a resolve of a resolved incident changes nothing").isEmpty();

        triage.advanceWallClock(Duration.ofMinutes(3));   // 11 minutes after the incident resolved: its reopen window is over

        assertThat(values(triage.incidentOutcomes())).singleElement().satisfies(o -> {
            assertThat(o.getClosedAt()).isEqualTo(T0.plusSeconds(90));
            assertThat(o.getTimeToResolveMillis()).isEqualTo(90_000L);
        });
    }

    @Test
    void alertsThatArriveLateDateTheIncidentByTheirOwnTimesSoMttrIsRight() {
        // The source saw the alarm fire at 10:00 and clear at 10:20; both reached Kafka only after an outage, at 11:00.
        Instant late = T0.plus(Duration.ofHours(1));
        triage.sendLate("fp-late", Alerts.firing("fp-late", "CPU high").build(), T0, late);
        triage.sendLate("fp-late", Alerts.resolved("fp-late", "CPU high").build(), T0.plus(Duration.ofMinutes(20)), late.plusMillis(5));
        triage.advanceWallClock(Duration.ofMinutes(11));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "resolved");
        assertThat(incidents.get(1).getOpenedAt()).isEqualTo(T0);
        assertThat(incidents.get(1).getLastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        assertThat(incidents.get(1).getResolvedAt()).isEqualTo(T0.plus(Duration.ofMinutes(20)));
        assertThat(values(triage.incidentOutcomes())).singleElement()
                .satisfies(o -> assertThat(o.getTimeToResolveMillis()).isEqualTo(Duration.ofMinutes(20).toMillis()));
    }

    @Test
    void aResolveOlderThanTheFiringThatOpenedTheIncidentArrivedOutOfOrderAndChangesNothing() {
        triage.send(Alerts.firing("fp-order", "CPU high").build(), T0.plus(Duration.ofMinutes(5)));
        triage.sendLate("fp-order", Alerts.resolved("fp-order", "CPU high").build(), T0, T0.plus(Duration.ofMinutes(6)));
        triage.send(Alerts.firing("fp-order", "CPU high").build(), T0.plus(Duration.ofMinutes(7)));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "repeated");
        assertThat(triage.teamAlerts("unowned")).as("the stale resolve changes nothing; the repeat is routed").hasSize(2);
        Incident latest = stateOf("fp-order").getIncident();
        assertThat(latest.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(latest.getOccurrences()).isEqualTo(2);
        assertThat(latest.getLastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));
    }

    @Test
    void aLateRepeatNeverMovesTheIncidentsLastSeenTimeBack() {
        triage.send(Alerts.firing("fp-rep", "CPU high").build(), T0);
        triage.send(Alerts.firing("fp-rep", "CPU high").build(), T0.plus(Duration.ofMinutes(10)));
        triage.sendLate("fp-rep", Alerts.firing("fp-rep", "CPU high").build(), T0.plus(Duration.ofMinutes(3)),
                T0.plus(Duration.ofMinutes(11)));

        Incident latest = stateOf("fp-rep").getIncident();
        assertThat(latest.getOccurrences()).isEqualTo(3);
        assertThat(latest.getLastSeenAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
    }

    @Test
    void theReopenWindowIsMeasuredOnTheAlertsOwnClock() {
        // Resolved at 10:20 by the source; fired again at 10:25 (within the 10-minute window), but that alert was delayed.
        triage.send(Alerts.firing("fp-re", "CPU high").build(), T0);
        triage.send(Alerts.resolved("fp-re", "CPU high").build(), T0.plus(Duration.ofMinutes(20)));
        triage.sendLate("fp-re", Alerts.firing("fp-re", "CPU high").build(), T0.plus(Duration.ofMinutes(25)),
                T0.plus(Duration.ofMinutes(50)));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "resolved", "reopened");
        assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
    }

    private FingerprintState stateOf(String fingerprint) {
        org.apache.kafka.streams.state.KeyValueStore<String, FingerprintState> store = triage.driver().getKeyValueStore(StoreNames.INCIDENTS);
        return store.get(fingerprint);
    }

    @Test
    void flappingFingerprintIsMarkedOnItsIncident() {
        Alert.Builder firing = Alerts.firing("fp-db", "orders table throttled").setPlaybook("dynamodb-throttling");
        Alert.Builder resolved = Alerts.resolved("fp-db", "orders table throttled");
        triage.send(firing.build(), T0);
        triage.send(resolved.build(), T0.plusSeconds(30));
        triage.send(firing.build(), T0.plusSeconds(60));
        triage.send(resolved.build(), T0.plusSeconds(90));
        triage.send(firing.build(), T0.plusSeconds(120));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
        Incident last = incidents.get(incidents.size() - 1);
        assertThat(last.getFlapping()).isTrue();
        assertThat(last.getChange()).isEqualTo("flapping");
        assertThat(last.getState()).isEqualTo(IncidentState.OPEN);
        assertThat(last.getPlaybook()).as("the incident names its playbook; the runner holds it while flapping").isEqualTo("dynamodb-throttling");
    }

    @Test
    void anIncidentOpenedWhileItsFingerprintFlapsIsAnOpeningMarkedFlapping() {
        Alert.Builder firing = Alerts.firing("fp-db", "orders table throttled").setPlaybook("dynamodb-throttling");
        Alert.Builder resolved = Alerts.resolved("fp-db", "orders table throttled");
        triage.send(firing.build(), T0);
        triage.send(resolved.build(), T0.plusSeconds(60));
        // each firing comes after the 10-minute reopen window, so each opens a new incident
        triage.send(firing.build(), T0.plusSeconds(12 * 60));
        triage.send(resolved.build(), T0.plusSeconds(13 * 60));
        triage.send(firing.build(), T0.plusSeconds(24 * 60));   // the fourth change of state within 30 minutes

        List<Incident> incidents = values(triage.incidents());
        Incident third = incidents.get(incidents.size() - 1);
        assertThat(incidents).extracting(Incident::getChange).containsExactly("opened", "resolved", "opened", "resolved", "opened");
        assertThat(incidents.stream().map(Incident::getIncidentId).distinct()).as("three incidents").hasSize(3);
        assertThat(incidents).filteredOn(i -> i.getIncidentId().equals(third.getIncidentId())).singleElement()
                .satisfies(opened -> {
                    assertThat(opened.getChange()).isEqualTo("opened");
                    assertThat(opened.getVersion()).as("the first record of a new incident").isEqualTo(1);
                    assertThat(opened.getFlapping()).isTrue();
                    assertThat(opened.getOccurrences()).isEqualTo(1);
                    assertThat(opened.getState()).isEqualTo(IncidentState.OPEN);
                });
        assertThat(incidents.get(0).getFlapping()).as("the first opening did not flap").isFalse();
    }

    @Test
    void anAlertFlappingForHoursKeepsItsStateSmallAndStaysFlappingUntilItSettles() {
        Alert.Builder firing = Alerts.firing("fp-db", "orders table throttled");
        Alert.Builder resolved = Alerts.resolved("fp-db", "orders table throttled");
        for (int i = 0; i < 400; i++) {   // a change of state every 20 seconds for over two hours
            triage.send((i % 2 == 0 ? firing : resolved).build(), T0.plusSeconds(i * 20L));
        }
        triage.send(firing.build(), T0.plusSeconds(400 * 20L));
        assertThat(last(triage.incidents()).getFlapping()).isTrue();
        org.apache.kafka.streams.state.KeyValueStore<String, FingerprintState> store = triage.driver().getKeyValueStore(StoreNames.INCIDENTS);
        assertThat(store.get("fp-db").getTransitions()).as("only the newest transitions that decide flapping are kept")
                .hasSize(LifecycleSettings.defaults().flapTransitions())
                .allSatisfy(t -> assertThat(t).isGreaterThan(T0.plusSeconds(390 * 20L).toEpochMilli()));

        // one more firing after the flap window has passed: the incident has settled
        triage.send(firing.build(), T0.plusSeconds(400 * 20L).plus(LifecycleSettings.defaults().flapWindow()).plusSeconds(1));
        assertThat(last(triage.incidents()).getFlapping()).isFalse();
    }

    @Test
    void anIncidentThatSettlesIsPublishedAtOnceSoItsHeldPlaybookCanStart() {
        Alert.Builder firing = Alerts.firing("fp-db", "orders table throttled").setPlaybook("dynamodb-throttling");
        Alert.Builder resolved = Alerts.resolved("fp-db", "orders table throttled");
        // flapping before the first open with a playbook: the fingerprint's earlier incidents flapped
        triage.send(Alerts.firing("fp-db", "orders table throttled").build(), T0);
        for (int i = 1; i <= 4; i++) {
            triage.send((i % 2 == 1 ? resolved : Alerts.firing("fp-db", "orders table throttled")).build(), T0.plusSeconds(i * 10L));
        }
        triage.incidents();
        triage.send(firing.build(), T0.plusSeconds(60));
        Incident held = last(triage.incidents());
        assertThat(held.getFlapping()).isTrue();
        assertThat(held.getPlaybook()).isEqualTo("dynamodb-throttling");

        // 31 minutes later the transitions have left the window: a repeat, yet published at once, flapping no more
        triage.send(firing.build(), T0.plusSeconds(60 + 31 * 60));
        Incident settled = last(triage.incidents());
        assertThat(settled.getFlapping()).isFalse();
        assertThat(settled.getChange()).isEqualTo("repeated");
        assertThat(settled.getVersion()).isEqualTo(held.getVersion() + 1);
    }

    @Test
    void idleIncidentExpiresByWallClockWithItsReasonAndOutcome() {
        triage.send(Alerts.firing("fp-1", "disk filling").build(), T0);
        triage.incidents();

        triage.advanceWallClock(Duration.ofHours(3));
        assertThat(triage.incidents()).isEmpty();
        triage.advanceWallClock(Duration.ofHours(1).plusSeconds(10));

        Incident expired = last(triage.incidents());
        assertThat(expired.getState()).isEqualTo(IncidentState.EXPIRED);
        assertThat(expired.getChange()).isEqualTo("expired");
        assertThat(expired.getClosedReason()).contains("no alert for PT4H");
        assertThat(values(triage.incidentOutcomes())).singleElement().satisfies(o -> {
            assertThat(o.getFinalState()).isEqualTo(IncidentState.EXPIRED);
            assertThat(o.getTimeToResolveMillis()).isNull();
        });
        triage.send(Alerts.firing("fp-1", "disk filling").build(), T0.plusSeconds(5 * 3600));
        Incident next = last(triage.incidents());
        assertThat(next.getChange()).isEqualTo("opened");
        assertThat(next.getIncidentId()).isNotEqualTo(expired.getIncidentId());
    }

    @Test
    void catchingUpOnABacklogDoesNotExpireAnIncidentItsLaterAlertsKeepOpen() {
        // After an outage triage reads alerts written hours ago; the wall clock is far past them.
        triage.send(Alerts.firing("fp-1", "disk filling").build(), T0.minus(Duration.ofHours(6)));
        triage.advanceWallClock(Duration.ofSeconds(10));
        triage.send(Alerts.firing("fp-1", "disk filling").build(), T0.minus(Duration.ofHours(5)));
        triage.advanceWallClock(Duration.ofSeconds(10));

        List<Incident> incidents = values(triage.incidents());
        assertThat(incidents).extracting(Incident::getState).containsOnly(IncidentState.OPEN);
        assertThat(incidents).extracting(Incident::getIncidentId).containsOnly(incidents.get(0).getIncidentId());
        assertThat(incidents.get(incidents.size() - 1).getOpenedAt()).as("incident times stay the alerts' own")
                .isEqualTo(T0.minus(Duration.ofHours(6)));
        assertThat(triage.incidentOutcomes()).isEmpty();

        triage.advanceWallClock(Duration.ofHours(4).plusSeconds(10));
        assertThat(last(triage.incidents()).getState()).as("silence on the wall clock still expires it").isEqualTo(IncidentState.EXPIRED);
    }

    @Test
    void everyIdleIncidentExpiresThoughEachPunctuationLooksAtOnlyPartOfThem() {
        triage.close();
        triage = new TriageDriver(LIFECYCLE, RULES, "unowned", 10);
        for (int i = 0; i < 25; i++) {
            triage.send(Alerts.firing("fp-" + i, "disk filling").build(), T0);
        }
        triage.incidents();

        triage.advanceWallClock(Duration.ofHours(4).plusSeconds(10));
        assertThat(triage.incidents()).as("the first punctuation looks at 10 of them").hasSize(10);
        triage.advanceWallClock(Duration.ofSeconds(10));
        triage.advanceWallClock(Duration.ofSeconds(10));

        assertThat(triage.incidents()).hasSize(15).allSatisfy(r -> assertThat(r.value().getState()).isEqualTo(IncidentState.EXPIRED));
        assertThat(triage.incidentOutcomes()).hasSize(25);
    }

    @Test
    void theIncidentNamesItsPlaybookAndCarriesWhatItsTemplatesReadButTriageRequestsNoStep() {
        triage.send(Alerts.firing("fp-ec2", "instance down").setPlaybook("ec2-status-check").setResource("ec2:i-0abc")
                .setRegion("eu-west-1").setAccount("123456789012").setMetricNamespace("AWS/EC2").setMetricName("StatusCheckFailed")
                .setLabels(Map.of("InstanceId", "i-0abc", "env", "prod")).build(), T0);

        Incident incident = last(triage.incidents());
        assertThat(incident.getPlaybook()).isEqualTo("ec2-status-check");
        assertThat(incident.getLabels()).containsEntry("InstanceId", "i-0abc").containsEntry("env", "prod");
        assertThat(incident.getRegion()).isEqualTo("eu-west-1");
        assertThat(incident.getAccount()).isEqualTo("123456789012");
        assertThat(incident.getMetricNamespace()).isEqualTo("AWS/EC2");
        assertThat(incident.getMetricName()).isEqualTo("StatusCheckFailed");
        assertThat(triage.driver().producedTopicNames()).as("the remediation runner requests the steps")
                .noneMatch(topic -> topic.startsWith("actions."));
    }

    @Test
    void rulesClassifyTheAlertAndChooseItsPlaybook() {
        triage.send(Alerts.firing("fp-ddb", "orders-eu ReadThrottleEvents").setSource(AlertSource.CLOUDWATCH)
                .setSeverity(Severity.LOW).setMetricNamespace("AWS/DynamoDB").setMetricName("ReadThrottleEvents")
                .setLabels(Map.of("TableName", "orders-eu")).build(), T0);

        Incident incident = last(triage.incidents());
        assertThat(incident.getCategory()).isEqualTo("capacity");
        assertThat(incident.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(incident.getPlaybook()).isEqualTo("dynamodb-throttling");
        TriagedAlert routed = triage.teamAlerts("unowned").get(0).value();
        assertThat(routed.getCategory()).isEqualTo("capacity");
        assertThat(routed.getPlaybook()).isEqualTo("dynamodb-throttling");
    }

    @Test
    void unmatchedAlertIsUnclassifiedWithItsOwnSeverity() {
        triage.send(Alerts.firing("fp-x", "something odd").setSeverity(Severity.LOW).build(), T0);

        Incident incident = last(triage.incidents());
        assertThat(incident.getCategory()).isEqualTo("unclassified");
        assertThat(incident.getSeverity()).isEqualTo(Severity.LOW);
        assertThat(incident.getPlaybook()).isNull();
    }

    @Test
    void ownershipChangeMidStreamReroutesTheNextAlert() {
        Alert alert = Alerts.firing("fp-co", "checkout latency").setLabels(Map.of("service", "checkout")).build();
        triage.send(alert, T0);
        assertThat(triage.teamAlerts("unowned")).hasSize(1);

        triage.ownership(ownership("checkout", "payments", "#payments-oncall", "PAY", List.of("label:service=checkout")));
        triage.send(alert, T0.plusSeconds(10));
        List<TestRecord<String, TriagedAlert>> payments = triage.teamAlerts("payments");
        assertThat(payments).singleElement().satisfies(r -> {
            Owner owner = r.value().getOwner();
            assertThat(owner.getTeam()).isEqualTo("payments");
            assertThat(owner.getService()).isEqualTo("checkout");
            assertThat(owner.getSlackChannel()).isEqualTo("#payments-oncall");
            assertThat(owner.getJiraProject()).isEqualTo("PAY");
        });

        triage.ownership(ownership("checkout", "storefront", null, null, List.of("label:service=checkout")));
        triage.send(alert, T0.plusSeconds(20));
        assertThat(triage.teamAlerts("storefront")).hasSize(1);

        triage.removeOwnership("checkout");
        triage.send(alert, T0.plusSeconds(30));
        assertThat(triage.teamAlerts("unowned")).hasSize(1);
    }

    @Test
    void resourcePatternsAndServiceHintFindTheOwner() {
        triage.ownership(ownership("orders", "commerce", null, null, List.of("dynamodb:orders-*")));
        triage.ownership(ownership("payments-api", "payments", null, null, List.of("ecs:payments/*")));

        triage.send(Alerts.firing("fp-a", "throttled").setResource("arn:aws:dynamodb:eu-west-1:123456789012:table/orders-eu").build(), T0);
        triage.send(Alerts.firing("fp-b", "unhealthy").setLabels(Map.of("ClusterName", "payments", "ServiceName", "api")).build(), T0);
        triage.send(Alerts.firing("fp-c", "anything").setService("orders").build(), T0);

        assertThat(triage.teamAlerts("commerce")).extracting(r -> r.value().getAlert().getFingerprint()).containsExactly("fp-a", "fp-c");
        assertThat(triage.teamAlerts("payments")).extracting(r -> r.value().getAlert().getFingerprint()).containsExactly("fp-b");
    }

    @Test
    void aRedeliveredRemediationOutcomeIsCountedOnce() {
        triage.send(Alerts.firing("fp-ecs", "payments service unhealthy").setPlaybook("ecs-unhealthy-service").build(), T0);
        String incidentId = triage.incidents().get(0).key();
        String requestId = incidentId + ":ecs-unhealthy-service:1:1";
        RemediationOutcome done = RemediationOutcome.newBuilder().setRequestId(requestId).setIncidentId(incidentId)
                .setPlaybook("ecs-unhealthy-service").setStepIndex(1).setAction("ecs-remediate")
                .setStatus(OutcomeStatus.SUCCEEDED).setDryRun(false).setSummary("forced a new deployment")
                .setOwner(UNOWNED).setStartedAt(T0.plusSeconds(20)).setFinishedAt(T0.plusSeconds(25)).build();

        triage.outcome(done, T0.plusSeconds(25));
        triage.outcome(done, T0.plusSeconds(30));
        triage.send(Alerts.resolved("fp-ecs", "payments service unhealthy").build(), T0.plusSeconds(200));
        triage.send(Alerts.firing("fp-ecs", "payments service unhealthy").build(), T0.plusSeconds(200 + 11 * 60));

        assertThat(values(triage.incidentOutcomes())).first().satisfies(o -> assertThat(o.getAutomatedActions()).isEqualTo(1));
    }

    @Test
    void remediationOutcomesRecordTheFirstActionAndAnAutomatedResolution() {
        triage.send(Alerts.firing("fp-ecs", "payments service unhealthy").setPlaybook("ecs-unhealthy-service").build(), T0);
        String incidentId = triage.incidents().get(0).key();
        String requestId = incidentId + ":ecs-unhealthy-service:1:1";

        triage.outcome(RemediationOutcome.newBuilder().setRequestId(requestId).setIncidentId(incidentId)
                .setPlaybook("ecs-unhealthy-service").setStepIndex(1).setAction("ecs-remediate")
                .setStatus(OutcomeStatus.SUCCEEDED).setDryRun(false).setSummary("forced a new deployment")
                .setOwner(UNOWNED).setStartedAt(T0.plusSeconds(20)).setFinishedAt(T0.plusSeconds(25)).build(),
                T0.plusSeconds(25));
        Incident acted = last(triage.incidents());
        assertThat(acted.getChange()).isEqualTo("action");
        assertThat(acted.getFirstActionAt()).isEqualTo(T0.plusSeconds(20));

        triage.send(Alerts.resolved("fp-ecs", "payments service unhealthy").build(), T0.plusSeconds(200));
        triage.send(Alerts.firing("fp-ecs", "payments service unhealthy").build(), T0.plusSeconds(200 + 11 * 60));
        IncidentOutcome outcome = values(triage.incidentOutcomes()).get(0);
        assertThat(outcome.getIncidentId()).isEqualTo(incidentId);
        assertThat(outcome.getAutomatedActions()).isEqualTo(1);
        assertThat(outcome.getResolvedByAutomation()).isTrue();
        assertThat(outcome.getTimeToFirstActionMillis()).isEqualTo(20_000L);
        assertThat(outcome.getTimeToResolveMillis()).isEqualTo(200_000L);
    }

    @Test
    void personApprovingAStepAcknowledgesTheIncidentWhichAutomationAloneThenDidNotResolve() {
        triage.send(Alerts.firing("fp-waf", "suspicious ip hammering login").setPlaybook("suspicious-ip").build(), T0);
        String incidentId = triage.incidents().get(0).key();
        String requestId = incidentId + ":suspicious-ip:1:1";

        triage.approval(ApprovalDecision.newBuilder().setApprovalId("ap-1").setRequestId(requestId)
                .setIncidentId(incidentId).setApproved(true).setDecidedBy("alice").setDecidedAt(T0.plusSeconds(45)).build(),
                T0.plusSeconds(45));
        Incident acknowledged = last(triage.incidents());
        assertThat(acknowledged.getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(acknowledged.getChange()).isEqualTo("acknowledged");
        assertThat(acknowledged.getAcknowledgedAt()).isEqualTo(T0.plusSeconds(45));
        assertThat(acknowledged.getAcknowledgedBy()).isEqualTo("alice");

        triage.send(Alerts.firing("fp-waf", "suspicious ip hammering login").build(), T0.plusSeconds(50));
        assertThat(triage.teamAlerts("unowned")).last().satisfies(r ->
                assertThat(r.value().getIncidentState()).isEqualTo(IncidentState.ACKNOWLEDGED));
        triage.outcome(RemediationOutcome.newBuilder().setRequestId(requestId).setIncidentId(incidentId)
                .setPlaybook("suspicious-ip").setStepIndex(0).setAction("waf-block-ip").setStatus(OutcomeStatus.SUCCEEDED)
                .setDryRun(false).setSummary("blocked").setOwner(UNOWNED).setStartedAt(T0.plusSeconds(60))
                .setFinishedAt(T0.plusSeconds(61)).build(), T0.plusSeconds(61));
        triage.send(Alerts.resolved("fp-waf", "suspicious ip hammering login").build(), T0.plusSeconds(120));
        triage.advanceWallClock(Duration.ofHours(1));

        IncidentOutcome outcome = values(triage.incidentOutcomes()).get(0);
        assertThat(outcome.getTimeToAcknowledgeMillis()).isEqualTo(45_000L);
        assertThat(outcome.getAutomatedActions()).isEqualTo(1);
        assertThat(outcome.getResolvedByAutomation()).as("a person took part").isFalse();
    }

    @Test
    void theFirstAcknowledgementOfAPersonAcknowledgesTheIncidentSayingWhoAndWhenForItsMtta() {
        triage.send(Alerts.firing("fp-db", "orders database CPU high").build(), T0);
        String incidentId = triage.incidents().get(0).key();

        triage.response(acknowledgement(incidentId, "U0AAA1", T0.plusSeconds(90)), T0.plusSeconds(90));
        Incident acknowledged = last(triage.incidents());
        assertThat(acknowledged.getState()).isEqualTo(IncidentState.ACKNOWLEDGED);
        assertThat(acknowledged.getChange()).isEqualTo("acknowledged");
        assertThat(acknowledged.getAcknowledgedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(acknowledged.getAcknowledgedBy()).isEqualTo("U0AAA1");
        assertThat(acknowledged.getVersion()).isEqualTo(2);

        triage.response(acknowledgement(incidentId, "bob@example.com", T0.plusSeconds(120)), T0.plusSeconds(120));
        triage.approval(ApprovalDecision.newBuilder().setApprovalId("ap-1").setRequestId(incidentId + ":db:1:1")
                .setIncidentId(incidentId).setApproved(true).setDecidedBy("carol@example.com").setDecidedAt(T0.plusSeconds(150))
                .build(), T0.plusSeconds(150));
        assertThat(triage.incidents()).as("a later acknowledgement or approval changes nothing").isEmpty();

        triage.send(Alerts.resolved("fp-db", "orders database CPU high").build(), T0.plusSeconds(300));
        triage.advanceWallClock(Duration.ofHours(1));
        IncidentOutcome outcome = values(triage.incidentOutcomes()).get(0);
        assertThat(outcome.getAcknowledgedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(outcome.getTimeToAcknowledgeMillis()).isEqualTo(90_000L);
    }

    @Test
    void aNoteAnAcknowledgementOfAnotherIncidentOrOfAClosedOneChangesNothing() {
        triage.send(Alerts.firing("fp-db", "orders database CPU high").build(), T0);
        String incidentId = triage.incidents().get(0).key();

        triage.response(IncidentResponse.newBuilder(acknowledgement(incidentId, "U0AAA1", T0.plusSeconds(10)))
                .setKind(ResponseKind.NOTE).setNote("looking at the slow queries").build(), T0.plusSeconds(10));
        triage.response(acknowledgement("fp-db-0", "U0AAA1", T0.plusSeconds(20)), T0.plusSeconds(20));
        triage.response(acknowledgement("fp-other-1", "U0AAA1", T0.plusSeconds(20)), T0.plusSeconds(20));
        assertThat(triage.incidents()).isEmpty();

        triage.send(Alerts.resolved("fp-db", "orders database CPU high").build(), T0.plusSeconds(60));
        triage.incidents();
        triage.response(acknowledgement(incidentId, "U0AAA1", T0.plusSeconds(70)), T0.plusSeconds(70));
        assertThat(triage.incidents()).as("a resolved incident is not acknowledged after the fact").isEmpty();
    }

    private static IncidentResponse acknowledgement(String incidentId, String by, Instant at) {
        return IncidentResponse.newBuilder().setIncidentId(incidentId).setKind(ResponseKind.ACKNOWLEDGED).setBy(by)
                .setChannel("slack").setAt(at).build();
    }

    @Test
    void anAlertWithNoKeyGoesToTheDeadLetterTopicSayingItMustBeKeyedByItsFingerprint() {
        triage.send(null, Alerts.firing("fp-1", "CPU high").build(), T0);
        triage.send("", Alerts.firing("fp-2", "CPU high").build(), T0);
        triage.send(Alerts.firing("fp-3", "CPU high").build(), T0.plusSeconds(1));

        assertThat(triage.deadLetters(triage.topics().names().alertsRaw())).hasSize(2).allSatisfy(r ->
                assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE)).contains("must be keyed by its fingerprint"));
        assertThat(values(triage.incidents())).extracting(Incident::getFingerprint).containsExactly("fp-3");
    }

    @Test
    void garbageOnAlertsRawGoesToTheDeadLetterTopicAndProcessingGoesOn() {
        byte[] garbage = "not an alert".getBytes(StandardCharsets.UTF_8);
        triage.sendBytes("fp-bad".getBytes(StandardCharsets.UTF_8), garbage, T0);
        triage.send(Alerts.firing("fp-good", "CPU high").build(), T0.plusSeconds(1));

        var deadLetters = triage.deadLetters(triage.topics().names().alertsRaw());
        assertThat(deadLetters).singleElement().satisfies(r -> {
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(DeadLetters.header(r.headers(), DeadLetters.TOPIC)).isEqualTo(triage.topics().names().alertsRaw());
            assertThat(DeadLetters.header(r.headers(), DeadLetters.OFFSET)).isEqualTo("0");
            assertThat(DeadLetters.header(r.headers(), DeadLetters.ERROR_MESSAGE)).isNotBlank();
        });
        assertThat(triage.incidents()).hasSize(1);
    }

    private static <V> List<V> values(List<TestRecord<String, V>> records) {
        return records.stream().map(TestRecord::value).toList();
    }

    private static <V> V last(List<TestRecord<String, V>> records) {
        assertThat(records).isNotEmpty();
        return records.get(records.size() - 1).value();
    }

    static Ownership ownership(String service, String team, String slack, String jira, List<String> resources) {
        return Ownership.newBuilder().setService(service).setTeam(team).setSlackChannel(slack).setJiraProject(jira)
                .setResources(resources).setUpdatedAt(T0).build();
    }
}
