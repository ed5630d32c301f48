package dev.nightshift.notifier.interactions;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The interactions endpoint on /prometheus: {@code nightshift_slack_presses_total{button, result}} (each button
 * pressed: recorded, not-allowed, invalid, failed, ignored), {@code nightshift_slack_requests_refused_total{reason}}
 * (requests refused with 401: no-secret, unsigned, stale, forged, replayed) and
 * {@code nightshift_slack_answer_seconds} (how long Slack waited for each answer; it gives up after 3 s).
 */
public final class InteractionMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> presses = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Timer answers;

    public InteractionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answers = Timer.builder("nightshift.slack.answer").description("time to answer a Slack interaction request")
                .register(registry);
    }

    void pressed(String button, String result) {
        presses.computeIfAbsent(button + ":" + result, k -> Counter.builder("nightshift.slack.presses")
                .description("Slack buttons pressed, by button and what came of the press")
                .tag("button", button).tag("result", result).register(registry)).increment();
    }

    void refused(SlackSignatureVerifier.Verdict verdict) {
        refused.computeIfAbsent(verdict.tag(), k -> Counter.builder("nightshift.slack.requests.refused")
                .description("Slack interaction requests refused (401), by reason").tag("reason", k).register(registry)).increment();
    }

    void answered(Duration took) {
        answers.record(took);
    }
}
