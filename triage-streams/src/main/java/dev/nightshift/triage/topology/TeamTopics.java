package dev.nightshift.triage.topology;

/**
 * Whether a team's topic exists, so that a record is never sent to a topic the broker does not
 * have (auto-create is off). The running app backs this with an admin client that creates the
 * topic on first need (an idempotent call, made once per team); tests can say every topic exists.
 */
@FunctionalInterface
public interface TeamTopics {
    TeamTopics ALL_EXIST = team -> true;

    /** True when {@code team.<team>.alerts} exists or was just created. */
    boolean ensure(String team);
}
