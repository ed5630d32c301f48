package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Reads an Atlassian Document Format document the way Jira shows it: one line per heading and paragraph. */
final class AdfReader {
    private AdfReader() {
    }

    /** Each heading's and paragraph's text (hard breaks as line breaks), in document order. */
    static List<String> lines(JsonNode doc) {
        List<String> lines = new ArrayList<>();
        collect(doc, lines);
        return lines;
    }

    /** Every node of a type, in document order. */
    static List<JsonNode> nodes(JsonNode doc, String type) {
        List<JsonNode> found = new ArrayList<>();
        find(doc, type, found);
        return found;
    }

    private static void collect(JsonNode node, List<String> lines) {
        String type = node.path("type").asText();
        if (type.equals("paragraph") || type.equals("heading")) {
            StringBuilder line = new StringBuilder();
            for (JsonNode inline : node.path("content")) {
                switch (inline.path("type").asText()) {
                    case "text" -> line.append(inline.path("text").asText());
                    case "hardBreak" -> line.append('\n');
                    default -> throw new AssertionError("unexpected inline node " + inline);
                }
            }
            lines.add(line.toString());
            return;
        }
        for (JsonNode child : node.path("content")) {
            collect(child, lines);
        }
    }

    private static void find(JsonNode node, String type, List<JsonNode> found) {
        if (type.equals(node.path("type").asText())) {
            found.add(node);
        }
        for (JsonNode child : node.path("content")) {
            find(child, type, found);
        }
    }
}
