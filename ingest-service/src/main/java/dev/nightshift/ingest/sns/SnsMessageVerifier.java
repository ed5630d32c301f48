package dev.nightshift.ingest.sns;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Verifies an Amazon SNS message's signature before anything else is done with it, as AWS
 * documents it: the string to sign is built from the message's fields in their fixed order
 * (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA), and the certificate comes only from a
 * SigningCertURL that matches the configured pattern. A signed message older than the configured
 * age is a replay and is refused too. Anything else is refused (403).
 */
public final class SnsMessageVerifier {
    private static final List<String> NOTIFICATION_FIELDS = List.of("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type");
    private static final List<String> SUBSCRIPTION_FIELDS = List.of("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type");

    /** How far ahead of our clock a message's Timestamp may be. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Pattern certUrlPattern;
    private final Function<URI, X509Certificate> certificates;
    private final Duration maxAge;
    private final Clock clock;

    /**
     * @param certUrlPattern the pattern a SigningCertURL must match
     * @param certificates   fetches (and caches) a certificate
     * @param maxAge         how old a message's signed Timestamp may be: older ones are replays (or retried
     *                       beyond any delivery policy) and are refused
     * @param clock          the time now
     */
    public SnsMessageVerifier(Pattern certUrlPattern, Function<URI, X509Certificate> certificates, Duration maxAge, Clock clock) {
        this.certUrlPattern = certUrlPattern;
        this.certificates = certificates;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** Returns normally only when the message is signed by the certificate at an allowed URL. */
    public void verify(JsonNode message) {
        String type = text(message, "Type");
        String version = text(message, "SignatureVersion");
        String signature = text(message, "Signature");
        String certUrl = text(message, "SigningCertURL");
        if (signature == null || certUrl == null || version == null) {
            throw new SignatureRejectedException("the SNS message is not signed (Signature, SignatureVersion and SigningCertURL are required)");
        }
        String algorithm = switch (version) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw new SignatureRejectedException("SignatureVersion '" + version + "' is not supported (1 or 2)");
        };
        if (!certUrlPattern.matcher(certUrl).matches()) {
            throw new SignatureRejectedException("the SigningCertURL is not on the allowed pattern");
        }
        URI url;
        try {
            url = URI.create(certUrl);
        } catch (IllegalArgumentException e) {
            throw new SignatureRejectedException("the SigningCertURL is not a URL");
        }
        List<String> fields = switch (type == null ? "" : type) {
            case "Notification" -> NOTIFICATION_FIELDS;
            case "SubscriptionConfirmation", "UnsubscribeConfirmation" -> SUBSCRIPTION_FIELDS;
            default -> throw new SignatureRejectedException("the SNS message Type '" + type + "' is not one SNS sends");
        };
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw new SignatureRejectedException("the SNS Signature is not base64");
        }
        X509Certificate certificate = certificates.apply(url);
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new SignatureRejectedException("the SNS signing certificate is not valid now");
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(stringToSign(message, fields).getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new SignatureRejectedException("the SNS message signature does not verify");
        }
        Instant sent;
        try {
            sent = Instant.parse(String.valueOf(text(message, "Timestamp")));
        } catch (DateTimeParseException e) {
            throw new SignatureRejectedException("the SNS message has no valid Timestamp");
        }
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(maxAge)) || sent.isAfter(now.plus(CLOCK_SKEW))) {
            throw new SignatureRejectedException("the SNS message Timestamp " + sent + " is outside the accepted window ("
                    + maxAge + " old at most)");
        }
    }

    /** The string AWS signs: each present field as {@code name\nvalue\n}, in the order of its type. */
    public static String stringToSign(JsonNode message, List<String> fields) {
        StringBuilder text = new StringBuilder();
        for (String field : fields) {
            String value = text(message, field);
            if (value != null) {
                text.append(field).append('\n').append(value).append('\n');
            }
        }
        return text.toString();
    }

    /** The string to sign of a message, picking the fields by its Type. */
    public static String stringToSign(JsonNode message) {
        return stringToSign(message, "Notification".equals(text(message, "Type")) ? NOTIFICATION_FIELDS : SUBSCRIPTION_FIELDS);
    }

    private static String text(JsonNode message, String field) {
        JsonNode node = message.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
