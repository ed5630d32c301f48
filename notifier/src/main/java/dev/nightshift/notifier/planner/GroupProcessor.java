package dev.nightshift.notifier.planner;

import dev.nightshift.notifier.grouping.GroupKeys;
import dev.nightshift.notifier.grouping.StormGrouping;
import dev.nightshift.schema.GroupMember;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentState;
import dev.nightshift.schema.PlannerEvent;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.StormGroup;
import dev.nightshift.schema.StormThread;
import dev.nightshift.schema.ThreadMembership;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The storm grouping step (keyed by family): gives an incident its thread the first time it comes by
 * ({@link StormGrouping}), posting the thread's parent (THREAD) or updating it to list the group's incidents
 * (THREAD_UPDATE); updates the parent as its incidents change (every new version) and, while the thread is one
 * incident's own, as its playbook moves on; and hands every event on, now with its thread, keyed by incident id.
 * Only this step writes a thread's parent, so the parent always lists its whole group.
 */
final class GroupProcessor extends ContextualProcessor<String, PlannerEvent, String, SpecificRecord> {
    private final PlannerTopology.Settings settings;
    private final StormGrouping grouping;
    private KeyValueStore<String, StormGroup> groups;
    private KeyValueStore<String, StormThread> threads;
    private KeyValueStore<String, ThreadMembership> memberships;

    GroupProcessor(PlannerTopology.Settings settings) {
        this.settings = settings;
        this.grouping = new StormGrouping(settings.policy().groupWindow());
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        super.init(context);
        groups = context.getStateStore(PlannerNames.GROUPS);
        threads = context.getStateStore(PlannerNames.THREADS);
        memberships = context.getStateStore(PlannerNames.MEMBERSHIPS);
        context.schedule(PlannerTopology.CLEANUP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::forgetClosed);
    }

    @Override
    public void process(Record<String, PlannerEvent> record) {
        PlannerEvent event = record.value();
        if (event == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        Incident incident = event.getIncident();
        String channel = event.getSlackChannel();
        List<SpecificRecord> out = new ArrayList<>();
        ThreadMembership membership = memberships.get(event.getIncidentId());
        if (membership == null) {
            StormGroup latest = groups.get(event.getFamily());
            StormGrouping.Placement placement = grouping.place(event.getFamily(), latest, incident.getOpenedAt().toEpochMilli());
            StormThread thread = placement.opensGroup() ? null : threads.get(placement.threadKey());
            List<GroupMember> members = StormGrouping.withMember(thread == null ? List.of() : thread.getMembers(), incident);
            if (thread == null) {
                out.add(Notifications.thread(placement.threadKey(), channel, incident, members));
            } else {
                out.add(Notifications.joined(placement.threadKey(), channel, incident, members, grouped(event.getFamily(), members.size())));
            }
            if (StormGrouping.becomesLatest(latest, placement)) {
                groups.put(event.getFamily(), new StormGroup(placement.threadKey(), Instant.ofEpochMilli(placement.windowStartMillis())));
            }
            threads.put(placement.threadKey(), new StormThread(placement.threadKey(), members, now));
            membership = new ThreadMembership(placement.threadKey(), incident.getVersion(),
                    event.getRecord() instanceof PlaybookRun run ? runStep(run) : null, closed(incident), now);
        } else {
            String threadKey = membership.getThreadKey();
            if (event.getRecord() == null && incident.getVersion() > membership.getIncidentVersion()) {
                StormThread thread = threads.get(threadKey);
                List<GroupMember> members = StormGrouping.withMember(thread == null ? List.of() : thread.getMembers(), incident);
                threads.put(threadKey, new StormThread(threadKey, members, now));
                out.add(Notifications.changed(threadKey, channel, incident, members));
                membership.setIncidentVersion(incident.getVersion());
                membership.setClosed(closed(incident));
            } else if (event.getRecord() instanceof PlaybookRun run && !runStep(run).equals(membership.getRunStep())) {
                membership.setRunStep(runStep(run));
                StormThread thread = threads.get(threadKey);
                if (thread != null && thread.getMembers().size() == 1) {
                    out.add(Notifications.runMoved(threadKey, channel, incident, thread.getMembers(), run));
                }
            }
            membership.setTouchedAt(now);
        }
        memberships.put(event.getIncidentId(), membership);
        for (SpecificRecord notification : out) {
            context().forward(new Record<>(membership.getThreadKey(), notification, record.timestamp()));
        }
        PlannerEvent threaded = PlannerEvent.newBuilder(event).setThreadKey(membership.getThreadKey()).build();
        context().forward(new Record<>(event.getIncidentId(), threaded, record.timestamp()));
    }

    private String grouped(String family, int members) {
        return members + " incidents of " + GroupKeys.teamOf(family) + " (" + GroupKeys.categoryOf(family) + ") opened within "
                + settings.policy().groupWindow() + " of each other";
    }

    private static String runStep(PlaybookRun run) {
        return run.getRun() + ":" + run.getStatus() + ":" + run.getCurrentStep();
    }

    private static boolean closed(Incident incident) {
        return IncidentIntake.closed(incident);
    }

    /** Forgets the memberships and threads whose incidents all closed longer ago than the retention, and their groups. */
    private void forgetClosed(long now) {
        long horizon = now - settings.retention().toMillis();
        List<String> members = new ArrayList<>();
        try (KeyValueIterator<String, ThreadMembership> it = memberships.all()) {
            while (it.hasNext()) {
                KeyValue<String, ThreadMembership> entry = it.next();
                if (entry.value.getClosed() && entry.value.getTouchedAt().toEpochMilli() < horizon) {
                    members.add(entry.key);
                }
            }
        }
        members.forEach(memberships::delete);
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, StormThread> it = threads.all()) {
            while (it.hasNext()) {
                KeyValue<String, StormThread> entry = it.next();
                boolean allClosed = entry.value.getMembers().stream()
                        .allMatch(m -> m.getState() == IncidentState.RESOLVED || m.getState() == IncidentState.EXPIRED);
                if (allClosed && entry.value.getTouchedAt().toEpochMilli() < horizon) {
                    quiet.add(entry.key);
                }
            }
        }
        quiet.forEach(threads::delete);
        List<String> gone = new ArrayList<>();
        try (KeyValueIterator<String, StormGroup> it = groups.all()) {
            while (it.hasNext()) {
                KeyValue<String, StormGroup> entry = it.next();
                if (entry.value.getWindowStart().toEpochMilli() < horizon && threads.get(entry.value.getThreadKey()) == null) {
                    gone.add(entry.key);
                }
            }
        }
        gone.forEach(groups::delete);
    }
}
