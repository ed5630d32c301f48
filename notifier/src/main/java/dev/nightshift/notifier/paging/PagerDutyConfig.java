package dev.nightshift.notifier.paging;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * How teams are paged through PagerDuty's Events API v2 ({@code PAGERDUTY_URL} is {@code pagerduty.url}); the
 * defaults below are the only ones.
 * {@code url} (PAGERDUTY_URL, default https://events.pagerduty.com): the Events API.
 * {@code routing-keys} (PAGERDUTY_ROUTING_KEYS, no default): {@code team=key,team=key}, each key an integration key of
 * the team's PagerDuty service or a secret reference ({@code aws-secretsmanager:...}, {@code aws-ssm:...}); a team
 * without one is not paged. {@link #toString} never shows a key.
 */
@ConfigurationProperties("pagerduty")
public class PagerDutyConfig {
    private String url = "https://events.pagerduty.com";
    private String routingKeys = "";

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url == null ? "" : url.trim();
    }

    public String getRoutingKeys() {
        return routingKeys;
    }

    public void setRoutingKeys(String routingKeys) {
        this.routingKeys = routingKeys == null ? "" : routingKeys.trim();
    }

    @Override
    public String toString() {
        return "PagerDutyConfig[url=" + url + ", routingKeys=" + (routingKeys.isBlank() ? "unset" : "set") + "]";
    }
}
