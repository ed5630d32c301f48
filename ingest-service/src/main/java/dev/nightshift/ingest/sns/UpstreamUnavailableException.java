package dev.nightshift.ingest.sns;

/**
 * Something outside the request that the service needs (the SNS signing certificate, the
 * subscription URL) cannot be reached now; the sender should retry (503).
 */
public final class UpstreamUnavailableException extends RuntimeException {
    public UpstreamUnavailableException(String message) {
        super(message, null, false, false);
    }
}
