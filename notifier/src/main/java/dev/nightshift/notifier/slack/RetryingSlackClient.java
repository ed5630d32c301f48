package dev.nightshift.notifier.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Keeps trying a message that Slack could not take for now (429, 5xx, unreachable) for up to a time
 * budget: before each new try it waits as long as Slack's {@code Retry-After} asked, or else backs off
 * from one second, doubling, and never more than {@code maxWait} at once. A permanent refusal is
 * thrown at once; the last retryable failure is thrown when the next wait would end past the budget.
 */
public final class RetryingSlackClient implements SlackClient {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingSlackClient.class);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

    /** Telling time and waiting; the tests' version only moves its own clock. */
    public interface Time {
        Time SYSTEM = new Time() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };

        /** A monotonic reading in nanoseconds, as {@link System#nanoTime()}. */
        long nanoTime();

        void sleep(Duration duration) throws InterruptedException;
    }

    private final SlackClient slack;
    private final Duration budget;
    private final Duration maxWait;
    private final Time time;

    /**
     * @param budget  how long one message may be retried, counted from its first try
     * @param maxWait the longest wait between two tries, whatever Slack's {@code Retry-After} asked
     */
    public RetryingSlackClient(SlackClient slack, Duration budget, Duration maxWait, Time time) {
        if (budget.isNegative() || maxWait.isNegative()) {
            throw new IllegalArgumentException("the retry budget and the longest wait cannot be negative");
        }
        this.slack = slack;
        this.budget = budget;
        this.maxWait = maxWait;
        this.time = time;
    }

    @Override
    public void post(Message message) {
        long start = time.nanoTime();
        Duration backoff = min(FIRST_BACKOFF, maxWait);
        for (int attempt = 1; ; attempt++) {
            try {
                slack.post(message);
                return;
            } catch (SlackException e) {
                if (!e.retryable()) {
                    throw e;
                }
                Duration wait = min(e.retryAfter().orElse(backoff), maxWait);
                Duration spent = Duration.ofNanos(time.nanoTime() - start);
                if (spent.plus(wait).compareTo(budget) > 0) {
                    throw new SlackException("Slack did not take the message in " + attempt + (attempt == 1 ? " try" : " tries")
                            + " over " + spent.toSeconds() + " s (retry budget " + budget.toSeconds() + " s)", true, e);
                }
                LOG.warn("Slack did not take a message (try {}): {}; trying again in {} ms", attempt, e.getMessage(), wait.toMillis());
                pause(wait, e);
                backoff = min(backoff.multipliedBy(2), maxWait);
            }
        }
    }

    private void pause(Duration wait, SlackException failure) {
        try {
            time.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackException("interrupted while waiting to retry", true, failure);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
