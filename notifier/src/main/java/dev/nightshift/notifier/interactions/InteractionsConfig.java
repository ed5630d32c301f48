package dev.nightshift.notifier.interactions;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings of the Slack interactions endpoint ({@code POST /v1/slack/interactions}), each from its environment
 * variable; the defaults below are the only ones (the module's README lists them, and a test holds the two together).
 * {@code signing-secret} (SLACK_SIGNING_SECRET, no default): the Slack app's signing secret; without it every request
 * is refused. {@code operators} (SLACK_OPERATORS, default empty: anyone who can see the message): the Slack user ids
 * or e-mails of the people who may press Switch back on and Retry. The secret is never shown: {@link #toString} only
 * says whether it is set.
 */
@ConfigurationProperties("slack")
public class InteractionsConfig {
    private String signingSecret;
    private List<String> operators = new ArrayList<>();

    public String getSigningSecret() {
        return signingSecret;
    }

    public void setSigningSecret(String signingSecret) {
        this.signingSecret = signingSecret;
    }

    public List<String> getOperators() {
        return operators;
    }

    public void setOperators(List<String> operators) {
        this.operators = operators == null ? new ArrayList<>()
                : new ArrayList<>(operators.stream().map(String::trim).filter(o -> !o.isEmpty()).toList());
    }

    @Override
    public String toString() {
        return "InteractionsConfig[signingSecret=" + (signingSecret == null || signingSecret.isBlank() ? "unset" : "set")
                + ", operators=" + (operators.isEmpty() ? "anyone" : operators) + "]";
    }
}
