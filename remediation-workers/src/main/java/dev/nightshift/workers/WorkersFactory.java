package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.executor.StepConsumer;
import dev.nightshift.workers.executor.StepExecutor;
import dev.nightshift.workers.executor.StepLoopReadiness;
import dev.nightshift.workers.executor.StepMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/** Builds the workers' parts from configuration: the pipeline settings, the action catalog, the executor and its readiness check. */
@Factory
public class WorkersFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    /**
     * The actions this worker runs, by name. WIRING: the AWS actions (their clients in {@code AwsClients}, built from
     * {@link AwsConfig}, and the static list of all of them) are written in the actions branch; when they land, this
     * method takes an {@code AwsClients} bean and its one line becomes {@code return new ActionCatalog(<that list>(clients));}.
     * Until then no action implements the new interface, and every request is refused as an unknown action.
     */
    @Singleton
    ActionCatalog actionCatalog() {
        return new ActionCatalog(List.of());
    }

    @Singleton
    StepMetrics stepMetrics(MeterRegistry registry) {
        return new StepMetrics(registry);
    }

    @Singleton
    StepExecutor stepExecutor(ActionCatalog catalog, WorkersConfig config, AwsConfig aws, StepMetrics metrics) {
        return new StepExecutor(catalog, config, aws.getRegion(), Clock.systemUTC(), metrics);
    }

    /** 503 on /health and /health/readiness until the executor's consumer has joined its group and has its assignment. */
    @Singleton
    @Readiness
    HealthIndicator stepLoopReadiness(StepConsumer consumer) {
        return new StepLoopReadiness(consumer.loop());
    }
}
