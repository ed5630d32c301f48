package dev.nightshift.kafka.streams;

import dev.nightshift.kafka.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record that cannot be read (not the wire format, unknown schema id, a body that does not match
 * its schema) goes to its topic's dead-letter topic and processing goes on. The dead-letter write
 * is returned to Streams (KIP-1034), so it is part of the same transaction as the offsets.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
    private final DeadLetterRouting routing = new DeadLetterRouting();

    @Override
    public void configure(Map<String, ?> configs) {
        routing.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (DeadLetterRouting.isTransient(exception)) {
            LOG.error("cannot deserialize {}-{}@{} because the registry is unavailable; failing so the record is retried: {}",
                    record.topic(), record.partition(), record.offset(), DeadLetters.describe(exception));
            return Response.fail();
        }
        if (routing.fromGlobalStore(context)) {
            LOG.warn("unreadable record {}-{}@{} of a global store is skipped (the next record of its key replaces it): {}",
                    record.topic(), record.partition(), record.offset(), DeadLetters.describe(exception));
            return Response.resume();
        }
        LOG.warn("poison record {}-{}@{} goes to the dead-letter topic: {}", record.topic(), record.partition(), record.offset(),
                DeadLetters.describe(exception));
        ProducerRecord<byte[], byte[]> deadLetter = routing.deadLetter(context, record.key(), record.value(), routing.stage("deserialize"), exception);
        return Response.resume(deadLetter == null ? List.of() : List.of(deadLetter));
    }
}
