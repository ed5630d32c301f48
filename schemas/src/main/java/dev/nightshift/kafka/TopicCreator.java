package dev.nightshift.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates topics that must exist before anyone writes to them (clusters usually run with topic
 * auto-creation off), once each per process. A topic that already exists is fine.
 */
public final class TopicCreator {
    private final Admin admin;
    private final int partitions;
    private final short replicationFactor;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    public TopicCreator(Admin admin, int partitions, short replicationFactor) {
        this.admin = admin;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
    }

    public void ensure(Collection<String> names) {
        create(names, Map.of());
    }

    /** As {@link #ensure}, for tables: topics that keep only the latest record per key ({@code cleanup.policy=compact}). */
    public void ensureCompacted(Collection<String> names) {
        create(names, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /** How many partitions a topic has, or empty when it does not exist. */
    public static java.util.OptionalInt partitionsOf(Admin admin, String topic) {
        try {
            return java.util.OptionalInt.of(admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return java.util.OptionalInt.empty();
            }
            throw new IllegalStateException("could not describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not describe topic " + topic + ": " + e, e);
        }
    }

    private void create(Collection<String> names, Map<String, String> configs) {
        var missing = names.stream().filter(n -> !known.contains(n)).distinct()
                .map(n -> new NewTopic(n, partitions, replicationFactor).configs(configs)).toList();
        if (missing.isEmpty()) {
            return;
        }
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
                known.add(name);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    known.add(name);
                } else {
                    throw new IllegalStateException("could not create topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("could not create topic " + name + ": " + e, e);
            }
        });
    }
}
