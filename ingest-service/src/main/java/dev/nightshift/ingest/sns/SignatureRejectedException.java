package dev.nightshift.ingest.sns;

import dev.nightshift.ingest.normalize.InvalidPayloadException;

/** An SNS message whose signature cannot be trusted: 403, and the payload is kept as rejected. */
public final class SignatureRejectedException extends InvalidPayloadException {
    public SignatureRejectedException(String message) {
        super(403, message, null);
    }
}
