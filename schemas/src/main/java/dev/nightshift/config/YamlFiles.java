package dev.nightshift.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads the pipeline's YAML data files (rules, playbooks, ownership) with a safe loader and plain-typed access. */
public final class YamlFiles {
    private YamlFiles() {
    }

    /**
     * Loads a file from the file system, or the bundled resource when {@code file} is null or blank.
     *
     * @return the document's top-level mapping, and a description of where it came from
     */
    public static Loaded load(String file, String bundledResource) {
        if (file == null || file.isBlank()) {
            if (bundledResource == null) {
                throw new IllegalArgumentException("no file given");
            }
            try (InputStream in = YamlFiles.class.getClassLoader().getResourceAsStream(bundledResource)) {
                if (in == null) {
                    throw new IllegalStateException("bundled resource " + bundledResource + " is missing");
                }
                return new Loaded("classpath:" + bundledResource, parse(in, "classpath:" + bundledResource));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path path = Path.of(file);
        try (InputStream in = Files.newInputStream(path)) {
            return new Loaded(path.toString(), parse(in, path.toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the file (" + e.getMessage() + ")", e);
        }
    }

    /** A loaded document: where it came from and its top-level mapping. */
    public record Loaded(String origin, Map<String, Object> root) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(InputStream in, String origin) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + ": not valid YAML (" + e.getMessage() + ")", e);
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(origin + ": the document must be a mapping");
        }
        return (Map<String, Object>) map;
    }

    /** Fails with {@code where: unknown key(s)} when a mapping has keys outside the allowed set. */
    public static void onlyKeys(Map<?, ?> map, Set<String> allowed, String where) {
        Set<String> unknown = new TreeSet<>();
        for (Object key : map.keySet()) {
            if (!allowed.contains(String.valueOf(key))) {
                unknown.add(String.valueOf(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown key(s) " + unknown + " (allowed: " + new TreeSet<>(allowed) + ")");
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> mapping(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + ": must be a mapping");
        }
        return (Map<String, Object>) map;
    }

    public static List<?> list(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": must be a list");
        }
        return list;
    }

    /** A scalar or a list of scalars, as strings. */
    public static List<String> strings(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> scalar(v, where)).toList();
        }
        return List.of(scalar(value, where));
    }

    public static String scalar(Object value, String where) {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new IllegalArgumentException(where + ": must be a single value");
        }
        return String.valueOf(value);
    }

    /** A mapping of scalars, as strings, in file order. */
    public static Map<String, String> stringMap(Object value, String where) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        mapping(value, where).forEach((k, v) -> out.put(String.valueOf(k), scalar(v, where + "." + k)));
        return out;
    }
}
