package dev.nightshift.notifier.delivery;

import dev.nightshift.kafka.ConsumerHealthIndicator;
import dev.nightshift.notifier.jira.TicketSystem;
import dev.nightshift.notifier.paging.Pager;
import dev.nightshift.notifier.slack.SlackDelivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

/** Builds the delivery worker's parts: its targets (Slack, and the ticket tracker and pager when they are configured), metrics and readiness. */
@Factory
public class DeliveryFactory {
    @Singleton
    DeliveryMetrics deliveryMetrics(@Nullable MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    /** Without a TicketSystem or a Pager bean, their notifications are SKIPPED with a Delivery record saying so. */
    @Singleton
    Deliverer deliverer(SlackDelivery slack, @Nullable TicketSystem tickets, @Nullable Pager pager) {
        return new Deliverer(slack, new TicketDelivery(tickets), new PagerDelivery(pager));
    }

    /** 503 on /health and /health/readiness until the delivery worker has joined its group and has its assignment. */
    @Singleton
    @Readiness
    HealthIndicator deliveryReadiness(DeliveryConsumer consumer) {
        return new ConsumerHealthIndicator(consumer.loop());
    }
}
