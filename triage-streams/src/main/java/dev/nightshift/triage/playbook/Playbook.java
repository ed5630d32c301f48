package dev.nightshift.triage.playbook;

import java.util.List;

/** A named, ordered list of steps; data reviewed like code. */
public record Playbook(String name, String description, List<PlaybookStep> steps) {
    public Playbook {
        steps = List.copyOf(steps);
    }

    public PlaybookStep step(int index) {
        return steps.get(index);
    }
}
