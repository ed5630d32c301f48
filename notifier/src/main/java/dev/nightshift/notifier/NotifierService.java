package dev.nightshift.notifier;

import dev.nightshift.notifier.slack.SlackClient;
import dev.nightshift.schema.Incident;
import dev.nightshift.schema.RemediationOutcome;
import org.apache.avro.specific.SpecificRecord;

/** Decides what to tell people about a record and sends it. */
public final class NotifierService {
    private final SlackClient slack;
    private final NotificationFormatter formatter;

    public NotifierService(SlackClient slack, NotificationFormatter formatter) {
        this.slack = slack;
        this.formatter = formatter;
    }

    public void handle(SpecificRecord record) {
        if (record instanceof Incident incident) {
            formatter.incident(incident).ifPresent(text ->
                    slack.post(new SlackClient.Message(NotificationFormatter.channel(incident.getOwner()), text)));
        } else if (record instanceof RemediationOutcome outcome) {
            slack.post(new SlackClient.Message(NotificationFormatter.channel(outcome.getOwner()), formatter.outcome(outcome)));
        }
    }
}
