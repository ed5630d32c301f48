package dev.nightshift.workers.playbook;

import java.util.List;
import java.util.Optional;

/** A playbook: the name classification rules give, what it is for, and its ordered steps. */
public record Playbook(String name, String description, List<PlaybookStep> steps) {
    public Playbook {
        steps = List.copyOf(steps);
    }

    public Optional<PlaybookStep> step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
