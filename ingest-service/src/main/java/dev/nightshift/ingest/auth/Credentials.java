package dev.nightshift.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads the key a sender presents: {@code Authorization: Bearer <key>}, HTTP Basic (the password
 * is the key, the user name is ignored: an SNS subscription URL can only carry credentials this way),
 * or the key as it is in the custom key header (for senders such as Datadog).
 */
public final class Credentials {
    private Credentials() {
    }

    /** The presented key, or null when there is none or the header is malformed. */
    public static String presentedKey(String authorization, String customHeader) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            int space = value.indexOf(' ');
            if (space > 0) {
                String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
                String rest = value.substring(space + 1).trim();
                if (scheme.equals("bearer")) {
                    return rest.isEmpty() ? null : rest;
                }
                if (scheme.equals("basic")) {
                    return basicPassword(rest);
                }
            }
        }
        if (customHeader != null && !customHeader.isBlank()) {
            return customHeader.trim();
        }
        return null;
    }

    private static String basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            String password = decoded.substring(colon + 1);
            return password.isEmpty() ? null : password;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
