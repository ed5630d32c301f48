package dev.nightshift.triage;

import io.micronaut.runtime.Micronaut;

/** Starts the triage-streams service. */
public final class TriageApplication {
    private TriageApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(TriageApplication.class).banner(false).start();
    }
}
