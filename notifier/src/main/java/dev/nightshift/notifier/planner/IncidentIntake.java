package dev.nightshift.notifier.planner;

import dev.nightshift.notifier.grouping.GroupKeys;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlannerIntake;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RemediationOutcome;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the planner takes in what happens to an incident (keyed by incident id): it fixes the incident's family (team,
 * category, Slack channel) the first time it sees it, so its thread never moves; holds a run's, step's or approval's
 * record that comes before the incident itself until the incident comes; drops a version it has seen already; and
 * keeps quiet about a silenced incident, handing on its latest version with the first record after the silence ends.
 * An incident first seen already closed is nobody's news.
 */
public final class IncidentIntake {
    /** The most records kept for an incident not seen yet; older ones are dropped first. */
    static final int MAX_PENDING = 100;

    private final Surroundings surroundings;

    public IncidentIntake(Surroundings surroundings) {
        this.surroundings = surroundings;
    }

    /** The intake's new state and the events handed on to the grouping step (keyed by family), in order. */
    public record Result(PlannerIntake state, List<PlannerEvent> events, boolean changed) {
    }

    public Result onRecord(PlannerIntake current, SpecificRecord record, long now) {
        PlannerIntake state = current != null ? PlannerIntake.newBuilder(current).build()
                : PlannerIntake.newBuilder().setPending(new ArrayList<>()).setTouchedAt(Instant.ofEpochMilli(now)).build();
        List<PlannerEvent> events = new ArrayList<>();
        if (record instanceof Incident incident) {
            if (state.getIncident() != null && incident.getVersion() <= state.getIncident().getVersion()) {
                return new Result(current, List.of(), false);
            }
            state.setIncident(incident);
            if (state.getFamily() == null || state.getIgnored()) {
                if (closed(incident)) {
                    state.setIgnored(true);
                    state.setPending(new ArrayList<>());
                    return touched(state, now, events);
                }
                state.setIgnored(false);
                String channel = surroundings.policy().slackChannel(incident, surroundings.ownerOf(incident));
                state.setSlackChannel(channel);
                state.setFamily(GroupKeys.family(incident.getOwner() == null ? null : incident.getOwner().getTeam(),
                        incident.getCategory(), channel));
            }
            if (silenced(state, now)) {
                state.setPending(new ArrayList<>());
                return touched(state, now, events);
            }
            handOn(state, null, events);
            for (Object pending : state.getPending()) {
                handOn(state, pending, events);
            }
            state.setPending(new ArrayList<>());
        } else if (record instanceof PlaybookRun || record instanceof RemediationOutcome || record instanceof ApprovalRequest) {
            if (state.getIncident() == null) {
                List<Object> pending = new ArrayList<>(state.getPending());
                pending.add(record);
                while (pending.size() > MAX_PENDING) {
                    pending.remove(0);
                }
                state.setPending(pending);
            } else if (!state.getIgnored() && !silenced(state, now)) {
                handOn(state, record, events);
            }
        } else {
            throw new IllegalArgumentException("the planner does not take " + record.getSchema().getFullName());
        }
        return touched(state, now, events);
    }

    /** Hands the record on, after the incident's latest version when that has not gone yet (a silence just ended). */
    private static void handOn(PlannerIntake state, Object record, List<PlannerEvent> events) {
        Incident incident = state.getIncident();
        if (state.getForwardedVersion() < incident.getVersion()) {
            events.add(event(state, null));
            state.setForwardedVersion(incident.getVersion());
        }
        if (record != null) {
            events.add(event(state, record));
        }
    }

    private static PlannerEvent event(PlannerIntake state, Object record) {
        return PlannerEvent.newBuilder().setIncidentId(state.getIncident().getIncidentId()).setFamily(state.getFamily())
                .setSlackChannel(state.getSlackChannel()).setIncident(state.getIncident()).setRecord(record).build();
    }

    private boolean silenced(PlannerIntake state, long now) {
        Optional<String> silence = surroundings.silenceOf(state.getIncident(), now);
        state.setSilenced(silence.isPresent());
        state.setSilencedBy(silence.orElse(null));
        return silence.isPresent();
    }

    private static Result touched(PlannerIntake state, long now, List<PlannerEvent> events) {
        state.setTouchedAt(Instant.ofEpochMilli(now));
        return new Result(state, events, true);
    }

    static boolean closed(Incident incident) {
        return incident.getState() == IncidentState.RESOLVED || incident.getState() == IncidentState.EXPIRED;
    }

    /** Whether the state can be forgotten: its incident closed (or never seen) and nothing came for the retention. */
    public static boolean forgettable(PlannerIntake state, long now, long retentionMillis) {
        boolean quiet = now - state.getTouchedAt().toEpochMilli() >= retentionMillis;
        return quiet && (state.getIncident() == null || state.getIgnored() || closed(state.getIncident()));
    }
}
