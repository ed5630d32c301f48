package dev.nightshift.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The waits a policy gives a failing record, and when it gives the record up. */
class RetryPolicyTest {
    private static final IOException UNREACHABLE = new IOException("connection refused");
    private static final IllegalArgumentException REFUSED = new IllegalArgumentException("bad request");

    /** A failure that asks for its own wait, as Slack's 429 with Retry-After does. */
    private static final class AskedToWait extends IOException {
        final Duration wait;

        AskedToWait(Duration wait) {
            super("rate limited");
            this.wait = wait;
        }
    }

    private static boolean retryable(Throwable error) {
        return error instanceof IOException;
    }

    private static Optional<Duration> askedFor(Throwable error) {
        return error instanceof AskedToWait asked ? Optional.of(asked.wait) : Optional.empty();
    }

    @Test
    void attemptsCountEveryTryAndTheWaitsDouble() {
        RetryPolicy<String> policy = RetryPolicy.attempts(4, Duration.ofMillis(500), Duration.ofSeconds(30), RetryPolicyTest::retryable);

        assertThat(policy.nextTry(1, Duration.ZERO, UNREACHABLE)).contains(Duration.ofMillis(500));
        assertThat(policy.nextTry(2, Duration.ofSeconds(1), UNREACHABLE)).contains(Duration.ofSeconds(1));
        assertThat(policy.nextTry(3, Duration.ofSeconds(2), UNREACHABLE)).contains(Duration.ofSeconds(2));
        assertThat(policy.nextTry(4, Duration.ofSeconds(4), UNREACHABLE)).as("the fourth failure was the last try").isEmpty();
    }

    @Test
    void aFailureTheClassifierCallsPermanentIsGivenUpAtOnce() {
        RetryPolicy<String> policy = RetryPolicy.attempts(4, Duration.ofMillis(500), Duration.ofSeconds(30), RetryPolicyTest::retryable);

        assertThat(policy.nextTry(1, Duration.ZERO, REFUSED)).isEmpty();
        assertThat(RetryPolicy.<String>none().nextTry(1, Duration.ZERO, UNREACHABLE)).isEmpty();
    }

    @Test
    void aBudgetGivesUpWhenTheNextWaitWouldEndPastIt() {
        Duration budget = Duration.ofMinutes(2);
        RetryPolicy<String> policy = RetryPolicy.within(budget, Duration.ofSeconds(1), Duration.ofSeconds(30), RetryPolicyTest::retryable);

        List<Duration> waits = new ArrayList<>();
        Duration spent = Duration.ZERO;
        for (int failures = 1; ; failures++) {
            Optional<Duration> wait = policy.nextTry(failures, spent, UNREACHABLE);
            if (wait.isEmpty()) {
                break;
            }
            waits.add(wait.get());
            spent = spent.plus(wait.get());
        }
        // 1 + 2 + 4 + 8 + 16 + 30 + 30 s; a further 30 s would end after the two minutes
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8),
                Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30));
        assertThat(spent).isLessThanOrEqualTo(budget);
    }

    @Test
    void theWaitAFailureAsksForIsHonouredUpToTheLongestWait() {
        RetryPolicy<String> policy = RetryPolicy.<String>within(Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(30),
                RetryPolicyTest::retryable).honouring(RetryPolicyTest::askedFor);

        assertThat(policy.nextTry(1, Duration.ZERO, new AskedToWait(Duration.ofSeconds(7)))).contains(Duration.ofSeconds(7));
        assertThat(policy.nextTry(1, Duration.ZERO, new AskedToWait(Duration.ofMinutes(10)))).contains(Duration.ofSeconds(30));
        assertThat(policy.nextTry(2, Duration.ZERO, UNREACHABLE)).as("without a wait asked for, the backoff").contains(Duration.ofSeconds(2));
        assertThat(policy.nextTry(1, Duration.ofSeconds(115), new AskedToWait(Duration.ofSeconds(7))))
                .as("a wait asked for still ends within the budget").isEmpty();
    }

    @Test
    void aRecordGivenUpOnGoesToTheDeadLetterTopicUnlessTheConsumerTakesIt() {
        RetryPolicy<String> deadLetters = RetryPolicy.attempts(3, Duration.ofMillis(500), Duration.ofSeconds(30), RetryPolicyTest::retryable);
        RetryPolicy<String> recordsIt = deadLetters.onGiveUp((record, value, error) -> { });

        assertThat(deadLetters.gaveUpHandler()).isEmpty();
        assertThat(recordsIt.gaveUpHandler()).isPresent();
        assertThat(recordsIt.nextTry(1, Duration.ZERO, UNREACHABLE)).as("the retries are the same").contains(Duration.ofMillis(500));
    }

    @Test
    void aPolicyWithoutATryIsRefused() {
        assertThatThrownBy(() -> RetryPolicy.attempts(0, Duration.ZERO, Duration.ZERO, e -> true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.within(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, e -> true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
