package dev.nightshift.workers;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationRequest;

import java.time.Instant;
import java.util.Map;

public final class Requests {
    private Requests() {
    }

    public static RemediationRequest request(String requestId, String action, String resource, Map<String, String> parameters) {
        return RemediationRequest.newBuilder()
                .setRequestId(requestId)
                .setIncidentId("inc-" + requestId)
                .setPlaybook("dynamodb-throttling")
                .setStepIndex(0)
                .setAction(action)
                .setParameters(parameters)
                .setResource(resource)
                .setOwner(Owner.newBuilder().setTeam("payments").setService("orders").build())
                .setRequestedAt(Instant.parse("2026-11-21T03:00:00Z"))
                .build();
    }
}
