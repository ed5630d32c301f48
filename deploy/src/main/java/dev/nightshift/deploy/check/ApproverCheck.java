package dev.nightshift.deploy.check;

import dev.nightshift.schema.Ownership;
import dev.nightshift.workers.playbook.ApprovalPolicy;
import dev.nightshift.workers.playbook.Playbook;
import dev.nightshift.workers.playbook.PlaybookStep;
import dev.nightshift.workers.playbook.Playbooks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps nobody could approve. A step that needs approval asks the people its policy names, or else those of the
 * incident's service in the ownership file; when there are fewer of them than the policy requires (none at all,
 * most often), the run waits until the approval expires and then escalates. For each service this lists the steps
 * of any playbook (a rule or the alert itself may name any of them) that would need approval in the service's
 * environment (or in any, when its entry names none, since an alert's env label decides then) and that it could
 * not get.
 */
public final class ApproverCheck {
    private ApproverCheck() {
    }

    /** One warning per service that has such steps, naming the file, the service, each playbook and step. */
    public static List<String> warnings(String ownershipOrigin, List<Ownership> services, Playbooks playbooks, Duration approvalTimeout) {
        List<String> warnings = new ArrayList<>();
        for (Ownership service : services) {
            List<String> stuck = new ArrayList<>();
            for (String name : playbooks.names()) {
                Playbook playbook = playbooks.find(name).orElseThrow();
                for (PlaybookStep step : playbook.steps()) {
                    ApprovalPolicy policy = step.approval();
                    if (!mayNeedApproval(policy, service.getEnvironment())) {
                        continue;
                    }
                    List<String> approvers = policy.approversFor(service.getApprovers());
                    if (approvers.size() < policy.required()) {
                        stuck.add("playbook '" + name + "' step '" + step.name() + "': needs " + policy.required() + " approval"
                                + (policy.required() == 1 ? "" : "s")
                                + (policy.mode() == ApprovalPolicy.Mode.ALWAYS ? " always" : " in " + policy.environments().stream().sorted().toList())
                                + (policy.approvers().isEmpty() ? "" : " from its own " + policy.approvers()));
                    }
                }
            }
            if (!stuck.isEmpty()) {
                warnings.add(ownershipOrigin + ": service '" + service.getService() + "' has "
                        + (service.getApprovers().isEmpty() ? "no approvers" : "approvers " + service.getApprovers())
                        + ", too few for these steps: an incident of " + service.getService() + " routed to one of them would wait "
                        + "until its approval expires (" + approvalTimeout + ") and escalate (add approvers to the service's entry "
                        + "or to the step's approval)\n    " + String.join("\n    ", stuck));
            }
        }
        return warnings;
    }

    /** Whether a step of this policy needs approval in an environment; any environment could, when it is unknown. */
    private static boolean mayNeedApproval(ApprovalPolicy policy, String environment) {
        if (policy.mode() == ApprovalPolicy.Mode.IN_ENVIRONMENTS && (environment == null || environment.isBlank())) {
            return true;
        }
        return policy.requiredIn(environment == null ? null : environment.trim());
    }
}
