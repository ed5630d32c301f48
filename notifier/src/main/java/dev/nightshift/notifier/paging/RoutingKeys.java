package dev.nightshift.notifier.paging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code PAGERDUTY_ROUTING_KEYS}: {@code team=key} entries separated by commas, each key a routing key or a
 * secret reference. A malformed entry is named by its position, never by its text (it may hold a key).
 */
final class RoutingKeys {
    private RoutingKeys() {
    }

    /** Team to key (or reference), in the order written. */
    static Map<String, String> parse(String setting) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (setting == null || setting.isBlank()) {
            return keys;
        }
        String[] entries = setting.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String team = equals < 0 ? "" : entry.substring(0, equals).trim();
            String key = equals < 0 ? "" : entry.substring(equals + 1).trim();
            if (team.isEmpty() || key.isEmpty()) {
                throw new IllegalArgumentException("PAGERDUTY_ROUTING_KEYS: entry " + (i + 1) + " is not team=key");
            }
            if (keys.put(team, key) != null) {
                throw new IllegalArgumentException("PAGERDUTY_ROUTING_KEYS: team " + team + " is given twice");
            }
        }
        return keys;
    }
}
