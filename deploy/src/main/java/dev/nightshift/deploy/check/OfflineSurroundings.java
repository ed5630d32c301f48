package dev.nightshift.deploy.check;

import dev.nightshift.schema.Ownership;
import dev.nightshift.workers.WorkersConfig;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.Playbooks;
import dev.nightshift.workers.runner.Surroundings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the runner would consult, taken from the files and settings instead of its stores: the playbooks, the
 * actions, the ownership file's entries and dry-run as the workers' settings say. Whether a person paused
 * automation is only known to a running pipeline: here it never is.
 */
final class OfflineSurroundings implements Surroundings {
    private final long now;
    private final Playbooks playbooks;
    private final Function<String, Optional<ActionSpec>> actions;
    private final Map<String, Ownership> ownership;
    private final WorkersConfig workers;

    OfflineSurroundings(long now, Playbooks playbooks, Function<String, Optional<ActionSpec>> actions, List<Ownership> ownership,
                        WorkersConfig workers) {
        this.now = now;
        this.playbooks = playbooks;
        this.actions = actions;
        this.ownership = ownership.stream().collect(Collectors.toMap(Ownership::getService, o -> o));
        this.workers = workers;
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public Optional<Playbook> playbook(String name) {
        return playbooks.find(name);
    }

    @Override
    public Optional<ActionSpec> action(String name) {
        return actions.apply(name);
    }

    @Override
    public Optional<Ownership> ownership(String service) {
        return service == null ? Optional.empty() : Optional.ofNullable(ownership.get(service));
    }

    @Override
    public Optional<String> paused(String service) {
        return Optional.empty();
    }

    @Override
    public boolean dryRun(String action) {
        return workers.dryRunFor(action);
    }
}
