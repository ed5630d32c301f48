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
        var created = new java.util.ArrayList<String>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(30, TimeUnit.SECONDS);
                known.add(name);
                created.add(name);
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
        awaitLeaders(created);
    }

    /**
     * Waits until the brokers' metadata shows every partition of the new topics with a leader: a client started right
     * after the creation (a Streams global thread, say) otherwise may find the topic without partitions and stop.
     */
    private void awaitLeaders(Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                boolean led = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(topic -> !topic.partitions().isEmpty() && topic.partitions().stream().allMatch(p -> p.leader() != null));
                if (led) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not describe the new topics " + names + ": " + e.getCause(), e.getCause());
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("could not describe the new topics " + names + ": " + e, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the new topics " + names + " have no leader after 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the new topics " + names, e);
            }
        }
    }
}