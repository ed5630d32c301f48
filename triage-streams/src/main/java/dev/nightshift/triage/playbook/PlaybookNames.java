package dev.nightshift.triage.playbook;

import dev.nightshift.config.YamlFiles;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names of the playbooks in the playbooks file, which the remediation runner reads in full: what a
 * classification rule may name. Triage checks its rules against them at start; what a playbook does is
 * the runner's business.
 */
public final class PlaybookNames {
    /** The shipped playbooks, in the schemas module's resources (the runner reads the same file). */
    public static final String BUNDLED = "nightshift/playbooks.yaml";

    private final String origin;
    private final Set<String> names;

    private PlaybookNames(String origin, Set<String> names) {
        this.origin = origin;
        this.names = Collections.unmodifiableSet(names);
    }

    /** The names in the file at {@code file}, or in the shipped playbooks when it is blank. */
    public static PlaybookNames load(String file) {
        YamlFiles.Loaded loaded = YamlFiles.load(file, BUNDLED);
        Set<String> names = new LinkedHashSet<>();
        YamlFiles.mapping(loaded.root().get("playbooks"), loaded.origin() + ": playbooks").keySet()
                .forEach(name -> names.add(String.valueOf(name)));
        return new PlaybookNames(loaded.origin(), names);
    }

    public static PlaybookNames of(String... names) {
        return new PlaybookNames("inline", new LinkedHashSet<>(java.util.List.of(names)));
    }

    public boolean contains(String name) {
        return name != null && names.contains(name);
    }

    public Set<String> names() {
        return names;
    }

    public String origin() {
        return origin;
    }
}
