package dev.nightshift.deploy.check;

import dev.nightshift.config.YamlFiles;
import dev.nightshift.schema.Ownership;
import dev.nightshift.triage.classify.ClassificationRules;
import dev.nightshift.triage.ownership.OwnershipFile;
import dev.nightshift.triage.playbook.PlaybookNames;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rules, playbooks and ownership files of one deployment, read together by the services' own loaders, so a
 * file passes here exactly when triage, the runner and {@code ./pipeline ownership apply} would take it. The
 * playbooks loader reports every problem of its file; the rules and ownership loaders stop at the first, so each
 * rule and each ownership entry is also read on its own, and every one of them that is wrong is reported (with its
 * place in the file), besides the first problem of the file as a whole.
 */
public final class PipelineFiles {
    /**
     * Which files to read.
     *
     * @param rules     the rules file; blank: the bundled rules
     * @param playbooks the playbooks file; blank: the shipped playbooks
     * @param ownership the ownership file; null: none is checked
     */
    public record Sources(String rules, String playbooks, String ownership) {
    }

    /**
     * What the files hold. The rules, the playbooks or the ownership entries are null when their file could not be
     * read as a whole; {@code problems} is empty when every file is valid.
     */
    public record Checked(ClassificationRules rules, Playbooks playbooks, List<Ownership> ownership, Origins origins,
                          List<String> problems, List<String> warnings) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    /** Where each file came from, as its loader names it ({@code classpath:triage/rules.yaml}); ownership is null when none was given. */
    public record Origins(String rules, String playbooks, String ownership) {
    }

    private PipelineFiles() {
    }

    public static Checked check(Sources sources, Function<String, Optional<ActionSpec>> actions, Instant now) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        Playbooks playbooks = null;
        String playbooksOrigin = sources.playbooks() == null || sources.playbooks().isBlank()
                ? "classpath:" + Playbooks.SHIPPED : sources.playbooks();
        try {
            Playbooks.Read read = Playbooks.read(sources.playbooks(), actions);
            problems.addAll(read.problems());
            playbooks = read.playbooks();
            playbooksOrigin = playbooks.origin();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        // A rule may name any playbook the file has, as triage checks it: by name, whatever the playbook's own problems.
        Predicate<String> knownPlaybook;
        try {
            knownPlaybook = PlaybookNames.load(sources.playbooks())::contains;
        } catch (IllegalArgumentException e) {
            knownPlaybook = name -> true;   // the playbooks file's own problem is reported above
        }
        ClassificationRules rules = null;
        String rulesOrigin = sources.rules() == null || sources.rules().isBlank()
                ? "classpath:" + ClassificationRules.BUNDLED : sources.rules();
        try {
            YamlFiles.Loaded loaded = YamlFiles.load(sources.rules(), ClassificationRules.BUNDLED);
            rulesOrigin = loaded.origin();
            Predicate<String> known = knownPlaybook;
            rules = everyProblem(loaded, "rules", "rule", root -> ClassificationRules.parse(loaded.origin(), root, known), problems);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        List<Ownership> ownership = null;
        String ownershipOrigin = null;
        if (sources.ownership() != null) {
            ownershipOrigin = sources.ownership();
            try {
                YamlFiles.Loaded loaded = YamlFiles.load(sources.ownership(), null);
                ownershipOrigin = loaded.origin();
                ownership = everyProblem(loaded, "services", "services entry", root -> OwnershipFile.parse(loaded.origin(), root, now),
                        problems);
                if (ownership != null) {
                    OwnershipFile.warnings(ownership).forEach(w -> warnings.add(loaded.origin() + ": " + w));
                }
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return new Checked(rules, playbooks, ownership, new Origins(rulesOrigin, playbooksOrigin, ownershipOrigin),
                List.copyOf(problems), List.copyOf(warnings));
    }

    /**
     * Parses a whole file; when that fails, also each item of its list on its own, so that every wrong item is
     * reported and not only the first. A loader names an item it reads alone as the first of its list
     * ({@code rule #1}, {@code rule 'x' (#1)}, {@code services entry #1}); that number is put back to the item's own.
     *
     * @return what the whole file parses to, or null when it has a problem (added to {@code problems})
     */
    private static <T> T everyProblem(YamlFiles.Loaded loaded, String listKey, String item, Function<Map<String, Object>, T> parse,
                                      List<String> problems) {
        try {
            return parse.apply(loaded.root());
        } catch (IllegalArgumentException whole) {
            Set<String> found = new LinkedHashSet<>();
            found.add(whole.getMessage());
            if (loaded.root().get(listKey) instanceof List<?> items) {
                for (int i = 0; i < items.size(); i++) {
                    try {
                        parse.apply(Map.of(listKey, Collections.singletonList(items.get(i))));
                    } catch (IllegalArgumentException alone) {
                        found.add(renumber(alone.getMessage(), loaded.origin() + ": " + item + " ", i + 1));
                    }
                }
            }
            problems.addAll(found);
            return null;
        }
    }

    /** {@code <origin>: rule #1...} or {@code <origin>: rule 'x' (#1)...} of an item read alone, with the item's own number. */
    static String renumber(String message, String prefix, int number) {
        if (!message.startsWith(prefix)) {
            return message;
        }
        String first = "#1";
        int at = message.startsWith(prefix + first) ? prefix.length()
                : message.startsWith(prefix + "'") ? message.indexOf("' (" + first + ")", prefix.length()) + 3 : -1;
        if (at < prefix.length() || !message.startsWith(first, at)) {
            return message;
        }
        return message.substring(0, at) + "#" + number + message.substring(at + first.length());
    }
}
