package dev.nightshift.notifier.delivery;

import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The delivery worker's counters on {@code /prometheus}: {@code notifier_deliveries_total} by target (slack, ticket,
 * pager), kind and status (sent, found, failed, skipped), and {@code notifier_delivery_retries_total} by target and
 * reason ({@code rate-limited} when the service asked us to wait, {@code failed} otherwise).
 */
public final class DeliveryMetrics {
    private final MeterRegistry registry;

    /** @param registry where the counters go; null: nowhere (a test's own) */
    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    }

    void delivered(Notification n, DeliveryStatus status) {
        registry.counter("notifier.deliveries", "target", name(n.getTarget()), "kind", n.getKind().name().toLowerCase(),
                "status", status.name().toLowerCase()).increment();
    }

    void retried(Notification n, Throwable error) {
        registry.counter("notifier.delivery.retries", "target", n == null ? "unknown" : name(n.getTarget()),
                "reason", DeliveryFailures.requestedWait(error).isPresent() ? "rate-limited" : "failed").increment();
    }

    private static String name(NotificationTarget target) {
        return target.name().toLowerCase();
    }
}
