package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.delivery.Action;
import dev.nightshift.notifier.delivery.InvalidNotification;
import dev.nightshift.notifier.delivery.LedgerView;
import dev.nightshift.schema.Notification;

/**
 * Slack through an incoming webhook, for teams without the app: the parent and every reply are posted as one line
 * each, in order, in the webhook's own channel. A webhook cannot edit, search or create a channel: a parent's update
 * and an incident channel are not posted (their Delivery says so), a reply's update (an approval decided) is posted as
 * a line of its own, and a post cut short by a crash is not posted again. Posts keep one pace, that of one channel.
 */
public final class WebhookSlackDelivery implements SlackDelivery {
    static final String DESTINATION = "webhook";
    private final WebhookSlackClient webhook;
    private final SlackPacer pacer;
    private final SlackMessages messages;

    public WebhookSlackDelivery(WebhookSlackClient webhook, SlackPacer pacer, SlackMessages messages) {
        this.webhook = webhook;
        this.pacer = pacer;
        this.messages = messages;
    }

    @Override
    public String mode() {
        return "webhook";
    }

    @Override
    public Action plan(Notification n, LedgerView ledger) {
        String line = switch (n.getKind()) {
            case THREAD -> messages.parent(n).text();
            case REPLY, REPLY_UPDATE -> messages.reply(n).text();
            case THREAD_UPDATE -> null;
            case INCIDENT_CHANNEL -> null;
            default -> throw new InvalidNotification("a " + n.getKind() + " notification is not for Slack");
        };
        if (line == null) {
            return new Action.Skip(DESTINATION, n.getKind() == dev.nightshift.schema.NotificationKind.THREAD_UPDATE
                    ? "an incoming webhook cannot edit a message" : "an incoming webhook cannot create a channel");
        }
        return new Action.Create(DESTINATION, () -> pacer.take(DESTINATION), () -> {
            webhook.post(line);
            return null;
        }, null, false);
    }

    @Override
    public void close() throws Exception {
        webhook.close();
    }
}
