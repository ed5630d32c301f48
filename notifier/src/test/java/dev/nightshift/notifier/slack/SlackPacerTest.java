package dev.nightshift.notifier.slack;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Slack's pace per channel, and the quiet after a 429, on a clock the test moves. */
class SlackPacerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SlackPacer pacer = new SlackPacer(1.0, 3, now::get);

    private void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Test
    void aQuietChannelTakesABurstThenOneMessageASecond() {
        assertThat(pacer.take("C1")).isZero();
        assertThat(pacer.take("C1")).isZero();
        assertThat(pacer.take("C1")).isZero();
        assertThat(pacer.take("C1")).as("the burst is spent").isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofMillis(400));
        assertThat(pacer.take("C1")).isEqualTo(Duration.ofMillis(600));
        advance(Duration.ofMillis(600));
        assertThat(pacer.take("C1")).isZero();
        assertThat(pacer.take("C1")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void eachChannelHasItsOwnPace() {
        for (int i = 0; i < 3; i++) {
            pacer.take("C1");
        }
        assertThat(pacer.take("C1")).isPositive();
        assertThat(pacer.take("C2")).isZero();
    }

    @Test
    void aWaitTakesNoToken() {
        for (int i = 0; i < 3; i++) {
            pacer.take("C1");
        }
        assertThat(pacer.take("C1")).isEqualTo(Duration.ofSeconds(1));
        assertThat(pacer.take("C1")).as("asking again does not push it further").isEqualTo(Duration.ofSeconds(1));
        advance(Duration.ofSeconds(1));
        assertThat(pacer.take("C1")).isZero();
    }

    @Test
    void afterA429NothingGoesToSlackUntilItsRetryAfterIsOver() {
        pacer.rateLimited(Duration.ofSeconds(5));
        advance(Duration.ofSeconds(2));

        assertThat(pacer.take("C1")).isEqualTo(Duration.ofSeconds(3));
        assertThat(pacer.take("C2")).isEqualTo(Duration.ofSeconds(3));
        assertThat(pacer.quiet()).isEqualTo(Duration.ofSeconds(3));
        pacer.rateLimited(Duration.ofSeconds(1));
        assertThat(pacer.quiet()).as("a shorter wait does not cut a longer one").isEqualTo(Duration.ofSeconds(3));

        advance(Duration.ofSeconds(3));
        assertThat(pacer.quiet()).isZero();
        assertThat(pacer.take("C1")).isZero();
    }
}
