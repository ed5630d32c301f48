package dev.nightshift.ingest.config;

import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.ApplicationContextConfigurer;
import io.micronaut.context.annotation.ContextConfigurer;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.env.PropertySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps the environment variables ingest read before its settings moved from
 * {@code nightshift.ingest} to {@code ingest} working: {@code NIGHTSHIFT_INGEST_MAX_BODY_SIZE} is
 * read as {@code INGEST_MAX_BODY_SIZE}, and so on for every {@code NIGHTSHIFT_INGEST_*}. When both
 * names are set, the new one wins. Each former name read is named in a warning; its value never is.
 */
@ContextConfigurer
public final class FormerVariableNames implements ApplicationContextConfigurer {
    static final String FORMER_PREFIX = "NIGHTSHIFT_INGEST_";
    static final String PREFIX = "INGEST_";
    private static final Logger LOG = LoggerFactory.getLogger(FormerVariableNames.class);

    @Override
    public void configure(ApplicationContextBuilder builder) {
        PropertySource former = propertySource(System.getenv());
        if (former != null) {
            builder.propertySources(former);
        }
    }

    /**
     * The former variables of {@code environment} under their new names, read the way Micronaut
     * reads environment variables, just below the real ones; null when there are none.
     */
    public static PropertySource propertySource(Map<String, String> environment) {
        Map<String, Object> renamed = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (!name.startsWith(FORMER_PREFIX)) {
                return;
            }
            String current = PREFIX + name.substring(FORMER_PREFIX.length());
            if (environment.containsKey(current)) {
                LOG.warn("{} is ignored: {} is set too", name, current);
            } else {
                LOG.warn("{} is read as {}; rename it, the former name will not be read for ever", name, current);
                renamed.put(current, value);
            }
        });
        if (renamed.isEmpty()) {
            return null;
        }
        return new MapPropertySource("former-ingest-variables", renamed) {
            @Override
            public int getOrder() {
                return EnvironmentPropertySource.POSITION - 1;
            }

            @Override
            public PropertyConvention getConvention() {
                return PropertyConvention.ENVIRONMENT_VARIABLE;
            }
        };
    }
}
