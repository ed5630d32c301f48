package dev.nightshift.ingest;

import io.micronaut.runtime.Micronaut;

/** Starts the ingest service. */
public final class IngestApplication {
    private IngestApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(IngestApplication.class).banner(false).start();
    }
}
