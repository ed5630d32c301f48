package dev.nightshift.topics;

import dev.nightshift.schema.Alert;
import dev.nightshift.schema.ApprovalDecision;
import dev.nightshift.schema.ApprovalRequest;
import dev.nightshift.schema.AutomationControl;
import dev.nightshift.schema.Delivery;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.IncidentOutcome;
import dev.nightshift.schema.IncidentResponse;
import dev.nightshift.schema.Notification;
import dev.nightshift.schema.NotificationLedger;
import dev.nightshift.schema.Ownership;
import dev.nightshift.schema.PlaybookCommand;
import dev.nightshift.schema.PlaybookRun;
import dev.nightshift.schema.RejectedAlert;
import dev.nightshift.schema.RemediationOutcome;
import dev.nightshift.schema.RemediationRequest;
import dev.nightshift.schema.Silence;
import dev.nightshift.schema.StepLedger;
import dev.nightshift.schema.TriagedAlert;
import dev.nightshift.serde.RegistryAvroSerde;
import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.serde.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The typed registry of the pipeline's topics: each topic's name, key serde and value serde in one
 * place. Keys are UTF-8 strings (fingerprint, incident id, service, source or request id, as the
 * architecture says); values are Avro in the Confluent wire format, registered under
 * {@code <topic>-value}.
 */
public final class Topics {
    private final TopicNames names;
    private final SchemaRegistryClient registry;
    private final Map<Class<?>, Serde<?>> valueSerdes = new ConcurrentHashMap<>();

    public Topics(TopicNames names, SchemaRegistryClient registry) {
        this.names = names;
        this.registry = registry;
    }

    public Topics(TopicNames names, RegistryConfig registry) {
        this(names, SchemaRegistryClient.shared(registry));
    }

    public TopicNames names() {
        return names;
    }

    public SchemaRegistryClient registry() {
        return registry;
    }

    public Topic<String, Alert> alertsRaw() {
        return topic(names.alertsRaw(), Alert.class);
    }

    public Topic<String, RejectedAlert> alertsRejected() {
        return topic(names.alertsRejected(), RejectedAlert.class);
    }

    public Topic<String, Ownership> ownership() {
        return topic(names.ownership(), Ownership.class);
    }

    public Topic<String, Incident> incidents() {
        return topic(names.incidents(), Incident.class);
    }

    public Topic<String, TriagedAlert> teamAlerts(String team) {
        return topic(names.teamAlerts(team), TriagedAlert.class);
    }

    public Topic<String, RemediationRequest> actions(String action) {
        return topic(names.actions(action), RemediationRequest.class);
    }

    public Topic<String, RemediationOutcome> remediationOutcomes() {
        return topic(names.remediationOutcomes(), RemediationOutcome.class);
    }

    public Topic<String, ApprovalRequest> approvalRequests() {
        return topic(names.approvalRequests(), ApprovalRequest.class);
    }

    public Topic<String, ApprovalDecision> approvalDecisions() {
        return topic(names.approvalDecisions(), ApprovalDecision.class);
    }

    public Topic<String, IncidentOutcome> incidentOutcomes() {
        return topic(names.incidentOutcomes(), IncidentOutcome.class);
    }

    /** Each playbook run after every transition, keyed by incident id. */
    public Topic<String, PlaybookRun> playbookRuns() {
        return topic(names.playbookRuns(), PlaybookRun.class);
    }

    /** People pausing automation and switching actions on or off (compacted), keyed by scope. */
    public Topic<String, AutomationControl> automationControl() {
        return topic(names.automationControl(), AutomationControl.class);
    }

    /** The workers' record of live steps started and finished (compacted), keyed by request id. */
    public Topic<String, StepLedger> actionsLedger() {
        return topic(names.actionsLedger(), StepLedger.class);
    }

    /** People asking for a step to be undone or retried, keyed by incident id. */
    public Topic<String, PlaybookCommand> playbookCommands() {
        return topic(names.playbookCommands(), PlaybookCommand.class);
    }

    /** People's responses to an incident (acknowledgements, notes), keyed by incident id. */
    public Topic<String, IncidentResponse> incidentResponses() {
        return topic(names.incidentResponses(), IncidentResponse.class);
    }

    /** What the notifier's planner decided to tell people, keyed by Slack thread. */
    public Topic<String, Notification> notificationsOutbox() {
        return topic(names.notificationsOutbox(), Notification.class);
    }

    /** The notifier's record of deliveries started and what they made (compacted), keyed by notification id. */
    public Topic<String, NotificationLedger> notificationsLedger() {
        return topic(names.notificationsLedger(), NotificationLedger.class);
    }

    /** What people were told, when and where, keyed by incident id. */
    public Topic<String, Delivery> notificationsDeliveries() {
        return topic(names.notificationsDeliveries(), Delivery.class);
    }

    /** Teams' silences of their notifications (compacted), keyed by team and scope. */
    public Topic<String, Silence> notificationsSilences() {
        return topic(names.notificationsSilences(), Silence.class);
    }

    /** The fixed topics, as the local stack creates them (team and action topics come on demand). */
    public List<Topic<String, ?>> fixedTopics() {
        return List.of(alertsRaw(), alertsRejected(), ownership(), incidents(), remediationOutcomes(),
                approvalRequests(), approvalDecisions(), incidentOutcomes(), playbookRuns(), automationControl(),
                actionsLedger(), playbookCommands(), incidentResponses(), notificationsOutbox(), notificationsLedger(),
                notificationsDeliveries(), notificationsSilences());
    }

    /** The fixed topics that keep only the latest record per key. */
    public List<Topic<String, ?>> compactedTopics() {
        return List.of(ownership(), automationControl(), actionsLedger(), notificationsLedger(), notificationsSilences());
    }

    /** The Avro serde of a record class, shared by every topic that carries it. */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> Serde<V> valueSerde(Class<V> type) {
        return (Serde<V>) valueSerdes.computeIfAbsent(type, t -> new RegistryAvroSerde<>(registry, type, false));
    }

    private <V extends SpecificRecord> Topic<String, V> topic(String name, Class<V> type) {
        return new Topic<>(name, Serdes.String(), valueSerde(type));
    }
}
