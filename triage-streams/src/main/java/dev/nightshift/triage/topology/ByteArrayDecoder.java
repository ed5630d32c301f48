package dev.nightshift.triage.topology;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary decoding straight from one byte array, for the state stores' own values: Avro's
 * {@link org.apache.avro.io.BinaryDecoder} copies every string into a scratch buffer before it makes
 * the {@code String}, and is built anew for each value read. This one makes each string from the array
 * itself and is cheap to create. A string or bytes length that runs past the end of the array is refused
 * with an {@link EOFException} before anything is allocated for it, so a truncated or corrupt value fails
 * cleanly rather than allocating what it claims.
 */
final class ByteArrayDecoder extends Decoder {
    private final byte[] bytes;
    private final int limit;
    private int pos;

    ByteArrayDecoder(byte[] bytes, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + bytes.length);
        }
        this.bytes = bytes;
        this.pos = offset;
        this.limit = offset + length;
    }

    /** Where the next value starts in the array. */
    int position() {
        return pos;
    }

    /** Whether every byte has been read. */
    boolean isEnd() {
        return pos == limit;
    }

    @Override
    public void readNull() {
    }

    @Override
    public boolean readBoolean() throws IOException {
        need(1);
        int b = bytes[pos++];
        if (b != 0 && b != 1) {
            throw new IOException("invalid boolean " + b);
        }
        return b == 1;
    }

    @Override
    public int readInt() throws IOException {
        long n = readVarLong(5);
        if (n > 0xFFFF_FFFFL) {
            throw new IOException("invalid int encoding");
        }
        int raw = (int) n;
        return (raw >>> 1) ^ -(raw & 1);
    }

    @Override
    public long readLong() throws IOException {
        long raw = readVarLong(10);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** The unsigned variable-length number at the current position, of at most {@code maxBytes} bytes. */
    private long readVarLong(int maxBytes) throws IOException {
        long value = 0;
        for (int shift = 0, i = 0; i < maxBytes; i++, shift += 7) {
            need(1);
            int b = bytes[pos++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IOException("invalid varint encoding");
    }

    @Override
    public float readFloat() throws IOException {
        return Float.intBitsToFloat(readFixedInt());
    }

    @Override
    public double readDouble() throws IOException {
        int low = readFixedInt();
        int high = readFixedInt();
        return Double.longBitsToDouble(((long) high << 32) | (low & 0xFFFF_FFFFL));
    }

    private int readFixedInt() throws IOException {
        need(4);
        int value = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8 | (bytes[pos + 2] & 0xFF) << 16 | (bytes[pos + 3] & 0xFF) << 24;
        pos += 4;
        return value;
    }

    @Override
    public String readString() throws IOException {
        int length = readLength();
        String value = new String(bytes, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return value;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = readLength();
        Utf8 value = old != null ? old : new Utf8();
        value.setByteLength(length);
        System.arraycopy(bytes, pos, value.getBytes(), 0, length);
        pos += length;
        return value;
    }

    @Override
    public void skipString() throws IOException {
        int length = readLength();   // not "pos += readLength()": that adds the length to the position before the length was read
        pos += length;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = readLength();
        ByteBuffer value = old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
        value.put(bytes, pos, length).flip();
        pos += length;
        return value;
    }

    @Override
    public void skipBytes() throws IOException {
        int length = readLength();
        pos += length;
    }

    @Override
    public void readFixed(byte[] target, int start, int length) throws IOException {
        need(length);
        System.arraycopy(bytes, pos, target, start, length);
        pos += length;
    }

    @Override
    public void skipFixed(int length) throws IOException {
        need(length);
        pos += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readBlockCount();
    }

    @Override
    public long arrayNext() throws IOException {
        return readBlockCount();
    }

    @Override
    public long skipArray() throws IOException {
        throw new UnsupportedOperationException("skipping is not needed for values read in their own schema");
    }

    @Override
    public long readMapStart() throws IOException {
        return readBlockCount();
    }

    @Override
    public long mapNext() throws IOException {
        return readBlockCount();
    }

    @Override
    public long skipMap() throws IOException {
        throw new UnsupportedOperationException("skipping is not needed for values read in their own schema");
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    /**
     * The item count of the next block of an array or map. A negative count is followed by the block's
     * size in bytes, which is read and not needed. (Nothing is allocated by the count: the items are read
     * one by one and fail at the end of the array.)
     */
    private long readBlockCount() throws IOException {
        long count = readLong();
        if (count < 0) {
            readLong();
            count = -count;
        }
        return count;
    }

    /** A string or bytes length, checked against what is left. */
    private int readLength() throws IOException {
        int length = readInt();
        if (length < 0) {
            throw new IOException("negative length " + length);
        }
        need(length);
        return length;
    }

    private void need(int count) throws EOFException {
        if (count > limit - pos) {
            throw new EOFException("value ends early: " + count + " more bytes needed, " + (limit - pos) + " left");
        }
    }
}
