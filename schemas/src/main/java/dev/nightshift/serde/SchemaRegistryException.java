package dev.nightshift.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry call that did not succeed. The message says what happened and never carries
 * credentials. {@link #retryable()} is true when trying again later may succeed (unreachable,
 * server error), false when the request itself is wrong (incompatible schema, unknown id).
 */
public class SchemaRegistryException extends SerializationException {
    public enum Kind { UNREACHABLE, INCOMPATIBLE, UNKNOWN_ID, UNKNOWN_SUBJECT, INVALID_SCHEMA, UNAUTHORIZED, SERVER_ERROR }

    private final Kind kind;

    public SchemaRegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SchemaRegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind == Kind.UNREACHABLE || kind == Kind.SERVER_ERROR;
    }

    /**
     * Whether {@code error} (or a cause of it) is the registry's trouble rather than the record's: the registry
     * unreachable, failing, or refusing our credentials. A record that met such an error is not poison.
     */
    public static boolean isRegistryTrouble(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                return registry.retryable() || registry.kind() == Kind.UNAUTHORIZED;
            }
        }
        return false;
    }
}
