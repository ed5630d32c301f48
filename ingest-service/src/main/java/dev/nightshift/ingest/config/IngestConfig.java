package dev.nightshift.ingest.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest service's settings, under {@code nightshift.ingest}. The field initializers here (and
 * in the nested classes and {@link SnsConfig}) are the only place a default lives: each setting is
 * read from its environment variable through Micronaut's own mapping
 * ({@code NIGHTSHIFT_INGEST_MAX_BODY_SIZE} is {@code nightshift.ingest.max-body-size}), and the
 * README's settings table is checked against these initializers by a test. The one exception to
 * that naming is {@link #getApiKey()}, also read from {@code INGEST_API_KEY} (a line in application.yml).
 */
@ConfigurationProperties("nightshift.ingest")
public class IngestConfig {
    /**
     * A plain API key accepted by every endpoint (env {@code INGEST_API_KEY}); hashed in memory at
     * start. Default: none; an empty or blank value is none too.
     */
    private String apiKey;
    /** SHA-256 hex digests of keys accepted by every endpoint. Default: none. */
    private List<String> apiKeySha256 = new ArrayList<>();
    /** A header that carries the key as it is, for senders that cannot set Authorization. */
    private String keyHeader = "X-Nightshift-Api-Key";
    /** Largest request body taken, in bytes (1 MiB). Bigger ones get 413. */
    private int maxBodySize = 1024 * 1024;
    /** Most alerts one request may carry. */
    private int maxAlertsPerRequest = 10_000;
    /** How many bytes of a refused payload are kept on the rejected topic. */
    private int rejectedPayloadCap = 64 * 1024;
    /** The Retry-After a 503 or 429 answer carries when nothing better is known. */
    private Duration retryAfter = Duration.ofSeconds(5);
    /** Alerts that may wait for the broker's acknowledgement at once; beyond that requests get 503. */
    private int maxInFlightAlerts = 100_000;
    /** Threads that parse and normalize bodies; 0 means one per core, at least 2. */
    private int workerThreads = 0;
    /** Requests that may wait for a worker thread; beyond that requests get 503. */
    private int workerQueue = 2048;

    public String getApiKey() {
        return apiKey;
    }

    /** An empty or blank key is no key, the same as none set: application.yml gives "" when INGEST_API_KEY is unset. */
    public void setApiKey(String apiKey) {
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    public List<String> getApiKeySha256() {
        return apiKeySha256;
    }

    public void setApiKeySha256(List<String> apiKeySha256) {
        this.apiKeySha256 = apiKeySha256;
    }

    public String getKeyHeader() {
        return keyHeader;
    }

    public void setKeyHeader(String keyHeader) {
        this.keyHeader = keyHeader;
    }

    public int getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(int maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    public int getMaxAlertsPerRequest() {
        return maxAlertsPerRequest;
    }

    public void setMaxAlertsPerRequest(int maxAlertsPerRequest) {
        this.maxAlertsPerRequest = maxAlertsPerRequest;
    }

    public int getRejectedPayloadCap() {
        return rejectedPayloadCap;
    }

    public void setRejectedPayloadCap(int rejectedPayloadCap) {
        this.rejectedPayloadCap = rejectedPayloadCap;
    }

    public Duration getRetryAfter() {
        return retryAfter;
    }

    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public int getMaxInFlightAlerts() {
        return maxInFlightAlerts;
    }

    public void setMaxInFlightAlerts(int maxInFlightAlerts) {
        this.maxInFlightAlerts = maxInFlightAlerts;
    }

    public int getWorkerThreads() {
        return workerThreads;
    }

    public void setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
    }

    public int getWorkerQueue() {
        return workerQueue;
    }

    public void setWorkerQueue(int workerQueue) {
        this.workerQueue = workerQueue;
    }

    /** The worker threads to start: {@link #getWorkerThreads()}, or one per core (at least 2) when that is 0. */
    public int workerThreadCount() {
        return workerThreads > 0 ? workerThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** Per-key request rate limit ({@code nightshift.ingest.rate-limit}): a token bucket per API key. */
    @ConfigurationProperties("rate-limit")
    public static class RateLimit {
        /** Requests per second each key may make, sustained; 0 turns the limit off. */
        private double requestsPerSecond = 500;
        /** Requests a key may make at once above the sustained rate. */
        private int burst = 1000;

        public double getRequestsPerSecond() {
            return requestsPerSecond;
        }

        public void setRequestsPerSecond(double requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
        }

        public int getBurst() {
            return burst;
        }

        public void setBurst(int burst) {
            this.burst = burst;
        }
    }

    /**
     * The producer to {@code alerts.raw} ({@code nightshift.ingest.producer}); it is always
     * {@code acks=all} and idempotent. The times bound how long a request can wait for the broker.
     */
    @ConfigurationProperties("producer")
    public static class Producer {
        /** Longest a send may block for metadata or buffer space ({@code max.block.ms}). */
        private Duration maxBlock = Duration.ofSeconds(2);
        /** Longest from send to acknowledgement, retries included ({@code delivery.timeout.ms}). */
        private Duration deliveryTimeout = Duration.ofSeconds(10);
        /** One request's wait for the broker ({@code request.timeout.ms}); at most the delivery timeout. */
        private Duration requestTimeout = Duration.ofSeconds(5);
        /** How long the producer waits to fill a batch ({@code linger.ms}). */
        private Duration linger = Duration.ofMillis(2);
        /** Producer batch size in bytes ({@code batch.size}). */
        private int batchSize = 128 * 1024;
        /** Producer buffer in bytes ({@code buffer.memory}). */
        private long bufferMemory = 64L * 1024 * 1024;
        /** Compression of record batches ({@code compression.type}). */
        private String compression = "none";

        public Duration getMaxBlock() {
            return maxBlock;
        }

        public void setMaxBlock(Duration maxBlock) {
            this.maxBlock = maxBlock;
        }

        public Duration getDeliveryTimeout() {
            return deliveryTimeout;
        }

        public void setDeliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = deliveryTimeout;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public long getBufferMemory() {
            return bufferMemory;
        }

        public void setBufferMemory(long bufferMemory) {
            this.bufferMemory = bufferMemory;
        }

        public String getCompression() {
            return compression;
        }

        public void setCompression(String compression) {
            this.compression = compression;
        }
    }
}
