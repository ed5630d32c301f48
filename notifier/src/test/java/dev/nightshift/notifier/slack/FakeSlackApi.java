package dev.nightshift.notifier.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local stand-in for Slack's Web API, for tests: it answers the methods the notifier calls as Slack does
 * ({@code chat.postMessage}, {@code chat.update}, {@code conversations.history}, {@code conversations.replies} with
 * message metadata, {@code conversations.list}, {@code conversations.create}), keeps the messages it was sent, and
 * records every call as it came on the wire (its token, its form parameters: channel, thread_ts, blocks, metadata).
 * It can answer 429 with a Retry-After, fail with a 5xx, and hold a post it has taken (the message exists, the answer
 * does not come), as Slack does when the notifier dies between the two. It can pace each channel as Slack does
 * ({@link #pace}: a post or update over the channel's rate is answered 429 with a Retry-After). It answers
 * {@code users.info} with the e-mail of each user it was given ({@link #user}).
 */
public final class FakeSlackApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A call as it reached the fake. */
    public record Call(String method, String token, Map<String, String> params, Instant at, int status, String error) {
        public String param(String name) {
            return params.get(name);
        }

        /** The notification id in the call's metadata, or null. */
        public String notificationId() {
            String metadata = params.get("metadata");
            if (metadata == null) {
                return null;
            }
            try {
                return JSON.readTree(metadata).path("event_payload").path("notification_id").asText(null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** What a responder sees of the call's blocks. */
        public String visible() {
            return SlackBlocks.visible(params.get("blocks"));
        }

        public List<SlackBlocks.Button> buttons() {
            return SlackBlocks.buttons(params.get("blocks"));
        }

        public boolean ok() {
            return status == 200 && error == null;
        }
    }

    /** A message as the fake keeps it. */
    public static final class Message {
        public final String channel;
        public final String ts;
        public final String threadTs;
        public volatile String text;
        public volatile String blocks;
        public final String metadata;

        Message(String channel, String ts, String threadTs, String text, String blocks, String metadata) {
            this.channel = channel;
            this.ts = ts;
            this.threadTs = threadTs;
            this.text = text;
            this.blocks = blocks;
            this.metadata = metadata;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<Call> calls = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private final Map<String, String> channels = new LinkedHashMap<>();
    private final Map<String, Integer> rateLimited = new HashMap<>();
    private final Map<String, Integer> failing = new HashMap<>();
    private int retryAfterSeconds = 1;
    private Predicate<Call> hold;
    private Duration holdFor = Duration.ZERO;
    private volatile CountDownLatch released = new CountDownLatch(1);
    private long lastMicros;
    private int channelCounter = 100;
    private final Map<String, String> emails = new HashMap<>();
    private volatile java.util.function.Consumer<Call> listener = call -> { };
    private double pacePerSecond;
    private final Map<String, Double> paceTokens = new HashMap<>();
    private final Map<String, Long> paceRefilled = new HashMap<>();

    public FakeSlackApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The Web API's base, as SLACK_API_URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
    }

    /** A channel the app can see. */
    public synchronized FakeSlackApi channel(String name, String id) {
        channels.put(id, name);
        return this;
    }

    /** Is told of every call Slack answered ok, as it is answered (for a benchmark that times what arrives). */
    public FakeSlackApi listen(java.util.function.Consumer<Call> listener) {
        this.listener = listener;
        return this;
    }

    /** A user whose {@code users.info} shows {@code email} (Slack's {@code profile.email}). */
    public synchronized FakeSlackApi user(String id, String email) {
        emails.put(id, email);
        return this;
    }

    /**
     * Paces every channel as Slack does: about {@code perSecond} messages (posts and updates) per channel and second,
     * a short burst allowed; a call over it is answered 429 with {@code Retry-After} (whole seconds, at least 1).
     */
    public synchronized FakeSlackApi pace(double perSecond) {
        pacePerSecond = perSecond;
        return this;
    }

    /** The next {@code times} calls of {@code method} are answered 429 with Retry-After {@code seconds}. */
    public synchronized FakeSlackApi rateLimit(String method, int times, int seconds) {
        rateLimited.put(method, times);
        retryAfterSeconds = seconds;
        return this;
    }

    /** The next {@code times} calls of {@code method} are answered 503. */
    public synchronized FakeSlackApi failNext(String method, int times) {
        failing.put(method, times);
        return this;
    }

    /** A post matching {@code which} is taken (its message kept) and its answer held back for {@code duration}, or until {@link #release}. */
    public synchronized FakeSlackApi holdPost(Predicate<Call> which, Duration duration) {
        hold = which;
        holdFor = duration;
        released = new CountDownLatch(1);
        return this;
    }

    public void release() {
        released.countDown();
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    /** The posts Slack took (answered ok, or held after it kept the message). */
    public synchronized List<Call> posts() {
        return calls.stream().filter(c -> c.method().equals("chat.postMessage") && (c.ok() || c.status() == 0)).toList();
    }

    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    public synchronized Message message(String ts) {
        return messages.stream().filter(m -> m.ts.equals(ts)).findFirst().orElse(null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestURI().getPath().substring("/api/".length());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : params.get("token");
        Answer answer;
        boolean held;
        synchronized (this) {
            Call asked = new Call(method, token, params, Instant.now(), 0, null);
            if (take(rateLimited, method)) {
                calls.add(new Call(method, token, params, asked.at(), 429, null));
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
                send(exchange, 429, "{\"ok\":false,\"error\":\"ratelimited\"}");
                return;
            }
            int wait = paced(method, params.get("channel"), asked.at());
            if (wait > 0) {
                calls.add(new Call(method, token, params, asked.at(), 429, null));
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(wait));
                send(exchange, 429, "{\"ok\":false,\"error\":\"ratelimited\"}");
                return;
            }
            if (take(failing, method)) {
                calls.add(new Call(method, token, params, asked.at(), 503, null));
                send(exchange, 503, "service unavailable");
                return;
            }
            answer = answer(method, params);
            held = answer.error == null && method.equals("chat.postMessage") && hold != null && hold.test(asked);
            Call call = new Call(method, token, params, asked.at(), held ? 0 : 200, answer.error);
            calls.add(call);
            if (call.ok()) {
                listener.accept(call);
            }
            if (held) {
                hold = null;
            }
        }
        if (held) {
            CountDownLatch until = released;
            try {
                until.await(holdFor.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send(exchange, 200, answer.body.toString());
    }

    private record Answer(ObjectNode body, String error) {
    }

    private Answer answer(String method, Map<String, String> params) {
        return switch (method) {
            case "chat.postMessage" -> {
                String channel = known(params.get("channel"));
                if (channel == null) {
                    yield error("channel_not_found");
                }
                Message message = new Message(channel, nextTs(), params.get("thread_ts"), params.get("text"), params.get("blocks"),
                        params.get("metadata"));
                messages.add(message);
                ObjectNode body = ok().put("channel", channel).put("ts", message.ts);
                body.set("message", json(message, true));
                yield new Answer(body, null);
            }
            case "chat.update" -> {
                String channel = known(params.get("channel"));
                Message message = messages.stream().filter(m -> m.channel.equals(channel) && m.ts.equals(params.get("ts"))).findFirst().orElse(null);
                if (message == null) {
                    yield error("message_not_found");
                }
                message.text = params.get("text");
                message.blocks = params.get("blocks");
                yield new Answer(ok().put("channel", channel).put("ts", message.ts).put("text", message.text), null);
            }
            case "conversations.history", "conversations.replies" -> {
                String channel = known(params.get("channel"));
                if (channel == null) {
                    yield error("channel_not_found");
                }
                boolean metadata = "true".equals(params.get("include_all_metadata")) || "1".equals(params.get("include_all_metadata"));
                double oldest = params.get("oldest") == null ? 0 : Double.parseDouble(params.get("oldest"));
                String thread = params.get("ts");
                List<Message> found = new ArrayList<>(messages.stream().filter(m -> m.channel.equals(channel))
                        .filter(m -> method.equals("conversations.history") ? m.threadTs == null
                                : m.ts.equals(thread) || thread.equals(m.threadTs))
                        .filter(m -> m.ts.equals(thread) || Double.parseDouble(m.ts) > oldest).toList());
                if (method.equals("conversations.history")) {
                    java.util.Collections.reverse(found);   // newest first, as Slack
                }
                int limit = params.get("limit") == null ? 100 : Integer.parseInt(params.get("limit"));
                int from = params.get("cursor") == null || params.get("cursor").isEmpty() ? 0 : Integer.parseInt(params.get("cursor"));
                ObjectNode body = ok();
                ArrayNode list = body.putArray("messages");
                found.subList(from, Math.min(found.size(), from + limit)).forEach(m -> list.add(json(m, metadata)));
                body.put("has_more", from + limit < found.size());
                body.putObject("response_metadata").put("next_cursor", from + limit < found.size() ? Integer.toString(from + limit) : "");
                yield new Answer(body, null);
            }
            case "conversations.list" -> {
                ObjectNode body = ok();
                ArrayNode list = body.putArray("channels");
                channels.forEach((id, name) -> list.addObject().put("id", id).put("name", name).put("is_channel", true));
                body.putObject("response_metadata").put("next_cursor", "");
                yield new Answer(body, null);
            }
            case "conversations.create" -> {
                String name = params.get("name");
                if (channels.containsValue(name)) {
                    yield error("name_taken");
                }
                String id = "CINC" + (channelCounter++);
                channels.put(id, name);
                ObjectNode body = ok();
                body.putObject("channel").put("id", id).put("name", name).put("is_channel", true);
                yield new Answer(body, null);
            }
            case "users.info" -> {
                String email = emails.get(params.get("user"));
                if (email == null) {
                    yield error("user_not_found");
                }
                ObjectNode body = ok();
                ObjectNode user = body.putObject("user").put("id", params.get("user")).put("name", email.substring(0, email.indexOf('@')));
                user.putObject("profile").put("email", email);
                yield new Answer(body, null);
            }
            default -> error("unknown_method");
        };
    }

    /**
     * Slack's pace per channel (a token bucket of {@link #pacePerSecond} per second, 3 at most): 0 when the call may go
     * now, else the seconds it must wait (its Retry-After).
     */
    private int paced(String method, String channel, Instant at) {
        if (pacePerSecond <= 0 || channel == null || !(method.equals("chat.postMessage") || method.equals("chat.update"))) {
            return 0;
        }
        String key = known(channel) == null ? channel : known(channel);
        long now = at.toEpochMilli();
        double tokens = Math.min(3, paceTokens.getOrDefault(key, 3.0) + (now - paceRefilled.getOrDefault(key, now)) * pacePerSecond / 1000);
        paceRefilled.put(key, now);
        if (tokens >= 1) {
            paceTokens.put(key, tokens - 1);
            return 0;
        }
        paceTokens.put(key, tokens);
        return (int) Math.max(1, Math.ceil((1 - tokens) / pacePerSecond));
    }

    /** The channel's id when the fake knows it by id or name, else null. */
    private String known(String channel) {
        if (channel == null) {
            return null;
        }
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        if (channels.containsKey(name)) {
            return name;
        }
        return channels.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private ObjectNode json(Message m, boolean withMetadata) {
        ObjectNode node = JSON.createObjectNode().put("type", "message").put("ts", m.ts).put("text", m.text);
        if (m.threadTs != null) {
            node.put("thread_ts", m.threadTs);
        }
        if (withMetadata && m.metadata != null) {
            try {
                node.set("metadata", JSON.readTree(m.metadata));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return node;
    }

    private String nextTs() {
        long micros = Math.max(lastMicros + 1, Instant.now().toEpochMilli() * 1000);
        lastMicros = micros;
        return String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static Answer error(String error) {
        return new Answer(JSON.createObjectNode().put("ok", false).put("error", error), error);
    }

    private static boolean take(Map<String, Integer> counts, String method) {
        Integer left = counts.get(method);
        if (left == null || left <= 0) {
            return false;
        }
        counts.put(method, left - 1);
        return true;
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return params;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the caller went away (a worker killed while its call was held)
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Reads a JSON text, for tests. */
    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
