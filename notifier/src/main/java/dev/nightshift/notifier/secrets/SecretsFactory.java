package dev.nightshift.notifier.secrets;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/** The notifier's {@link Secrets}: AWS credentials from the SDK's default chain, the region from {@link SecretsConfig}. */
@Factory
public class SecretsFactory {
    @Singleton
    @Bean(preDestroy = "close")
    Secrets secrets(SecretsConfig config) {
        return new Secrets(config.getRegion(), DefaultCredentialsProvider.builder().build());
    }
}
