package dev.nightshift.notifier.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.util.HashMap;
import java.util.Map;

/**
 * The one place the notifier's secrets (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_WEBHOOK_URL, JIRA_API_TOKEN,
 * the PagerDuty routing keys) get their values: a setting holds the secret itself or a {@link SecretReference} to
 * AWS Secrets Manager or SSM Parameter Store, read through the AWS SDK. Each secret is read once, when the part that
 * needs it is built at start, and kept; one secret named by several settings (different JSON keys of it) is read once.
 * A setting that is empty, malformed or unreadable fails with a {@link SecretException} that names the setting and
 * the store, never the value; nothing here logs a value. The AWS clients are built on first use only, so a notifier
 * whose secrets are all plain makes no AWS call and needs no AWS settings.
 */
public final class Secrets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Secrets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Region region;
    private final AwsCredentialsProvider credentials;
    /** What each store handed over, by store and id: the text of a secret or parameter. */
    private final Map<String, String> read = new HashMap<>();
    private SecretsManagerClient secretsManager;
    private SsmClient ssm;

    /**
     * @param region      the region of the calls; blank: the SDK's region chain
     * @param credentials the AWS credentials (the SDK's default chain in the notifier), closed with this
     */
    public Secrets(String region, AwsCredentialsProvider credentials) {
        this.region = region == null || region.isBlank() ? null : Region.of(region.trim());
        this.credentials = credentials;
    }

    /**
     * The secret a setting names.
     *
     * @param setting the setting's name as people write it ({@code JIRA_API_TOKEN}), for the error
     * @param value   the setting's value: the secret, or {@code aws-secretsmanager:<id>[#<key>]}, or {@code aws-ssm:<name>[#<key>]}
     * @throws SecretException when it is empty, malformed, or its store does not hand it over
     */
    public synchronized String resolve(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new SecretException(setting + " is empty", null);
        }
        SecretReference reference;
        try {
            reference = SecretReference.parse(value.trim());
        } catch (IllegalArgumentException e) {
            throw new SecretException(setting + ": " + e.getMessage(), null);
        }
        if (reference.plain()) {
            return value.trim();
        }
        String text = read.get(reference.kind() + ":" + reference.id());
        if (text == null) {
            text = fetch(setting, reference);
            read.put(reference.kind() + ":" + reference.id(), text);
            LOG.info("{}: read from {}", setting, reference);
        }
        return reference.jsonKey() == null ? text : jsonValue(setting, reference, text);
    }

    private String fetch(String setting, SecretReference reference) {
        try {
            if (reference.kind() == SecretReference.Kind.SSM) {
                String value = ssm().getParameter(b -> b.name(reference.id()).withDecryption(true)).parameter().value();
                if (value == null) {
                    throw new SecretException(setting + ": " + reference + " has no value", null);
                }
                return value;
            }
            GetSecretValueResponse secret = secretsManager().getSecretValue(b -> b.secretId(reference.id()));
            if (secret.secretString() == null) {
                throw new SecretException(setting + ": " + reference + " holds binary data, not text", null);
            }
            return secret.secretString();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            throw new SecretException(setting + ": cannot read " + reference + ": " + (code == null ? "" : code + ", ")
                    + "HTTP " + e.statusCode() + " " + abbreviate(e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage()), e);
        } catch (SdkException e) {
            throw new SecretException(setting + ": cannot read " + reference + ": " + abbreviate(e.getMessage()), e);
        }
    }

    /** One key of a JSON object; the errors say what is wrong without the text (a parser's message would quote it). */
    private static String jsonValue(String setting, SecretReference reference, String text) {
        JsonNode object;
        try {
            object = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            object = null;
        }
        if (object == null || !object.isObject()) {
            throw new SecretException(setting + ": " + reference + ": the secret is not a JSON object", null);
        }
        JsonNode value = object.get(reference.jsonKey());
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new SecretException(setting + ": " + reference + ": the JSON object has no text under that key", null);
        }
        String secret = value.asText();
        if (secret.isBlank()) {
            throw new SecretException(setting + ": " + reference + ": the value under that key is empty", null);
        }
        return secret;
    }

    private SecretsManagerClient secretsManager() {
        if (secretsManager == null) {
            SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                    .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
            secretsManager = (region == null ? builder : builder.region(region)).build();
        }
        return secretsManager;
    }

    private SsmClient ssm() {
        if (ssm == null) {
            SsmClientBuilder builder = SsmClient.builder().credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder());
            ssm = (region == null ? builder : builder.region(region)).build();
        }
        return ssm;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    @Override
    public synchronized void close() {
        for (SdkAutoCloseable client : new SdkAutoCloseable[] {secretsManager, ssm}) {
            if (client != null) {
                client.close();
            }
        }
        secretsManager = null;
        ssm = null;
        if (credentials instanceof SdkAutoCloseable closeable) {
            closeable.close();
        }
    }

    @Override
    public String toString() {
        return "Secrets[region=" + (region == null ? "(SDK chain)" : region.id()) + ", read=" + read.size() + "]";
    }
}
