package dev.nightshift.notifier.secrets;

import java.util.Locale;

/**
 * Where a secret setting's value is: the setting's text itself, or a reference to a secret store.
 * {@code aws-secretsmanager:<secret id>[#<json key>]} is a secret of AWS Secrets Manager (by name or ARN), its whole
 * text or one key of the JSON object it holds; {@code aws-ssm:<parameter name>[#<json key>]} a parameter of SSM
 * Parameter Store (decrypted when it is a SecureString). Anything else is the secret itself. {@link #toString} names
 * the store and the reference, never a plain value.
 */
public record SecretReference(Kind kind, String id, String jsonKey) {
    static final String SECRETS_MANAGER_PREFIX = "aws-secretsmanager:";
    static final String SSM_PREFIX = "aws-ssm:";

    /** The stores a reference can name. */
    public enum Kind {
        PLAIN("a plain value"),
        SECRETS_MANAGER("AWS Secrets Manager"),
        SSM("SSM Parameter Store");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The reference a setting's value is; a value with neither prefix is {@link Kind#PLAIN}, its text the secret. */
    public static SecretReference parse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.startsWith(SECRETS_MANAGER_PREFIX)) {
            return reference(Kind.SECRETS_MANAGER, value.substring(SECRETS_MANAGER_PREFIX.length()));
        }
        if (lower.startsWith(SSM_PREFIX)) {
            return reference(Kind.SSM, value.substring(SSM_PREFIX.length()));
        }
        return new SecretReference(Kind.PLAIN, value, null);
    }

    private static SecretReference reference(Kind kind, String rest) {
        int hash = rest.lastIndexOf('#');
        String id = (hash < 0 ? rest : rest.substring(0, hash)).trim();
        String key = hash < 0 ? null : rest.substring(hash + 1).trim();
        if (id.isEmpty()) {
            throw new IllegalArgumentException(kind.label() + " reference names no " + (kind == Kind.SSM ? "parameter" : "secret"));
        }
        if (key != null && key.isEmpty()) {
            throw new IllegalArgumentException(kind.label() + " reference " + id + " has an empty JSON key after '#'");
        }
        return new SecretReference(kind, id, key);
    }

    public boolean plain() {
        return kind == Kind.PLAIN;
    }

    /** The store and what in it, for a log line or an error: never the value of a plain secret. */
    @Override
    public String toString() {
        return switch (kind) {
            case PLAIN -> kind.label();
            case SECRETS_MANAGER -> kind.label() + " secret " + id + (jsonKey == null ? "" : ", JSON key " + jsonKey);
            case SSM -> kind.label() + " parameter " + id + (jsonKey == null ? "" : ", JSON key " + jsonKey);
        };
    }
}
