package dev.nightshift.ingest.sns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Fetches SNS signing certificates (PEM) and keeps the most recently used ones for a while, so a
 * certificate is fetched once, not per message. Only URLs the verifier has already checked against
 * the allowed pattern reach this class; redirects are not followed.
 */
public final class SigningCertificates implements Function<URI, X509Certificate> {
    private static final int MAX_CERT_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Duration timeout;
    private final Duration ttl;
    private final int capacity;
    private final Clock clock;
    private final Map<URI, Cached> cache;

    private record Cached(X509Certificate certificate, Instant fetchedAt) {
    }

    public SigningCertificates(Duration timeout, Duration ttl, int capacity, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.ttl = ttl;
        this.capacity = Math.max(1, capacity);
        this.clock = clock;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<URI, Cached> eldest) {
                return size() > SigningCertificates.this.capacity;
            }
        };
    }

    /** The certificate at the URL, from the cache when fresh; an {@link UpstreamUnavailableException} when it cannot be had. */
    @Override
    public X509Certificate apply(URI url) {
        synchronized (cache) {
            Cached cached = cache.get(url);
            if (cached != null && cached.fetchedAt().plus(ttl).isAfter(clock.instant())) {
                return cached.certificate();
            }
        }
        X509Certificate certificate = fetch(url);
        synchronized (cache) {
            cache.put(url, new Cached(certificate, clock.instant()));
        }
        return certificate;
    }

    /** How many certificates are cached now. */
    public int cached() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private X509Certificate fetch(URI url) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UpstreamUnavailableException("the SNS signing certificate could not be fetched; retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamUnavailableException("interrupted while fetching the SNS signing certificate");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new UpstreamUnavailableException("the SNS signing certificate URL answered " + response.statusCode());
            }
            byte[] pem = body.readNBytes(MAX_CERT_BYTES + 1);
            if (pem.length > MAX_CERT_BYTES) {
                throw new CertificateException("certificate too large");
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (IOException e) {
            throw new UpstreamUnavailableException("the SNS signing certificate could not be read; retry later");
        } catch (CertificateException | ClassCastException e) {
            throw new SignatureRejectedException("the SigningCertURL does not serve an X.509 certificate");
        }
    }
}
