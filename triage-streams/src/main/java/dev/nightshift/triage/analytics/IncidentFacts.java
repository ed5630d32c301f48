package dev.nightshift.triage.analytics;

import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.IncidentHistory;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.NotificationTarget;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.RemediationOutcome;

import java.time.Duration;
import java.util.Optional;

/** Reads an {@link IncidentFact} off an incident's history once its outcome is there. */
public final class IncidentFacts {
    /** Service of an incident whose owner names none. */
    public static final String NO_SERVICE = "(none)";

    private final TeamHours hours;
    private final Duration noiseThreshold;

    /** @param noiseThreshold an incident resolved by itself within this, with nobody acting, is noise */
    public IncidentFacts(TeamHours hours, Duration noiseThreshold) {
        this.hours = hours;
        this.noiseThreshold = noiseThreshold;
    }

    /** The fact of a closed incident; empty while it is open (its outcome not published yet). */
    public Optional<IncidentFact> of(IncidentHistory history) {
        IncidentOutcome outcome = history.getOutcome();
        if (outcome == null) {
            return Optional.empty();
        }
        String team = outcome.getOwner().getTeam();
        int manualSteps = (int) history.getSteps().stream().filter(s -> s.getStatus() == OutcomeStatus.HANDED_OVER)
                .map(RemediationOutcome::getRequestId).distinct().count();
        boolean playbookRan = !history.getLatestRuns().isEmpty() || !history.getSteps().isEmpty();
        int pages = 0;
        int pagesOutOfHours = 0;
        for (Delivery page : history.getDeliveries().stream().filter(IncidentFacts::isPage).toList()) {
            pages++;
            if (hours.outOfHours(team, page.getAt())) {
                pagesOutOfHours++;
            }
        }
        Long resolve = outcome.getTimeToResolveMillis();
        boolean noise = resolve != null && resolve <= noiseThreshold.toMillis() && outcome.getAcknowledgedAt() == null
                && outcome.getAutomatedActions() == 0 && manualSteps == 0;
        String service = outcome.getOwner().getService();
        return Optional.of(new IncidentFact(outcome.getIncidentId(), team, service == null ? NO_SERVICE : service,
                outcome.getCategory(), outcome.getName(), outcome.getPlaybook(), outcome.getOpenedAt().toEpochMilli(),
                outcome.getClosedAt().toEpochMilli(), outcome.getFinalState().name(), resolve, outcome.getTimeToAcknowledgeMillis(),
                outcome.getTimeToFirstActionMillis(), outcome.getResolvedByAutomation(), playbookRan, outcome.getAutomatedActions(),
                manualSteps, hours.outOfHours(team, outcome.getOpenedAt()), pages, pagesOutOfHours, noise));
    }

    /** A page to the on-call that reached it (sent, or found sent after an interruption). */
    static boolean isPage(Delivery delivery) {
        return delivery.getTarget() == NotificationTarget.PAGER && delivery.getKind() == NotificationKind.PAGE_TRIGGER
                && (delivery.getStatus() == DeliveryStatus.SENT || delivery.getStatus() == DeliveryStatus.FOUND);
    }
}
