package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.playbook.PlaybookNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;

/**
 * The Kafka Streams app inside the service: the rules are loaded, and checked against the names of the
 * playbooks (a bad file stops the service), when the context starts; the app starts once the HTTP server is up, so it can
 * advertise the server's real port as its {@code application.server}; it closes on shutdown. The
 * app's Streams, consumer and producer metrics (consumer lag among them) are bound to /prometheus.
 */
@Context
public class TriageStreams implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(TriageStreams.class);

    private final TriageConfig config;
    private final TriageRuntime runtime;
    private final MeterRegistry meters;
    private volatile KafkaStreamsMetrics streamsMetrics;
    private volatile Throwable startFailure;
    private volatile String applicationServer;

    public TriageStreams(TriageConfig config, Environment environment, MeterRegistry meters) {
        this.config = config;
        this.meters = meters;
        PipelineSettings pipeline = PipelineSettings.from(key -> environment.getProperty(key, String.class)
                .filter(v -> !v.isBlank()).orElse(null));
        PlaybookNames playbooks = PlaybookNames.load(config.getPlaybooksFile());
        ClassificationRules rules = ClassificationRules.load(config.getRulesFile(), playbooks::contains);
        config.teamHours();   // hours that do not read stop the service at start, as a bad rules file does
        this.runtime = new TriageRuntime(config, pipeline, rules);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        applicationServer = config.getApplicationServer() == null || config.getApplicationServer().isBlank()
                ? config.getAdvertisedHost() + ":" + event.getSource().getPort() : config.getApplicationServer();
        try {
            runtime.start(applicationServer);
            KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(runtime.streams());
            metrics.bindTo(meters);
            streamsMetrics = metrics;
        } catch (RuntimeException e) {
            startFailure = e;
            LOG.error("triage streams could not start: {}", e.getMessage(), e);
        }
    }

    /** The running app, once started. */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(runtime.streams());
    }

    /** Since when ownership updates have been waiting for an unreachable schema registry; empty when they are not. */
    public Optional<Instant> ownershipWaitingForRegistrySince() {
        return runtime.ownershipWaitingForRegistrySince();
    }

    public Optional<Throwable> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    /** This instance's {@code host:port}, as other instances see it. */
    public String applicationServer() {
        return applicationServer;
    }

    public TriageConfig config() {
        return config;
    }

    @PreDestroy
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        runtime.close();
    }
}
