package dev.nightshift.notifier.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.util.json.GsonFactory;

import java.util.ArrayList;
import java.util.List;

/** What a responder sees of Block Kit blocks: their text in order, each button as {@code [Label]}; and the buttons themselves. */
public final class SlackBlocks {
    private SlackBlocks() {
    }

    /** A button as Slack sends it back when pressed: its action id, its label and its value. */
    public record Button(String actionId, String label, String value) {
    }

    /** The blocks as JSON on the wire, as Slack's client sends them. */
    public static String json(List<LayoutBlock> blocks) {
        return GsonFactory.createSnakeCase().toJson(blocks);
    }

    public static String visible(List<LayoutBlock> blocks) {
        return visible(json(blocks));
    }

    public static List<Button> buttons(List<LayoutBlock> blocks) {
        return buttons(json(blocks));
    }

    /** Each block's text on its lines: a section's text then its fields, a context's elements, an actions block's buttons. */
    public static String visible(String json) {
        if (json == null) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        for (JsonNode block : FakeSlackApi.tree(json)) {
            switch (block.path("type").asText()) {
                case "section", "header" -> {
                    if (block.has("text")) {
                        lines.add(block.path("text").path("text").asText());
                    }
                    block.path("fields").forEach(field -> lines.add(field.path("text").asText()));
                }
                case "context" -> block.path("elements").forEach(element -> lines.add(element.path("text").asText()));
                case "actions" -> block.path("elements").forEach(element -> lines.add("[" + element.path("text").path("text").asText() + "]"));
                default -> {
                }
            }
        }
        return String.join("\n", lines);
    }

    public static List<Button> buttons(String json) {
        List<Button> buttons = new ArrayList<>();
        if (json == null) {
            return buttons;
        }
        for (JsonNode block : FakeSlackApi.tree(json)) {
            if (block.path("type").asText().equals("actions")) {
                block.path("elements").forEach(element -> buttons.add(new Button(element.path("action_id").asText(),
                        element.path("text").path("text").asText(), element.path("value").asText())));
            }
        }
        return buttons;
    }
}
