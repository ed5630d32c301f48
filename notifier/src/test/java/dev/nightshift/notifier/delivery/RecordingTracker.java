package dev.nightshift.notifier.delivery;

import dev.nightshift.notifier.jira.TicketSystem;
import dev.nightshift.schema.Notification;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A ticket tracker standing in for Jira in the delivery's tests: it keeps its tickets and comments and records every call. */
public final class RecordingTracker implements TicketSystem {
    private final Map<String, Ticket> tickets = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> comments = new LinkedHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private int next = 1;

    /** A ticket the tracker holds already, as if made before. */
    public synchronized RecordingTracker holding(String project, String incidentId, String key) {
        tickets.put(project + "/" + incidentId, new Ticket(key, "https://jira.example/browse/" + key));
        return this;
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public synchronized Optional<Ticket> find(String project, String incidentId) {
        calls.add("find " + project + " " + incidentId);
        return Optional.ofNullable(tickets.get(project + "/" + incidentId));
    }

    @Override
    public synchronized Ticket create(String project, Notification notification) {
        Ticket ticket = new Ticket(project + "-" + next++, null);
        calls.add("create " + project + " " + notification.getIncidentId() + " -> " + ticket.key());
        tickets.put(project + "/" + notification.getIncidentId(), ticket);
        return ticket;
    }

    @Override
    public synchronized Optional<String> findComment(Ticket ticket, String notificationId) {
        calls.add("findComment " + ticket.key() + " " + notificationId);
        return Optional.ofNullable(comments.getOrDefault(ticket.key(), Map.of()).get(notificationId));
    }

    @Override
    public synchronized String comment(Ticket ticket, Notification notification) {
        String id = "c" + next++;
        calls.add("comment " + ticket.key() + " " + notification.getNotificationId() + " -> " + id);
        comments.computeIfAbsent(ticket.key(), k -> new LinkedHashMap<>()).put(notification.getNotificationId(), id);
        return id;
    }

    @Override
    public synchronized void transition(Ticket ticket, String transition) {
        calls.add("transition " + ticket.key() + " " + transition);
    }
}
