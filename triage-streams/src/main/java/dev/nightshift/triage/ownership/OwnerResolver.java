package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.Owner;
import dev.nightshift.schema.Ownership;
import dev.nightshift.topics.TopicNames;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides who owns an alert, in this order: the ownership table (service hint, then resource
 * patterns); the alert's own team hint; the default team. An alert is never left without an owner.
 */
public final class OwnerResolver {
    private static final Pattern NOT_IN_TOPIC_NAME = Pattern.compile("[^a-z0-9_-]+");
    private final String defaultTeam;

    public OwnerResolver(String defaultTeam) {
        if (!TopicNames.isLegalPart(defaultTeam)) {
            throw new IllegalArgumentException("default team '" + defaultTeam + "' cannot be part of a topic name");
        }
        this.defaultTeam = defaultTeam;
    }

    public Owner resolve(Alert alert, OwnershipIndex ownership) {
        Optional<Ownership> owned = ownership.ownerOf(alert);
        if (owned.isPresent()) {
            Ownership o = owned.get();
            String team = teamName(o.getTeam());
            return new Owner(team == null ? defaultTeam : team, o.getService(), o.getSlackChannel(), o.getJiraProject(),
                    o.getEnvironment());
        }
        String hinted = teamName(alert.getTeam());
        return new Owner(hinted == null ? defaultTeam : hinted, alert.getService(), null, null,
                alert.getLabels().get("env"));
    }

    public String defaultTeam() {
        return defaultTeam;
    }

    /** A team name as it appears in a topic name: lower case, anything else than [a-z0-9_-] becomes '-'. */
    public static String teamName(String team) {
        if (team == null || team.isBlank()) {
            return null;
        }
        if (isTopicNamePart(team)) {
            return team; // the usual case, resolved for every alert: no regular expression, no copy
        }
        String name = NOT_IN_TOPIC_NAME.matcher(team.trim().toLowerCase(Locale.ROOT)).replaceAll("-");
        return TopicNames.isLegalPart(name) ? name : null;
    }

    /** Already lower case letters, digits, '_' and '-' only, and short enough: a name the rewrite leaves as it is. */
    private static boolean isTopicNamePart(String team) {
        if (team.length() > 100) {
            return false;
        }
        for (int i = 0; i < team.length(); i++) {
            char c = team.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
