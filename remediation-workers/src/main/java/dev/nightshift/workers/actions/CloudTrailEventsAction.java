package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads who did what to the resource lately (CloudTrail LookupEvents by resource name, one page of at most 50
 * management events; LookupEvents allows two calls a second per account and region): how many, and the latest few
 * events' names, users and times, numbered from the newest ({@code event.1.name}, ...).
 */
public final class CloudTrailEventsAction implements RemediationAction {
    static final long DEFAULT_MINUTES = 60;
    static final long DEFAULT_LAST = 5;
    static final int PAGE = 50;

    private static final ActionSpec SPEC = new ActionSpec("cloudtrail-events", ActionSpec.Kind.READ,
            Map.of("resourceName", "the name CloudTrail records for the resource, e.g. a table name or an instance id "
                    + "(default: the resource's last segment)"),
            Map.of("minutes", "how far back to look, up to now (default 60)",
                    "last", "how many of the newest events to report in detail (default 5, at most 50)"),
            false);

    private final CloudTrailClient cloudTrail;
    private final Clock clock;

    public CloudTrailEventsAction(CloudTrailClient cloudTrail, Clock clock) {
        this.cloudTrail = cloudTrail;
        this.clock = clock;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        last(step);
        return "read the CloudTrail events of " + resourceName(step) + " over the last " + minutes(step) + " minutes";
    }

    @Override
    public ActionResult execute(Step step) {
        String name = resourceName(step);
        long minutes = minutes(step);
        long last = last(step);
        Instant end = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        LookupEventsResponse response = cloudTrail.lookupEvents(b -> b.startTime(end.minus(Duration.ofMinutes(minutes))).endTime(end)
                .maxResults(PAGE).lookupAttributes(a -> a.attributeKey(LookupAttributeKey.RESOURCE_NAME).attributeValue(name)));
        List<Event> events = response.events().stream()
                .sorted(Comparator.comparing(Event::eventTime, Comparator.nullsLast(Comparator.reverseOrder()))).toList();
        boolean more = response.nextToken() != null && !response.nextToken().isBlank();
        Map<String, String> results = new HashMap<>();
        results.put("count", Integer.toString(events.size()));
        results.put("more", Boolean.toString(more));
        StringBuilder latest = new StringBuilder();
        for (int i = 0; i < Math.min(last, events.size()); i++) {
            Event event = events.get(i);
            String prefix = "event." + (i + 1) + ".";
            results.put(prefix + "name", String.valueOf(event.eventName()));
            results.put(prefix + "user", event.username() == null ? "" : event.username());
            results.put(prefix + "time", event.eventTime() == null ? "" : event.eventTime().toString());
            results.put(prefix + "source", event.eventSource() == null ? "" : event.eventSource());
            latest.append(i == 0 ? ": " : "; ").append(event.eventName()).append(" by ")
                    .append(event.username() == null ? "?" : event.username()).append(" at ").append(event.eventTime());
        }
        String count = events.size() + (more ? " or more" : "");
        return ActionResult.read(count + " CloudTrail event" + (events.size() == 1 && !more ? "" : "s") + " for " + name
                + " in the last " + minutes + " min" + latest, results);
    }

    private static String resourceName(Step step) {
        return step.parameterOrResource("resourceName").trim();
    }

    private static long minutes(Step step) {
        return Numbers.whole(step, "minutes", DEFAULT_MINUTES, 1, 90 * 24 * 60);
    }

    private static long last(Step step) {
        return Numbers.whole(step, "last", DEFAULT_LAST, 0, PAGE);
    }
}
