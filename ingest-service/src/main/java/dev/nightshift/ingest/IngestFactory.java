package dev.nightshift.ingest;

import dev.nightshift.ingest.auth.ApiKeys;
import dev.nightshift.ingest.auth.RateLimiter;
import dev.nightshift.ingest.config.IngestConfig;
import dev.nightshift.ingest.config.SnsConfig;
import dev.nightshift.ingest.config.SourceConfig;
import dev.nightshift.ingest.normalize.AlertmanagerParser;
import dev.nightshift.ingest.normalize.CloudWatchParser;
import dev.nightshift.ingest.normalize.DatadogParser;
import dev.nightshift.ingest.normalize.GenericAlertParser;
import dev.nightshift.ingest.sns.SigningCertificates;
import dev.nightshift.ingest.sns.SnsMessageVerifier;
import dev.nightshift.ingest.sns.SubscriptionConfirmer;
import dev.nightshift.ingest.normalize.SourceParser;
import dev.nightshift.ingest.publish.AlertPublisher;
import dev.nightshift.kafka.PipelineSettings;
import dev.nightshift.topics.Topics;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Builds the ingest service's parts from configuration; the parts themselves know nothing of Micronaut. */
@Factory
public class IngestFactory {
    private static final Logger LOG = LoggerFactory.getLogger(IngestFactory.class);

    @Singleton
    PipelineSettings pipelineSettings(Environment environment) {
        return PipelineSettings.from(key -> environment.getProperty(key, String.class).orElse(null));
    }

    @Singleton
    Topics topics(PipelineSettings settings) {
        return settings.topics();
    }

