package dev.nightshift.deploy;

import dev.nightshift.kafka.KafkaSettings;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.ApprovalStatus;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.OutcomeStatus;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RunStatus;
import dev.nightshift.schema.StepRun;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.schema.Vote;
import dev.nightshift.serde.RegistryAvroDeserializer;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.serde.SchemaRegistryClient;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.workers.actions.ActionSpec;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What {@code ./pipeline demo} shows as it happens: each incident change, the records the owning team
 * receives, each playbook run's progress, each approval request and decision, and each remediation
 * outcome, decoded through the schema registry and printed as one line that says what it means. The
 * demo's script ({@link DemoScript}) waits on what this tail has seen.
 */
final class Demo implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RegistryAvroDeserializer<SpecificRecord> deserializer;
    private final PrintStream out;
    private final Thread thread;
    private final long since = System.currentTimeMillis();
    private final Map<TopicPartition, Long> printed = new HashMap<>();
    private final Map<String, ActionSpec.Kind> actions;
    /** Each run's last status printed, by incident and run number; each approval's, by approval id. */
    private final Map<String, RunStatus> runs = new HashMap<>();
    private final Map<String, ApprovalStatus> approvals = new HashMap<>();
    private final Set<String> votes = new HashSet<>();
    private final List<SpecificRecord> seen = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile boolean assigned;

    Demo(LocalStack stack, TopicNames names, PrintStream out) {
        this.out = out;
        this.actions = DemoAws.actions();
        Map<String, Object> config = KafkaSettings.of(stack.config().bootstrapServers())
                .consumer("nightshift-demo-" + System.nanoTime(), "nightshift-demo");
        // Team topics appear while the demo runs: read them from their start, and skip what earlier runs wrote.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000);
        this.consumer = new KafkaConsumer<>(config);
        this.deserializer = new RegistryAvroDeserializer<>(
                SchemaRegistryClient.shared(RegistryConfig.of(stack.config().registryUrl())), null);
        Pattern watched = Pattern.compile(Pattern.quote(names.incidents()) + "|" + Pattern.quote(names.remediationOutcomes())
                + "|" + Pattern.quote(names.approvalRequests()) + "|" + Pattern.quote(names.playbookRuns())
                + "|" + names.teamAlertsPattern().pattern());
        consumer.subscribe(watched);
        this.thread = new Thread(this::tail, "demo-tail");
    }

    void start() {
        thread.start();
    }

    /** Waits until the tail has its partitions, so no sample's records are missed. */
    void awaitAssignment(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !assigned) {
            Thread.sleep(100);
        }
    }

    /**
     * The first record of this type the tail has printed that matches, waiting up to {@code timeout} for it;
     * throws, naming {@code what} and where to look, when none came.
     */
    <T extends SpecificRecord> T await(Class<T> type, Predicate<T> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> found = seen.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + what + " within " + timeout.toSeconds() + " s; the services' logs are in .pipeline/logs/");
            }
            Thread.sleep(100);
        }
    }

    private void tail() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    // A new team topic rebalances the group and, with nothing committed, rewinds it: print each offset once.
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() <= printed.getOrDefault(partition, -1L)) {
                        continue;
                    }
                    printed.put(partition, record.offset());
                    if (record.timestamp() >= since) {
                        print(record);
                    }
                }
                if (!consumer.assignment().isEmpty()) {
                    assigned = true;
                }
            }
        } catch (WakeupException stopping) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void print(ConsumerRecord<byte[], byte[]> record) {
        SpecificRecord value;
        try {
            value = deserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            out.println("[" + record.topic() + "] undecodable record: " + e.getMessage());
            return;
        }
        if (value instanceof Incident incident) {
            out.printf("[incident]  #%s %-9s %s (team %s, %s): %s%n", shortId(incident.getIncidentId()), incident.getChange(),
                    incident.getName(), incident.getOwner().getTeam(), incident.getSeverity(), meaning(incident));
        } else if (value instanceof TriagedAlert triaged) {
            out.printf("[team]      %s got #%s %s %s (category %s, playbook %s): what the owning team's own consumers read%n",
                    record.topic(), shortId(triaged.getIncidentId()), triaged.getAlert().getState(), triaged.getAlert().getName(),
                    triaged.getCategory(), triaged.getPlaybook());
        } else if (value instanceof PlaybookRun run) {
            printRun(run);
        } else if (value instanceof ApprovalRequest approval) {
            printApproval(approval);
        } else if (value instanceof RemediationOutcome outcome) {
            out.printf("[outcome]   #%s step %d %s (%s) %s: %s%s%n", shortId(outcome.getIncidentId()), outcome.getStepIndex() + 1,
                    outcome.getStepName(), outcome.getAction(), outcome.getStatus(), outcome.getSummary(), meaning(outcome));
        } else if (value != null) {
            out.println("[" + record.topic() + "] " + value);
        }
        if (value != null) {
            seen.add(value);   // after printing: the script's next line comes after this one
        }
    }

    private void printRun(PlaybookRun run) {
        String key = run.getIncidentId() + "#" + run.getRun();
        RunStatus before = runs.put(key, run.getStatus());
        if (before == run.getStatus() || (before != null && run.getStatus() == RunStatus.RUNNING)) {
            return;   // a step moved on, or an approval let it go on: the outcome or the approval says so
        }
        String what = switch (run.getStatus()) {
            case RUNNING -> "started: " + String.join(", ", run.getSteps().stream().map(s -> s.getName() + " (" + s.getAction() + ")").toList())
                    + (run.getEnvironment() == null ? "" : ", environment " + run.getEnvironment());
            case AWAITING_APPROVAL -> "waits for a person's approval";
            case HELD -> "held: " + run.getReason();
            case COMPLETED -> "completed: every step done";
            default -> run.getStatus().name().toLowerCase() + (run.getReason() == null ? "" : ": " + run.getReason());
        };
        out.printf("[playbook]  #%s run %d of %s %s%n", shortId(run.getIncidentId()), run.getRun(), run.getPlaybook(), what);
    }

    private void printApproval(ApprovalRequest approval) {
        ApprovalStatus before = approvals.put(approval.getApprovalId(), approval.getStatus());
        if (approval.getStatus() == ApprovalStatus.PENDING && before == null) {
            out.printf("[approval]  %s asks %d of %s (environment %s) to approve: %s%n", approval.getApprovalId(),
                    approval.getRequiredApprovals(), approval.getApprovers(), approval.getEnvironment(), approval.getPlan());
        }
        for (Vote vote : approval.getVotes()) {
            if (!vote.getCounted() && votes.add(approval.getApprovalId() + "/" + vote.getBy())) {
                out.printf("[approval]  %s: %s is not among its approvers; the vote is recorded, not counted%n",
                        approval.getApprovalId(), vote.getBy());
            }
        }
        if (approval.getStatus() != ApprovalStatus.PENDING && before != approval.getStatus()) {
            String by = String.join(", ", approval.getVotes().stream().filter(Vote::getCounted).map(Vote::getBy).distinct().toList());
            out.printf("[approval]  %s %s%s%n", approval.getApprovalId(), approval.getStatus(),
                    switch (approval.getStatus()) {
                        case APPROVED -> " by " + by + ": the step goes on to the guardrails after approval (blast radius, circuit breaker)";
                        case REJECTED -> " by " + by + ": the step is refused and the run escalated";
                        case EXPIRED -> ": nobody decided in time; the step is refused and the run escalated";
                        default -> "";
                    });
        }
    }

    private static String meaning(Incident incident) {
        return switch (incident.getChange() == null ? "" : incident.getChange()) {
            case "opened" -> "a new problem, one incident per alarm" + (incident.getPlaybook() == null ? "" : "; its playbook: " + incident.getPlaybook());
            case "repeated" -> "the same alarm again, folded into the open incident (" + incident.getOccurrences() + " occurrences)";
            case "resolved", "resolved at source" -> "the alarm cleared; the incident is resolved";
            case "reopened" -> "the alarm fired again within the reopen window: the same incident, reopened, and its playbook runs again";
            case "acknowledged" -> "a person acted on it (an approval counts): acknowledged";
            case "flapping" -> "it changes state too often: flapping, its playbook held";
            case "expired" -> "no news for too long: closed";
            case "action" -> "its first remediation step ran: the time to first action is recorded (MTTR data)";
            default -> incident.getState().name();
        };
    }

    private String meaning(RemediationOutcome outcome) {
        if (outcome.getStatus() == OutcomeStatus.PLANNED) {
            return " (dry-run: the plan is recorded, nothing is changed)";
        }
        boolean read = actions.get(outcome.getAction()) == ActionSpec.Kind.READ;
        if (outcome.getStatus() == OutcomeStatus.FAILED && read) {
            return " (a read for context, and no AWS here: it never blocks the fix)";
        }
        if (outcome.getStatus() == OutcomeStatus.REFUSED) {
            return read ? " (a read for context: it never blocks the fix)"
                    : " (the change is not made, and the run is escalated to the on-call)";
        }
        return "";
    }

    /** An incident id's first 8 characters: enough to tell the demo's incidents apart. */
    static String shortId(String incidentId) {
        return incidentId.length() <= 8 ? incidentId : incidentId.substring(0, 8);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
