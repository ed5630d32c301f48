package dev.nightshift.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.Schema;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of the Confluent Schema Registry REST API, which Confluent Schema Registry, Apicurio
 * ({@code /apis/ccompat/v7}), Karapace and Redpanda all serve. Ids are cached both ways: a schema
 * is registered or looked up once per subject, and an id is fetched once.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<RegistryConfig, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private final RegistryConfig config;
    private final HttpClient http;
    private final String authorization;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
        this.authorization = config.userInfo() == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(config.userInfo().getBytes(StandardCharsets.UTF_8));
    }

    /** One client, and so one cache, per registry configuration in this JVM. */
    public static SchemaRegistryClient shared(RegistryConfig config) {
        return SHARED.computeIfAbsent(config, SchemaRegistryClient::new);
    }

    public RegistryConfig config() {
        return config;
    }

    /** The id of this schema under the subject, registering it when the config allows. */
    public int idFor(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        int id = config.autoRegister() ? register(subject, schema) : lookup(subject, schema);
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Registers the schema under the subject (or finds it registered) and returns its id. */
    public int register(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema),
                "register the schema " + schema.getFullName() + " under subject " + subject);
        return body.path("id").asInt();
    }

    /** The id of a schema already registered under the subject. */
    public int lookup(String subject, Schema schema) {
        JsonNode body = send("POST", "/subjects/" + encode(subject), schemaBody(schema),
                "look up the schema " + schema.getFullName() + " under subject " + subject);
        return body.path("id").asInt();
    }

    /** The schema with this id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode body = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.INVALID_SCHEMA,
                    "schema id " + id + " is of type " + type + ", not AVRO");
        }
        Schema schema = new Schema.Parser().parse(body.path("schema").asText());
        schemasById.put(id, schema);
        return schema;
    }

    /** Sets the compatibility level of a subject (BACKWARD, FORWARD, FULL, NONE, ...). */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "/config/" + encode(subject), body.toString(), "set compatibility of " + subject);
    }

    /** The versions registered under a subject, oldest first. */
    public List<Integer> versions(String subject) {
        JsonNode body = send("GET", "/subjects/" + encode(subject) + "/versions", null, "list versions of " + subject);
        List<Integer> versions = new ArrayList<>();
        body.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private JsonNode send(String method, String path, String body, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url() + path))
                .timeout(config.timeout())
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE,
                    "schema registry at " + safeUrl() + " is unreachable, could not " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.Kind.UNREACHABLE,
                    "interrupted while trying to " + what, e);
        }
        int status = response.statusCode();
        JsonNode json = parse(response.body());
        if (status >= 200 && status < 300) {
            return json;
        }
        String message = json.path("message").asText(response.body() == null ? "" : abbreviate(response.body()));
        int errorCode = json.path("error_code").asInt(status);
        throw failure(status, errorCode, what, message);
    }

    private SchemaRegistryException failure(int status, int errorCode, String what, String message) {
        String prefix = "schema registry at " + safeUrl() + " refused to " + what + ": ";
        if (status == 401 || status == 403) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.UNAUTHORIZED,
                    prefix + "not authorized (HTTP " + status + "); check " + RegistryConfig.USER_INFO);
        }
        if (status == 409) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.INCOMPATIBLE,
                    prefix + "the schema is incompatible with the subject's earlier versions under its compatibility level"
                            + (message.isBlank() ? "" : " (" + message + ")"));
        }
        if (status == 422 || errorCode == 42201) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.INVALID_SCHEMA, prefix + "invalid schema (" + message + ")");
        }
        if (status == 404 && (errorCode == 40403 || what.startsWith("fetch schema id"))) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.UNKNOWN_ID, prefix + "unknown schema id (" + message + ")");
        }
        if (status == 404) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.UNKNOWN_SUBJECT, prefix + "not found (" + message + ")");
        }
        if (status >= 500) {
            return new SchemaRegistryException(SchemaRegistryException.Kind.SERVER_ERROR, prefix + "server error " + status + " (" + message + ")");
        }
        return new SchemaRegistryException(SchemaRegistryException.Kind.INVALID_SCHEMA, prefix + "HTTP " + status + " (" + message + ")");
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** The URL without any user info, for messages. */
    private String safeUrl() {
        return RegistryConfig.withoutUserInfo(config.url());
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
