package dev.nightshift.ingest.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(2, 3, now::get);

    @Test
    void aKeyMayBurstThenWaitsForTheSustainedRate() {
        assertThat(limiter.tryAcquire("k")).isNull();
        assertThat(limiter.tryAcquire("k")).isNull();
        assertThat(limiter.tryAcquire("k")).isNull();

        Duration wait = limiter.tryAcquire("k");
        assertThat(wait).isNotNull().isBetween(Duration.ofMillis(499), Duration.ofMillis(501));

        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(limiter.tryAcquire("k")).isNull();
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("a");
        }

        assertThat(limiter.tryAcquire("a")).isNotNull();
        assertThat(limiter.tryAcquire("b")).isNull();
    }

    @Test
    void zeroRateMeansNoLimit() {
        RateLimiter off = new RateLimiter(0, 1, now::get);
        for (int i = 0; i < 100; i++) {
            assertThat(off.tryAcquire("k")).isNull();
        }
    }
}
