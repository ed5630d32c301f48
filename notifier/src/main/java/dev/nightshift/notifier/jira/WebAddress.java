package dev.nightshift.notifier.jira;

import java.net.URI;
import java.util.Locale;

/**
 * What counts as a web address: an absolute http or https URI with a host. The Jira site, the PagerDuty API and every
 * link put on a ticket or a page must be one.
 */
public final class WebAddress {
    private WebAddress() {
    }

    public static boolean valid(String address) {
        if (address == null || address.isBlank() || address.length() > Adf.MAX_TEXT) {
            return false;
        }
        try {
            URI uri = new URI(address.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return uri.isAbsolute() && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** The setting's address, or a start failure naming the setting (the value is not a secret, but is not repeated either). */
    public static String required(String setting, String address, String example) {
        if (!valid(address)) {
            throw new IllegalStateException(setting + " must be an http(s) address such as " + example);
        }
        return address.trim();
    }
}
