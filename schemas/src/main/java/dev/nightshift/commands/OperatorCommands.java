package dev.nightshift.commands;

import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.CommandKind;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.ResponseKind;
import dev.nightshift.topics.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What people ask of the pipeline, as the records the runner and triage read: an approval decision, a pause
 * or resume, an action switched off or on, a step to undo or retry, an incident acknowledged. The command
 * line, the workers' HTTP endpoint and the notifier's Slack buttons all build their records here, each saying
 * the person and the channel it came through. A request that cannot be right (no person, an id that is not a
 * step's) is refused before anything is written.
 */
public final class OperatorCommands {
    private final Topics topics;

    public OperatorCommands(Topics topics) {
        this.topics = topics;
    }

    /** A person's answer to an approval request (its id is the step's request id: {@code <incident>:<playbook>:<run>:<step>}). */
    public ProducerRecord<byte[], byte[]> decide(String approvalId, boolean approved, String person, String channel, String reason,
                                                 Instant at) {
        return decide(approvalId, approved, person, List.of(), channel, reason, at);
    }

    /**
     * As above, with other names of the same person (the e-mail of a Slack user), any of which may be on the
     * step's approvers' list.
     */
    public ProducerRecord<byte[], byte[]> decide(String approvalId, boolean approved, String person, List<String> aliases,
                                                 String channel, String reason, Instant at) {
        String incidentId = incidentOf(approvalId);
        String by = person(person);
        ApprovalDecision decision = ApprovalDecision.newBuilder().setApprovalId(approvalId).setRequestId(approvalId)
                .setIncidentId(incidentId).setApproved(approved).setDecidedBy(by).setDecidedByAliases(aliases(by, aliases))
                .setReason(blankToNull(reason)).setDecidedAt(at).setChannel(channel).build();
        return record(topics.approvalDecisions().name(), approvalId, topics.approvalDecisions().valueSerde().serializer(), decision);
    }

    /** A person acknowledging an incident: they are on it (triage takes the first acknowledgement as the incident's, for MTTA). */
    public ProducerRecord<byte[], byte[]> acknowledge(String incidentId, String person, List<String> aliases, String channel, Instant at) {
        if (incidentId == null || incidentId.isBlank() || !incidentId.trim().matches("\\S+")) {
            throw new IllegalArgumentException("name the incident (its id, as the incident's message shows it)");
        }
        String id = incidentId.trim();
        String by = person(person);
        IncidentResponse response = IncidentResponse.newBuilder().setIncidentId(id).setKind(ResponseKind.ACKNOWLEDGED).setBy(by)
                .setByAliases(aliases(by, aliases)).setChannel(channel).setAt(at).build();
        return record(topics.incidentResponses().name(), id, topics.incidentResponses().valueSerde().serializer(), response);
    }

    /** Pauses all automation, or one service's, until resumed or until {@code until}. */
    public ProducerRecord<byte[], byte[]> pause(String service, Instant until, String person, String channel, String reason, Instant at) {
        String key = service == null ? Controls.PAUSE_ALL : Controls.pauseOf(service);
        return control(key, ControlKind.PAUSE, service == null ? "all" : service, until, person, channel, reason, at);
    }

    public ProducerRecord<byte[], byte[]> resume(String service, String person, String channel, Instant at) {
        String key = service == null ? Controls.PAUSE_ALL : Controls.pauseOf(service);
        return control(key, ControlKind.RESUME, service == null ? "all" : service, null, person, channel, null, at);
    }

    /** Switches an action on (closing its open circuit) or off. */
    public ProducerRecord<byte[], byte[]> switchAction(String action, boolean on, String person, String channel, String reason, Instant at) {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("name the action");
        }
        return control(Controls.actionOf(action), on ? ControlKind.ENABLE : ControlKind.DISABLE, action, null, person, channel, reason, at);
    }

    /** Asks the runner to undo a finished change, or to run a failed or interrupted step again. */
    public ProducerRecord<byte[], byte[]> command(CommandKind kind, String stepId, String person, String channel, Instant at) {
        String incidentId = incidentOf(stepId);
        PlaybookCommand command = PlaybookCommand.newBuilder().setKind(kind).setIncidentId(incidentId).setRequestId(stepId)
                .setBy(person(person)).setChannel(channel).setAt(at).build();
        return record(topics.playbookCommands().name(), incidentId, topics.playbookCommands().valueSerde().serializer(), command);
    }

    private ProducerRecord<byte[], byte[]> control(String key, ControlKind kind, String target, Instant until, String person, String channel,
                                                   String reason, Instant at) {
        AutomationControl control = AutomationControl.newBuilder().setKind(kind).setTarget(target).setUntil(until).setBy(person(person))
                .setChannel(channel).setReason(blankToNull(reason)).setAt(at).build();
        return record(topics.automationControl().name(), key, topics.automationControl().valueSerde().serializer(), control);
    }

    /** When a pause ends: a time ({@code 2026-12-06T18:00:00Z}), a duration from now ({@code PT2H}), or null (until resumed). */
    public static Instant until(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return text.startsWith("P") ? now.plus(java.time.Duration.parse(text)) : Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("until '" + text + "': a time (2026-12-06T18:00:00Z) or a duration (PT2H)");
        }
    }

    private static <V> ProducerRecord<byte[], byte[]> record(String topic, String key, Serializer<V> serializer, V value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, value));
    }

    /** The incident of a step id; refuses an id that is not one. */
    public static String incidentOf(String stepId) {
        String[] parts = stepId == null ? new String[0] : stepId.split(":");
        if (parts.length < 4 || parts[0].isBlank()) {
            throw new IllegalArgumentException("'" + stepId + "' is not a step id (<incident>:<playbook>:<run>:<step>, as the run and the approval request show it)");
        }
        return parts[0];
    }

    private static String person(String person) {
        if (person == null || person.isBlank()) {
            throw new IllegalArgumentException("say who you are (--as PERSON on the command line, \"as\" over HTTP: your Slack user id or e-mail)");
        }
        if (!People.isPerson(person)) {
            throw new IllegalArgumentException("'" + person + "' is neither a Slack user id (U0123ABCD) nor an e-mail address");
        }
        return person.trim();
    }

    /** The other names of a person that are names of a person, each once, without the person's own. */
    private static List<String> aliases(String person, List<String> aliases) {
        List<String> kept = new ArrayList<>();
        for (String alias : aliases == null ? List.<String>of() : aliases) {
            if (People.isPerson(alias) && !alias.trim().equalsIgnoreCase(person) && kept.stream().noneMatch(alias.trim()::equalsIgnoreCase)) {
                kept.add(alias.trim());
            }
        }
        return kept;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
