package dev.nightshift.triage.service;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A record as plain JSON-ready values: nested records as objects, enums as names, times as ISO-8601. */
final class RecordViews {
    private RecordViews() {
    }

    static Map<String, Object> toMap(SpecificRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            map.put(field.name(), value(record.get(field.pos())));
        }
        return map;
    }

    private static Object value(Object value) {
        if (value instanceof SpecificRecord nested) {
            return toMap(nested);
        }
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RecordViews::value).toList();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), value(v)));
            return out;
        }
        return value;
    }
}
