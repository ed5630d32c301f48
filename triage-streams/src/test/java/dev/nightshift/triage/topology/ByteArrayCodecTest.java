package dev.nightshift.triage.topology;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state stores' byte-array encoder writes exactly what Avro's {@link BinaryEncoder} writes, and the
 * decoder reads back what Avro wrote, value by value, over random values and the edge cases of each
 * encoding (varint widths, string lengths around the one-byte length, non-ASCII text).
 */
class ByteArrayCodecTest {
    private static final List<String> STRINGS = List.of("", "a", "orders-7 ReadThrottleEvents", "x".repeat(63), "x".repeat(64),
            "y".repeat(300), "é", "caf\u00e9 au lait", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude80 at the end", "x".repeat(62) + "\u00e9",
            "\u0080", "ascii then \u07ff");

    @FunctionalInterface
    private interface Writes {
        void to(Encoder out) throws IOException;
    }

    /** Values of every kind, written in one sequence through whatever encoder is given. */
    private static Writes everything(long seed) {
        return out -> {
            Random random = new Random(seed);
            for (int n : new int[]{0, 1, -1, 63, 64, -64, -65, 8191, 8192, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
                out.writeInt(n);
            }
            for (long n : new long[]{0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 35, -(1L << 49), 1_763_000_000_000L}) {
                out.writeLong(n);
            }
            for (int i = 0; i < 500; i++) {
                out.writeInt(random.nextInt());
                out.writeLong(random.nextLong());
                out.writeLong(random.nextLong() >> random.nextInt(64));
                out.writeBoolean(random.nextBoolean());
                out.writeFloat(random.nextFloat() * 1e6f - 5e5f);
                out.writeDouble(random.nextGaussian() * 1e9);
                out.writeString(STRINGS.get(random.nextInt(STRINGS.size())));
                out.writeString((CharSequence) new Utf8(STRINGS.get(random.nextInt(STRINGS.size()))));
                out.writeIndex(random.nextInt(3));
                out.writeEnum(random.nextInt(20));
            }
            out.writeFloat(Float.NaN);
            out.writeDouble(Double.NEGATIVE_INFINITY);
            byte[] bytes = new byte[200];
            random.nextBytes(bytes);
            out.writeBytes(bytes, 10, 150);
            out.writeBytes(ByteBuffer.wrap(bytes, 5, 20));
            out.writeFixed(bytes, 0, 16);
            out.writeArrayStart();
            out.setItemCount(3);
            for (int i = 0; i < 3; i++) {
                out.startItem();
                out.writeLong(i * 1000L);
            }
            out.writeArrayEnd();
            out.writeArrayStart();
            out.setItemCount(0);
            out.writeArrayEnd();
            out.writeMapStart();
            out.setItemCount(2);
            out.startItem();
            out.writeString("k1");
            out.writeString("v1");
            out.startItem();
            out.writeString("k2");
            out.writeString("v\u00e9");
            out.writeMapEnd();
            out.flush();
        };
    }

    @Test
    void theEncoderWritesWhatAvrosBinaryEncoderWrites() throws IOException {
        for (long seed = 1; seed <= 20; seed++) {
            ByteArrayEncoder ours = new ByteArrayEncoder();
            everything(seed).to(ours);
            assertThat(ours.toByteArray()).as("seed %d", seed).isEqualTo(avro(everything(seed)));
        }
    }

    @Test
    void aReusedEncoderStartsEmptyAndGrowsPastItsFirstBuffer() throws IOException {
        ByteArrayEncoder.Pool pool = new ByteArrayEncoder.Pool();
        ByteArrayEncoder first = pool.take();
        Writes longer = out -> {
            for (int i = 0; i < 10; i++) {
                out.writeString("y".repeat(300));
            }
        };
        longer.to(first);
        assertThat(first.toByteArray()).isEqualTo(avro(longer));
        pool.give(first);
        ByteArrayEncoder second = pool.take();
        assertThat(second).isSameAs(first);
        second.writeString("only this");
        assertThat(second.toByteArray()).isEqualTo(avro(out -> out.writeString("only this")));

        pool.give(second);
        ByteArrayEncoder huge = pool.take();
        huge.writeFixed(new byte[100_000], 0, 100_000);
        pool.give(huge);
        assertThat(pool.take()).as("a buffer grown past 64 KiB is not kept").isNotSameAs(huge);
    }

    @Test
    void theDecoderReadsBackWhatAvroWrote() throws IOException {
        byte[] bytes = avro(everything(7));
        byte[] padded = new byte[bytes.length + 6];
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        ByteArrayDecoder ours = new ByteArrayDecoder(padded, 3, bytes.length);
        BinaryDecoder theirs = DecoderFactory.get().binaryDecoder(bytes, null);
        for (int i = 0; i < 11; i++) {
            assertThat(ours.readInt()).isEqualTo(theirs.readInt());
        }
        for (int i = 0; i < 8; i++) {
            assertThat(ours.readLong()).isEqualTo(theirs.readLong());
        }
        Utf8 scratch = new Utf8();
        for (int i = 0; i < 500; i++) {
            assertThat(ours.readInt()).isEqualTo(theirs.readInt());
            assertThat(ours.readLong()).isEqualTo(theirs.readLong());
            assertThat(ours.readLong()).isEqualTo(theirs.readLong());
            assertThat(ours.readBoolean()).isEqualTo(theirs.readBoolean());
            assertThat(ours.readFloat()).isEqualTo(theirs.readFloat());
            assertThat(ours.readDouble()).isEqualTo(theirs.readDouble());
            assertThat(ours.readString()).isEqualTo(theirs.readString());
            assertThat(ours.readString(scratch).toString()).isEqualTo(theirs.readString(null).toString());
            assertThat(ours.readIndex()).isEqualTo(theirs.readIndex());
            assertThat(ours.readEnum()).isEqualTo(theirs.readEnum());
        }
        assertThat(ours.readFloat()).isNaN();
        assertThat(theirs.readFloat()).isNaN();
        assertThat(ours.readDouble()).isEqualTo(theirs.readDouble()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(ours.readBytes(null)).isEqualTo(theirs.readBytes(null));
        assertThat(ours.readBytes(ByteBuffer.allocate(64))).isEqualTo(theirs.readBytes(null));
        byte[] fixed = new byte[16];
        byte[] theirFixed = new byte[16];
        ours.readFixed(fixed);
        theirs.readFixed(theirFixed);
        assertThat(fixed).isEqualTo(theirFixed);
        assertThat(readLongArray(ours)).containsExactly(0L, 1000L, 2000L);
        assertThat(readLongArray(ours)).isEmpty();
        List<String> map = new ArrayList<>();
        for (long n = ours.readMapStart(); n != 0; n = ours.mapNext()) {
            for (long i = 0; i < n; i++) {
                map.add(ours.readString() + "=" + ours.readString());
            }
        }
        assertThat(map).containsExactly("k1=v1", "k2=v\u00e9");
        assertThat(ours.isEnd()).isTrue();
    }

    @Test
    void skippingAStringOrBytesLandsOnTheNextValue() throws IOException {
        byte[] bytes = avro(out -> {
            out.writeString("skipped");
            out.writeLong(42);
            out.writeBytes(new byte[200]);   // a length of two bytes
            out.writeString("read");
        });
        ByteArrayDecoder in = new ByteArrayDecoder(bytes, 0, bytes.length);
        in.skipString();
        assertThat(in.readLong()).isEqualTo(42);
        in.skipBytes();
        assertThat(in.readString()).isEqualTo("read");
        assertThat(in.isEnd()).isTrue();
    }

    @Test
    void theDecoderReadsBlocksWithANegativeCountAndTheirSize() throws IOException {
        // A writer may give a block's item count negated, followed by the block's size in bytes.
        byte[] bytes = avro(out -> {
            out.writeLong(-2);
            out.writeLong(2);
            out.writeLong(5);
            out.writeLong(6);
            out.writeLong(0);
        });
        assertThat(readLongArray(new ByteArrayDecoder(bytes, 0, bytes.length))).containsExactly(5L, 6L);
    }

    @Test
    void aTruncatedOrCorruptValueIsRefusedWithoutReadingPastTheArray() throws IOException {
        byte[] text = avro(out -> out.writeString("a string of some length"));
        byte[] cut = Arrays.copyOf(text, text.length - 3);
        assertThatThrownBy(() -> new ByteArrayDecoder(cut, 0, cut.length).readString()).isInstanceOf(EOFException.class)
                .hasMessageContaining("3 more bytes");
        byte[] longLength = avro(out -> out.writeInt(Integer.MAX_VALUE / 2));
        assertThatThrownBy(() -> new ByteArrayDecoder(longLength, 0, longLength.length).readString()).isInstanceOf(EOFException.class);
        byte[] negativeLength = avro(out -> out.writeInt(-5));
        assertThatThrownBy(() -> new ByteArrayDecoder(negativeLength, 0, negativeLength.length).readBytes(null))
                .isInstanceOf(IOException.class).hasMessageContaining("negative length");
        byte[] endless = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, (byte) 0x80, 1};
        assertThatThrownBy(() -> new ByteArrayDecoder(endless, 0, endless.length).readLong()).isInstanceOf(IOException.class)
                .hasMessageContaining("varint");
        assertThatThrownBy(() -> new ByteArrayDecoder(endless, 0, endless.length).readInt()).isInstanceOf(IOException.class);
        byte[] notBoolean = {2};
        assertThatThrownBy(() -> new ByteArrayDecoder(notBoolean, 0, 1).readBoolean()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> new ByteArrayDecoder(new byte[4], 0, 3).readDouble()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> new ByteArrayDecoder(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static List<Long> readLongArray(ByteArrayDecoder in) throws IOException {
        List<Long> values = new ArrayList<>();
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                values.add(in.readLong());
            }
        }
        return values;
    }

    private static byte[] avro(Writes writes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        writes.to(encoder);
        encoder.flush();
        return bytes.toByteArray();
    }
}
