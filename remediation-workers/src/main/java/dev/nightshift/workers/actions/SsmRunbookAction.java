package dev.nightshift.workers.actions;

import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.AutomationExecution;
import software.amazon.awssdk.services.ssm.model.AutomationExecutionStatus;
import software.amazon.awssdk.services.ssm.model.IdempotentParameterMismatchException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Starts an SSM Automation runbook and follows it to its end. Every parameter named {@code param.X} becomes the
 * runbook parameter {@code X}; {@code InstanceId} defaults to the {@code instance} parameter, else to the resource's
 * last segment when that is an EC2 instance id. The start carries a client token derived from the request id, so
 * starting the same step again (a retry, a recovery) is answered with the same execution, never a second one.
 */
public final class SsmRunbookAction implements RemediationAction {
    static final long DEFAULT_CHECK_AFTER_SECONDS = 30;
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private static final Set<AutomationExecutionStatus> SUCCEEDED = EnumSet.of(AutomationExecutionStatus.SUCCESS,
            AutomationExecutionStatus.COMPLETED_WITH_SUCCESS);
    private static final Set<AutomationExecutionStatus> FAILED = EnumSet.of(AutomationExecutionStatus.FAILED,
            AutomationExecutionStatus.TIMED_OUT, AutomationExecutionStatus.CANCELLED, AutomationExecutionStatus.REJECTED,
            AutomationExecutionStatus.COMPLETED_WITH_FAILURE, AutomationExecutionStatus.EXITED,
            AutomationExecutionStatus.CHANGE_CALENDAR_OVERRIDE_REJECTED);

    private static final ActionSpec SPEC = new ActionSpec("ssm-runbook", ActionSpec.Kind.CHANGE,
            Map.of("document", "the Automation runbook (document) to start, e.g. AWS-RestartEC2Instance"),
            Map.of("param.*", "param.X is the runbook parameter X (one value)",
                    "instance", "the runbook's InstanceId when no param.InstanceId is given (default: an ec2 instance resource)",
                    "checkAfterSeconds", "seconds between looks at the execution (default 30)"),
            false);

    private final SsmClient ssm;

    public SsmRunbookAction(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public ActionSpec spec() {
        return SPEC;
    }

    @Override
    public String plan(Step step) {
        checkAfter(step);
        return "start SSM Automation runbook " + step.required("document") + " with " + runbookParameters(step);
    }

    @Override
    public ActionResult execute(Step step) {
        String document = step.required("document");
        Map<String, List<String>> parameters = runbookParameters(step);
        Duration checkAfter = checkAfter(step);
        String execution = ssm.startAutomationExecution(b -> b.documentName(document).parameters(parameters)
                .clientToken(clientToken(step.requestId()))).automationExecutionId();
        return ActionResult.waiting("started runbook " + document + " (execution " + execution + ")",
                Map.of("automationExecutionId", execution, "document", document), checkAfter);
    }

    /**
     * Starting again with the step's client token is answered with the execution the step started, if it did (and
     * starts it, once, if it did not). When SSM refuses the token as already used otherwise, nothing is proven.
     */
    @Override
    public Optional<ActionResult> recover(Step step) {
        try {
            return Optional.of(execute(step));
        } catch (IdempotentParameterMismatchException e) {
            return Optional.empty();
        }
    }

    @Override
    public ActionResult check(Step step) {
        String execution = step.earlier().get("automationExecutionId");
        if (execution == null || execution.isBlank()) {
            throw new Step.InvalidStepException("nothing to check: the step recorded no automationExecutionId");
        }
        AutomationExecution found = ssm.getAutomationExecution(b -> b.automationExecutionId(execution)).automationExecution();
        AutomationExecutionStatus status = found.automationExecutionStatus();
        Map<String, String> results = new HashMap<>();
        results.put("automationExecutionId", execution);
        results.put("document", String.valueOf(found.documentName()));
        results.put("status", found.automationExecutionStatusAsString());
        found.outputs().forEach((name, values) -> results.put("output." + name, String.join(",", values)));
        String described = "runbook " + found.documentName() + " (execution " + execution + ")";
        if (SUCCEEDED.contains(status)) {
            return ActionResult.read(described + " succeeded", results);
        }
        if (FAILED.contains(status)) {
            String reason = found.failureMessage() == null || found.failureMessage().isBlank() ? "" : ": " + found.failureMessage();
            if (!reason.isEmpty()) {
                results.put("failureMessage", found.failureMessage());
            }
            return ActionResult.failed(described + " ended " + found.automationExecutionStatusAsString() + reason, Map.of(), results);
        }
        return ActionResult.waiting(described + " is " + found.automationExecutionStatusAsString(), results, checkAfter(step));
    }

    /** SSM's idempotency token for the step: a UUID, the same for every start of the same request. */
    static String clientToken(String requestId) {
        return UUID.nameUUIDFromBytes(("nightshift:" + requestId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static Duration checkAfter(Step step) {
        return Duration.ofSeconds(Numbers.whole(step, "checkAfterSeconds", DEFAULT_CHECK_AFTER_SECONDS, 1, 3600));
    }

    private static Map<String, List<String>> runbookParameters(Step step) {
        Map<String, List<String>> parameters = new TreeMap<>();
        step.parameters().forEach((key, value) -> {
            if (key.startsWith("param.") && key.length() > "param.".length()) {
                parameters.put(key.substring("param.".length()), List.of(value));
            }
        });
        if (!parameters.containsKey("InstanceId")) {
            String instance = step.parameters().get("instance");
            String last = step.resourceName();
            if ((instance == null || instance.isBlank()) && last != null && INSTANCE_ID.matcher(last).matches()) {
                instance = last;
            }
            if (instance != null && !instance.isBlank()) {
                parameters.put("InstanceId", List.of(instance));
            }
        }
        return parameters;
    }
}