    @Singleton
    @Bean(preDestroy = "close")
    AlertPublisher alertPublisher(PipelineSettings settings, Topics topics, IngestConfig config, IngestConfig.Producer p,
                                  @Named("ingest-completions") ExecutorService completions) {
        if (config.getMaxAlertsPerRequest() > config.getMaxInFlightAlerts()) {
            // such a request could never be taken: it would get 503 and be retried for ever
            throw new IllegalStateException("NIGHTSHIFT_INGEST_MAX_ALERTS_PER_REQUEST (" + config.getMaxAlertsPerRequest()
                    + ") must not be above NIGHTSHIFT_INGEST_MAX_IN_FLIGHT_ALERTS (" + config.getMaxInFlightAlerts() + ")");
        }
        Map<String, Object> producer = settings.kafka().producer("nightshift-ingest");
        producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) p.getMaxBlock().toMillis());
        producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) p.getDeliveryTimeout().toMillis());
        producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.min(p.getRequestTimeout().toMillis(), p.getDeliveryTimeout().toMillis() - p.getLinger().toMillis()));
        producer.put(ProducerConfig.LINGER_MS_CONFIG, (int) p.getLinger().toMillis());
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, p.getBatchSize());
        producer.put(ProducerConfig.BUFFER_MEMORY_CONFIG, p.getBufferMemory());
        producer.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, p.getCompression());
        // 1 MiB unless the client config file (kafka.client.config) says otherwise
        int maxRecordSize = (Integer) ConfigDef.parseType(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                producer.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024), ConfigDef.Type.INT);
        return new AlertPublisher(new KafkaProducer<>(producer), topics, config.getMaxInFlightAlerts(), maxRecordSize,
                completions);
    }

    /**
     * Threads that turn the broker's answers into HTTP answers. Its queue holds at most one task per
     * alert in flight, which the in-flight limit already bounds; were it ever full, the producer's
     * thread answers itself rather than lose an answer.
     */
    @Singleton
    @Named("ingest-completions")
    @Bean(preDestroy = "shutdown")
    ExecutorService ingestCompletions(IngestConfig config) {
        return daemonPool("ingest-completion-", config.workerThreadCount(), Math.max(1, config.getMaxInFlightAlerts()),
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** A fixed pool of daemon threads named {@code prefix}1, 2, ... over a bounded queue. */
    private static ExecutorService daemonPool(String prefix, int threads, int queue, RejectedExecutionHandler whenFull) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue),
                r -> {
                    Thread t = new Thread(r, prefix + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                },
                whenFull);
    }

    @Singleton
    @Named("kafka-health")
    @Bean(preDestroy = "close")
    Admin healthAdmin(PipelineSettings settings) {
        Map<String, Object> admin = settings.kafka().common();
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "nightshift-ingest-health");
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        return Admin.create(admin);
    }

    @Singleton
    ApiKeys apiKeys(IngestConfig config, List<SourceConfig> sources) {
        ApiKeys.Builder keys = ApiKeys.builder().plainKeyForAll(config.getApiKey());
        config.getApiKeySha256().forEach(keys::digestForAll);
        for (SourceConfig source : sources) {
            Optional<IngestSource> known = java.util.Arrays.stream(IngestSource.values())
                    .filter(s -> s.configName().equals(source.getName())).findFirst();
            if (known.isEmpty()) {
                throw new IllegalArgumentException("nightshift.ingest.sources." + source.getName()
                        + " (NIGHTSHIFT_INGEST_SOURCES_" + source.getName().toUpperCase(java.util.Locale.ROOT)
                        + "_KEY_SHA256) names no source; use generic, cloudwatch, datadog or alertmanager");
            }
            source.getKeySha256().forEach(hex -> keys.digest(known.get(), hex));
        }
        ApiKeys built = keys.build();
        if (built.isEmpty()) {
            LOG.warn("no API key is configured (INGEST_API_KEY, NIGHTSHIFT_INGEST_API_KEY_SHA256 or NIGHTSHIFT_INGEST_SOURCES_<SOURCE>_KEY_SHA256):"
                    + " every request will get 401");
        }
        return built;
    }

    @Singleton
    RateLimiter rateLimiter(IngestConfig.RateLimit rateLimit) {
        return new RateLimiter(rateLimit.getRequestsPerSecond(), rateLimit.getBurst());
    }

    @Singleton
    @Named("ingest-workers")
    @Bean(preDestroy = "shutdown")
    ExecutorService ingestWorkers(IngestConfig config) {
        return daemonPool("ingest-worker-", config.workerThreadCount(), config.getWorkerQueue(), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Built at start, with everything it needs, so a bad setting stops the service at once. */
    @Context
    IngestService ingestService(ApiKeys keys, RateLimiter rateLimiter, List<SourceParser> parsers,
                                AlertPublisher publisher, @Named("ingest-workers") ExecutorService workers,
                                IngestConfig config) {
        return new IngestService(keys, rateLimiter, parsers, publisher, workers,
                new IngestService.Settings(config.getMaxBodySize(), config.getRejectedPayloadCap(),
                        config.getRetryAfter(), config.getKeyHeader()),
                Clock.systemUTC());
    }

    @Singleton
    SourceParser genericParser(IngestConfig config) {
        return new GenericAlertParser(IngestFactory::newAlertId, config.getMaxAlertsPerRequest());
    }

    @Singleton
    SourceParser alertmanagerParser(IngestConfig config) {
        return new AlertmanagerParser(IngestFactory::newAlertId, config.getMaxAlertsPerRequest());
    }

    @Singleton
    SourceParser datadogParser() {
        return new DatadogParser(IngestFactory::newAlertId);
    }

    @Singleton
    SigningCertificates signingCertificates(SnsConfig sns) {
        return new SigningCertificates(sns.getHttpTimeout(), sns.getCertCacheTtl(), sns.getCertCacheSize(), Clock.systemUTC());
    }

    @Singleton
    SourceParser cloudWatchParser(SnsConfig sns, SigningCertificates certificates) {
        SnsMessageVerifier verifier = new SnsMessageVerifier(Pattern.compile(sns.getSigningCertUrlPattern()), certificates,
                sns.getMaxMessageAge(), Clock.systemUTC());
        SubscriptionConfirmer confirmer = new SubscriptionConfirmer(Pattern.compile(sns.getSubscribeUrlPattern()),
                sns.getHttpTimeout());
        if (sns.getTopicArnAllowlist().isEmpty()) {
            LOG.info("no SNS topic is allowed (NIGHTSHIFT_INGEST_SNS_TOPIC_ARN_ALLOWLIST): SNS deliveries get 403;"
                    + " EventBridge events are taken");
        }
        return new CloudWatchParser(verifier, confirmer, sns.getTopicArnAllowlist(), IngestFactory::newAlertId);
    }

    /** A new alert id. */
    public static String newAlertId() {
        return UUID.randomUUID().toString();
    }
}
