package dev.nightshift.notifier;

import dev.nightshift.kafka.PipelineSettings;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

/** The connection settings every part of the notifier shares (Kafka, the schema registry, the topics' names). */
@Factory
public class NotifierFactory {
    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }
}
