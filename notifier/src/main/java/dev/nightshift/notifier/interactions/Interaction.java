package dev.nightshift.notifier.interactions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a Slack interactivity request says, read from its body (form-encoded, the JSON in its {@code payload} field):
 * its type ({@code block_actions} for a button), the Slack user who acted, the channel, and each action's
 * {@code action_id} and {@code value}.
 */
public record Interaction(String type, String userId, String channelId, List<Action> actions) {
    public static final String BLOCK_ACTIONS = "block_actions";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One pressed element: the button's name and the id it acts on. */
    public record Action(String actionId, String value) {
    }

    /** Reads the body; a body that is no interaction gives an {@link IllegalArgumentException} saying so. */
    public static Interaction parse(byte[] body) {
        String payload = null;
        for (String field : new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8).split("&")) {
            int equals = field.indexOf('=');
            if (equals > 0 && URLDecoder.decode(field.substring(0, equals), StandardCharsets.UTF_8).equals("payload")) {
                payload = URLDecoder.decode(field.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        if (payload == null) {
            throw new IllegalArgumentException("no payload field in the form");
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("the payload is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the payload is not a JSON object");
        }
        List<Action> actions = new ArrayList<>();
        for (JsonNode action : root.path("actions")) {
            actions.add(new Action(text(action.path("action_id")), text(action.path("value"))));
        }
        return new Interaction(text(root.path("type")), text(root.path("user").path("id")), text(root.path("channel").path("id")),
                List.copyOf(actions));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }
}
