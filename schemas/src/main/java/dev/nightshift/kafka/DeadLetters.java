package dev.nightshift.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

import dev.nightshift.topics.TopicNames;

/**
 * Builds the dead-letter copy of a record that could not be processed: the original key and value
 * bytes on {@code <topic>.dlq}, the original headers, and headers that say where it came from and
 * what went wrong, so that a person can read it and replay it.
 */
public final class DeadLetters {
    public static final String TOPIC = "nightshift.dlq.topic";
    public static final String PARTITION = "nightshift.dlq.partition";
    public static final String OFFSET = "nightshift.dlq.offset";
    public static final String STAGE = "nightshift.dlq.stage";
    public static final String ERROR_CLASS = "nightshift.dlq.error.class";
    public static final String ERROR_MESSAGE = "nightshift.dlq.error.message";
    private static final int MAX_MESSAGE = 2000;

    private DeadLetters() {
    }

    public static ProducerRecord<byte[], byte[]> of(ConsumerRecord<byte[], byte[]> record, String stage, Throwable error) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.headers(), stage, error);
    }

    public static ProducerRecord<byte[], byte[]> of(String topic, int partition, long offset, byte[] key, byte[] value,
                                                    Headers original, String stage, Throwable error) {
        Headers headers = new RecordHeaders();
        if (original != null) {
            for (Header header : original) {
                if (!header.key().startsWith("nightshift.dlq.")) {
                    headers.add(header);
                }
            }
        }
        headers.add(TOPIC, utf8(topic));
        headers.add(PARTITION, utf8(Integer.toString(partition)));
        headers.add(OFFSET, utf8(Long.toString(offset)));
        headers.add(STAGE, utf8(stage));
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(describe(error)));
        return new ProducerRecord<>(TopicNames.deadLetter(topic), null, key, value, headers);
    }

    /** The error and its causes in one line, capped. */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < MAX_MESSAGE; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) : text.toString();
    }

    public static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }
}
