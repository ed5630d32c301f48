package dev.nightshift.ingest.sns;

import dev.nightshift.ingest.normalize.InvalidPayloadException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/** Confirms an SNS subscription by visiting its SubscribeURL, only when that URL is on the allowed pattern. */
public final class SubscriptionConfirmer {
    private final Pattern allowed;
    private final HttpClient http;
    private final Duration timeout;

    public SubscriptionConfirmer(Pattern allowed, Duration timeout) {
        this.allowed = allowed;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void confirm(String subscribeUrl) {
        if (subscribeUrl == null || !allowed.matcher(subscribeUrl).matches()) {
            throw InvalidPayloadException.forbidden("the SubscribeURL is not on the allowed pattern");
        }
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(subscribeUrl)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new UpstreamUnavailableException("SNS answered " + response.statusCode() + " to the subscription confirmation");
            }
        } catch (IOException e) {
            throw new UpstreamUnavailableException("the SubscribeURL could not be reached; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while confirming the subscription");
        }
    }
}
