package dev.nightshift.notifier.jira;

import dev.nightshift.notifier.delivery.DeliveryException;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Optional;

/**
 * Sorts what an HTTP service (Jira, PagerDuty) answered into retryable and permanent {@link DeliveryException}s: 429,
 * 408 and 5xx and an unreachable service are worth another try, with the service's {@code Retry-After} when it sent
 * one; any other refusal (400, 401, 403, 404, ...) is not. Messages say the service, the call and the answer, with
 * every secret the caller names blanked out.
 */
public final class HttpFailures {
    private static final int MAX_DETAIL = 300;

    private HttpFailures() {
    }

    public static boolean retryable(int status) {
        return status == 429 || status == 408 || status >= 500;
    }

    /** A refusal: {@code call} is e.g. {@code POST /rest/api/3/issue}, {@code detail} what the service said about it. */
    public static DeliveryException refused(String service, String call, int status, Optional<String> retryAfter, String detail,
                                            Collection<String> secrets) {
        String message = service + " answered HTTP " + status + " to " + call + (detail == null || detail.isBlank() ? "" : ": " + abbreviate(detail));
        return new DeliveryException(redact(message, secrets), retryable(status), retryable(status) ? retryAfter(retryAfter, Instant.now()) : null, null);
    }

    /** The service could not be reached or did not answer in time (always retryable). */
    public static DeliveryException unreachable(String service, String call, IOException e, Collection<String> secrets) {
        String message = service + " unreachable for " + call + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        return new DeliveryException(redact(message, secrets), true, null);
    }

    /** The wait a {@code Retry-After} asks for: seconds, or an HTTP date; null when absent, unreadable or in the past. */
    public static Duration retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return null;
        }
        String value = header.get().trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return wait.isNegative() ? null : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** {@code text} with each of {@code secrets} (3 characters or more) replaced by {@code ***}. */
    public static String redact(String text, Collection<String> secrets) {
        String redacted = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                redacted = redacted.replace(secret, "***");
            }
        }
        return redacted;
    }

    static String abbreviate(String text) {
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }
}
