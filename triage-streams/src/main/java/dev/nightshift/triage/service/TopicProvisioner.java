package dev.nightshift.triage.service;

import dev.nightshift.topics.TopicNames;
import dev.nightshift.triage.topology.TeamTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics triage writes to, outside the topology (the broker does not auto-create):
 * at start, the fixed topics it reads and writes if missing, the dead-letter topics, the default
 * team's topic; later, a team's
 * topic the first time an alert is routed to a team whose topic does not exist. Creating a topic
 * that exists is a no-op, so two instances racing to create one is harmless. Team topics get their
 * own partition count; the others get that of alerts.raw. A team topic known to exist is asked for
 * again (created if missing) after {@code teamRecheck}, so one deleted while the app runs comes back
 * instead of leaving its alerts' sends waiting for a topic that is gone.
 */
public final class TopicProvisioner implements TeamTopics {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private final Admin admin;
    private final TopicNames names;
    private final Optional<Short> replicationFactor;
    private final Duration timeout;
    static final Duration ENSURE_TIMEOUT = Duration.ofSeconds(3);
    /** After a failed creation, a team's alerts go to the default team without asking again for this long. */
    static final Duration FAILURE_BACKOFF = Duration.ofMinutes(1);
    /** When (System.nanoTime) each team topic known to exist is to be asked for again. */
    private final Map<String, Long> knownTeamsUntilNanos = new ConcurrentHashMap<>();
    private final Duration teamRecheck;
    private final Map<String, Long> failedUntilNanos = new ConcurrentHashMap<>();
    private volatile int partitions;
    private final int teamPartitions;

    /**
     * @param defaultPartitions partitions of the topics it creates other than team topics, until
     *                          {@link #provisionAtStart} finds those of alerts.raw
     * @param teamPartitions    partitions of the team topics it creates
     */
    public TopicProvisioner(Admin admin, TopicNames names, int defaultPartitions, int teamPartitions, short replicationFactor,
                            Duration timeout) {
        this(admin, names, defaultPartitions, teamPartitions, replicationFactor, timeout, Duration.ofMinutes(1));
    }

    /** @param teamRecheck how long a team topic found or created is trusted to exist before it is asked for again */
    public TopicProvisioner(Admin admin, TopicNames names, int defaultPartitions, int teamPartitions, short replicationFactor,
                            Duration timeout, Duration teamRecheck) {
        if (defaultPartitions < 1 || teamPartitions < 1) {
            throw new IllegalArgumentException("partition counts must be positive");
        }
        this.admin = admin;
        this.names = names;
        this.partitions = defaultPartitions;
        this.teamPartitions = teamPartitions;
        this.replicationFactor = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
        this.timeout = timeout;
        this.teamRecheck = teamRecheck;
    }

    /** Partitions of a topic, or empty when it does not exist. */
    public OptionalInt partitionsOf(String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return OptionalInt.of(description.partitions().size());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return OptionalInt.empty();
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause(), e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e, e);
        }
    }

    /**
     * Creates what is missing before the app starts.
     *
     * @return the partition count of alerts.raw, which every created topic but the team topics also gets
     */
    public int provisionAtStart(String defaultTeam) {
        OptionalInt raw = partitionsOf(names.alertsRaw());
        if (raw.isPresent()) {
            partitions = raw.getAsInt();
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String name : List.of(names.alertsRaw(), names.remediationOutcomes(), names.approvalDecisions(), names.incidentResponses(),
                names.incidents(), names.incidentOutcomes(), names.playbookRuns(), names.notificationsDeliveries(),
                TopicNames.deadLetter(names.alertsRaw()), TopicNames.deadLetter(names.incidents()),
                TopicNames.deadLetter(names.incidentOutcomes()), TopicNames.deadLetter(names.playbookRuns()),
                TopicNames.deadLetter(names.notificationsDeliveries()),
                TopicNames.deadLetter(names.remediationOutcomes()), TopicNames.deadLetter(names.approvalDecisions()),
                TopicNames.deadLetter(names.incidentResponses()))) {
            topics.add(topic(name));
        }
        topics.add(teamTopic(defaultTeam));
        topics.add(topic(names.ownership()).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
        create(topics);
        awaitVisible(topics.stream().map(NewTopic::name).toList());
        known(defaultTeam);
        return partitions;
    }

    /** Waits until the broker's metadata shows every partition of the topics with a leader (a new topic takes a moment). */
    private void awaitVisible(List<String> topics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (described.values().stream().allMatch(d -> !d.partitions().isEmpty()
                        && d.partitions().stream().allMatch(p -> p.leader() != null))) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics " + topics + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.TimeoutException e) {
                // retried below until the deadline
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " did not become available in " + timeout);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /**
     * Called from a stream thread inside an exactly-once transaction, so it waits at most
     * {@link #ENSURE_TIMEOUT} (well under the transaction timeout) before the alert goes to the default team.
     */
    @Override
    public boolean ensure(String team) {
        Long knownUntil = knownTeamsUntilNanos.get(team);
        if (knownUntil != null && System.nanoTime() - knownUntil < 0) {
            return true;
        }
        Long failedUntil = failedUntilNanos.get(team);
        if (failedUntil != null && System.nanoTime() - failedUntil < 0) {
            return false;
        }
        try {
            ensure(team, ENSURE_TIMEOUT);
            failedUntilNanos.remove(team);
            return true;
        } catch (RuntimeException e) {
            failedUntilNanos.put(team, System.nanoTime() + FAILURE_BACKOFF.toNanos());
            LOG.warn("could not create the topic of team {}: {}; its alerts go to the default team for the next {}",
                    team, e.getMessage(), FAILURE_BACKOFF);
            return false;
        }
    }

    /**
     * Creates the team's topic if it does not exist, waiting at most {@code timeout}.
     *
     * @throws IllegalStateException when it could not, saying why
     */
    public void ensure(String team, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!exists(names.teamAlerts(team), timeout)) {
            create(List.of(teamTopic(team)), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        known(team);
    }

    /**
     * Whether the topic exists, asked before creating it: an app allowed to describe and write the team topics
     * but not to create topics (a cluster with ACLs, where {@code ownership apply} or an administrator made
     * them) still uses them, and the check every {@code teamRecheck} asks for nothing it may not do. Not being
     * allowed to describe the topic counts as missing: creating it then says what is wrong.
     */
    private boolean exists(String topic, Duration timeout) {
        try {
            admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException || e.getCause() instanceof TopicAuthorizationException) {
                return false;
            }
            throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic " + topic, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out describing topic " + topic, e);
        }
    }

    private void known(String team) {
        knownTeamsUntilNanos.put(team, System.nanoTime() + teamRecheck.toNanos());
    }

    private NewTopic topic(String name) {
        return new NewTopic(name, Optional.of(partitions), replicationFactor);
    }

    private NewTopic teamTopic(String team) {
        return new NewTopic(names.teamAlerts(team), Optional.of(teamPartitions), replicationFactor);
    }

    private void create(List<NewTopic> topics) {
        create(topics, timeout);
    }

    private void create(List<NewTopic> topics, Duration timeout) {
        Map<String, Integer> partitionsOf = new HashMap<>();
        topics.forEach(t -> partitionsOf.put(t.name(), t.numPartitions()));
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                int count = partitionsOf.get(result.getKey());
                LOG.info("created topic {} ({} partition{})", result.getKey(), count, count == 1 ? "" : "s");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + result.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + result.getKey(), e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("timed out creating topic " + result.getKey(), e);
            }
        }
    }
}
