package dev.nightshift.workers;

import io.micronaut.runtime.Micronaut;

/** Starts the remediation-workers service. */
public final class WorkersApplication {
    private WorkersApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(WorkersApplication.class).banner(false).start();
    }
}
