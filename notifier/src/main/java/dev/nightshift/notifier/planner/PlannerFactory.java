package dev.nightshift.notifier.planner;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.notifier.jira.JiraConfig;
import dev.nightshift.notifier.paging.Pager;
import dev.nightshift.notifier.slack.SlackAppConfig;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.function.Predicate;

/** Builds the planner inside the notifier: a team can be paged when the notifier has a pager that pages it; without one, nobody is. */
@Factory
public class PlannerFactory {
    @Singleton
    @Bean(preDestroy = "close")
    PlannerStreams plannerStreams(PlannerConfig config, SlackAppConfig slack, JiraConfig jira, PipelineSettings pipeline, Optional<Pager> pager) {
        Predicate<String> pages = pager.<Predicate<String>>map(p -> p::pages).orElse(team -> false);
        PlannerPolicy policy = config.policy(slack.getDefaultChannel(), jira.getDefaultProject());
        return new PlannerStreams(new PlannerRuntime(config, policy, pipeline, pages));
    }

    /** 503 on /health and /health/readiness until the planner's Streams app is RUNNING. */
    @Singleton
    @Readiness
    HealthIndicator plannerReadiness(PlannerStreams planner) {
        return new PlannerHealthIndicator(planner);
    }
}
