package dev.nightshift.notifier.slack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Time for {@link RetryingSlackClient} in tests: a wait returns at once and moves the clock by its length. */
public final class FakeTime implements RetryingSlackClient.Time {
    private long now;
    private final List<Duration> waits = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        waits.add(duration);
        now += duration.toNanos();
    }

    /** Every wait so far, in order. */
    public synchronized List<Duration> waits() {
        return List.copyOf(waits);
    }

    public synchronized Duration waited() {
        return waits.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
