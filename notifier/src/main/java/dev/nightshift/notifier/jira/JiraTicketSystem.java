package dev.nightshift.notifier.jira;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightshift.notifier.delivery.DeliveryException;
import dev.nightshift.schema.Notification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Jira Cloud through its REST API v3, as {@link TicketSystem}: one ticket per incident in the owner's project, marked
 * with the label {@code nightshift-<incident id>} (and {@code nightshift}) and found by it (JQL search); one comment
 * per notification, marked with the comment property {@code nightshift} holding its notification id and found by it;
 * transitions chosen by name ({@code JIRA_RESOLVE_TRANSITION}, {@code JIRA_REOPEN_TRANSITION}) and skipped when the
 * ticket's status category already says done (resolve) or not done (reopen). Basic authentication with the account's
 * e-mail and API token; redirects are not followed, so the credentials go to {@code JIRA_URL} only. Failures are
 * {@link DeliveryException}s sorted by {@link HttpFailures}; no message carries the token.
 */
public final class JiraTicketSystem implements TicketSystem {
    /** The longest one call may take. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The label every ticket of the notifier has, beside its incident's own. */
    public static final String LABEL = "nightshift";
    /** The key of the comment property that carries a comment's notification id. */
    public static final String COMMENT_PROPERTY = "nightshift";
    static final String RESOLVE = "resolve";
    static final String REOPEN = "reopen";
    private static final Logger LOG = LoggerFactory.getLogger(JiraTicketSystem.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LABEL_SAFE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final int COMMENT_PAGE = 100;

    private final String site;
    private final String authorization;
    private final List<String> secrets;
    private final String issueType;
    private final List<String> resolveNames;
    private final List<String> reopenNames;
    private final HttpClient http;

    /**
     * @param config   the site, user, issue type and transition names
     * @param apiToken the API token itself (resolved from its secret reference by the caller)
     */
    public JiraTicketSystem(JiraConfig config, String apiToken) {
        this.site = config.getUrl().replaceAll("/+$", "");
        String credentials = Base64.getEncoder().encodeToString((config.getUser() + ":" + apiToken).getBytes(StandardCharsets.UTF_8));
        this.authorization = "Basic " + credentials;
        this.secrets = List.of(apiToken, credentials);
        this.issueType = config.getIssueType();
        this.resolveNames = JiraConfig.names(config.getResolveTransition());
        this.reopenNames = JiraConfig.names(config.getReopenTransition());
        this.http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The label naming an incident: {@code nightshift-<incident id>} when the id is a legal label as it is; otherwise
     * its illegal characters replaced and a digest of the id added, so that two ids never share a label.
     */
    public static String label(String incidentId) {
        if (LABEL_SAFE.matcher(incidentId).matches() && incidentId.length() <= 200) {
            return LABEL + "-" + incidentId;
        }
        String safe = incidentId.replaceAll("[^A-Za-z0-9_.-]", "_");
        return LABEL + "-" + (safe.length() > 200 ? safe.substring(0, 200) : safe) + "-" + digest(incidentId);
    }

    @Override
    public Optional<Ticket> find(String project, String incidentId) {
        ObjectNode search = JSON.createObjectNode()
                .put("jql", "project = " + quoted(project) + " AND labels = " + quoted(label(incidentId)) + " ORDER BY created ASC")
                .put("maxResults", 1);
        search.putArray("fields").add("key");
        JsonNode found = send("POST", "/rest/api/3/search/jql", search).body();
        JsonNode issues = found.path("issues");
        if (issues.isArray() && !issues.isEmpty() && issues.get(0).hasNonNull("key")) {
            return Optional.of(ticket(issues.get(0).get("key").asText()));
        }
        return Optional.empty();
    }

    @Override
    public Ticket create(String project, Notification notification) {
        ObjectNode issue = JSON.createObjectNode();
        ObjectNode fields = issue.putObject("fields");
        fields.putObject("project").put("key", project);
        fields.put("summary", JiraContent.summary(notification));
        fields.putObject("issuetype").put("name", issueType);
        fields.putArray("labels").add(LABEL).add(label(notification.getIncidentId()));
        fields.set("description", JiraContent.description(notification));
        JsonNode created = send("POST", "/rest/api/3/issue", issue).body();
        if (!created.hasNonNull("key")) {
            throw new DeliveryException("Jira created an issue in " + project + " but did not say its key", false, null);
        }
        Ticket ticket = ticket(created.get("key").asText());
        LOG.info("Jira ticket {} made for incident {}", ticket.key(), notification.getIncidentId());
        return ticket;
    }

    @Override
    public Optional<String> findComment(Ticket ticket, String notificationId) {
        int startAt = 0;
        while (true) {
            JsonNode page = send("GET", issuePath(ticket) + "/comment?orderBy=-created&expand=properties&maxResults=" + COMMENT_PAGE
                    + "&startAt=" + startAt, null).body();
            JsonNode comments = page.path("comments");
            for (JsonNode comment : comments) {
                if (marked(comment, notificationId)) {
                    return Optional.of(comment.path("id").asText());
                }
            }
            startAt += comments.size();
            if (comments.isEmpty() || startAt >= page.path("total").asInt(0)) {
                return Optional.empty();
            }
        }
    }

    @Override
    public String comment(Ticket ticket, Notification notification) {
        ObjectNode comment = JSON.createObjectNode();
        comment.set("body", JiraContent.comment(notification));
        comment.putArray("properties").addObject().put("key", COMMENT_PROPERTY)
                .putObject("value").put("notificationId", notification.getNotificationId()).put("incidentId", notification.getIncidentId());
        JsonNode created = send("POST", issuePath(ticket) + "/comment", comment).body();
        if (!created.hasNonNull("id")) {
            throw new DeliveryException("Jira added a comment to " + ticket.key() + " but did not say its id", false, null);
        }
        return created.get("id").asText();
    }

    @Override
    public void transition(Ticket ticket, String transition) {
        boolean resolve = RESOLVE.equalsIgnoreCase(transition);
        if (!resolve && !REOPEN.equalsIgnoreCase(transition)) {
            throw new DeliveryException("no ticket transition is called '" + transition + "' (resolve or reopen)", false, null);
        }
        String category = send("GET", issuePath(ticket) + "?fields=status", null).body().path("fields").path("status")
                .path("statusCategory").path("key").asText("");
        if (resolve == "done".equals(category)) {
            LOG.debug("Jira ticket {} is already where {} takes it (status category {})", ticket.key(), transition, category);
            return;
        }
        List<String> names = resolve ? resolveNames : reopenNames;
        JsonNode offered = send("GET", issuePath(ticket) + "/transitions", null).body().path("transitions");
        for (String name : names) {
            for (JsonNode candidate : offered) {
                if (name.equalsIgnoreCase(candidate.path("name").asText().trim())) {
                    ObjectNode take = JSON.createObjectNode();
                    take.putObject("transition").put("id", candidate.path("id").asText());
                    send("POST", issuePath(ticket) + "/transitions", take);
                    LOG.info("Jira ticket {}: {} ({})", ticket.key(), candidate.path("name").asText(), transition);
                    return;
                }
            }
        }
        List<String> available = new ArrayList<>();
        offered.forEach(t -> available.add(t.path("name").asText()));
        throw new DeliveryException("Jira ticket " + ticket.key() + " offers no transition named " + String.join(" or ", names)
                + " to " + transition + " it (it offers: " + String.join(", ", available) + "); set JIRA_" + transition.toUpperCase(Locale.ROOT)
                + "_TRANSITION", false, null);
    }

    /** Whether a comment carries the property naming the notification (read from the list, or asked for when the list left it out). */
    private boolean marked(JsonNode comment, String notificationId) {
        JsonNode properties = comment.get("properties");
        if (properties != null && properties.isArray()) {
            for (JsonNode property : properties) {
                if (COMMENT_PROPERTY.equals(property.path("key").asText()) && notificationId.equals(property.path("value").path("notificationId").asText())) {
                    return true;
                }
            }
            return false;
        }
        Answer property = send("GET", "/rest/api/3/comment/" + encode(comment.path("id").asText()) + "/properties/" + COMMENT_PROPERTY, null, true);
        return property.status() != 404 && notificationId.equals(property.body().path("value").path("notificationId").asText());
    }

    private Ticket ticket(String key) {
        return new Ticket(key, site + "/browse/" + key);
    }

    private static String issuePath(Ticket ticket) {
        return "/rest/api/3/issue/" + encode(ticket.key());
    }

    private Answer send(String method, String path, JsonNode body) {
        return send(method, path, body, false);
    }

    /** One call; a 2xx answer's body (empty object when none), or 404 when {@code notFoundIsAnswer}; else a DeliveryException. */
    private Answer send(String method, String path, JsonNode body, boolean notFoundIsAnswer) {
        String call = method + " " + (path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site + path)).timeout(CALL_TIMEOUT)
                .header("Authorization", authorization).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw HttpFailures.unreachable("Jira", call, e, secrets);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while calling Jira (" + call + ")", true, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300 || notFoundIsAnswer && status == 404) {
            return new Answer(status, parse(response.body()));
        }
        throw HttpFailures.refused("Jira", call, status, response.headers().firstValue("Retry-After"), errors(response.body()), secrets);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    /** Jira's own words about a refusal: its errorMessages and field errors, else the start of the body. */
    private static String errors(String body) {
        JsonNode answer = parse(body);
        List<String> said = new ArrayList<>();
        answer.path("errorMessages").forEach(m -> said.add(m.asText()));
        answer.path("errors").fields().forEachRemaining(e -> said.add(e.getKey() + ": " + e.getValue().asText()));
        if (!said.isEmpty()) {
            return String.join("; ", said);
        }
        return body == null ? "" : body;
    }

    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Answer(int status, JsonNode body) {
    }

    @Override
    public String toString() {
        return "JiraTicketSystem[" + site + "]";
    }
}
