package dev.nightshift.triage.analytics;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Rows of figures as CSV (RFC 4180): a header of the first row's fields, a line per row, empty for no value. */
public final class Csv {
    private Csv() {
    }

    public static String of(List<String> header, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder(line(header.stream().map(h -> (Object) h).toList()));
        for (Map<String, Object> row : rows) {
            out.append(line(header.stream().map(row::get).toList()));
        }
        return out.toString();
    }

    private static String line(List<Object> cells) {
        return cells.stream().map(Csv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = String.valueOf(value);
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
