package dev.nightshift.triage.ownership;

import java.util.Map;
import java.util.Optional;
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
    /**
     * Kinds people write for the resources triage names otherwise ({@link ResourceIds}): a pattern of one of
     * these kinds matches only alerts that send their resource under that very name, never a CloudWatch alarm's.
     */
    private static final Map<String, String> MISTAKEN_KINDS = Map.ofEntries(
            Map.entry("dynamo", "dynamodb"), Map.entry("ddb", "dynamodb"), Map.entry("dynamodb-table", "dynamodb"),
            Map.entry("table", "dynamodb"),
            Map.entry("ecs-service", "ecs"), Map.entry("fargate", "ecs"),
            Map.entry("lamda", "lambda"), Map.entry("lambda-function", "lambda"), Map.entry("function", "lambda"),
            Map.entry("ec2-instance", "ec2"), Map.entry("instance", "ec2"),
            Map.entry("rds-instance", "rds"), Map.entry("db", "rds"),
            Map.entry("queue", "sqs"),
            Map.entry("alb", "elb"), Map.entry("nlb", "elb"), Map.entry("elbv2", "elb"), Map.entry("lb", "elb"),
            Map.entry("loadbalancer", "elb"), Map.entry("elasticloadbalancing", "elb"),
            Map.entry("autoscaling", "asg"), Map.entry("autoscaling-group", "asg"), Map.entry("auto-scaling", "asg"));

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

    /**
     * A warning for a pattern that is valid but very likely not what its author meant: a resource id
     * pattern whose kind is another name for one triage derives from AWS resources, ARNs and CloudWatch
     * dimensions ({@code dynamo:orders-*} for {@code dynamodb:orders-*}). Such a pattern is kept, since an
     * alert may send its resource under that name, but it never matches a CloudWatch alarm's table.
     */
    public Optional<String> warning() {
        if (kind != Kind.RESOURCE_ID) {
            return Optional.empty();
        }
        String written = text.substring(0, text.indexOf(':'));
        String meant = MISTAKEN_KINDS.get(written);
        if (meant == null) {
            return Optional.empty();
        }
        return Optional.of("resource pattern '" + text + "': triage names these resources '" + meant
                + ":…', so it matches only alerts that send their resource as '" + written + ":…'; did you mean '"
                + meant + text.substring(written.length()) + "'?");
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
