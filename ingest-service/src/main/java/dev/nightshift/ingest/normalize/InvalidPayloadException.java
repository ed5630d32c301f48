package dev.nightshift.ingest.normalize;

/**
 * A sender's mistake: the request is refused with a 4xx status and a message that says what is
 * wrong (and which field, when one is to blame). The message goes back to the sender, so it never
 * carries a secret or a stack trace.
 */
public class InvalidPayloadException extends RuntimeException {
    private final int status;
    private final String field;

    public InvalidPayloadException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    /** A 400 naming the field at fault. */
    public static InvalidPayloadException badField(String field, String message) {
        return new InvalidPayloadException(400, "field '" + field + "' " + message, field);
    }

    public static InvalidPayloadException badRequest(String message) {
        return new InvalidPayloadException(400, message, null);
    }

    public static InvalidPayloadException forbidden(String message) {
        return new InvalidPayloadException(403, message, null);
    }

    public int status() {
        return status;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
