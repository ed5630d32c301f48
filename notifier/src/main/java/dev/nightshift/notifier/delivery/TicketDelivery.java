package dev.nightshift.notifier.delivery;

import dev.nightshift.notifier.jira.TicketSystem;
import dev.nightshift.notifier.jira.TicketSystem.Ticket;
import dev.nightshift.schema.Notification;

import java.util.Optional;

/**
 * Tickets through the {@link TicketSystem}: TICKET makes sure the incident has its ticket (looked up before it is made,
 * ref: its key, on the ledger as {@code ticket:<incidentId>}); TICKET_COMMENT comments on it (at most once, found again
 * by the comment's marker); TICKET_TRANSITION moves it (idempotent). Without a tracker, or without a project or a
 * ticket for the incident, nothing is sent and the Delivery record says why.
 */
public final class TicketDelivery implements Target {
    private final TicketSystem tickets;

    /** @param tickets the tracker, or null when none is configured */
    public TicketDelivery(TicketSystem tickets) {
        this.tickets = tickets;
    }

    /** The ledger's name of an incident's ticket (the TICKET notification's id). */
    public static String ticketId(String incidentId) {
        return "ticket:" + incidentId;
    }

    @Override
    public Action plan(Notification n, LedgerView ledger) {
        String project = n.getTicketProject();
        if (tickets == null) {
            return new Action.Skip(project, "no ticket tracker is configured (JIRA_URL)");
        }
        switch (n.getKind()) {
            case TICKET -> {
                if (project == null || project.isBlank()) {
                    return new Action.Skip(null, "the incident's owner has no ticket project");
                }
                return new Action.Create(project, Action.NOW, () -> tickets.create(project, n).key(),
                        startedAt -> tickets.find(project, n.getIncidentId()).map(Ticket::key), true);
            }
            case TICKET_COMMENT -> {
                Optional<Ticket> ticket = ticket(n, ledger);
                if (ticket.isEmpty()) {
                    return new Action.Skip(project, "the incident has no ticket");
                }
                Ticket on = ticket.get();
                return new Action.Create(on.key(), Action.NOW, () -> tickets.comment(on, n),
                        startedAt -> tickets.findComment(on, n.getNotificationId()), false);
            }
            case TICKET_TRANSITION -> {
                Optional<Ticket> ticket = ticket(n, ledger);
                if (ticket.isEmpty()) {
                    return new Action.Skip(project, "the incident has no ticket");
                }
                if (n.getTransition() == null || n.getTransition().isBlank()) {
                    throw new InvalidNotification("a ticket transition without a transition (resolve or reopen)");
                }
                Ticket on = ticket.get();
                return new Action.Edit(on.key(), Action.NOW, () -> {
                    tickets.transition(on, n.getTransition());
                    return on.key();
                });
            }
            default -> throw new InvalidNotification("a " + n.getKind() + " notification is not for the ticket tracker");
        }
    }

    /** The incident's ticket: as the ledger has it (its key; the tracker knows its address), else as the tracker finds it. */
    private Optional<Ticket> ticket(Notification n, LedgerView ledger) {
        Optional<LedgerView.Made> made = ledger.made(ticketId(n.getIncidentId()));
        if (made.isPresent() && made.get().ref() != null) {
            return Optional.of(new Ticket(made.get().ref(), null));
        }
        String project = n.getTicketProject();
        return project == null || project.isBlank() ? Optional.empty() : tickets.find(project, n.getIncidentId());
    }
}
