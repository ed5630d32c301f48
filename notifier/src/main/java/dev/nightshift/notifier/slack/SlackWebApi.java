package dev.nightshift.notifier.slack;

import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsCreateResponse;
import com.slack.api.methods.response.conversations.ConversationsListResponse;
import com.slack.api.model.Conversation;
import com.slack.api.model.ConversationType;
import com.slack.api.model.Message;
import com.slack.api.model.ResponseMetadata;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.delivery.DeliveryRefused;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The Slack Web API as the notifier uses it, through Slack's own client pointed at {@code SLACK_API_URL}: messages
 * posted with metadata naming their notification ({@code event_type} {@value #EVENT_TYPE}, payload
 * {@code notification_id}), updated in place, found again by that metadata ({@code conversations.history} and
 * {@code conversations.replies} with {@code include_all_metadata}), channels created and looked up by name.
 * <p>
 * Slack's answers become {@link DeliveryException}s: 429 (or {@code ratelimited}) is retryable after its
 * {@code Retry-After}, and keeps every call quiet until then ({@link SlackPacer}): calls are made one at a time, whichever
 * delivery worker makes them, so none is under way when a 429 comes; a 5xx, an {@code internal_error} and
 * an unreachable Slack are retryable with an unknown result; any other error Slack names ({@code channel_not_found},
 * {@code not_in_channel}, {@code invalid_auth}, ...) is permanent. The bot token is sent in the Authorization header
 * and is never in a log line or an error: Slack's client is built without the listeners that log requests.
 */
public final class SlackWebApi implements AutoCloseable {
    /** The metadata's event type on every message the notifier posts. */
    public static final String EVENT_TYPE = "nightshift_notification";
    /** The metadata's payload key naming the notification a message delivers. */
    public static final String NOTIFICATION_ID = "notification_id";
    /** The longest one call may take, connecting included. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** How long to keep quiet after a 429 that did not say. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{6,}");
    /** Errors Slack names that say trying again may help; the call's result is unknown. */
    private static final Set<String> RETRYABLE = Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout");
    private static final int PAGE = 200;

    private final Slack slack;
    private final MethodsClient methods;
    private final SlackPacer pacer;
    /** Channel names to ids, as conversations.list gave them. */
    private final Map<String, String> channelIds = new ConcurrentHashMap<>();
    private final ReentrantLock oneAtATime = new ReentrantLock(true);

    private SlackWebApi(Slack slack, String botToken, SlackPacer pacer) {
        this.slack = slack;
        this.methods = slack.methods(botToken);
        this.pacer = pacer;
    }

    /** A client of the Web API as the settings say ({@link SlackAppConfig#clientConfig}) with the bot token. */
    public static SlackWebApi of(SlackAppConfig settings, String botToken, SlackPacer pacer) {
        return new SlackWebApi(Slack.getInstance(settings.clientConfig(CALL_TIMEOUT)), botToken, pacer);
    }

    /**
     * The id of a channel named as the ownership names it ({@code #payments-oncall}, {@code payments-oncall}, or its id).
     * Names are looked up with conversations.list, once, and again when a name is not known.
     */
    public String channelId(String channel) {
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        if (CHANNEL_ID.matcher(name).matches()) {
            return name;
        }
        String id = channelIds.get(name);
        if (id == null) {
            readChannels();
            id = channelIds.get(name);
        }
        if (id == null) {
            throw new DeliveryRefused("Slack has no channel #" + name + " the app can see (is it archived, or private without the app?)",
                    false, null);
        }
        return id;
    }

    /**
     * Posts a message (a reply when {@code threadTs} is set), its metadata naming the notification; returns its ts.
     *
     * @param payload more metadata, next to the notification id
     */
    public String post(String channelId, String threadTs, SlackMessage message, String notificationId, Map<String, Object> payload) {
        ChatPostMessageResponse posted = call("chat.postMessage", () -> methods.chatPostMessage(r -> r.channel(channelId).threadTs(threadTs)
                .text(message.text()).blocks(message.blocks()).unfurlLinks(false).unfurlMedia(false)
                .metadata(metadata(notificationId, payload))));
        return posted.getTs();
    }

    /** Replaces the message's text and blocks (its metadata kept naming the notification that made it). */
    public void update(String channelId, String ts, SlackMessage message, String notificationId) {
        call("chat.update", () -> methods.chatUpdate(r -> r.channel(channelId).ts(ts).text(message.text()).blocks(message.blocks())
                .metadata(metadata(notificationId, Map.of()))));
    }

    /**
     * The message that delivered the notification, posted since {@code since}: among the channel's messages, or the
     * thread's replies when {@code threadTs} is set.
     */
    public Optional<Found> find(String channelId, String threadTs, String notificationId, Instant since) {
        String oldest = since.getEpochSecond() + ".000000";
        String cursor = null;
        do {
            String page = cursor;
            List<Message> messages;
            ResponseMetadata next;
            if (threadTs == null) {
                var history = call("conversations.history", () -> methods.conversationsHistory(r -> r.channel(channelId).oldest(oldest)
                        .includeAllMetadata(true).limit(PAGE).cursor(page)));
                messages = history.getMessages();
                next = history.getResponseMetadata();
            } else {
                var replies = call("conversations.replies", () -> methods.conversationsReplies(r -> r.channel(channelId).ts(threadTs)
                        .oldest(oldest).includeAllMetadata(true).limit(PAGE).cursor(page)));
                messages = replies.getMessages();
                next = replies.getResponseMetadata();
            }
            for (Message message : messages == null ? List.<Message>of() : messages) {
                Message.Metadata metadata = message.getMetadata();
                if (metadata != null && EVENT_TYPE.equals(metadata.getEventType()) && metadata.getEventPayload() != null
                        && notificationId.equals(String.valueOf(metadata.getEventPayload().get(NOTIFICATION_ID)))) {
                    return Optional.of(new Found(message.getTs(), metadata.getEventPayload()));
                }
            }
            cursor = next == null ? null : next.getNextCursor();
        } while (cursor != null && !cursor.isEmpty());
        return Optional.empty();
    }

    /** Creates a public channel; when one of that name exists already (made before a crash), its id. */
    public String createChannel(String name) {
        ConversationsCreateResponse created = call("conversations.create", () -> methods.conversationsCreate(r -> r.name(name)), "name_taken");
        if (!created.isOk()) {
            channelIds.remove(name);
            return channelId(name);
        }
        channelIds.put(name, created.getChannel().getId());
        return created.getChannel().getId();
    }

    /** A message found by its metadata: its ts and its metadata's payload. */
    public record Found(String ts, Map<String, Object> payload) {
    }

    private void readChannels() {
        String cursor = null;
        do {
            String page = cursor;
            ConversationsListResponse list = call("conversations.list", () -> methods.conversationsList(r -> r
                    .types(List.of(ConversationType.PUBLIC_CHANNEL, ConversationType.PRIVATE_CHANNEL)).excludeArchived(true)
                    .limit(1000).cursor(page)));
            for (Conversation channel : list.getChannels() == null ? List.<Conversation>of() : list.getChannels()) {
                channelIds.put(channel.getName(), channel.getId());
            }
            cursor = list.getResponseMetadata() == null ? null : list.getResponseMetadata().getNextCursor();
        } while (cursor != null && !cursor.isEmpty());
    }

    private static Message.Metadata metadata(String notificationId, Map<String, Object> payload) {
        Map<String, Object> all = new HashMap<>(payload);
        all.put(NOTIFICATION_ID, notificationId);
        return Message.Metadata.builder().eventType(EVENT_TYPE).eventPayload(all).build();
    }

    @FunctionalInterface
    private interface SlackCall<T> {
        T call() throws IOException, SlackApiException;
    }

    /** Makes the call unless Slack asked us to keep quiet, and turns what Slack answered into a result or a DeliveryException. */
    private <T extends SlackApiTextResponse> T call(String method, SlackCall<T> call) {
        return call(method, call, null);
    }

    /** As above, answering with the response when Slack names the {@code accepted} error. */
    private <T extends SlackApiTextResponse> T call(String method, SlackCall<T> call, String accepted) {
        T response;
        // One call at a time, across the delivery workers: a 429 is known to the pacer before the next call is begun,
        // so nothing reaches Slack within its Retry-After.
        oneAtATime.lock();
        try {
            Duration quiet = pacer.quiet();
            if (!quiet.isZero()) {
                throw new DeliveryRefused(method + " not called: Slack asked us to wait (429)", true, quiet);
            }
            response = call.call();
            if ("ratelimited".equals(response.getError())) {
                pacer.rateLimited(DEFAULT_RETRY_AFTER);
                throw new DeliveryRefused(method + ": Slack answered ratelimited", true, DEFAULT_RETRY_AFTER);
            }
        } catch (IOException e) {
            throw new DeliveryException(method + ": Slack unreachable (" + e.getClass().getSimpleName() + ")", true, null);
        } catch (SlackApiException e) {
            int status = e.getResponse().code();
            if (status == 429) {
                Duration wait = retryAfter(e.getResponse().header("Retry-After"));
                pacer.rateLimited(wait);
                throw new DeliveryRefused(method + ": Slack answered 429 (rate limited), Retry-After " + wait.toSeconds() + " s", true, wait);
            }
            if (status >= 500) {
                throw new DeliveryException(method + ": Slack answered HTTP " + status, true, null);
            }
            throw new DeliveryRefused(method + ": Slack answered HTTP " + status, false, null);
        } finally {
            oneAtATime.unlock();
        }
        String error = response.getError();
        if (response.isOk() || error != null && error.equals(accepted)) {
            return response;
        }
        if (RETRYABLE.contains(error)) {
            throw new DeliveryException(method + ": Slack answered " + error, true, null);
        }
        throw new DeliveryRefused(method + " refused by Slack: " + error + hint(error, response.getNeeded()), false, null);
    }

    private static String hint(String error, String needed) {
        return switch (error == null ? "" : error) {
            case "not_in_channel" -> " (invite the app to the channel)";
            case "channel_not_found" -> " (no such channel, or a private one without the app)";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" -> " (check SLACK_BOT_TOKEN)";
            case "missing_scope" -> " (the app needs the scope " + needed + ")";
            default -> "";
        };
    }

    /** Slack's {@code Retry-After} in seconds; {@link #DEFAULT_RETRY_AFTER} when absent or not a number of seconds. */
    static Duration retryAfter(String header) {
        if (header == null) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Duration.ofSeconds(seconds) : DEFAULT_RETRY_AFTER;
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
