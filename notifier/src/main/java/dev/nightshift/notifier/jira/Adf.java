package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The few Atlassian Document Format nodes the notifier writes: a document of headings, paragraphs and bullet lists
 * whose leaves are text nodes. Text taken from a record stays text: it is never parsed for markup, a line break
 * becomes a {@code hardBreak}, other control characters are dropped, very long values are cut, and an empty value
 * gives no node (ADF refuses empty text). A link mark is only put on an absolute http(s) address.
 */
final class Adf {
    /** The longest text one value may fill; Jira caps a whole description or comment at 32,767 characters. */
    static final int MAX_TEXT = 2000;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Adf() {
    }

    static ObjectNode doc(List<ObjectNode> blocks) {
        ObjectNode doc = NODES.objectNode().put("version", 1).put("type", "doc");
        ArrayNode content = doc.putArray("content");
        blocks.forEach(content::add);
        return doc;
    }

    static ObjectNode heading(int level, String text) {
        ObjectNode heading = node("heading", text(text));
        heading.putObject("attrs").put("level", level);
        return heading;
    }

    static ObjectNode paragraph(List<ObjectNode> inline) {
        return node("paragraph", inline);
    }

    /** A bullet list, one item per entry, each item a paragraph of its inline nodes. */
    static ObjectNode bulletList(List<List<ObjectNode>> items) {
        List<ObjectNode> listItems = new ArrayList<>();
        for (List<ObjectNode> item : items) {
            listItems.add(node("listItem", List.of(paragraph(item))));
        }
        return node("bulletList", listItems);
    }

    /** The text's nodes: text nodes between hard breaks; none when the text is null or blank. */
    static List<ObjectNode> text(String text) {
        return marked(text, null, null);
    }

    static List<ObjectNode> strong(String text) {
        return marked(text, "strong", null);
    }

    /** The text linked to {@code href} when it is an absolute http(s) address, else the plain text of both. */
    static List<ObjectNode> link(String text, String href) {
        if (!WebAddress.valid(href)) {
            return text(text == null || text.isBlank() ? href : text + " " + href);
        }
        return marked(text == null || text.isBlank() ? href : text, "link", href);
    }

    /** Several inline runs one after another. */
    @SafeVarargs
    static List<ObjectNode> inline(List<ObjectNode>... runs) {
        List<ObjectNode> all = new ArrayList<>();
        for (List<ObjectNode> run : runs) {
            all.addAll(run);
        }
        return all;
    }

    private static List<ObjectNode> marked(String text, String mark, String href) {
        List<ObjectNode> nodes = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return nodes;
        }
        String clean = clean(text);
        String[] lines = clean.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                nodes.add(NODES.objectNode().put("type", "hardBreak"));
            }
            if (!lines[i].isEmpty()) {
                ObjectNode node = NODES.objectNode().put("type", "text").put("text", lines[i]);
                if (mark != null) {
                    ObjectNode m = node.putArray("marks").addObject().put("type", mark);
                    if (href != null) {
                        m.putObject("attrs").put("href", href.trim());
                    }
                }
                nodes.add(node);
            }
        }
        return nodes;
    }

    /** Line breaks as {@code \n}, tabs as spaces, other control characters gone, cut to {@link #MAX_TEXT}. */
    static String clean(String text) {
        String unified = text.replace("\r\n", "\n").replace('\r', '\n').replace('\t', ' ');
        StringBuilder clean = new StringBuilder(Math.min(unified.length(), MAX_TEXT + 1));
        for (int i = 0; i < unified.length() && clean.length() < MAX_TEXT; i++) {
            char c = unified.charAt(i);
            if (c == '\n' || !Character.isISOControl(c)) {
                clean.append(c);
            }
        }
        if (clean.length() >= MAX_TEXT && unified.length() > MAX_TEXT) {
            clean.append('…');
        }
        return clean.toString();
    }

    private static ObjectNode node(String type, List<ObjectNode> content) {
        ObjectNode node = NODES.objectNode().put("type", type);
        ArrayNode array = node.putArray("content");
        content.forEach(array::add);
        return node;
    }
}
