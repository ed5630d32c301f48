package dev.nightshift.workers.executor;

import dev.nightshift.schema.Owner;
import dev.nightshift.schema.RemediationRequest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Step requests as the runner writes them, for a widget of the fake actions. */
final class StepRequests {
    private StepRequests() {
    }

    /** A request to run {@code action} on {@code widget}, requested at {@code now}, due within ten minutes. */
    static RemediationRequest.Builder request(String requestId, String incidentId, String action, String widget, Instant now) {
        return RemediationRequest.newBuilder()
                .setRequestId(requestId)
                .setIncidentId(incidentId)
                .setPlaybook("widget-overload")
                .setStepIndex(1)
                .setStepName("scale-up")
                .setAction(action)
                .setParameters(Map.of("widget", widget))
                .setResource("widget:pool/" + widget)
                .setOwner(Owner.newBuilder().setTeam("payments").setService("orders").build())
                .setRegion("us-east-1")
                .setEnvironment("production")
                .setApprovedBy(List.of("alice"))
                .setRequestedAt(now)
                .setTimeoutAt(now.plusSeconds(600));
    }
}
