package dev.nightshift.notifier.interactions;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Slack's request signing: a request is Slack's when {@code X-Slack-Signature} is {@code v0=} and the hex HMAC-SHA256,
 * keyed by the app's signing secret, of {@code v0:<X-Slack-Request-Timestamp>:<the body exactly as received>}
 * (compared in constant time), its timestamp is within {@link #TOLERANCE} of now either way, and the same signature
 * has not been accepted before within that window (a replay). The signatures accepted are remembered in this
 * instance only, until their timestamp leaves the window: several instances behind a load balancer each refuse a
 * replay they received themselves.
 */
public final class SlackSignatureVerifier {
    /** How far a request's timestamp may be from now, either way (Slack's own recommendation). */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String VERSION = "v0";

    /** What a request is found to be. Only {@link #ACCEPTED} may change anything. */
    public enum Verdict {
        ACCEPTED, NO_SECRET, UNSIGNED, STALE, FORGED, REPLAYED;

        /** How it is counted on /prometheus. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Supplier<String> secret;
    private final Clock clock;
    /** Signature accepted -> until when (epoch seconds) a replay of it would still be inside the window. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    /** @param secret the signing secret, read at each request (null or blank: none configured, every request refused) */
    public SlackSignatureVerifier(Supplier<String> secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    public Verdict verify(String timestamp, String signature, byte[] body) {
        String key = secret.get();
        if (key == null || key.isBlank()) {
            return Verdict.NO_SECRET;
        }
        if (timestamp == null || signature == null || timestamp.isBlank() || signature.isBlank()) {
            return Verdict.UNSIGNED;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Verdict.STALE;
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - sentAt) > TOLERANCE.toSeconds()) {
            return Verdict.STALE;
        }
        byte[] expected = sign(key, timestamp.trim(), body == null ? new byte[0] : body).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, signature.trim().getBytes(StandardCharsets.UTF_8))) {
            return Verdict.FORGED;
        }
        return firstTime(signature.trim(), sentAt + TOLERANCE.toSeconds(), now) ? Verdict.ACCEPTED : Verdict.REPLAYED;
    }

    /** {@code v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">}, as Slack signs a request. */
    public static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((VERSION + ":" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
            return VERSION + "=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Remembers an accepted signature until it leaves the window; false when it was already there. */
    private synchronized boolean firstTime(String signature, long replayableUntil, long now) {
        for (Iterator<Map.Entry<String, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < now) {
                it.remove();
            }
        }
        return seen.putIfAbsent(signature, replayableUntil) == null;
    }

    /** How many signatures are remembered (for tests of the window). */
    synchronized int remembered() {
        return seen.size();
    }
}
