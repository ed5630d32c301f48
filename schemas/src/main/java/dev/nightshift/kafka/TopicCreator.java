package dev.nightshift.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
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
        var missing = names.stream().filter(n -> !known.contains(n)).distinct()
                .map(n -> new NewTopic(n, partitions, replicationFactor)).toList();
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
