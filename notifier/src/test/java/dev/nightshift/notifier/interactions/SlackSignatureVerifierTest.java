package dev.nightshift.notifier.interactions;

import dev.nightshift.notifier.interactions.SlackSignatureVerifier.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** Slack's request signing, case by case, on a clock the test moves. */
class SlackSignatureVerifierTest {
    private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final byte[] BODY = "payload=%7B%22type%22%3A%22block_actions%22%7D".getBytes(StandardCharsets.UTF_8);

    private final MovableClock clock = new MovableClock(NOW);
    private final SlackSignatureVerifier verifier = new SlackSignatureVerifier(() -> SECRET, clock);

    @Test
    void aRequestSignedWithTheSecretNowIsAccepted() {
        assertThat(verifier.verify(seconds(NOW), sign(SECRET, NOW, BODY), BODY)).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void theSignatureIsSlacksDocumentedOne() {
        // Slack's documented example: this secret, timestamp and body give this signature.
        byte[] body = ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c").getBytes(StandardCharsets.UTF_8);
        assertThat(SlackSignatureVerifier.sign(SECRET, "1531420618", body))
                .isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void aRequestSignedWithAnotherSecretIsForged() {
        assertThat(verifier.verify(seconds(NOW), sign("another-secret", NOW, BODY), BODY)).isEqualTo(Verdict.FORGED);
    }

    @Test
    void aBodyChangedAfterSigningIsForged() {
        byte[] altered = "payload=%7B%22type%22%3A%22block_actions%22%20%7D".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(seconds(NOW), sign(SECRET, NOW, BODY), altered)).isEqualTo(Verdict.FORGED);
    }

    @Test
    void aTimestampChangedAfterSigningIsForged() {
        Instant later = NOW.plusSeconds(1);
        assertThat(verifier.verify(seconds(later), sign(SECRET, NOW, BODY), BODY)).isEqualTo(Verdict.FORGED);
    }

    @Test
    void aSignatureNotInSlacksFormIsForged() {
        String hexOnly = sign(SECRET, NOW, BODY).substring(3);
        assertThat(verifier.verify(seconds(NOW), hexOnly, BODY)).isEqualTo(Verdict.FORGED);
        assertThat(verifier.verify(seconds(NOW), "v1=" + hexOnly, BODY)).isEqualTo(Verdict.FORGED);
    }

    @Test
    void aRequestSixMinutesOldOrSixMinutesAheadIsStaleEvenWhenWellSigned() {
        Instant old = NOW.minus(Duration.ofMinutes(6));
        Instant ahead = NOW.plus(Duration.ofMinutes(6));
        assertThat(verifier.verify(seconds(old), sign(SECRET, old, BODY), BODY)).isEqualTo(Verdict.STALE);
        assertThat(verifier.verify(seconds(ahead), sign(SECRET, ahead, BODY), BODY)).isEqualTo(Verdict.STALE);
        assertThat(verifier.verify("yesterday", sign(SECRET, NOW, BODY), BODY)).isEqualTo(Verdict.STALE);

        Instant fourMinutesOld = NOW.minus(Duration.ofMinutes(4));
        assertThat(verifier.verify(seconds(fourMinutesOld), sign(SECRET, fourMinutesOld, BODY), BODY)).isEqualTo(Verdict.ACCEPTED);
    }

    @Test
    void theSameSignedRequestAgainWithinTheWindowIsAReplay() {
        String signature = sign(SECRET, NOW, BODY);
        assertThat(verifier.verify(seconds(NOW), signature, BODY)).isEqualTo(Verdict.ACCEPTED);

        clock.move(Duration.ofMinutes(2));
        assertThat(verifier.verify(seconds(NOW), signature, BODY)).isEqualTo(Verdict.REPLAYED);
        clock.move(Duration.ofMinutes(4));
        assertThat(verifier.verify(seconds(NOW), signature, BODY)).as("past the window it is stale, not new").isEqualTo(Verdict.STALE);
    }

    @Test
    void signaturesAreRememberedOnlyWhileTheyCouldBeReplayed() {
        verifier.verify(seconds(NOW), sign(SECRET, NOW, BODY), BODY);
        clock.move(Duration.ofMinutes(11));
        Instant later = clock.instant();
        assertThat(verifier.verify(seconds(later), sign(SECRET, later, BODY), BODY)).isEqualTo(Verdict.ACCEPTED);

        assertThat(verifier.remembered()).isEqualTo(1);
    }

    @Test
    void aRequestWithoutItsSigningHeadersIsUnsigned() {
        assertThat(verifier.verify(null, sign(SECRET, NOW, BODY), BODY)).isEqualTo(Verdict.UNSIGNED);
        assertThat(verifier.verify(seconds(NOW), null, BODY)).isEqualTo(Verdict.UNSIGNED);
        assertThat(verifier.verify(" ", "", BODY)).isEqualTo(Verdict.UNSIGNED);
    }

    @Test
    void withNoSecretConfiguredEveryRequestIsRefused() {
        SlackSignatureVerifier unconfigured = new SlackSignatureVerifier(() -> null, clock);
        SlackSignatureVerifier blank = new SlackSignatureVerifier(() -> " ", clock);

        assertThat(unconfigured.verify(seconds(NOW), sign(SECRET, NOW, BODY), BODY)).isEqualTo(Verdict.NO_SECRET);
        assertThat(blank.verify(seconds(NOW), sign(" ", NOW, BODY), BODY)).isEqualTo(Verdict.NO_SECRET);
    }

    static String seconds(Instant at) {
        return Long.toString(at.getEpochSecond());
    }

    static String sign(String secret, Instant at, byte[] body) {
        return SlackSignatureVerifier.sign(secret, seconds(at), body);
    }

    /** A clock the test moves forward. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
