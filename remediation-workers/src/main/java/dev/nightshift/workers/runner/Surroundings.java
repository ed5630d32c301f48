package dev.nightshift.workers.runner;

import dev.nightshift.schema.Ownership;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbook;

import java.util.Optional;

/** What the runner consults beyond an incident's own state: the clock, the playbooks, the actions, the ownership table, the switches people set. */
public interface Surroundings {
    /** Wall-clock time, epoch ms. */
    long now();

    Optional<Playbook> playbook(String name);

    Optional<ActionSpec> action(String name);

    Optional<Ownership> ownership(String service);

    /** Why automation is paused for this service (all automation, or the service's), or empty when it is not. */
    Optional<String> paused(String service);

    /** Whether this action runs in dry-run (planned and recorded, nothing changed). */
    boolean dryRun(String action);
}
