package dev.nightshift.serde;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;

/**
 * A per-thread output buffer and buffered Avro encoder, reused by the pipeline's serializers so that
 * writing a record allocates only the resulting array. Writers on one thread take turns: each one
 * {@link #start()}s, writes, and takes {@link #toByteArray()} before the next begins.
 */
public final class AvroOutput {
    private static final ThreadLocal<AvroOutput> PER_THREAD = ThreadLocal.withInitial(AvroOutput::new);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    private BinaryEncoder encoder;

    private AvroOutput() {
    }

    /** This thread's buffer. */
    public static AvroOutput forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * Empties the buffer and returns the encoder over it. Reconfiguring a reused encoder flushes what it
     * still holds (the part written by a failed call) into the stream, so the stream is emptied after that:
     * a failed write never leaks into the next.
     */
    public BinaryEncoder start() {
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        out.reset();
        return encoder;
    }

    /** Writes bytes straight to the stream (before anything goes through the encoder, or after flushing it). */
    public void writeRaw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    /** What was written since {@link #start()} (the encoder must have been flushed). */
    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
