package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightshift.ingest.IngestSource;
import dev.nightshift.ingest.sns.SnsMessageVerifier;
import dev.nightshift.ingest.sns.SubscriptionConfirmer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code /v1/alerts/cloudwatch}: Amazon SNS deliveries (verified first, then a subscription
 * confirmation, an unsubscribe notice or a notification carrying the alarm) and EventBridge
 * {@code CloudWatch Alarm State Change} events sent by an API destination. An SNS notification may
 * carry either the classic alarm JSON or an EventBridge event (an EventBridge rule with an SNS
 * target). SNS messages are taken only from topics on the allowlist.
 */
public final class CloudWatchParser implements SourceParser {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchParser.class);

    private final SnsMessageVerifier verifier;
    private final SubscriptionConfirmer confirmer;
    private final List<Pattern> topicAllowlist;
    private final Supplier<String> ids;

    public CloudWatchParser(SnsMessageVerifier verifier, SubscriptionConfirmer confirmer, List<String> topicArnAllowlist,
                            Supplier<String> ids) {
        this.verifier = verifier;
        this.confirmer = confirmer;
        this.topicAllowlist = topicArnAllowlist.stream().map(CloudWatchParser::glob).toList();
        this.ids = ids;
    }

    @Override
    public IngestSource source() {
        return IngestSource.CLOUDWATCH;
    }

    @Override
    public ParseResult parse(Delivery delivery) {
        JsonNode root = Json.parse(delivery.body());
        if (!root.isObject()) {
            throw InvalidPayloadException.badRequest("the body must be an SNS message or an EventBridge event");
        }
        String snsType = delivery.header().apply("x-amz-sns-message-type");
        if (snsType != null || (root.has("Type") && root.has("TopicArn"))) {
            return sns(root, snsType, delivery);
        }
        if (root.has("detail-type")) {
            return alerts(CloudWatchAlarms.fromEventBridge(root, ""), delivery);
        }
        throw InvalidPayloadException.badRequest(
                "the body is neither an SNS message (Type, TopicArn, Signature, ...) nor an EventBridge event (detail-type)");
    }

    private ParseResult sns(JsonNode message, String headerType, Delivery delivery) {
        verifier.verify(message);
        String type = message.path("Type").asText();
        if (headerType != null && !headerType.equals(type)) {
            throw InvalidPayloadException.badRequest("the x-amz-sns-message-type header '" + headerType
                    + "' does not match the message Type '" + type + "'");
        }
        String topicArn = message.path("TopicArn").asText(null);
        if (!allowed(topicArn)) {
            throw InvalidPayloadException.forbidden("the SNS topic " + topicArn + " is not on the allowlist"
                    + " (NIGHTSHIFT_INGEST_SNS_TOPIC_ARN_ALLOWLIST)");
        }
        switch (type) {
            case "SubscriptionConfirmation" -> {
                confirmer.confirm(message.path("SubscribeURL").asText(null));
                LOG.info("confirmed the SNS subscription to {}", topicArn);
                return new ParseResult.Acknowledged(200, "subscription to " + topicArn + " confirmed");
            }
            case "UnsubscribeConfirmation" -> {
                LOG.info("SNS says the subscription to {} was removed", topicArn);
                return new ParseResult.Acknowledged(200, "unsubscribe from " + topicArn + " noted");
            }
            default -> {
                String text = Json.requiredText(message, "Message", "Message");
                JsonNode inner = Json.parse(text, "Message");
                if (!inner.isObject()) {
                    throw InvalidPayloadException.badField("Message", "must hold a CloudWatch alarm or an EventBridge event");
                }
                if (inner.has("detail-type")) {
                    return alerts(CloudWatchAlarms.fromEventBridge(inner, "Message."), delivery);
                }
                return alerts(CloudWatchAlarms.fromSnsAlarm(inner, "Message."), delivery);
            }
        }
    }

    private ParseResult alerts(AlertDraft draft, Delivery delivery) {
        return new ParseResult.Alerts(List.of(draft.toAlert(ids.get(), delivery.receivedAt())));
    }

    private boolean allowed(String topicArn) {
        return topicArn != null && topicAllowlist.stream().anyMatch(p -> p.matcher(topicArn).matches());
    }

    /** An allowlist entry as a pattern: {@code *} matches any run of characters, all else is literal. */
    static Pattern glob(String entry) {
        return Pattern.compile(java.util.Arrays.stream(entry.trim().split("\\*", -1)).map(Pattern::quote)
                .collect(java.util.stream.Collectors.joining(".*")));
    }
}
