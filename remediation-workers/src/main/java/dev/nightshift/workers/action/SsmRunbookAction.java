package dev.nightshift.workers.action;

import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.HashMap;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Starts an SSM Automation runbook. Parameters: {@code document}; every parameter named
 * {@code param.X} becomes the runbook parameter {@code X}; {@code InstanceId} defaults to the
 * {@code instance} parameter, else to the resource's last segment when that is an EC2 instance id
 * ({@code i-} and 8 or 17 hex digits).
 */
public final class SsmRunbookAction implements RemediationAction {
    private static final Pattern INSTANCE_ID = Pattern.compile("i-(?:[0-9a-f]{8}|[0-9a-f]{17})");
    private final SsmClient ssm;

    public SsmRunbookAction(SsmClient ssm) {
        this.ssm = ssm;
    }

    @Override
    public String name() {
        return "ssm-runbook";
    }

    @Override
    public String plan(Step step) {
        return "start SSM Automation runbook " + step.required("document") + " with " + runbookParameters(step);
    }

    @Override
    public Change execute(Step step) {
        Map<String, List<String>> parameters = runbookParameters(step);
        // The same request always sends the same token, so a retry after a lost answer starts no second execution.
        String token = UUID.nameUUIDFromBytes(("nightshift:" + step.request().getRequestId()).getBytes(StandardCharsets.UTF_8)).toString();
        String execution = ssm.startAutomationExecution(b -> b.documentName(step.required("document"))
                .parameters(parameters).clientToken(token)).automationExecutionId();
        return new Change("started runbook " + step.required("document") + " (execution " + execution + ")",
                Map.of(), Map.of("automationExecutionId", execution));
    }

    private static Map<String, List<String>> runbookParameters(Step step) {
        Map<String, List<String>> parameters = new HashMap<>();
        step.parameters().forEach((key, value) -> {
            if (key.startsWith("param.")) {
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
