package dev.nightshift.notifier.interactions;

import java.util.Optional;

/** Where the e-mail of a Slack user is looked up: the other name by which an approvers' list may name them. */
public interface UserDirectory extends AutoCloseable {
    /** No directory: nobody's e-mail is known. */
    UserDirectory NONE = userId -> Optional.empty();

    /** The user's e-mail, when it can be found; empty otherwise (never an exception). */
    Optional<String> emailOf(String userId);

    @Override
    default void close() {
    }
}
