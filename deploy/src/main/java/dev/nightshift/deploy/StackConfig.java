package dev.nightshift.deploy;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack lives and which ports it takes. Every port can be changed through its
 * environment variable: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), REGISTRY_PORT (8081),
 * INGEST_PORT (8080), TRIAGE_PORT (8082), WORKERS_PORT (8083), NOTIFIER_PORT (8084).
 *
 * @param home    the repository root (the services run from their modules' target/ directories)
 * @param data    where the broker, registry and services keep their state ({@code .pipeline/})
 * @param javaOpts JVM options of each service (SERVICE_JAVA_OPTS)
 * @param env     the environment handed to every child process
 */
public record StackConfig(Path home, Path data, int kafkaPort, int controllerPort, int registryPort, int ingestPort,
                          int triagePort, int workersPort, int notifierPort, String javaOpts, Map<String, String> env) {
    public static final String DEFAULT_JAVA_OPTS = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    public static StackConfig fromEnvironment(Path home, Map<String, String> env) {
        return new StackConfig(home, home.resolve(".pipeline"),
                port(env, "KAFKA_PORT", 9092), port(env, "KAFKA_CONTROLLER_PORT", 9093), port(env, "REGISTRY_PORT", 8081),
                port(env, "INGEST_PORT", 8080), port(env, "TRIAGE_PORT", 8082), port(env, "WORKERS_PORT", 8083),
                port(env, "NOTIFIER_PORT", 8084), env.getOrDefault("SERVICE_JAVA_OPTS", DEFAULT_JAVA_OPTS), Map.copyOf(env));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String registryUrl() {
        return "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
    }

    public int port(Service service) {
        return switch (service) {
            case INGEST -> ingestPort;
            case TRIAGE -> triagePort;
            case WORKERS -> workersPort;
            case NOTIFIER -> notifierPort;
        };
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'");
        }
    }
}
