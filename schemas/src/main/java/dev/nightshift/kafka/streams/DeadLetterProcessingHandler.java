package dev.nightshift.kafka.streams;

import dev.nightshift.kafka.DeadLetters;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record whose processing throws goes, as the bytes read from its source topic, to that topic's
 * dead-letter topic, and processing goes on with the next record (KIP-1033/KIP-1034). Failures of a
 * punctuation (no source record) are logged and skipped; the next punctuation retries its work.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
    private final DeadLetterRouting routing = new DeadLetterRouting();

    @Override
    public void configure(Map<String, ?> configs) {
        routing.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (DeadLetterRouting.isTransient(exception)) {
            LOG.error("processing in {} failed because the registry is unavailable; failing so the record is retried: {}",
                    context.processorNodeId(), DeadLetters.describe(exception));
            return Response.fail();
        }
        if (context.sourceRawValue() == null && context.sourceRawKey() == null) {
            LOG.warn("processor {} failed outside a record (punctuation) and goes on: {}", context.processorNodeId(),
                    DeadLetters.describe(exception), exception);
            return Response.resume();
        }
        if (routing.fromGlobalStore(context)) {
            LOG.warn("record {}-{}@{} of a global store failed in {} and is skipped: {}", context.topic(), context.partition(),
                    context.offset(), context.processorNodeId(), DeadLetters.describe(exception));
            return Response.resume();
        }
        LOG.warn("record {}-{}@{} failed in {} and goes to the dead-letter topic: {}", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), DeadLetters.describe(exception));
        ProducerRecord<byte[], byte[]> deadLetter = routing.deadLetter(context, context.sourceRawKey(), context.sourceRawValue(),
                routing.stage(context.processorNodeId()), exception);
        return Response.resume(deadLetter == null ? List.of() : List.of(deadLetter));
    }
}
