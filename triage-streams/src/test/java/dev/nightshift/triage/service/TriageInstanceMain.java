package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.playbook.PlaybookNames;

import java.util.Map;

/**
 * One triage instance in a JVM of its own, for tests that kill an instance the hard way:
 * {@code TriageInstanceMain BOOTSTRAP REGISTRY_URL TOPIC_PREFIX APPLICATION_ID STATE_DIR}.
 */
public final class TriageInstanceMain {
    private TriageInstanceMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = Map.of("kafka.bootstrap.servers", args[0], "schema.registry.url", args[1],
                "nightshift.topics.prefix", args[2]);
        TriageRuntime runtime = new TriageRuntime(config(args[3], args[4]), PipelineSettings.from(settings::get),
                ClassificationRules.load(null, PlaybookNames.load(null)::contains));
        runtime.start(null);
        System.out.println("STARTED");
        Thread.currentThread().join();
    }

    /**
     * Settings that make a lost instance's partitions move quickly (a 6 s session, a 6 s transaction timeout), and
     * every repeat published on incidents, so that the outputs have a record for every alert.
     */
    static TriageConfig config(String applicationId, String stateDir) {
        TriageConfig config = new TriageConfig();
        config.setApplicationId(applicationId);
        config.setStateDir(stateDir);
        config.getStreams().put("session.timeout.ms", "6000");
        config.getStreams().put("heartbeat.interval.ms", "1000");
        config.getStreams().put("producer.transaction.timeout.ms", "6000");
        config.setRepeatPublishInterval(java.time.Duration.ZERO);
        return config;
    }
}
