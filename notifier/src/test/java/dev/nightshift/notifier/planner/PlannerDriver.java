package dev.nightshift.notifier.planner;

import dev.nightshift.registry.InMemorySchemaRegistry;
import dev.nightshift.schema.AlertSource;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationKind;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.Severity;
import dev.nightshift.schema.Silence;
import dev.nightshift.schema.Vote;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.Topic;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/** The planner topology in a TopologyTestDriver with the project's real serdes, and typed topics around it. */
public final class PlannerDriver implements AutoCloseable {
    public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final PlannerPolicy POLICY = new PlannerPolicy(Duration.ofSeconds(30), Duration.ofMinutes(15), Severity.HIGH, "#ops", "OPS");

    private final Topics topics = new Topics(TopicNames.defaults(), RegistryConfig.of(InMemorySchemaRegistry.shared().url()));
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Incident> incidents;
    private final TestInputTopic<String, PlaybookRun> runs;
    private final TestInputTopic<String, RemediationOutcome> outcomes;
    private final TestInputTopic<String, ApprovalRequest> approvals;
    private final TestInputTopic<String, Ownership> ownership;
    private final TestInputTopic<String, Silence> silences;
    private final TestOutputTopic<String, Notification> outbox;
    private final List<TestRecord<String, Notification>> seen = new ArrayList<>();
    private int mark;

    PlannerDriver() {
        this(POLICY, Set.of("payments"));
    }

    /** @param pagedTeams the teams the pager can page */
    PlannerDriver(PlannerPolicy policy, Set<String> pagedTeams) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "planner-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.putAll(PlannerRuntime.deadLetterRouting(topics.names()));
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("planner-ttd").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        driver = new TopologyTestDriver(PlannerTopology.build(new PlannerTopology.Settings(topics, policy, pagedTeams::contains,
                Duration.ofSeconds(1), Duration.ofDays(7), null, false)), props, T0);
        incidents = input(topics.incidents());
        runs = input(topics.playbookRuns());
        outcomes = input(topics.remediationOutcomes());
        approvals = input(topics.approvalRequests());
        ownership = input(topics.ownership());
        silences = input(topics.notificationsSilences());
        outbox = driver.createOutputTopic(topics.notificationsOutbox().name(), topics.notificationsOutbox().keySerde().deserializer(),
                topics.notificationsOutbox().valueSerde().deserializer());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    Topics topics() {
        return topics;
    }

    // ---- records

    /** An opened HIGH incident of team payments, service orders, category database, channel #payments, project PAY. */
    public static Incident.Builder incident(String id, Instant openedAt) {
        return Incident.newBuilder().setIncidentId(id).setFingerprint("fp-" + id).setState(IncidentState.OPEN)
                .setSource(AlertSource.CLOUDWATCH).setName("orders-read-throttle").setTitle("Throttled reads on " + id)
                .setSeverity(Severity.HIGH).setCategory("database")
                .setOwner(new Owner("payments", "orders", "#payments", "PAY", "prod")).setResource("dynamodb:table/orders")
                .setPlaybook("dynamodb-throttling").setLastAlertId("a-" + id).setChange("opened").setVersion(1)
                .setOpenedAt(openedAt).setLastSeenAt(openedAt).setUpdatedAt(openedAt);
    }

    /** The incident's next version after a change at {@code at}. */
    public static Incident next(Incident incident, String change, IncidentState state, Instant at) {
        Incident.Builder next = Incident.newBuilder(incident).setChange(change).setState(state).setVersion(incident.getVersion() + 1)
                .setUpdatedAt(at).setLastSeenAt(at);
        switch (change) {
            case "repeated" -> next.setOccurrences(incident.getOccurrences() + 1);
            case "acknowledged" -> next.setAcknowledgedAt(at);
            case "resolved" -> next.setResolvedAt(at).setClosedReason("resolved at source");
            case "reopened" -> next.setResolvedAt(null).setClosedReason(null).setReopenCount(incident.getReopenCount() + 1)
                    .setOccurrences(incident.getOccurrences() + 1);
            default -> {
            }
        }
        return next.build();
    }

    public static Owner owner(String team, String service, String channel, String project) {
        return new Owner(team, service, channel, project, "prod");
    }

