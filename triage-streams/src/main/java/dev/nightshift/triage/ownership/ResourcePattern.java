package dev.nightshift.triage.ownership;

import java.util.regex.Pattern;

/**
 * One resource pattern of an ownership entry. Syntax ({@code *} matches any run of characters,
 * {@code ?} one character; everything else is literal and case-sensitive):
 * <ul>
 *   <li>{@code <kind>:<glob>} — a resource of that kind, e.g. {@code dynamodb:orders-*},
 *   {@code ecs:payments/*} (cluster/service), {@code lambda:checkout-*}, {@code ec2:i-0abc*},
 *   {@code rds:orders-db}, {@code sqs:orders-*}, {@code elb:app/checkout/*}; matched against the
 *   alert's resource (plain {@code kind:name}, {@code kind:type/name} or an ARN) and its CloudWatch
 *   dimensions ({@link ResourceIds});</li>
 *   <li>{@code tag:<key>:<glob>} — a Datadog-style tag {@code key:value}, found in the alert's labels;</li>
 *   <li>{@code label:<key>=<glob>} — a label (Alertmanager label, CloudWatch dimension) value;</li>
 *   <li>{@code resource:<glob>} — the alert's resource string exactly as sent.</li>
 * </ul>
 */
public record ResourcePattern(String text, Kind kind, String key, Glob glob, int literalLength) {
    public enum Kind { RESOURCE_ID, LABEL, RAW_RESOURCE }

    private static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    public static ResourcePattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty resource pattern");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("resource pattern '" + text
                    + "' must be <kind>:<glob>, tag:<key>:<glob>, label:<key>=<glob> or resource:<glob>");
        }
        String kind = text.substring(0, colon);
        String rest = text.substring(colon + 1);
        switch (kind) {
            case "tag" -> {
                int sep = rest.indexOf(':');
                if (sep <= 0 || sep == rest.length() - 1) {
                    throw new IllegalArgumentException("tag pattern '" + text + "' must be tag:<key>:<glob>");
                }
                return label(text, rest.substring(0, sep), rest.substring(sep + 1));
            }
            case "label" -> {
                int sep = rest.indexOf('=');
                if (sep <= 0 || sep == rest.length() - 1) {
                    throw new IllegalArgumentException("label pattern '" + text + "' must be label:<key>=<glob>");
                }
                return label(text, rest.substring(0, sep), rest.substring(sep + 1));
            }
            case "resource" -> {
                return new ResourcePattern(text, Kind.RAW_RESOURCE, null, new Glob(rest), literal(rest));
            }
            default -> {
                if (!KIND.matcher(kind).matches()) {
                    throw new IllegalArgumentException("resource pattern '" + text + "': kind '" + kind
                            + "' must be lower case letters, digits, '-' or '_'");
                }
                return new ResourcePattern(text, Kind.RESOURCE_ID, null, new Glob(text), literal(text));
            }
        }
    }

    private static ResourcePattern label(String text, String key, String value) {
        return new ResourcePattern(text, Kind.LABEL, key, new Glob(value), key.length() + literal(value));
    }

    /**
     * The literal start of what the glob is matched against (the {@code kind:name} id, the label's
     * value or the raw resource), up to its first wildcard: every string the pattern matches begins
     * with it, so an index can find the candidates for a string by its prefixes.
     */
    public String prefix() {
        String subject = switch (kind) {
            case RESOURCE_ID -> text;
            case LABEL -> text.substring(text.indexOf(text.startsWith("tag:") ? ':' : '=', text.indexOf(':') + 1) + 1);
            case RAW_RESOURCE -> text.substring(text.indexOf(':') + 1);
        };
        int end = 0;
        while (end < subject.length() && subject.charAt(end) != '*' && subject.charAt(end) != '?') {
            end++;
        }
        return subject.substring(0, end);
    }

    /** Whether the glob matches the whole of {@code subject}. */
    boolean globMatches(String subject) {
        return glob.matches(subject);
    }

    private static int literal(String glob) {
        return (int) glob.chars().filter(c -> c != '*' && c != '?').count();
    }
}
