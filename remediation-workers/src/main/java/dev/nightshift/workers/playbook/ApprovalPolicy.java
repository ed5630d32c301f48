package dev.nightshift.workers.playbook;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a step waits for people: never, always, or only in the named environments; how many distinct
 * people must approve; and who may (the step's own list, or, when it names none, the approvers of the
 * incident's service in the ownership table), by Slack user id or e-mail.
 */
public record ApprovalPolicy(Mode mode, Set<String> environments, int required, List<String> approvers) {
    public enum Mode { NEVER, ALWAYS, IN_ENVIRONMENTS }

    public static final ApprovalPolicy NEVER = new ApprovalPolicy(Mode.NEVER, Set.of(), 0, List.of());

    public ApprovalPolicy {
        environments = Set.copyOf(environments);
        approvers = List.copyOf(approvers);
    }

    /** Whether a step of this policy needs approval for an incident in {@code environment} (null: unknown). */
    public boolean requiredIn(String environment) {
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case IN_ENVIRONMENTS -> environment != null && environments.contains(environment.toLowerCase(Locale.ROOT));
        };
    }

    /** Who may approve: the step's own list, or else the service's (from its ownership entry). */
    public List<String> approversFor(List<String> ofService) {
        return approvers.isEmpty() ? ofService : approvers;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case NEVER -> "never";
            case ALWAYS -> required + " approval(s), always";
            case IN_ENVIRONMENTS -> required + " approval(s) in " + environments.stream().sorted().toList();
        } + (approvers.isEmpty() || mode == Mode.NEVER ? "" : " from " + approvers);
    }
}
