package dev.nightshift.workers.actions;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationRequest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Steps as the runner renders them: a request id, an action, a resource, string parameters, and for a check or an undo the earlier outcome. */
final class Steps {
    private final RemediationRequest.Builder request;
    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> earlier = new HashMap<>();

    private Steps(String action) {
        request = RemediationRequest.newBuilder()
                .setRequestId("inc-7:" + action + ":0")
                .setIncidentId("inc-7")
                .setPlaybook("test-playbook")
                .setStepIndex(0)
                .setStepName("step")
                .setAction(action)
                .setOwner(Owner.newBuilder().setTeam("payments").setService("orders").build())
                .setRequestedAt(Instant.parse("2026-12-06T03:00:00Z"));
    }

    static Steps of(String action) {
        return new Steps(action);
    }

    Steps requestId(String id) {
        request.setRequestId(id);
        return this;
    }

    Steps resource(String resource) {
        request.setResource(resource);
        return this;
    }

    Steps with(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    Steps earlier(String name, String value) {
        earlier.put(name, value);
        return this;
    }

    Steps startedAt(String instant) {
        request.setStartedAt(Instant.parse(instant));
        return this;
    }

    Steps mode(String mode) {
        request.setMode(mode);
        return this;
    }

    Step step() {
        return new Step(request.setParameters(Map.copyOf(parameters)).setEarlier(Map.copyOf(earlier)).build());
    }
}
