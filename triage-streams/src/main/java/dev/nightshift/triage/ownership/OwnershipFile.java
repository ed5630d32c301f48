package dev.nightshift.triage.ownership;

import dev.nightshift.schema.Ownership;
import dev.nightshift.config.YamlFiles;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ownership file: a YAML document whose {@code services:} list holds entries with {@code name}
 * and {@code team}, and optionally {@code slack}, {@code jira}, {@code environment}, {@code approvers}
 * (who may approve the service's playbook steps: Slack user ids or e-mails) and {@code resources}
 * (patterns, see {@link ResourcePattern}). A bad file is refused whole, with a
 * message naming the entry and the problem.
 */
public final class OwnershipFile {
    private static final Set<String> TOP = Set.of("services");
    private static final Set<String> ENTRY = Set.of("name", "team", "slack", "jira", "environment", "approvers", "resources");

    private OwnershipFile() {
    }

    public static List<Ownership> load(String file, Instant now) {
        YamlFiles.Loaded loaded = YamlFiles.load(file, null);
        return parse(loaded.origin(), loaded.root(), now);
    }

    public static List<Ownership> parse(String origin, Map<String, Object> root, Instant now) {
        YamlFiles.onlyKeys(root, TOP, origin);
        List<?> raw = YamlFiles.list(root.get("services"), origin + ": services");
        Map<String, Ownership> byName = new LinkedHashMap<>();
        for (int i = 0; i < raw.size(); i++) {
            String where = origin + ": services entry #" + (i + 1);
            Map<String, Object> entry = YamlFiles.mapping(raw.get(i), where);
            String name = YamlFiles.scalar(entry.get("name"), where + ": name");
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException(where + ": has no name");
            }
            where = origin + ": service '" + name + "'";
            YamlFiles.onlyKeys(entry, ENTRY, where);
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException(where + ": listed twice");
            }
            String team = YamlFiles.scalar(entry.get("team"), where + ": team");
            if (team == null || OwnerResolver.teamName(team) == null) {
                throw new IllegalArgumentException(where + ": team is required (letters, digits, '_' or '-'), got '" + team + "'");
            }
            List<String> resources = new ArrayList<>(YamlFiles.strings(entry.get("resources"), where + ": resources"));
            for (String pattern : resources) {
                try {
                    ResourcePattern.parse(pattern);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage());
                }
            }
            byName.put(name, Ownership.newBuilder()
                    .setService(name)
                    .setTeam(OwnerResolver.teamName(team))
                    .setSlackChannel(YamlFiles.scalar(entry.get("slack"), where + ": slack"))
                    .setJiraProject(YamlFiles.scalar(entry.get("jira"), where + ": jira"))
                    .setEnvironment(YamlFiles.scalar(entry.get("environment"), where + ": environment"))
                    .setApprovers(approvers(entry.get("approvers"), where))
                    .setResources(resources)
                    .setUpdatedAt(now)
                    .build());
        }
        return List.copyOf(byName.values());
    }

    /** The approvers of an entry: Slack user ids (U0123ABCD) or e-mail addresses, each once. */
    private static List<String> approvers(Object value, String where) {
        List<String> approvers = new ArrayList<>();
        for (String approver : YamlFiles.strings(value, where + ": approvers")) {
            String person = approver == null ? "" : approver.trim();
            if (!person.matches("[UW][A-Z0-9]{2,}") && !person.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                throw new IllegalArgumentException(where + ": approvers: '" + approver
                        + "' is neither a Slack user id (U0123ABCD) nor an e-mail address");
            }
            if (!approvers.contains(person)) {
                approvers.add(person);
            }
        }
        return approvers;
    }

    /** Warnings for patterns that are valid but likely mistaken ({@link ResourcePattern#warning()}), naming the service. */
    public static List<String> warnings(List<Ownership> entries) {
        List<String> warnings = new ArrayList<>();
        for (Ownership entry : entries) {
            for (String pattern : entry.getResources()) {
                ResourcePattern.parse(pattern).warning()
                        .ifPresent(w -> warnings.add("service '" + entry.getService() + "': " + w));
            }
        }
        return warnings;
    }
}
