package dev.nightshift.notifier.interactions;

import dev.nightshift.commands.OperatorCommands;
import dev.nightshift.notifier.slack.Buttons;
import dev.nightshift.schema.CommandKind;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Turns a Slack button press into the record it stands for, the same record the command line writes (channel
 * {@code slack}, the person: the Slack user who pressed):
 * <ul>
 *   <li>Approve / Reject (value: the approval id): an {@code ApprovalDecision} on approvals.decisions, with the user's
 *   e-mail as another name of theirs (the runner counts it when either is on the approvers' list);</li>
 *   <li>Acknowledge (value: the incident id): an ACKNOWLEDGED {@code IncidentResponse} on incident.responses;</li>
 *   <li>Switch back on (value: the action): an ENABLE {@code AutomationControl} on automation.control;</li>
 *   <li>Retry (value: the step's request id): a RETRY {@code PlaybookCommand} on playbook.commands.</li>
 * </ul>
 * Only a request that Slack signed is read ({@link SlackSignatureVerifier}); anything else gets 401 and nothing is
 * written. Switch back on and Retry count only from the operators, when a list of them is set. Each record is written
 * and the broker's acknowledgement awaited (at most {@link #WRITE_TIMEOUT}) before the answer, 200; a write that
 * fails gets 503, so Slack shows the person that it did not work. An unknown button or interaction type gets 200 and
 * nothing is written (Slack expects 200 for anything it sent).
 */
public final class SlackInteractions implements AutoCloseable {
    /** The longest the answer waits for the broker: with the e-mail look-up it stays under Slack's 3 s. */
    public static final Duration WRITE_TIMEOUT = Duration.ofMillis(1500);
    private static final Logger LOG = LoggerFactory.getLogger(SlackInteractions.class);
    private static final String CHANNEL = "slack";

    private final SlackSignatureVerifier verifier;
    private final OperatorCommands commands;
    private final Producer<byte[], byte[]> producer;
    private final UserDirectory directory;
    private final List<String> operators;
    private final InteractionMetrics metrics;
    private final Clock clock;

    /** What to answer Slack: the HTTP status and a body that tells an outsider nothing. */
    public record Answer(int status, String body) {
        static final Answer OK = new Answer(200, "");
        static final Answer REFUSED = new Answer(401, "unauthorized");
        static final Answer MALFORMED = new Answer(400, "malformed interaction");
        static final Answer FAILED = new Answer(503, "not recorded, try again");
    }

    public SlackInteractions(SlackSignatureVerifier verifier, OperatorCommands commands, Producer<byte[], byte[]> producer,
                             UserDirectory directory, List<String> operators, InteractionMetrics metrics, Clock clock) {
        this.verifier = verifier;
        this.commands = commands;
        this.producer = producer;
        this.directory = directory;
        this.operators = List.copyOf(operators);
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Handles one request: its signing headers and its body exactly as received. */
    public Answer handle(String timestamp, String signature, byte[] body) {
        long started = System.nanoTime();
        try {
            return answer(timestamp, signature, body);
        } finally {
            metrics.answered(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Answer answer(String timestamp, String signature, byte[] body) {
        SlackSignatureVerifier.Verdict verdict = verifier.verify(timestamp, signature, body);
        if (verdict != SlackSignatureVerifier.Verdict.ACCEPTED) {
            metrics.refused(verdict);
            LOG.warn("refused a Slack interaction request: {}", verdict.tag());
            return Answer.REFUSED;
        }
        Interaction interaction;
        try {
            interaction = Interaction.parse(body);
        } catch (IllegalArgumentException e) {
            LOG.warn("a signed Slack interaction that cannot be read: {}", e.getMessage());
            return Answer.MALFORMED;
        }
        if (!Interaction.BLOCK_ACTIONS.equals(interaction.type())) {
            metrics.pressed("none", "ignored");
            LOG.info("ignored a Slack interaction of type {}", interaction.type());
            return Answer.OK;
        }
        Answer answer = Answer.OK;
        for (Interaction.Action action : interaction.actions()) {
            if (!press(interaction, action)) {
                answer = Answer.FAILED;
            }
        }
        return answer;
    }

    /** Records one press; false when its record could not be written. */
    private boolean press(Interaction interaction, Interaction.Action action) {
        String button = button(action.actionId());
        String user = interaction.userId();
        if (button == null) {
            metrics.pressed("unknown", "ignored");
            LOG.info("ignored an unknown Slack action '{}' by {}", action.actionId(), user);
            return true;
        }
        Instant now = clock.instant();
        ProducerRecord<byte[], byte[]> record;
        try {
            record = switch (action.actionId()) {
                case Buttons.APPROVE, Buttons.REJECT -> commands.decide(action.value(), action.actionId().equals(Buttons.APPROVE), user,
                        emails(user), CHANNEL, null, now);
                case Buttons.ACKNOWLEDGE -> commands.acknowledge(action.value(), user, emails(user), CHANNEL, now);
                case Buttons.SWITCH_ON -> operator(user) ? commands.switchAction(action.value(), true, user, CHANNEL, null, now) : null;
                case Buttons.RETRY -> operator(user) ? commands.command(CommandKind.RETRY, action.value(), user, CHANNEL, now) : null;
                default -> throw new IllegalStateException("no record for button " + action.actionId());
            };
        } catch (IllegalArgumentException e) {
            metrics.pressed(button, "invalid");
            LOG.warn("Slack {} by {} on '{}' not recorded: {}", button, user, action.value(), e.getMessage());
            return true;
        }
        if (record == null) {
            metrics.pressed(button, "not-allowed");
            LOG.info("Slack {} by {} on '{}' not recorded: not one of SLACK_OPERATORS", button, user, action.value());
            return true;
        }
        try {
            producer.send(record).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            metrics.pressed(button, "failed");
            LOG.warn("Slack {} by {} on '{}' could not be written to {}: {}", button, user, action.value(), record.topic(), e.toString());
            return false;
        }
        metrics.pressed(button, "recorded");
        LOG.info("Slack {} by {} on '{}' recorded on {}", button, user, action.value(), record.topic());
        return true;
    }

    /** Closes the producer (after what it has in hand is sent) and the directory. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        directory.close();
    }

    /** A button's name on /prometheus and in the log; null for an action that is none of the notifier's buttons. */
    static String button(String actionId) {
        if (actionId == null) {
            return null;
        }
        return switch (actionId) {
            case Buttons.APPROVE, Buttons.REJECT, Buttons.ACKNOWLEDGE, Buttons.SWITCH_ON, Buttons.RETRY ->
                    actionId.substring("nightshift_".length()).replace('_', '-').toLowerCase(Locale.ROOT);
            default -> null;
        };
    }

    /** The user's e-mail as their other name, when it can be looked up. */
    private List<String> emails(String user) {
        return directory.emailOf(user).map(List::of).orElse(List.of());
    }

    /** Whether the user may press Switch back on and Retry: anyone when no operators are set, else one of them by id or e-mail. */
    private boolean operator(String user) {
        if (operators.isEmpty() || operators.stream().anyMatch(o -> o.equalsIgnoreCase(user))) {
            return true;
        }
        Optional<String> email = directory.emailOf(user);
        return email.isPresent() && operators.stream().anyMatch(email.get()::equalsIgnoreCase);
    }
}
