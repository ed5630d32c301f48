package dev.nightshift.notifier.slack;

import com.slack.api.model.block.LayoutBlock;

import java.util.List;

/**
 * A message as the Slack app posts it: its Block Kit blocks, and its {@code text}, one line that says the same for
 * notifications, screen readers, an incoming webhook and the log. Every value in both is escaped ({@link SlackText}).
 */
public record SlackMessage(String text, List<LayoutBlock> blocks) {
    public SlackMessage {
        blocks = List.copyOf(blocks);
    }
}
