package dev.nightshift.triage.service;

import dev.nightshift.kafka.PipelineSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Streams settings the triage app starts with: what its config says, and what an operator overrides. */
class TriageStreamsPropertiesTest {
    private static final PipelineSettings PIPELINE = PipelineSettings.from(Map.of(
            "kafka.bootstrap.servers", "broker:9092", "schema.registry.url", "http://registry:8081")::get);

    @Test
    void exactlyOnceWithTheConfiguredProducerSettings() {
        TriageConfig config = new TriageConfig();
        config.setProducerLinger(Duration.ofMillis(7));
        config.setProducerBatchSize(65536);
        config.setProducerBufferMemory(64L * 1024 * 1024);
        config.setProducerCompression("zstd");
        StreamsConfig streams = new StreamsConfig(TriageRuntime.streamsProperties(config, PIPELINE, null));

        assertThat(streams.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        Map<String, Object> producer = streams.getProducerConfigs("triage-test-producer");
        assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, 7)
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 65536)
                .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        assertThat(streams.getLong(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    }

    @Test
    void staticMembershipOnlyWhenAnInstanceIdIsGiven() {
        TriageConfig config = new TriageConfig();
        StreamsConfig dynamic = new StreamsConfig(TriageRuntime.streamsProperties(config, PIPELINE, null));
        assertThat(dynamic.getMainConsumerConfigs("app", "client", 0)).doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);

        config.setGroupInstanceId("local-triage");
        StreamsConfig fixed = new StreamsConfig(TriageRuntime.streamsProperties(config, PIPELINE, null));
        assertThat(fixed.getMainConsumerConfigs("app", "client", 0)).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "local-triage-0");
    }

    @Test
    void defaultsLingerUntilTheCommitBatchBigWithRoomForManyPartitionsAndCompressWithLz4() {
        TriageConfig config = new TriageConfig();
        Properties props = TriageRuntime.streamsProperties(config, PIPELINE, null);
        Map<String, Object> producer = new StreamsConfig(props).getProducerConfigs("triage-test-producer");
        assertThat(producer).containsEntry(ProducerConfig.LINGER_MS_CONFIG, (int) config.getCommitInterval().toMillis())
                .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 131072)
                .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    }

    @Test
    void aBufferOfNoBytesIsRefused() {
        TriageConfig config = new TriageConfig();
        assertThatThrownBy(() -> config.setProducerBufferMemory(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triage.producer-buffer-memory");
    }

    @Test
    void aTeamTopicOfNoPartitionsIsRefused() {
        TriageConfig config = new TriageConfig();
        assertThatThrownBy(() -> config.setTeamTopicPartitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triage.team-topic-partitions");
        assertThatThrownBy(() -> config.setTopicPartitions(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triage.topic-partitions");
    }

    @Test
    void operatorStreamsSettingsComeLast() {
        TriageConfig config = new TriageConfig();
        config.getStreams().put("producer.compression.type", "none");
        Map<String, Object> producer = new StreamsConfig(TriageRuntime.streamsProperties(config, PIPELINE, null))
                .getProducerConfigs("triage-test-producer");
        assertThat(producer).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
    }

    @Test
    void aFailedStreamThreadIsReplacedButTheGlobalThreadWhichCannotBeStopsTheApp() {
        RuntimeException boom = new IllegalStateException("boom");
        assertThat(TriageRuntime.onThreadFailure(new Thread("triage-1a2b-StreamThread-1"), boom))
                .isEqualTo(StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(TriageRuntime.onThreadFailure(new Thread("triage-1a2b-GlobalStreamThread"), boom))
                .isEqualTo(StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }
}