    public static RemediationOutcome.Builder outcome(Incident incident, int step, OutcomeStatus status, Instant at) {
        return RemediationOutcome.newBuilder().setRequestId(incident.getIncidentId() + ":dynamodb-throttling:1:" + step)
                .setIncidentId(incident.getIncidentId()).setPlaybook("dynamodb-throttling").setStepIndex(step).setStepName("step-" + step)
                .setAction("dynamodb-scale").setStatus(status).setDryRun(false).setSummary("dynamodb-scale " + status)
                .setResource(incident.getResource()).setOwner(incident.getOwner()).setStartedAt(at).setFinishedAt(at);
    }

    public static ApprovalRequest.Builder approval(Incident incident, ApprovalStatus status, Instant at, Vote... votes) {
        String id = incident.getIncidentId() + ":dynamodb-throttling:1:1";
        return ApprovalRequest.newBuilder().setApprovalId(id).setRequestId(id).setIncidentId(incident.getIncidentId())
                .setPlaybook("dynamodb-throttling").setStepName("scale").setAction("dynamodb-scale").setResource(incident.getResource())
                .setPlan("raise the read capacity of orders x1.5").setOwner(incident.getOwner()).setRequestedAt(T0).setExpiresAt(T0.plusSeconds(1800))
                .setRequiredApprovals(1).setApprovers(List.of("U0AAA1")).setStatus(status).setVotes(List.of(votes))
                .setDecidedAt(status == ApprovalStatus.PENDING ? null : at);
    }

    public static Vote vote(String by, boolean approved, Instant at) {
        return Vote.newBuilder().setBy(by).setApproved(approved).setChannel("slack").setCounted(true).setAt(at).build();
    }

    public static PlaybookRun.Builder run(Incident incident, RunStatus status, long version, Instant at) {
        return PlaybookRun.newBuilder().setIncidentId(incident.getIncidentId()).setPlaybook("dynamodb-throttling").setRun(1).setStatus(status)
                .setReason(status == RunStatus.ESCALATED ? "step 'scale' failed" : null).setOwner(incident.getOwner()).setCurrentStep(1)
                .setSteps(List.of()).setStartedAt(T0).setUpdatedAt(at).setVersion(version);
    }

    public static Ownership.Builder ownership(String service, String team) {
        return Ownership.newBuilder().setService(service).setTeam(team).setResources(List.of()).setApprovers(List.of())
                .setTicketSeverities(List.of()).setUpdatedAt(T0);
    }

    // ---- piping

    void incident(Incident incident) {
        incidents.pipeInput(incident.getIncidentId(), incident);
    }

    void outcome(RemediationOutcome outcome) {
        outcomes.pipeInput(outcome.getIncidentId(), outcome);
    }

    void approval(ApprovalRequest approval) {
        approvals.pipeInput(approval.getApprovalId(), approval);
    }

    void run(PlaybookRun run) {
        runs.pipeInput(run.getIncidentId(), run);
    }

    void owns(Ownership entry) {
        ownership.pipeInput(entry.getService(), entry);
    }

    void silence(String key, Silence silence) {
        silences.pipeInput(key, silence);
    }

    void bytes(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer()).pipeInput(key, value);
    }

    void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    // ---- reading

    /** Every notification written so far, with its key, in order. */
    List<TestRecord<String, Notification>> records() {
        seen.addAll(outbox.readRecordsToList());
        return seen;
    }

    List<Notification> notifications() {
        return records().stream().map(TestRecord::value).toList();
    }

    List<Notification> of(NotificationKind kind) {
        return notifications().stream().filter(n -> n.getKind() == kind).toList();
    }

    List<String> ids() {
        return notifications().stream().map(Notification::getNotificationId).toList();
    }

    /** The notifications written since the last call to {@link #mark()}. */
    List<Notification> sinceMark() {
        List<Notification> all = notifications();
        return all.subList(mark, all.size());
    }

    void mark() {
        mark = notifications().size();
    }

    List<TestRecord<byte[], byte[]>> deadLetters(String topic) {
        return driver.createOutputTopic(TopicNames.deadLetter(topic), new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
