package dev.nightshift.triage.analytics;

import java.time.Duration;
import java.time.Instant;

/** Crafted closed incidents for the figures' tests: opened at a time, acknowledged, resolved and acted on after it. */
final class Facts {
    private static int next;

    private String team = "payments";
    private String service = "checkout";
    private String category = "database";
    private String alertName = "orders db cpu";
    private String playbook;
    private Instant opened = Instant.parse("2026-11-20T10:00:00Z");
    private Duration acknowledged;
    private Duration resolved = Duration.ofMinutes(20);
    private Duration firstStep;
    private boolean byAutomation;
    private int automatedSteps;
    private int manualSteps;
    private boolean outOfHours;
    private boolean noise;

    static Facts incident() {
        return new Facts();
    }

    Facts team(String team) {
        this.team = team;
        return this;
    }

    Facts service(String service) {
        this.service = service;
        return this;
    }

    Facts kind(String category, String alertName) {
        this.category = category;
        this.alertName = alertName;
        return this;
    }

    Facts opened(String at) {
        this.opened = Instant.parse(at);
        return this;
    }

    Facts acknowledgedAfter(Duration d) {
        this.acknowledged = d;
        return this;
    }

    Facts resolvedAfter(Duration d) {
        this.resolved = d;
        return this;
    }

    Facts expired() {
        this.resolved = null;
        return this;
    }

    Facts playbook(String playbook, Duration firstStep, int automatedSteps, int manualSteps, boolean byAutomation) {
        this.playbook = playbook;
        this.firstStep = firstStep;
        this.automatedSteps = automatedSteps;
        this.manualSteps = manualSteps;
        this.byAutomation = byAutomation;
        return this;
    }

    Facts noise() {
        this.noise = true;
        return this;
    }

    Facts outOfHours() {
        this.outOfHours = true;
        return this;
    }

    IncidentFact build() {
        long openedAt = opened.toEpochMilli();
        return new IncidentFact("inc-" + (++next), team, service, category, alertName, playbook, openedAt,
                openedAt + (resolved == null ? Duration.ofHours(24) : resolved).toMillis(), resolved == null ? "EXPIRED" : "RESOLVED",
                resolved == null ? null : resolved.toMillis(), acknowledged == null ? null : acknowledged.toMillis(),
                firstStep == null ? null : firstStep.toMillis(), byAutomation, playbook != null, automatedSteps, manualSteps,
                outOfHours, 0, 0, noise);
    }
}
