package dev.nightshift.notifier.slack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Used when no Slack is configured: each message becomes a log line, so nothing is silently dropped. */
public final class LoggingSlackClient implements SlackClient {
    private static final Logger LOG = LoggerFactory.getLogger("nightshift.notifications");

    @Override
    public void post(Message message) {
        LOG.info("[{}] {}", message.channel() == null ? "no channel" : message.channel(), message.text());
    }
}
