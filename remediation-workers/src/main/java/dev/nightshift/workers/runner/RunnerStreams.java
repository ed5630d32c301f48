package dev.nightshift.workers.runner;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionCatalog;
import dev.nightshift.workers.playbook.Playbooks;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The playbook runner inside the workers service: its playbooks are read and checked when the bean is
 * built (a bad file stops the service, naming every problem), the Streams app starts when the
 * application has started and closes, leaving its group, on shutdown.
 */
@Singleton
public class RunnerStreams implements ApplicationEventListener<ApplicationStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(RunnerStreams.class);
    private final RunnerRuntime runtime;
    private volatile Throwable startFailure;

    public RunnerStreams(RunnerConfig config, WorkersConfig workers, PipelineSettings pipeline, ActionCatalog catalog, RunnerMetrics metrics) {
        Playbooks playbooks = Playbooks.load(config.getPlaybooksFile(), catalog::spec);
        this.runtime = new RunnerRuntime(config, pipeline, playbooks, catalog::spec, workers::dryRunFor, metrics);
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        try {
            runtime.start();
        } catch (RuntimeException e) {
            startFailure = e;
            LOG.error("the playbook runner could not start: {}", e.getMessage(), e);
        }
    }

    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(runtime.streams());
    }

    public Optional<Throwable> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    @PreDestroy
    void close() {
        runtime.close();
    }
}
