package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.Silence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static dev.nightshift.notifier.planner.PlannerDriver.T0;
import static dev.nightshift.notifier.planner.PlannerDriver.incident;
import static dev.nightshift.notifier.planner.PlannerDriver.next;
import static dev.nightshift.notifier.planner.PlannerDriver.outcome;
import static dev.nightshift.notifier.planner.PlannerDriver.owner;
import static dev.nightshift.notifier.planner.PlannerDriver.ownership;
import static org.assertj.core.api.Assertions.assertThat;

/** Silences, and where an incident is told: its ticket's project and severities, a channel of its own. */
class SilencesAndDestinationsTest {
    private final PlannerDriver planner = new PlannerDriver();

    @AfterEach
    void close() {
        planner.close();
    }

    private static Silence silence(String team, String service, String alert, Instant until) {
        return Silence.newBuilder().setTeam(team).setService(service).setAlertName(alert).setUntil(until).setBy("sam@example.com")
                .setReason("maintenance").setAt(T0).build();
    }

    private List<String> threadsOf() {
        return planner.of(NotificationKind.THREAD).stream().map(Notification::getIncidentId).toList();
    }

    @Test
    void aSilencedServiceIsToldNothingWhileTheSilenceLastsAndIsPostedAtItsNextChangeAfterIt() {
        planner.silence(Silences.serviceKey("payments", "orders"), silence("payments", "orders", null, T0.plus(Duration.ofHours(1))));
        Incident silenced = incident("inc-1", T0).setSeverity(Severity.MEDIUM).build();
        planner.incident(silenced);
        planner.outcome(outcome(silenced, 0, OutcomeStatus.SUCCEEDED, T0.plusSeconds(5)).build());
        planner.incident(incident("inc-2", T0).setSeverity(Severity.MEDIUM).setCategory("ledger")
                .setOwner(owner("payments", "ledger", "#payments", "PAY")).build());
        planner.incident(incident("inc-3", T0).setSeverity(Severity.MEDIUM).setOwner(owner("search", "orders", "#search", "SRCH")).build());

        assertThat(planner.notifications()).as("another service of the team, and another team's service of that name, are told")
                .extracting(Notification::getIncidentId).doesNotContain("inc-1").contains("inc-2", "inc-3");

        planner.advance(Duration.ofHours(2));
        planner.incident(next(silenced, "repeated", IncidentState.OPEN, T0.plus(Duration.ofHours(2))));
        planner.incident(incident("inc-4", T0.plus(Duration.ofHours(2))).setSeverity(Severity.MEDIUM).build());

        assertThat(threadsOf()).containsExactly("inc-2", "inc-3", "inc-1", "inc-4");
        assertThat(planner.of(NotificationKind.REPLY)).as("what happened while silenced is not told after").isEmpty();
    }

    @Test
    void aSilenceOfAnAlertNameHoldsUntilItIsLifted() {
        planner.silence(Silences.alertKey("payments", "orders-read-throttle"),
                silence("payments", null, "orders-read-throttle", T0.plus(Duration.ofHours(4))));
        planner.incident(incident("inc-1", T0).build());
        planner.advance(Duration.ofMinutes(20));
        assertThat(planner.notifications()).as("no thread, no ticket, no page").isEmpty();

        planner.silence(Silences.alertKey("payments", "orders-read-throttle"),
                silence("payments", null, "orders-read-throttle", T0.plus(Duration.ofMinutes(20))));
        planner.incident(incident("inc-2", T0.plus(Duration.ofMinutes(21))).setSeverity(Severity.LOW).build());

        assertThat(threadsOf()).containsExactly("inc-2");
    }

    @Test
    void aTeamGetsTicketsForTheSeveritiesItAsksForInItsProjectOrTheDefaultOne() {
        planner.owns(ownership("orders", "payments").setJiraProject("PAY").setTicketSeverities(List.of("CRITICAL", "high")).build());
        planner.incident(incident("inc-1", T0).build());
        planner.incident(incident("inc-2", T0).setSeverity(Severity.MEDIUM).build());
        planner.incident(incident("inc-3", T0).setSeverity(Severity.LOW).setOwner(owner("search", "search-api", "#search", null)).build());

        assertThat(planner.of(NotificationKind.TICKET)).extracting(Notification::getIncidentId, Notification::getTicketProject)
                .containsExactly(org.assertj.core.api.Assertions.tuple("inc-1", "PAY"), org.assertj.core.api.Assertions.tuple("inc-3", "OPS"));
        planner.outcome(outcome(incident("inc-2", T0).build(), 0, OutcomeStatus.SUCCEEDED, T0).build());
        assertThat(planner.of(NotificationKind.TICKET_COMMENT)).as("no ticket, no comment").isEmpty();
    }

    @Test
    void withoutAnyProjectThereIsNoTicket() {
        try (PlannerDriver noDefault = new PlannerDriver(new PlannerPolicy(Duration.ofSeconds(30), Duration.ofMinutes(15), Severity.HIGH,
                "", ""), Set.of())) {
            Incident opened = incident("inc-1", T0).setOwner(owner("search", "search-api", "#search", null)).build();
            noDefault.incident(opened);
            noDefault.incident(next(opened, "resolved", IncidentState.RESOLVED, T0.plusSeconds(60)));

            assertThat(noDefault.notifications()).extracting(Notification::getKind).containsExactly(
                    NotificationKind.THREAD, NotificationKind.THREAD_UPDATE, NotificationKind.REPLY);
        }
    }

    @Test
    void aCriticalIncidentGetsAChannelOfItsOwnWhenItsTeamAsksForOne() {
        planner.owns(ownership("orders", "payments").setIncidentChannels(true).build());
        planner.owns(ownership("search-api", "search").build());
        planner.incident(incident("inc-1", T0).setSeverity(Severity.CRITICAL).build());
        planner.incident(incident("inc-2", T0).build());
        planner.incident(incident("inc-3", T0).setSeverity(Severity.CRITICAL).setOwner(owner("search", "search-api", "#search", null)).build());

        assertThat(planner.of(NotificationKind.INCIDENT_CHANNEL)).singleElement().satisfies(channel -> {
            assertThat(channel.getNotificationId()).isEqualTo("channel:inc-1");
            assertThat(channel.getThreadKey()).as("linked from the team's thread").startsWith("payments|database|#payments|");
        });
    }
}
