package dev.nightshift.kafka.streams;

import dev.nightshift.kafka.DeadLetters;
import dev.nightshift.serde.SchemaRegistryException;
import dev.nightshift.topics.TopicNames;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a Streams app's poison record goes and what it carries: its original key and value bytes on
 * the dead-letter topic of the external topic it came from (a record of one of the app's repartition
 * topics goes to that of the topic the app re-keyed it from), with the pipeline's dead-letter headers
 * (source topic, partition, offset, stage, error class and message). A registry that cannot be reached
 * is not the record's fault, so such errors are not dead-lettered. Records of the topics read by
 * global stores have no dead-letter topic: Streams cannot write one from the global thread, so they are
 * skipped and logged, and stay on their compacted topic until a record for their key replaces them.
 * <p>
 * Settings (Streams configs): {@value #APP} names the app in the stage header; {@value #REPARTITIONS}
 * maps repartition topic suffixes to the topics they re-key ({@code name-repartition=topic,...});
 * {@value #GLOBAL_TOPICS} lists the topics global stores read.
 */
public final class DeadLetterRouting {
    public static final String APP = "nightshift.dlq.app";
    public static final String REPARTITIONS = "nightshift.dlq.repartitions";
    public static final String GLOBAL_TOPICS = "nightshift.dlq.global.topics";

    private String app = "streams";
    private final Map<String, String> repartitions = new HashMap<>();
    private final Set<String> globalTopics = new HashSet<>();

    void configure(Map<String, ?> configs) {
        Object name = configs.get(APP);
        if (name != null) {
            app = name.toString();
        }
        Object mapping = configs.get(REPARTITIONS);
        if (mapping != null) {
            for (String pair : mapping.toString().split(",")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    repartitions.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                }
            }
        }
        Object global = configs.get(GLOBAL_TOPICS);
        if (global != null) {
            for (String topic : global.toString().split(",")) {
                if (!topic.isBlank()) {
                    globalTopics.add(topic.trim());
                }
            }
        }
    }

    /** The {@value #REPARTITIONS} setting for these repartition names and the topics they re-key. */
    public static String repartitions(Map<String, String> byRepartitionName) {
        StringBuilder setting = new StringBuilder();
        byRepartitionName.forEach((name, topic) -> setting.append(setting.isEmpty() ? "" : ",").append(name).append("-repartition=").append(topic));
        return setting.toString();
    }

    String stage(String step) {
        return app + "/" + step;
    }

    /** Whether the record came from a topic a global store reads, which cannot have a dead-letter write. */
    boolean fromGlobalStore(ErrorHandlerContext context) {
        return context.topic() != null && globalTopics.contains(context.topic());
    }

    static boolean isTransient(Throwable error) {
        return SchemaRegistryException.isRegistryTrouble(error);
    }

    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value, String stage, Exception error) {
        String topic = context.topic();
        if (topic != null) {
            for (Map.Entry<String, String> repartition : repartitions.entrySet()) {
                if (topic.endsWith(repartition.getKey())) {
                    topic = repartition.getValue();
                    break;
                }
            }
        }
        ProducerRecord<byte[], byte[]> record = DeadLetters.of(topic == null ? "unknown" : topic, context.partition(),
                context.offset(), key, value, context.headers(), stage, error);
        return record.topic().equals(TopicNames.deadLetter("unknown")) ? null : record;
    }
}
