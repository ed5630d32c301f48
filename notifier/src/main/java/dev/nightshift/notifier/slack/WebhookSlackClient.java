package dev.nightshift.notifier.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.webhook.Payload;
import com.slack.api.webhook.WebhookResponse;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.notifier.delivery.DeliveryRefused;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Posts to a Slack incoming webhook with Slack's Java client. The webhook decides the channel. Slack's answer is
 * final: 429 (with its {@code Retry-After}) and 5xx are retryable, other refusals are not, and in both cases nothing
 * was posted; no answer at all (a timeout) leaves it unknown. The webhook URL is a secret: it is never logged nor put
 * in an error.
 */
public final class WebhookSlackClient implements AutoCloseable {
    /** The longest one post may take, connecting included. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Slack slack;
    private final String webhookUrl;

    private WebhookSlackClient(Slack slack, String webhookUrl) {
        this.slack = slack;
        this.webhookUrl = webhookUrl;
    }

    /**
     * A client of the webhook. Slack's client is built without its default HTTP response listeners:
     * at DEBUG they log every request's URL, which for a webhook is the secret itself.
     */
    public static WebhookSlackClient of(String webhookUrl) {
        SlackConfig config = new SlackConfig();
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setHttpClientCallTimeoutMillis((int) CALL_TIMEOUT.toMillis());
        return new WebhookSlackClient(Slack.getInstance(config), webhookUrl);
    }

    /** Posts one line of text. */
    public void post(String text) {
        WebhookResponse response;
        try {
            response = slack.send(webhookUrl, Payload.builder().text(text).build());
        } catch (ConnectException | UnknownHostException e) {
            throw new DeliveryRefused("Slack webhook unreachable: " + e.getClass().getSimpleName(), true, null);
        } catch (IOException e) {
            throw new DeliveryException("Slack webhook did not answer: " + e.getClass().getSimpleName(), true, null);
        }
        int code = response.getCode();
        if (code >= 200 && code < 300) {
            return;
        }
        boolean retryable = code == 429 || code >= 500;
        throw new DeliveryRefused("Slack webhook refused the message: HTTP " + code + " " + abbreviate(response.getBody()), retryable,
                retryAfter(response.getHeaders()));
    }

    /** Slack's {@code Retry-After} in seconds; null when absent or not a number of seconds. */
    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if ("retry-after".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                try {
                    long seconds = Long.parseLong(header.getValue().get(0).trim());
                    return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
