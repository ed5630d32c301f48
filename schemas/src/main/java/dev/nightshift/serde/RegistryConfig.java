package dev.nightshift.serde;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Where the schema registry is and how to talk to it. Keys follow Confluent's serde settings, so
 * the same properties configure this serde and Confluent's.
 *
 * @param url          base URL of the Confluent-compatible API, e.g. {@code http://localhost:8081/apis/ccompat/v7}
 * @param userInfo     {@code user:password} for HTTP basic auth, or null
 * @param autoRegister register a writer's schema on first use (true) or only look it up (false)
 * @param timeout      per-request timeout
 */
public record RegistryConfig(String url, String userInfo, boolean autoRegister, Duration timeout) {
    public static final String URL = "schema.registry.url";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String TIMEOUT_MS = "schema.registry.request.timeout.ms";

    public RegistryConfig {
        Objects.requireNonNull(url, URL + " is required");
        try {
            URI.create(url);
        } catch (IllegalArgumentException e) {
            // the URL may carry user info: say what is wrong without repeating it
            throw new IllegalArgumentException(URL + " is not a valid URL", null);
        }
        url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    }

    public static RegistryConfig of(String url) {
        return new RegistryConfig(url, null, true, null);
    }

    /** Reads the Confluent-style keys from a serde or client configuration map. */
    public static RegistryConfig from(Map<String, ?> configs) {
        Object url = configs.get(URL);
        if (url == null || url.toString().isBlank()) {
            throw new IllegalArgumentException("missing " + URL + ": the schema registry URL");
        }
        Object userInfo = configs.get(USER_INFO);
        Object autoRegister = configs.get(AUTO_REGISTER);
        Object timeout = configs.get(TIMEOUT_MS);
        return new RegistryConfig(url.toString().split(",")[0].trim(),
                userInfo == null || userInfo.toString().isBlank() ? null : userInfo.toString(),
                autoRegister == null || Boolean.parseBoolean(autoRegister.toString()),
                timeout == null ? null : Duration.ofMillis(Long.parseLong(timeout.toString())));
    }

    public Map<String, Object> asMap() {
        java.util.HashMap<String, Object> map = new java.util.HashMap<>();
        map.put(URL, url);
        if (userInfo != null) {
            map.put(USER_INFO, userInfo);
        }
        map.put(AUTO_REGISTER, Boolean.toString(autoRegister));
        map.put(TIMEOUT_MS, Long.toString(timeout.toMillis()));
        return map;
    }

    @Override
    public String toString() {
        return "RegistryConfig[url=" + withoutUserInfo(url) + ", basicAuth=" + (userInfo != null || !withoutUserInfo(url).equals(url))
                + ", autoRegister=" + autoRegister + "]";
    }

    /** The URL with any {@code user:password@} removed, for messages and logs. */
    public static String withoutUserInfo(String url) {
        URI uri = URI.create(url);
        if (uri.getRawUserInfo() == null) {
            return url;
        }
        return url.replace(uri.getRawUserInfo() + "@", "");
    }
}
