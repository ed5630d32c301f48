package dev.nightshift.workers.runner;

import dev.nightshift.commands.Controls;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.ControlKind;
import dev.nightshift.schema.Ownership;
import dev.nightshift.workers.actions.ActionSpec;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.Playbooks;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/** The runner's {@link Surroundings} inside the topology: the task's clock, the playbooks and actions, the global ownership and control stores. */
final class World implements Surroundings {
    private final long now;
    private final Playbooks playbooks;
    private final Function<String, Optional<ActionSpec>> actions;
    private final Predicate<String> dryRun;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<Ownership>> ownership;
    private final ReadOnlyKeyValueStore<String, ValueAndTimestamp<AutomationControl>> controls;

    World(long now, Playbooks playbooks, Function<String, Optional<ActionSpec>> actions, Predicate<String> dryRun,
          ReadOnlyKeyValueStore<String, ValueAndTimestamp<Ownership>> ownership,
          ReadOnlyKeyValueStore<String, ValueAndTimestamp<AutomationControl>> controls) {
        this.now = now;
        this.playbooks = playbooks;
        this.actions = actions;
        this.dryRun = dryRun;
        this.ownership = ownership;
        this.controls = controls;
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
        return service == null ? Optional.empty() : Optional.ofNullable(ownership.get(service)).map(ValueAndTimestamp::value);
    }

    @Override
    public Optional<String> paused(String service) {
        Optional<String> all = pause(Controls.PAUSE_ALL);
        return all.isPresent() || service == null ? all : pause(Controls.pauseOf(service));
    }

    private Optional<String> pause(String key) {
        return Optional.ofNullable(controls.get(key)).map(ValueAndTimestamp::value)
                .filter(c -> c.getKind() == ControlKind.PAUSE && (c.getUntil() == null || c.getUntil().toEpochMilli() > now))
                .map(World::describePause);
    }

    @Override
    public boolean dryRun(String action) {
        return dryRun.test(action);
    }

    /** The latest switch a person set on an action, if any. */
    Optional<AutomationControl> actionControl(String action) {
        return Optional.ofNullable(controls.get(Controls.actionOf(action))).map(ValueAndTimestamp::value);
    }

    private static String describePause(AutomationControl pause) {
        return "paused by " + pause.getBy() + " at " + pause.getAt() + (pause.getUntil() == null ? " until resumed" : " until " + pause.getUntil())
                + (pause.getReason() == null ? "" : " (" + pause.getReason() + ")");
    }
}
