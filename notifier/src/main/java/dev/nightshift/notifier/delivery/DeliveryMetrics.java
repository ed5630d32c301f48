package dev.nightshift.notifier.delivery;

import dev.nightshift.schema.DeliveryStatus;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The delivery worker's counters on {@code /prometheus}, each by target (slack, ticket, pager) and channel (the Slack
 * channel, the ticket's project or the paged team): {@code nightshift_notifier_deliveries_total} by kind and status
 * (sent, found, failed, skipped), and {@code nightshift_notifier_delivery_retries_total} by reason ({@code rate-limited}
 * when the service asked us to wait, {@code failed} otherwise).
 */
public final class DeliveryMetrics {
    private final MeterRegistry registry;

    /** @param registry where the counters go; null: nowhere (a test's own) */
    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
    }

    void delivered(Notification n, DeliveryStatus status) {
        registry.counter("nightshift.notifier.deliveries", "target", name(n.getTarget()), "channel", channel(n),
                "kind", n.getKind().name().toLowerCase(), "status", status.name().toLowerCase()).increment();
    }

    void retried(Notification n, Throwable error) {
        registry.counter("nightshift.notifier.delivery.retries", "target", n == null ? "unknown" : name(n.getTarget()),
                "channel", n == null ? "unknown" : channel(n),
                "reason", DeliveryFailures.requestedWait(error).isPresent() ? "rate-limited" : "failed").increment();
    }

    /** Where it went: the Slack channel, the ticket's project, or the paged team. */
    static String channel(Notification n) {
        String where = switch (n.getTarget()) {
            case SLACK -> n.getSlackChannel();
            case TICKET -> n.getTicketProject();
            default -> n.getTeam();
        };
        return where == null || where.isBlank() ? "none" : where;
    }

    private static String name(NotificationTarget target) {
        return target.name().toLowerCase();
    }
}
