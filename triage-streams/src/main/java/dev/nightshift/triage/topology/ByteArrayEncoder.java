package dev.nightshift.triage.topology;

import org.apache.avro.io.Encoder;
import org.apache.avro.util.Utf8;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Avro binary encoding into a growable byte array, for the state stores' own values: the same bytes
 * as {@link org.apache.avro.io.BinaryEncoder} writes, without its stream, channel and buffer layers
 * (set up again for every value), and with short ASCII strings written straight from their characters.
 * One encoder is reused by one writer at a time; {@link Pool} hands it out.
 */
final class ByteArrayEncoder extends Encoder {
    private byte[] buffer = new byte[512];
    private int size;

    /** Empties the encoder for the next value. */
    ByteArrayEncoder reset() {
        size = 0;
        return this;
    }

    /** How many bytes were written since {@link #reset()}. */
    int position() {
        return size;
    }

    /** What was written since {@link #reset()}, as a new array. */
    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    void writeRaw(byte b) {
        ensure(1);
        buffer[size++] = b;
    }

    void writeRaw(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, size, bytes.length);
        size += bytes.length;
    }

    @Override
    public void writeNull() {
    }

    @Override
    public void writeBoolean(boolean b) {
        writeRaw(b ? (byte) 1 : (byte) 0);
    }

    @Override
    public void writeInt(int n) {
        ensure(5);
        int value = (n << 1) ^ (n >> 31);
        while ((value & ~0x7F) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    @Override
    public void writeLong(long n) {
        ensure(10);
        long value = (n << 1) ^ (n >> 63);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    @Override
    public void writeFloat(float f) {
        writeFixedInt(Float.floatToRawIntBits(f));
    }

    @Override
    public void writeDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        writeFixedInt((int) bits);
        writeFixedInt((int) (bits >>> 32));
    }

    private void writeFixedInt(int bits) {
        ensure(4);
        buffer[size++] = (byte) bits;
        buffer[size++] = (byte) (bits >>> 8);
        buffer[size++] = (byte) (bits >>> 16);
        buffer[size++] = (byte) (bits >>> 24);
    }

    @Override
    public void writeString(Utf8 utf8) {
        writeBytes(utf8.getBytes(), 0, utf8.getByteLength());
    }

    /**
     * A string of fewer than 64 characters, all ASCII, is its own UTF-8 and its length fits in one byte:
     * it is copied character by character. Any other goes through {@link String#getBytes}.
     */
    @Override
    public void writeString(String string) {
        int length = string.length();
        if (length < 64) {
            ensure(1 + length);
            int start = size;
            buffer[start] = (byte) (length << 1);
            int i = 0;
            for (; i < length; i++) {
                char c = string.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                buffer[start + 1 + i] = (byte) c;
            }
            if (i == length) {
                size = start + 1 + length;
                return;
            }
        }
        byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
        writeBytes(bytes, 0, bytes.length);
    }

    @Override
    public void writeString(CharSequence charSequence) {
        if (charSequence instanceof Utf8 utf8) {
            writeString(utf8);
        } else {
            writeString(charSequence.toString());
        }
    }

    @Override
    public void writeBytes(ByteBuffer bytes) {
        ByteBuffer view = bytes.duplicate();
        int length = view.remaining();
        writeInt(length);
        ensure(length);
        view.get(buffer, size, length);
        size += length;
    }

    @Override
    public void writeBytes(byte[] bytes, int start, int len) {
        writeInt(len);
        writeFixed(bytes, start, len);
    }

    @Override
    public void writeFixed(byte[] bytes, int start, int len) {
        ensure(len);
        System.arraycopy(bytes, start, buffer, size, len);
        size += len;
    }

    @Override
    public void writeEnum(int e) {
        writeInt(e);
    }

    @Override
    public void writeArrayStart() {
    }

    @Override
    public void setItemCount(long itemCount) {
        if (itemCount > 0) {
            writeLong(itemCount);
        }
    }

    @Override
    public void startItem() {
    }

    @Override
    public void writeArrayEnd() {
        writeRaw((byte) 0);
    }

    @Override
    public void writeMapStart() {
    }

    @Override
    public void writeMapEnd() {
        writeRaw((byte) 0);
    }

    @Override
    public void writeIndex(int unionIndex) {
        writeInt(unionIndex);
    }

    @Override
    public void flush() {
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }

    /**
     * One spare encoder for whichever thread writes next: taking and returning it are one atomic step
     * each, cheaper than a thread-local lookup. A writer that finds it taken (another thread writes at
     * the same moment) makes a new one; the last one returned is kept.
     */
    static final class Pool {
        private final AtomicReference<ByteArrayEncoder> spare = new AtomicReference<>();

        ByteArrayEncoder take() {
            ByteArrayEncoder encoder = spare.getAndSet(null);
            return encoder == null ? new ByteArrayEncoder() : encoder.reset();
        }

        void give(ByteArrayEncoder encoder) {
            if (encoder.buffer.length <= 64 * 1024) {
                spare.set(encoder);
            }
        }
    }
}
