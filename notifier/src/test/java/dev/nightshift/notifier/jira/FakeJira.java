package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the part of Jira Cloud's REST API v3 the notifier uses, holding its issues: search by JQL
 * (project and label), create an issue, list and add comments (with their properties), read an issue's status, list and
 * take transitions ("Done" and "Reopen"). Every request is kept as it came on the wire, and a request without the
 * expected Basic credentials is answered 401.
 */
public final class FakeJira implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL = Pattern.compile("labels = \"([^\"]+)\"");
    private static final Pattern PROJECT = Pattern.compile("project = \"([^\"]+)\"");

    /** A request as it reached the fake. */
    public record Request(String method, String path, JsonNode body) {
    }

    /** An issue: its key, project, fields as created, comments and whether it is done. */
    public static final class Issue {
        public final String key;
        public final String project;
        public final JsonNode fields;
        public final List<JsonNode> comments = new ArrayList<>();
        public final List<String> transitions = new ArrayList<>();
        public volatile boolean done;

        Issue(String key, String project, JsonNode fields) {
            this.key = key;
            this.project = project;
            this.fields = fields;
        }

        public List<String> labels() {
            List<String> labels = new ArrayList<>();
            fields.path("labels").forEach(l -> labels.add(l.asText()));
            return labels;
        }
    }

    private final HttpServer server;
    private final String authorization;
    private final List<Request> requests = new ArrayList<>();
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private int nextIssue = 1;
    private int nextComment = 10000;

    public FakeJira(String user, String token) throws IOException {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    public synchronized List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.startsWith(pathPrefix)).toList();
    }

    public synchronized List<Issue> issues() {
        return List.copyOf(issues.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        byte[] raw = exchange.getRequestBody().readAllBytes();
        JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
        int status;
        JsonNode answer;
        synchronized (this) {
            requests.add(new Request(method, path, body));
            if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                status = 401;
                answer = JSON.createObjectNode().put("message", "unauthorized");
            } else {
                Object[] result = answer(method, path, body);
                status = (int) result[0];
                answer = (JsonNode) result[1];
            }
        }
        byte[] out = answer == null ? new byte[0] : JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    private Object[] answer(String method, String path, JsonNode body) {
        String[] parts = path.split("/");   // "", rest, api, 3, ...
        if (method.equals("POST") && path.equals("/rest/api/3/search/jql")) {
            String jql = body.path("jql").asText();
            Matcher label = LABEL.matcher(jql);
            Matcher project = PROJECT.matcher(jql);
            String wanted = label.find() ? label.group(1) : null;
            String inProject = project.find() ? project.group(1) : null;
            ObjectNode result = JSON.createObjectNode().put("isLast", true);
            ArrayNode found = result.putArray("issues");
            issues.values().stream().filter(i -> i.project.equals(inProject) && i.labels().contains(wanted))
                    .forEach(i -> found.addObject().put("id", i.key.replaceAll("\\D", "")).put("key", i.key));
            return new Object[] {200, result};
        }
        if (method.equals("POST") && path.equals("/rest/api/3/issue")) {
            String project = body.path("fields").path("project").path("key").asText();
            Issue issue = new Issue(project + "-" + nextIssue++, project, body.path("fields"));
            issues.put(issue.key, issue);
            return new Object[] {201, JSON.createObjectNode().put("id", issue.key.replaceAll("\\D", "")).put("key", issue.key)};
        }
        if (parts.length >= 6 && parts[4].equals("issue")) {
            Issue issue = issues.get(parts[5]);
            if (issue == null) {
                return new Object[] {404, JSON.createObjectNode().put("message", "Issue does not exist")};
            }
            if (parts.length == 6 && method.equals("GET")) {
                ObjectNode result = JSON.createObjectNode().put("key", issue.key);
                result.putObject("fields").putObject("status").putObject("statusCategory").put("key", issue.done ? "done" : "new");
                return new Object[] {200, result};
            }
            if (parts.length == 7 && parts[6].equals("comment") && method.equals("POST")) {
                ObjectNode comment = ((ObjectNode) body).deepCopy().put("id", Integer.toString(nextComment++));
                issue.comments.add(comment);
                return new Object[] {201, JSON.createObjectNode().put("id", comment.get("id").asText())};
            }
            if (parts.length == 7 && parts[6].equals("comment") && method.equals("GET")) {
                ObjectNode result = JSON.createObjectNode().put("startAt", 0).put("total", issue.comments.size());
                ArrayNode list = result.putArray("comments");
                for (int i = issue.comments.size() - 1; i >= 0; i--) {
                    list.add(issue.comments.get(i));
                }
                return new Object[] {200, result};
            }
            if (parts.length == 7 && parts[6].equals("transitions") && method.equals("GET")) {
                ObjectNode result = JSON.createObjectNode();
                ArrayNode list = result.putArray("transitions");
                if (issue.done) {
                    list.addObject().put("id", "31").put("name", "Reopen");
                } else {
                    list.addObject().put("id", "21").put("name", "Done");
                }
                return new Object[] {200, result};
            }
            if (parts.length == 7 && parts[6].equals("transitions") && method.equals("POST")) {
                String id = body.path("transition").path("id").asText();
                issue.done = id.equals("21");
                issue.transitions.add(issue.done ? "Done" : "Reopen");
                return new Object[] {204, null};
            }
        }
        return new Object[] {404, JSON.createObjectNode().put("message", "no such resource in the fake: " + method + " " + path)};
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
