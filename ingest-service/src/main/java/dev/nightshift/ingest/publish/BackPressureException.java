package dev.nightshift.ingest.publish;

/** The service has as much work waiting as it may hold: the request is refused, to be retried. */
public final class BackPressureException extends RuntimeException {
    public BackPressureException(String message) {
        super(message, null, false, false);
    }
}
