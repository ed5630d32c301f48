package dev.nightshift.notifier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** What the notifier and its libraries log while something runs, every logger at DEBUG: to show a secret is in no line. */
public final class LogCapture {
    private LogCapture() {
    }

    /** Something to run that may throw. */
    public interface Action {
        void run() throws Exception;
    }

    /** Every log line (message and stack trace) written while {@code action} runs, with every logger at DEBUG. */
    public static List<String> atDebugDuring(Action action) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        root.setLevel(Level.DEBUG);
        try {
            action.run();
        } finally {
            root.setLevel(before);
            root.detachAppender(captured);
        }
        return captured.list.stream()
                .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
    }
}
