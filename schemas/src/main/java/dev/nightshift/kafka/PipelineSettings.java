package dev.nightshift.kafka;

import dev.nightshift.serde.RegistryConfig;
import dev.nightshift.topics.TopicNames;
import dev.nightshift.topics.Topics;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * What every service needs to reach the pipeline, read from one set of settings (Micronaut
 * properties, each with an environment variable): {@code kafka.bootstrap.servers}
 * (KAFKA_BOOTSTRAP_SERVERS, default localhost:9092), {@code kafka.client.config} (KAFKA_CLIENT_CONFIG,
 * a client properties file for a real cluster), {@code schema.registry.url} (SCHEMA_REGISTRY_URL,
 * default http://localhost:8081/apis/ccompat/v7), {@code schema.registry.user.info}
 * (SCHEMA_REGISTRY_USER_INFO, user:password) and the topic names under {@code nightshift.topics}.
 */
public record PipelineSettings(KafkaSettings kafka, RegistryConfig registry, TopicNames topicNames) {
    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_REGISTRY = "http://localhost:8081/apis/ccompat/v7";

    public static PipelineSettings from(UnaryOperator<String> settings) {
        String bootstrap = settings.apply("kafka.bootstrap.servers");
        KafkaSettings kafka = KafkaSettings.of(bootstrap == null || bootstrap.isBlank() ? DEFAULT_BOOTSTRAP : bootstrap,
                settings.apply("kafka.client.config"));
        String url = settings.apply("schema.registry.url");
        String userInfo = settings.apply("schema.registry.user.info");
        String autoRegister = settings.apply("schema.registry.auto-register");
        RegistryConfig registry = new RegistryConfig(url == null || url.isBlank() ? DEFAULT_REGISTRY : url,
                userInfo == null || userInfo.isBlank() ? null : userInfo,
                autoRegister == null || Boolean.parseBoolean(autoRegister), Duration.ofSeconds(10));
        TopicNames names = TopicNames.from(key -> settings.apply("nightshift.topics." + key));
        return new PipelineSettings(kafka, registry, names);
    }

    public Topics topics() {
        return new Topics(topicNames, registry);
    }
}
