package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.GroupIdentifier;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Isolates an EC2 instance: its security groups are replaced by the quarantine group alone, and the groups it had
 * are kept (comma-separated) as the way back. Connections already open may outlive the change (security groups
 * track them); new ones follow the quarantine group. An instance with several network interfaces is left to a person.
 */
public final class Ec2IsolateAction implements RemediationAction {
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");

    private static final ActionSpec SPEC = new ActionSpec("ec2-isolate", ActionSpec.Kind.CHANGE,
            Map.of("instance", "the instance id (default: the resource ec2:instance/i-...)",
                    "quarantineGroupId", "the security group that becomes the instance's only one (sg-...)"),
            Map.of(),
            true);

    private final Ec2Client ec2;

    public Ec2IsolateAction(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        return "isolate EC2 instance " + instance(step) + ": replace its security groups with the quarantine group " + quarantine(step);
    }

    @Override
    public ActionResult execute(Step step) {
        String instance = instance(step);
        String quarantine = quarantine(step);
        Instance found = describe(instance);
        if (found.networkInterfaces().size() > 1) {
            return ActionResult.failed("EC2 instance " + instance + " has " + found.networkInterfaces().size()
                    + " network interfaces; isolate each one by hand", Map.of("groupIds", groups(found)), Map.of());
        }
        String former = groups(found);
        Map<String, String> before = Map.of("groupIds", former);
        Map<String, String> after = Map.of("groupIds", quarantine);
        if (former.equals(quarantine)) {
            return ActionResult.succeeded("EC2 instance " + instance + " is already isolated in " + quarantine + "; nothing changed",
                    before, after, results(instance, quarantine, ""), null);
        }
        ec2.modifyInstanceAttribute(b -> b.instanceId(instance).groups(quarantine));
        return ActionResult.succeeded("isolated EC2 instance " + instance + " in security group " + quarantine + " (it was in " + former + ")",
                before, after, results(instance, quarantine, former), undoText(instance, former));
    }

    /** The instance proves the step done when the quarantine group is its only one; its former groups are then unknown. */
    @Override
    public Optional<ActionResult> recover(Step step) {
        String instance = instance(step);
        String quarantine = quarantine(step);
        if (!groups(describe(instance)).equals(quarantine)) {
            return Optional.empty();
        }
        return Optional.of(ActionResult.succeeded("EC2 instance " + instance + " is isolated in " + quarantine
                        + " (the groups it had are not known, so there is no undo)",
                Map.of(), Map.of("groupIds", quarantine), results(instance, quarantine, ""), null));
    }

    @Override
    public ActionResult undo(Step step) {
        String instance = instance(step);
        String former = Earlier.value(step, "before.groupIds", "formerGroupIds");
        if (former == null || former.isBlank()) {
            throw new Step.InvalidStepException("nothing to undo: the step recorded no security groups before it");
        }
        List<String> groups = Arrays.stream(former.split(",")).map(String::trim).filter(g -> !g.isEmpty()).toList();
        for (String group : groups) {
            if (!GROUP_ID.matcher(group).matches()) {
                throw new Step.InvalidStepException("the step's recorded security group is not a group id: " + group);
            }
        }
        String now = groups(describe(instance));
        Map<String, String> results = Map.of("instanceId", instance, "groupIds", String.join(",", groups));
        if (now.equals(String.join(",", groups))) {
            return ActionResult.succeeded("EC2 instance " + instance + " is already in " + now + "; nothing changed",
                    Map.of("groupIds", now), Map.of("groupIds", now), results, null);
        }
        ec2.modifyInstanceAttribute(b -> b.instanceId(instance).groups(groups));
        return ActionResult.succeeded(undoText(instance, String.join(",", groups)) + " (it was in " + now + ")",
                Map.of("groupIds", now), Map.of("groupIds", String.join(",", groups)), results, null);
    }

    private Instance describe(String instance) {
        return ec2.describeInstances(b -> b.instanceIds(instance)).reservations().stream()
                .map(Reservation::instances).flatMap(List::stream)
                .filter(i -> instance.equals(i.instanceId())).findFirst()
                .orElseThrow(() -> new Step.InvalidStepException("EC2 instance " + instance + " was not found"));
    }

    private static String groups(Instance instance) {
        return String.join(",", instance.securityGroups().stream().map(GroupIdentifier::groupId).toList());
    }

    private static Map<String, String> results(String instance, String quarantine, String former) {
        return Map.of("instanceId", instance, "quarantineGroupId", quarantine, "formerGroupIds", former);
    }

    private static String undoText(String instance, String groups) {
        return "put EC2 instance " + instance + " back in security groups " + groups;
    }

    private static String instance(Step step) {
        String instance = step.parameterOrResource("instance").trim();
        if (!INSTANCE_ID.matcher(instance).matches()) {
            throw new Step.InvalidStepException("not an EC2 instance id: " + instance);
        }
        return instance;
    }

    private static String quarantine(Step step) {
        String group = step.required("quarantineGroupId").trim();
        if (!GROUP_ID.matcher(group).matches()) {
            throw new Step.InvalidStepException("quarantineGroupId is not a security group id: " + group);
        }
        return group;
    }
}
