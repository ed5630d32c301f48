package dev.nightshift.ingest.normalize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading sender JSON with errors that name the field at fault. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** ISO-8601 with an offset, with or without a colon in it (CloudWatch writes {@code +0000}). */
    private static final DateTimeFormatter OFFSET_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private Json() {
    }

    /** The body as a JSON tree; a 400 that says where the JSON breaks when it is malformed. */
    public static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw InvalidPayloadException.badRequest("the body is empty; a JSON document is expected");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw InvalidPayloadException.badRequest("malformed JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw InvalidPayloadException.badRequest("unreadable body");
        }
    }

    /** Parses JSON text found inside a field (e.g. an SNS Message). */
    public static JsonNode parse(String text, String field) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw InvalidPayloadException.badField(field, "is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** The text of an optional string field; null when absent or null; a 400 when not a string. */
    public static String optionalText(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw InvalidPayloadException.badField(path, "must be a string");
        }
        return node.textValue();
    }

    /** Like {@link #optionalText} but numbers and booleans are taken as their text. */
    public static String optionalScalar(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        throw InvalidPayloadException.badField(path, "must be a string");
    }

    /** The text of a required, non-blank string field. */
    public static String requiredText(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            throw InvalidPayloadException.badField(path, "is required");
        }
        if (!node.isTextual()) {
            throw InvalidPayloadException.badField(path, "must be a string");
        }
        if (node.textValue().isBlank()) {
            throw InvalidPayloadException.badField(path, "must not be blank");
        }
        return node.textValue();
    }

    /** A map of strings (numbers and booleans taken as their text); empty when absent. */
    public static Map<String, String> stringMap(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw InvalidPayloadException.badField(path, "must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw InvalidPayloadException.badField(path + "." + entry.getKey(), "must be a string");
            }
            map.put(entry.getKey(), value.asText());
        }
        return map;
    }

    /**
     * A time: ISO-8601 with an offset ({@code 2024-05-01T10:00:00Z}, {@code +02:00} or
     * {@code +0000}) or epoch milliseconds; null when absent.
     */
    public static Instant optionalTime(JsonNode parent, String name, String path) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            Instant time = node.canConvertToLong() ? parseTime(Long.toString(node.longValue())) : null;
            if (time == null) {
                throw InvalidPayloadException.badField(path, "is out of range");
            }
            return time;
        }
        if (!node.isTextual()) {
            throw InvalidPayloadException.badField(path, "must be an ISO-8601 time such as 2024-05-01T10:00:00Z");
        }
        Instant time = parseTime(node.textValue());
        if (time == null) {
            throw InvalidPayloadException.badField(path, "must be an ISO-8601 time such as 2024-05-01T10:00:00Z");
        }
        return time;
    }

    /** The earliest and latest times taken: outside them a time cannot be written as epoch milliseconds. */
    private static final java.util.regex.Pattern EPOCH_MILLIS = java.util.regex.Pattern.compile("-?\\d{1,15}");
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    /**
     * Parses an ISO-8601 time with an offset, or epoch milliseconds as digits, between the years 1
     * and 9999; null otherwise.
     */
    public static Instant parseTime(String text) {
        Instant time = parseAnyTime(text);
        return time == null || time.isBefore(EARLIEST) || time.isAfter(LATEST) ? null : time;
    }

    private static Instant parseAnyTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.trim();
        if (EPOCH_MILLIS.matcher(value).matches()) {
            return Instant.ofEpochMilli(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value, OFFSET_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unexpected input";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
