package dev.nightshift.notifier.slack;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keeps to Slack's pace: a token bucket per channel (Slack allows about one message per second in a channel, with
 * short bursts), and, once Slack answered 429, nothing to Slack at all until its {@code Retry-After} is over. A call
 * takes a token when it may go; otherwise it is told how long to wait, and takes nothing.
 */
public final class SlackPacer {
    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new HashMap<>();
    private long quietUntil;
    private boolean quiet;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /**
     * @param perSecond messages per second per channel, on average
     * @param burst     messages a quiet channel may take at once
     * @param nanoTime  the clock ({@link System#nanoTime} but in tests)
     */
    public SlackPacer(double perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a pace needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Zero when a message may go to the channel now (its token is taken); else how long until one may. */
    public synchronized Duration take(String channel) {
        long now = nanoTime.getAsLong();
        Duration quietFor = quietFor(now);
        if (!quietFor.isZero()) {
            return quietFor;
        }
        Bucket bucket = buckets.computeIfAbsent(channel, c -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.at) / 1e9 * perSecond);
        bucket.at = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / perSecond * 1e9));
    }

    /** Zero when Slack may be called now (a read, which takes no token); else how long Slack asked us to keep quiet. */
    public synchronized Duration quiet() {
        return quietFor(nanoTime.getAsLong());
    }

    /** Slack answered 429: nothing goes to it for {@code retryAfter}. */
    public synchronized void rateLimited(Duration retryAfter) {
        long until = nanoTime.getAsLong() + retryAfter.toNanos();
        if (!quiet || until - quietUntil > 0) {
            quietUntil = until;
            quiet = true;
        }
    }

    private Duration quietFor(long now) {
        if (quiet && quietUntil - now > 0) {
            return Duration.ofNanos(quietUntil - now);
        }
        quiet = false;
        return Duration.ZERO;
    }
}
