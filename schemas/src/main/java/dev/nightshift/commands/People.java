package dev.nightshift.commands;

/** How the pipeline names a person: a Slack user id ({@code U0123ABCD}, {@code W0123ABCD}) or an e-mail address. */
public final class People {
    private People() {
    }

    /** A Slack user id or an e-mail address. */
    public static boolean isPerson(String name) {
        return name != null && (name.trim().matches("[UW][A-Z0-9]{2,}") || name.trim().matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+"));
    }
}
