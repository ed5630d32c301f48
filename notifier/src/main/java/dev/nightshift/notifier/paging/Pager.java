package dev.nightshift.notifier.paging;

import dev.nightshift.schema.Notification;

/**
 * Pages a team's on-call (PagerDuty's Events API v2 today): one alert per incident, its dedup key the incident id, so a
 * second trigger for the same incident is the same page. The routing key of each team is the pager's own
 * configuration (a secret), never from the ownership topic. Failures throw
 * {@link dev.nightshift.notifier.delivery.DeliveryException}.
 */
public interface Pager {
    /** Whether the team can be paged (its routing key is configured). */
    boolean pages(String team);

    /** Pages the team's on-call about the notification's incident; returns the dedup key. */
    String trigger(String team, Notification notification);

    /** Resolves the incident's page (its incident resolved). */
    void resolve(String team, String incidentId);
}
