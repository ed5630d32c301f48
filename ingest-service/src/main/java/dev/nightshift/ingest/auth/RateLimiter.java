package dev.nightshift.ingest.auth;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: each key may make {@code burst} requests at once and
 * {@code perSecond} requests a second sustained. A refused request learns how long to wait.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
    }

    public RateLimiter(double perSecond, int burst) {
        this(perSecond, burst, System::nanoTime);
    }

    /** Null when the request may go ahead; otherwise how long the key must wait. */
    public Duration tryAcquire(String keyId) {
        if (perSecond <= 0) {
            return null;
        }
        Bucket bucket = buckets.computeIfAbsent(keyId, k -> new Bucket(burst, nanoTime.getAsLong()));
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedAt) / 1e9 * perSecond);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return null;
            }
            double seconds = (1 - bucket.tokens) / perSecond;
            return Duration.ofNanos((long) Math.ceil(seconds * 1e9));
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
