package dev.nightshift.notifier;

import io.micronaut.runtime.Micronaut;

/** Starts the notifier service. */
public final class NotifierApplication {
    private NotifierApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(NotifierApplication.class).banner(false).start();
    }
}
