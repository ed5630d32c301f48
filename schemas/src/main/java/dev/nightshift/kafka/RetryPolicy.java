package dev.nightshift.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How a consumer retries a record whose handling failed, declared once per consumer and carried out by
 * {@link RecordLoop}: which failures are worth another try (one classifier), how many tries or how much
 * time a record gets, how long to wait between tries (a backoff that doubles up to a cap, or the wait the
 * failure itself asks for, such as Slack's {@code Retry-After}, cut to the same cap), and what becomes of
 * the record when it is given up on: the dead-letter topic, unless the consumer hands it to its own
 * "gave up" handler.
 *
 * @param <V> the records' value type, for the "gave up" handler
 */
public final class RetryPolicy<V> {
    /** Takes a record given up on instead of the dead-letter topic. Throwing means it could not: it is tried again later. */
    @FunctionalInterface
    public interface GaveUp<V> {
        void gaveUp(ConsumerRecord<byte[], byte[]> record, V value, Exception error) throws Exception;
    }

    private final int attempts;
    private final Duration budget;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Predicate<Throwable> retryable;
    private final Function<Throwable, Optional<Duration>> requestedWait;
    private final GaveUp<V> gaveUp;

    private RetryPolicy(int attempts, Duration budget, Duration firstBackoff, Duration maxBackoff, Predicate<Throwable> retryable,
                        Function<Throwable, Optional<Duration>> requestedWait, GaveUp<V> gaveUp) {
        if (attempts < 1) {
            throw new IllegalArgumentException("a record needs at least one try, not " + attempts);
        }
        if (budget != null && budget.isNegative() || firstBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("a retry budget or a wait cannot be negative");
        }
        this.attempts = attempts;
        this.budget = budget;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.retryable = Objects.requireNonNull(retryable);
        this.requestedWait = Objects.requireNonNull(requestedWait);
        this.gaveUp = gaveUp;
    }

    /** One try; a failure dead-letters the record. */
    public static <V> RetryPolicy<V> none() {
        return new RetryPolicy<>(1, null, Duration.ZERO, Duration.ZERO, error -> false, error -> Optional.empty(), null);
    }

    /**
     * Up to {@code attempts} tries in all for a failure {@code retryable} accepts, waiting {@code firstBackoff}
     * after the first failure and twice as long after each next one, never more than {@code maxBackoff}.
     */
    public static <V> RetryPolicy<V> attempts(int attempts, Duration firstBackoff, Duration maxBackoff, Predicate<Throwable> retryable) {
        return new RetryPolicy<>(attempts, null, firstBackoff, maxBackoff, retryable, error -> Optional.empty(), null);
    }

    /**
     * Tries for as long as {@code budget}, counted from the record's first try: a record is given up on when
     * the next wait would end past it. Waits start at {@code firstBackoff} and double, never more than {@code maxBackoff}.
     */
    public static <V> RetryPolicy<V> within(Duration budget, Duration firstBackoff, Duration maxBackoff, Predicate<Throwable> retryable) {
        return new RetryPolicy<>(Integer.MAX_VALUE, Objects.requireNonNull(budget), firstBackoff, maxBackoff, retryable,
                error -> Optional.empty(), null);
    }

    /** Waits as long as a failure asks for (when it does) instead of the backoff, never longer than the longest wait. */
    public RetryPolicy<V> honouring(Function<Throwable, Optional<Duration>> requestedWait) {
        return new RetryPolicy<>(attempts, budget, firstBackoff, maxBackoff, retryable, requestedWait, gaveUp);
    }

    /** Hands a record given up on (retries used up, or a failure not worth retrying) to {@code gaveUp}, not to the dead-letter topic. */
    public RetryPolicy<V> onGiveUp(GaveUp<V> gaveUp) {
        return new RetryPolicy<>(attempts, budget, firstBackoff, maxBackoff, retryable, requestedWait, Objects.requireNonNull(gaveUp));
    }

    /**
     * How long to wait before the next try of a record that has failed {@code failures} times, the last time
     * with {@code error}, {@code sinceFirstTry} after its first try began; empty to give it up.
     */
    public Optional<Duration> nextTry(int failures, Duration sinceFirstTry, Throwable error) {
        if (failures >= attempts || !retryable.test(error)) {
            return Optional.empty();
        }
        Duration wait = min(requestedWait.apply(error).filter(d -> !d.isNegative()).orElseGet(() -> backoff(failures)), maxBackoff);
        if (budget != null && sinceFirstTry.plus(wait).compareTo(budget) > 0) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** The consumer's own handler for a record given up on; empty when it goes to the dead-letter topic. */
    public Optional<GaveUp<V>> gaveUpHandler() {
        return Optional.ofNullable(gaveUp);
    }

    private Duration backoff(int failures) {
        Duration wait = firstBackoff;
        for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        if (attempts == 1) {
            return "no retries, then " + (gaveUp == null ? "the dead-letter topic" : "the consumer's gave-up handler");
        }
        return (budget != null ? "retries for up to " + budget : attempts + " tries") + ", waiting " + firstBackoff + " doubling"
                + " up to " + maxBackoff + ", then "
                + (gaveUp == null ? "the dead-letter topic" : "the consumer's gave-up handler");
    }
}
