package dev.nightshift.notifier.slack;

/**
 * Slack's rule for text that did not come from us: {@code &}, {@code <} and {@code >} are escaped, so
 * that an alert's title cannot mention {@code <!channel>}, a user, or show a link under a false label.
 * Slack shows the escaped characters as typed.
 */
public final class SlackText {
    private SlackText() {
    }

    /** The value as plain text in a Slack message ({@code "null"} when there is none). */
    public static String escape(Object value) {
        String text = String.valueOf(value);
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
