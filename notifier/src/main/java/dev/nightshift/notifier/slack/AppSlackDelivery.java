package dev.nightshift.notifier.slack;

import dev.nightshift.notifier.delivery.Action;
import dev.nightshift.notifier.delivery.InvalidNotification;
import dev.nightshift.notifier.delivery.LedgerView;
import dev.nightshift.schema.Notification;

import java.util.Locale;
import java.util.Map;

/**
 * Slack as an app, with a bot token: a thread per incident or storm group. THREAD posts the parent message in the
 * notification's channel, and THREAD_UPDATE edits it in place; REPLY posts in the thread (the parent as the ledger has
 * it, {@code thread:<threadKey>}; at the top of the channel when the thread has no parent), and REPLY_UPDATE edits the
 * reply it names; INCIDENT_CHANNEL creates the incident's own channel and links it from the thread. Every message
 * carries its notification id in its metadata, by which a post cut short is found again. Messages keep each channel's
 * pace ({@link SlackPacer}).
 */
public final class AppSlackDelivery implements SlackDelivery {
    /** The metadata's payload key naming the incident channel a link reply announces. */
    static final String INCIDENT_CHANNEL = "incident_channel";

    private final SlackWebApi api;
    private final SlackPacer pacer;
    private final SlackMessages messages;

    public AppSlackDelivery(SlackWebApi api, SlackPacer pacer, SlackMessages messages) {
        this.api = api;
        this.pacer = pacer;
        this.messages = messages;
    }

    @Override
    public String mode() {
        return "app";
    }

    /** The notification id of a thread's parent message (the planner's THREAD). */
    public static String parentId(String threadKey) {
        return "thread:" + threadKey;
    }

    @Override
    public Action plan(Notification n, LedgerView ledger) {
        String id = n.getNotificationId();
        switch (n.getKind()) {
            case THREAD -> {
                String channel = api.channelId(channel(n));
                SlackMessage message = messages.parent(n);
                return new Action.Create(channel, pace(channel), () -> api.post(channel, null, message, id, Map.of()),
                        since -> api.find(channel, null, id, since).map(SlackWebApi.Found::ts), false);
            }
            case THREAD_UPDATE -> {
                LedgerView.Made parent = ledger.made(parentId(n.getThreadKey())).orElseThrow(() -> new InvalidNotification(
                        "thread " + n.getThreadKey() + " has no parent message to update (its THREAD was not delivered)"));
                SlackMessage message = messages.parent(n);
                return new Action.Edit(parent.destination(), pace(parent.destination()), () -> {
                    api.update(parent.destination(), parent.ref(), message, parentId(n.getThreadKey()));
                    return parent.ref();
                });
            }
            case REPLY -> {
                Place where = place(n, ledger);
                SlackMessage message = messages.reply(n);
                return new Action.Create(where.channel(), pace(where.channel()), () -> api.post(where.channel(), where.threadTs(), message, id, Map.of()),
                        since -> api.find(where.channel(), where.threadTs(), id, since).map(SlackWebApi.Found::ts), false);
            }
            case REPLY_UPDATE -> {
                if (n.getUpdates() == null) {
                    throw new InvalidNotification("a reply's update without the reply it updates");
                }
                LedgerView.Made reply = ledger.made(n.getUpdates()).orElseThrow(() -> new InvalidNotification(
                        "reply " + n.getUpdates() + " was not delivered: nothing to update"));
                SlackMessage message = messages.reply(n);
                return new Action.Edit(reply.destination(), pace(reply.destination()), () -> {
                    api.update(reply.destination(), reply.ref(), message, n.getUpdates());
                    return reply.ref();
                });
            }
            case INCIDENT_CHANNEL -> {
                Place where = place(n, ledger);
                String name = incidentChannelName(n.getIncidentId());
                return new Action.Create(where.channel(), pace(where.channel()), () -> {
                    String created = api.createChannel(name);
                    api.post(where.channel(), where.threadTs(), messages.incidentChannelLink(n, created), id, Map.of(INCIDENT_CHANNEL, created));
                    return created;
                }, since -> api.find(where.channel(), where.threadTs(), id, since).map(found -> String.valueOf(found.payload().get(INCIDENT_CHANNEL))),
                        false);
            }
            default -> throw new InvalidNotification("a " + n.getKind() + " notification is not for Slack");
        }
    }

    /** A Slack channel's name for the incident: lower case, letters, digits, - and _, at most 80 characters. */
    static String incidentChannelName(String incidentId) {
        String name = incidentId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-");
        name = name.startsWith("inc-") ? name : "inc-" + name;
        return name.length() <= 80 ? name : name.substring(0, 80);
    }

    /** Where a reply goes: in its thread as the ledger has the parent, else at the top of the notification's channel. */
    private Place place(Notification n, LedgerView ledger) {
        return ledger.made(parentId(n.getThreadKey())).map(parent -> new Place(parent.destination(), parent.ref()))
                .orElseGet(() -> new Place(api.channelId(channel(n)), null));
    }

    private static String channel(Notification n) {
        if (n.getSlackChannel() == null || n.getSlackChannel().isBlank()) {
            throw new InvalidNotification("notification " + n.getNotificationId() + " names no Slack channel");
        }
        return n.getSlackChannel();
    }

    private Action.Pace pace(String channel) {
        return () -> pacer.take(channel);
    }

    private record Place(String channel, String threadTs) {
    }

    @Override
    public void close() throws Exception {
        api.close();
    }
}
