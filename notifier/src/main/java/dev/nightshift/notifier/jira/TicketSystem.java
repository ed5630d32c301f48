package dev.nightshift.notifier.jira;

import dev.nightshift.schema.Notification;

import java.util.Optional;

/**
 * A ticket tracker, one ticket per incident: Jira Cloud today ({@code JiraTicketSystem}), another tracker behind the
 * same calls later. Every call either does what it says or throws {@link dev.nightshift.notifier.delivery.DeliveryException}
 * (retryable or not); the delivery worker decides what to do with it. The finders let a delivery that was cut short
 * (the notifier killed after the tracker answered) be found instead of made twice.
 */
public interface TicketSystem {
    /** The incident's ticket in the project, found by the marker {@link #create} left on it (Jira: a label naming the incident id). */
    Optional<Ticket> find(String project, String incidentId);

    /** Creates the incident's ticket (summary: the incident's title; description: what it is, its owner, its links), marked with its incident id. */
    Ticket create(String project, Notification notification);

    /** The id of the ticket's comment made for this notification, if there is one (found by the marker {@link #comment} leaves). */
    Optional<String> findComment(Ticket ticket, String notificationId);

    /** Comments on the ticket for the notification (a step's outcome, an approval, a hand-over), marked with its id; returns the comment's id. */
    String comment(Ticket ticket, Notification notification);

    /** Moves the ticket to done ({@code resolve}) or back ({@code reopen}); nothing when it is there already. */
    void transition(Ticket ticket, String transition);

    /** A ticket: its key (e.g. {@code OPS-42}) and the address people open. */
    record Ticket(String key, String url) {
    }
}
