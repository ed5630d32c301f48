package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.delivery.Action;
import dev.nightshift.notifier.delivery.InvalidNotification;
import dev.nightshift.notifier.delivery.LedgerView;
import dev.nightshift.schema.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Used when neither a Slack app nor a webhook is configured: each Slack notification becomes a log line, so nothing is silently dropped. */
public final class LoggingSlackDelivery implements SlackDelivery {
    private static final Logger LOG = LoggerFactory.getLogger("nightshift.notifications");
    static final String REASON = "no Slack app or webhook is configured (SLACK_BOT_TOKEN, SLACK_WEBHOOK_URL): written to the log";
    private final SlackMessages messages;

    public LoggingSlackDelivery(SlackMessages messages) {
        this.messages = messages;
    }

    @Override
    public String mode() {
        return "log";
    }

    @Override
    public Action plan(Notification n, LedgerView ledger) {
        String line = switch (n.getKind()) {
            case THREAD, THREAD_UPDATE -> messages.parent(n).text();
            case REPLY, REPLY_UPDATE -> messages.reply(n).text();
            case INCIDENT_CHANNEL -> "[" + n.getIncidentId() + "] would open an incident channel";
            default -> throw new InvalidNotification("a " + n.getKind() + " notification is not for Slack");
        };
        LOG.info("[{}] {}", n.getSlackChannel() == null ? "no channel" : n.getSlackChannel(), line);
        return new Action.Skip("log", REASON);
    }
}
