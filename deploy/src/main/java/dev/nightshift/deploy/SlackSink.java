package dev.nightshift.deploy;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A stand-in for a Slack incoming webhook during the demo, when no real one is configured: the
 * notifier posts to it over HTTP exactly as it would to Slack, and each message is printed.
 */
final class SlackSink implements AutoCloseable {
    private final HttpServer server;
    private final java.util.List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();

    SlackSink(PrintStream out) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/services/demo", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            messages.add(text(body));
            // Slack shows &lt; &gt; &amp; as the characters they escape: so does the console
            out.println("[slack]     " + text(body).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
    }

    /** The texts received so far. */
    java.util.List<String> messages() {
        return java.util.List.copyOf(messages);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/demo";
    }

    private static String text(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("text").asText(json);
        } catch (IOException e) {
            return json;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
