package dev.nightshift.workers;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.actions.Actions;
import dev.nightshift.workers.actions.AwsClients;
import dev.nightshift.workers.runner.RunnerMetrics;
import dev.nightshift.workers.executor.StepConsumer;
import dev.nightshift.workers.executor.StepExecutor;
import dev.nightshift.workers.executor.StepLoopReadiness;
import dev.nightshift.workers.executor.StepMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Builds the workers' parts from configuration: the pipeline settings, the AWS clients and the action catalog, the executor and its readiness check, the runner's metrics. */
@Factory
public class WorkersFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    /** The AWS clients of the actions, in the workers' region, at the endpoints the SDK's standard settings name. */
    @Singleton
    @Bean(preDestroy = "close")
    AwsClients awsClients(AwsConfig aws) {
        return AwsClients.inRegion(aws.getRegion());
    }

    /** The actions the workers run and the runner's playbooks may name. */
    @Singleton
    ActionCatalog actionCatalog(AwsClients clients) {
        return Actions.catalog(clients, Clock.systemUTC());
    }

    @Singleton
    RunnerMetrics runnerMetrics(MeterRegistry registry) {
        return new RunnerMetrics(registry);
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
