package dev.nightshift.notifier;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import io.micronaut.core.async.publisher.Publishers;

import java.util.Map;

/** DOWN when the notification consumer stopped polling. */
@Singleton
public class ConsumerHealthIndicator implements HealthIndicator {
    private final NotificationConsumer consumer;

    public ConsumerHealthIndicator(NotificationConsumer consumer) {
        this.consumer = consumer;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean up = consumer.healthy();
        return Publishers.just(HealthResult.builder("notificationConsumer", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("polling", up)).build());
    }
}
