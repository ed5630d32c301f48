package dev.nightshift.notifier.interactions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Slack's interactivity requests as Slack sends them: a form with the JSON in {@code payload}. */
final class Presses {
    private Presses() {
    }

    /** A {@code block_actions} request: the user pressed the button {@code actionId} whose value is {@code value}. */
    static byte[] press(String userId, String actionId, String value) {
        String payload = """
                {"type":"block_actions","user":{"id":"%s","username":"sam","name":"sam","team_id":"T0TEAM1"},
                 "api_app_id":"A0APP1","token":"legacy-verification-token","team":{"id":"T0TEAM1","domain":"nightshift"},
                 "container":{"type":"message","message_ts":"1733479200.000100","channel_id":"C0OPS1","is_ephemeral":false},
                 "trigger_id":"123.456.abc","channel":{"id":"C0OPS1","name":"payments-oncall"},
                 "message":{"type":"message","ts":"1733479200.000100","text":"orders throttled & paged <ok>"},
                 "response_url":"https://hooks.slack.com/actions/T0TEAM1/1/abc",
                 "actions":[{"action_id":"%s","block_id":"b1","text":{"type":"plain_text","text":"Approve"},
                             "value":"%s","type":"button","action_ts":"1733479260.123456"}]}
                """.formatted(userId, actionId, value);
        return form(payload);
    }

    /** A request of another type, e.g. {@code view_submission}. */
    static byte[] ofType(String type) {
        return form("{\"type\":\"" + type + "\",\"user\":{\"id\":\"U0AAA1\"}}");
    }

    static byte[] form(String payload) {
        return ("payload=" + URLEncoder.encode(payload, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }
}
