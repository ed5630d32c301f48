package dev.nightshift.notifier.planner;

import dev.nightshift.schema.Incident;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.Silence;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the planner's rules look up besides the record in hand: the policy, the ownership entries (by service), the
 * teams' silences (by key) and whether a team can be paged.
 */
public record Surroundings(PlannerPolicy policy, Function<String, Ownership> owners, Function<String, Silence> silences,
                           Predicate<String> pages) {
    /** The ownership entry of the incident's service, or null. */
    public Ownership ownerOf(Incident incident) {
        String service = incident.getOwner() == null ? null : incident.getOwner().getService();
        return service == null ? null : owners.apply(service);
    }

    public Optional<String> silenceOf(Incident incident, long nowMillis) {
        return Silences.holding(incident, nowMillis, silences);
    }
}
