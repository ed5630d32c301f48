package dev.nightshift.notifier.slack;

import com.slack.api.Slack;
import com.slack.api.webhook.Payload;
import com.slack.api.webhook.WebhookResponse;

import java.io.IOException;

/**
 * Posts to a Slack incoming webhook with Slack's Java client. The webhook decides the channel.
 * 429 and 5xx answers are retryable; other refusals are not.
 */
public final class WebhookSlackClient implements SlackClient {
    private final Slack slack;
    private final String webhookUrl;

    public WebhookSlackClient(Slack slack, String webhookUrl) {
        this.slack = slack;
        this.webhookUrl = webhookUrl;
    }

    @Override
    public void post(Message message) {
        WebhookResponse response;
        try {
            response = slack.send(webhookUrl, Payload.builder().text(message.text()).build());
        } catch (IOException e) {
            throw new SlackException("Slack webhook unreachable: " + e.getClass().getSimpleName(), true, null);
        }
        int code = response.getCode();
        if (code >= 200 && code < 300) {
            return;
        }
        boolean retryable = code == 429 || code >= 500;
        throw new SlackException("Slack webhook refused the message: HTTP " + code + " " + abbreviate(response.getBody()), retryable, null);
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }
}
