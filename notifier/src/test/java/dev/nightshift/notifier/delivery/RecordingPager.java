package dev.nightshift.notifier.delivery;

import dev.nightshift.notifier.paging.Pager;
import dev.nightshift.schema.Notification;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A pager standing in for PagerDuty in the delivery's tests: it pages the teams it is given and records every call. */
public final class RecordingPager implements Pager {
    private final Set<String> teams;
    private final List<String> calls = new ArrayList<>();

    public RecordingPager(String... teams) {
        this.teams = Set.of(teams);
    }

    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public boolean pages(String team) {
        return teams.contains(team);
    }

    @Override
    public synchronized String trigger(String team, Notification notification) {
        calls.add("trigger " + team + " " + notification.getIncidentId());
        return notification.getIncidentId();
    }

    @Override
    public synchronized void resolve(String team, String incidentId) {
        calls.add("resolve " + team + " " + incidentId);
    }
}
