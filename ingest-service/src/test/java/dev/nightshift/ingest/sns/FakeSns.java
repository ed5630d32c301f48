package dev.nightshift.ingest.sns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.nightshift.ingest.normalize.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for Amazon SNS in tests: a key pair and self-signed certificate of its own (made with
 * the JDK's keytool), an HTTP server on a free port that serves the certificate and records visits
 * to subscription URLs, and messages signed exactly as SNS signs them.
 */
public final class FakeSns implements AutoCloseable {
    public static final String TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:nightshift-alarms";

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final HttpServer server;
    private final AtomicInteger certificateFetches = new AtomicInteger();
    private final List<String> confirmations = new CopyOnWriteArrayList<>();

    private FakeSns(PrivateKey key, X509Certificate certificate) throws IOException {
        this.key = key;
        this.certificate = certificate;
        byte[] pem = ("-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(encoded(certificate))
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/SimpleNotificationService-test.pem", exchange -> {
            certificateFetches.incrementAndGet();
            exchange.sendResponseHeaders(200, pem.length);
            exchange.getResponseBody().write(pem);
            exchange.close();
        });
        server.createContext("/confirm", exchange -> {
            confirmations.add(exchange.getRequestURI().getQuery());
            byte[] ok = "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    public static FakeSns start() {
        try {
            Path dir = Files.createTempDirectory("fake-sns");
            Path store = dir.resolve("sns.p12");
            String password = UUID.randomUUID().toString();
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "sns", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=sns.test.local", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", password, "-keypass", password)
                    .redirectErrorStream(true).start();
            try (InputStream out = keytool.getInputStream()) {
                out.readAllBytes();
            }
            if (keytool.waitFor() != 0) {
                throw new IllegalStateException("keytool failed");
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, password.toCharArray());
            }
            PrivateKey key = (PrivateKey) keyStore.getKey("sns", password.toCharArray());
            X509Certificate cert = (X509Certificate) keyStore.getCertificate("sns");
            Files.delete(store);
            Files.delete(dir);
            return new FakeSns(key, cert);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test key and certificate", e);
        }
    }

    /** The base URL of the fake, e.g. {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String certificateUrl() {
        return baseUrl() + "/SimpleNotificationService-test.pem";
    }

    /** A pattern that allows this fake's certificate URL, as a test configures it. */
    public String certificateUrlPattern() {
        return "^http://127\\.0\\.0\\.1:" + server.getAddress().getPort() + "/SimpleNotificationService-[a-z0-9-]+\\.pem$";
    }

    public String subscribeUrlPattern() {
        return "^http://127\\.0\\.0\\.1:" + server.getAddress().getPort() + "/confirm\\?.*$";
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public int certificateFetches() {
        return certificateFetches.get();
    }

    /** The query strings of the subscription URLs visited so far. */
    public List<String> confirmations() {
        return List.copyOf(confirmations);
    }

    /** A signed Notification carrying {@code message}. */
    public ObjectNode notification(String message, String signatureVersion) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("Type", "Notification");
        n.put("MessageId", UUID.randomUUID().toString());
        n.put("TopicArn", TOPIC_ARN);
        n.put("Subject", "ALARM: \"orders-read-throttle\" in EU (Ireland)");
        n.put("Message", message);
        n.put("Timestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        n.put("SignatureVersion", signatureVersion);
        n.put("SigningCertURL", certificateUrl());
        n.put("UnsubscribeURL", baseUrl() + "/unsubscribe?SubscriptionArn=" + TOPIC_ARN + ":1");
        return sign(n);
    }

    /** A signed SubscriptionConfirmation for the topic. */
    public ObjectNode subscriptionConfirmation(String topicArn) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        String token = UUID.randomUUID().toString().replace("-", "");
        n.put("Type", "SubscriptionConfirmation");
        n.put("MessageId", UUID.randomUUID().toString());
        n.put("Token", token);
        n.put("TopicArn", topicArn);
        n.put("Message", "You have chosen to subscribe to the topic " + topicArn + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.");
        n.put("SubscribeURL", baseUrl() + "/confirm?Action=ConfirmSubscription&TopicArn=" + topicArn + "&Token=" + token);
        n.put("Timestamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        n.put("SignatureVersion", "2");
        n.put("SigningCertURL", certificateUrl());
        return sign(n);
    }

    /** Signs (or re-signs) a message as SNS does, with the algorithm of its SignatureVersion. */
    public ObjectNode sign(ObjectNode message) {
        try {
            Signature signer = Signature.getInstance("1".equals(message.path("SignatureVersion").asText()) ? "SHA1withRSA" : "SHA256withRSA");
            signer.initSign(key);
            signer.update(SnsMessageVerifier.stringToSign(message).getBytes(StandardCharsets.UTF_8));
            message.put("Signature", Base64.getEncoder().encodeToString(signer.sign()));
            return message;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
