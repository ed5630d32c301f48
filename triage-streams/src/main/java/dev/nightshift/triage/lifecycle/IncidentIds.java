package dev.nightshift.triage.lifecycle;

/**
 * Incident ids: {@code <fingerprint>-<opened time in base 36>}. Deterministic from the input (a
 * replay gives the same ids), unique per fingerprint, and they carry the fingerprint, which is
 * how records keyed by incident id find the state keyed by fingerprint.
 */
public final class IncidentIds {
    private IncidentIds() {
    }

    public static String next(String fingerprint, long openedAt, String previous) {
        String id = fingerprint + "-" + Long.toString(openedAt, 36);
        return id.equals(previous) ? fingerprint + "-" + Long.toString(openedAt + 1, 36) : id;
    }

    public static String fingerprintOf(String incidentId) {
        int dash = incidentId.lastIndexOf('-');
        return dash <= 0 ? incidentId : incidentId.substring(0, dash);
    }
}
