package dev.nightshift.workers.action;

import software.amazon.awssdk.services.ssm.SsmClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts an SSM Automation runbook. Parameters: {@code document}; every parameter named
 * {@code param.X} becomes the runbook parameter {@code X}; {@code InstanceId} defaults to the
 * resource's last segment when the runbook takes one.
 */
public final class SsmRunbookAction implements RemediationAction {
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
        String execution = ssm.startAutomationExecution(b -> b.documentName(step.required("document"))
                .parameters(parameters)).automationExecutionId();
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
        if (!parameters.containsKey("InstanceId") && step.resource() != null && step.resource().contains("i-")) {
            parameters.put("InstanceId", List.of(step.parameterOrResource("instance")));
        }
        return parameters;
    }
}
