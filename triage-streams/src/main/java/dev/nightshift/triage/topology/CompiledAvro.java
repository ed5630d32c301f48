package dev.nightshift.triage.topology;

import dev.nightshift.serde.EncodedRecord;
import dev.nightshift.serde.RecordSplicer;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.Encoder;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Avro binary for the generated record classes of the triage state stores, written and read by a
 * tree of small writers (readers) built once from the schema instead of Avro's generic writer, which
 * looks up every union branch and enum symbol by name and boxes every timestamp, for every field of
 * every record (and its reader, which reads each string through a new intermediate buffer). The bytes
 * are the same as {@link org.apache.avro.specific.SpecificDatumWriter}'s and read the same as
 * {@link org.apache.avro.specific.SpecificDatumReader} reads them (the tests compare both); a schema
 * with a construct it does not know (a union other than null-or-one-type, a fixed, a logical type other
 * than timestamp-millis) gets none and the caller keeps Avro's. Like the registry serde's writer, a record
 * writer copies an unchanged {@link EncodedRecord} from the bytes it was read from.
 */
final class CompiledAvro {
    private CompiledAvro() {
    }

    /** Writes one value of one schema. */
    @FunctionalInterface
    interface ValueWriter {
        void write(Object value, Encoder out) throws IOException;
    }

    /** A writer for records of {@code schema}, or empty when the schema has something it does not compile. */
    static Optional<ValueWriter> writerFor(Schema schema) {
        try {
            return Optional.of(compile(schema));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static ValueWriter compile(Schema schema) {
        LogicalType logical = supportedLogicalType(schema);
        return switch (schema.getType()) {
            case RECORD -> record(schema);
            case STRING -> (value, out) -> out.writeString((CharSequence) value);
            case LONG -> logical != null
                    ? (value, out) -> out.writeLong(((Instant) value).toEpochMilli())
                    : (value, out) -> out.writeLong((Long) value);
            case INT -> (value, out) -> out.writeInt((Integer) value);
            case BOOLEAN -> (value, out) -> out.writeBoolean((Boolean) value);
            case DOUBLE -> (value, out) -> out.writeDouble((Double) value);
            case FLOAT -> (value, out) -> out.writeFloat((Float) value);
            case BYTES -> (value, out) -> out.writeBytes(((ByteBuffer) value).duplicate());
            case ENUM -> enumeration(schema);
            case UNION -> optional(schema);
            case MAP -> map(schema);
            case ARRAY -> array(schema);
            default -> throw new UnsupportedOperationException(schema.getType().getName());
        };
    }

    private static ValueWriter record(Schema schema) {
        List<Schema.Field> fields = schema.getFields();
        int[] positions = new int[fields.size()];
        boolean[] nullable = new boolean[fields.size()];
        ValueWriter[] writers = new ValueWriter[fields.size()];
        for (int i = 0; i < writers.length; i++) {
            positions[i] = fields.get(i).pos();
            nullable[i] = fields.get(i).schema().isNullable();
            writers[i] = compile(fields.get(i).schema());
        }
        ValueWriter fieldByField = (value, out) -> {
            IndexedRecord record = (IndexedRecord) value;
            for (int i = 0; i < writers.length; i++) {
                Object field = record.get(positions[i]);
                if (field == null && !nullable[i]) {
                    throw new NullPointerException("null value for the non-null field " + schema.getName() + "." + fields.get(i).name());
                }
                writers[i].write(field, out);
            }
        };
        return new SplicingRecordWriter(schema, fieldByField);
    }

    /** A record writer that copies an unchanged {@link EncodedRecord} from its bytes ({@link RecordSplicer}), else writes field by field. */
    private static final class SplicingRecordWriter implements ValueWriter {
        private final Schema schema;
        private final ValueWriter fieldByField;
        private final RecordSplicer splicer = new RecordSplicer();

        SplicingRecordWriter(Schema schema, ValueWriter fieldByField) {
            this.schema = schema;
            this.fieldByField = fieldByField;
        }

        @Override
        public void write(Object value, Encoder out) throws IOException {
            if (!splicer.trySplice(schema, value, out)) {
                fieldByField.write(value, out);
            }
        }
    }

    /** Generated enums list their constants in symbol order; the index is checked against the schema once. */
    private static ValueWriter enumeration(Schema schema) {
        Class<?> type = enumClass(schema);
        Object[] constants = type.getEnumConstants();
        int[] indexByOrdinal = new int[constants.length];
        for (Object constant : constants) {
            Enum<?> e = (Enum<?>) constant;
            indexByOrdinal[e.ordinal()] = schema.getEnumOrdinal(e.name());
        }
        return (value, out) -> out.writeEnum(indexByOrdinal[((Enum<?>) value).ordinal()]);
    }

    /** A union of null and one other type: the index of the branch, then the value. */
    private static ValueWriter optional(Schema schema) {
        List<Schema> branches = schema.getTypes();
        int nullIndex = nullBranch(schema);
        int valueIndex = 1 - nullIndex;
        ValueWriter writer = compile(branches.get(valueIndex));
        return (value, out) -> {
            if (value == null) {
                out.writeIndex(nullIndex);
                out.writeNull();
            } else {
                out.writeIndex(valueIndex);
                writer.write(value, out);
            }
        };
    }

    private static ValueWriter map(Schema schema) {
        ValueWriter values = compile(schema.getValueType());
        return (value, out) -> {
            Map<?, ?> map = (Map<?, ?>) value;
            out.writeMapStart();
            out.setItemCount(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.startItem();
                out.writeString((CharSequence) entry.getKey());
                values.write(entry.getValue(), out);
            }
            out.writeMapEnd();
        };
    }

    private static ValueWriter array(Schema schema) {
        ValueWriter items = compile(schema.getElementType());
        return (value, out) -> {
            Collection<?> list = (Collection<?>) value;
            out.writeArrayStart();
            out.setItemCount(list.size());
            for (Object item : list) {
                out.startItem();
                items.write(item, out);
            }
            out.writeArrayEnd();
        };
    }

    /** Reads one value of one schema. */
    @FunctionalInterface
    interface ValueReader {
        Object read(Decoder in) throws IOException;
    }

    /**
     * A reader for records of {@code schema} written in that same schema (no resolution between two
     * versions: the state stores are written and read by the same code), or empty when the schema has
     * something it does not compile. Strings come straight out of the decoder's buffer.
     */
    static Optional<ValueReader> readerFor(Schema schema) {
        try {
            return Optional.of(compileReader(schema));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * As {@link #readerFor(Schema)} for a record schema, with the top-level record made by {@code instances}
     * (a subclass of the generated class, such as {@link EncodedAlert}); nested records as usual.
     */
    static Optional<ValueReader> readerFor(Schema schema, Supplier<? extends IndexedRecord> instances) {
        try {
            return Optional.of(recordReader(schema, instances));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static ValueReader compileReader(Schema schema) {
        LogicalType logical = supportedLogicalType(schema);
        return switch (schema.getType()) {
            case RECORD -> recordReader(schema);
            case STRING -> Decoder::readString;
            case LONG -> logical != null ? in -> Instant.ofEpochMilli(in.readLong()) : Decoder::readLong;
            case INT -> Decoder::readInt;
            case BOOLEAN -> Decoder::readBoolean;
            case DOUBLE -> Decoder::readDouble;
            case FLOAT -> Decoder::readFloat;
            case BYTES -> in -> in.readBytes(null);
            case ENUM -> enumReader(schema);
            case UNION -> optionalReader(schema);
            case MAP -> mapReader(schema);
            case ARRAY -> arrayReader(schema);
            default -> throw new UnsupportedOperationException(schema.getType().getName());
        };
    }

    private static ValueReader recordReader(Schema schema) {
        Class<?> type = SpecificData.get().getClass(schema);
        if (type == null) {
            throw new UnsupportedOperationException("record without a generated class: " + schema.getFullName());
        }
        return recordReader(schema, constructorOf(type));
    }

    private static ValueReader recordReader(Schema schema, Supplier<?> instances) {
        List<Schema.Field> fields = schema.getFields();
        int[] positions = new int[fields.size()];
        ValueReader[] readers = new ValueReader[fields.size()];
        for (int i = 0; i < readers.length; i++) {
            positions[i] = fields.get(i).pos();
            readers[i] = compileReader(fields.get(i).schema());
        }
        return in -> {
            IndexedRecord record = (IndexedRecord) instances.get();
            for (int i = 0; i < readers.length; i++) {
                record.put(positions[i], readers[i].read(in));
            }
            return record;
        };
    }

    /**
     * The generated class's no-argument constructor as a plain function, made the way the compiler makes
     * {@code Type::new}: Avro's own supplier calls it through reflection, which costs more than reading
     * the whole record.
     */
    private static Supplier<?> constructorOf(Class<?> type) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class));
            CallSite site = LambdaMetafactory.metafactory(lookup, "get", MethodType.methodType(Supplier.class),
                    MethodType.methodType(Object.class), constructor, MethodType.methodType(type));
            return (Supplier<?>) site.getTarget().invoke();
        } catch (Throwable e) {
            throw new UnsupportedOperationException("no public no-argument constructor in " + type.getName());
        }
    }

    private static ValueReader enumReader(Schema schema) {
        Class<?> type = enumClass(schema);
        Object[] bySymbol = new Object[schema.getEnumSymbols().size()];
        for (Object constant : type.getEnumConstants()) {
            bySymbol[schema.getEnumOrdinal(((Enum<?>) constant).name())] = constant;
        }
        return in -> {
            int ordinal = in.readEnum();
            if (ordinal < 0 || ordinal >= bySymbol.length) {
                throw new IOException("invalid symbol " + ordinal + " of enum " + schema.getName());
            }
            return bySymbol[ordinal];
        };
    }

    private static ValueReader optionalReader(Schema schema) {
        List<Schema> branches = schema.getTypes();
        int nullIndex = nullBranch(schema);
        ValueReader reader = compileReader(branches.get(1 - nullIndex));
        return in -> {
            int index = in.readIndex();
            if (index == nullIndex) {
                in.readNull();
                return null;
            }
            if (index != 1 - nullIndex) {
                throw new IOException("invalid union branch " + index + " of a " + branches.size() + "-branch union");
            }
            return reader.read(in);
        };
    }

    private static ValueReader mapReader(Schema schema) {
        ValueReader values = compileReader(schema.getValueType());
        return in -> {
            Map<String, Object> map = new HashMap<>();
            for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                for (long i = 0; i < n; i++) {
                    map.put(in.readString(), values.read(in));
                }
            }
            return map;
        };
    }

    private static ValueReader arrayReader(Schema schema) {
        ValueReader items = compileReader(schema.getElementType());
        return in -> {
            List<Object> list = new ArrayList<>();
            for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    list.add(items.read(in));
                }
            }
            return list;
        };
    }

    /** timestamp-millis on a long, or none: the only logical type the pipeline's schemas use. */
    private static LogicalType supportedLogicalType(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        if (logical != null && !(logical instanceof LogicalTypes.TimestampMillis && schema.getType() == Schema.Type.LONG)) {
            throw new UnsupportedOperationException(logical.getName());
        }
        return logical;
    }

    /** The index of the null branch of a union of null and one other type. */
    private static int nullBranch(Schema union) {
        List<Schema> branches = union.getTypes();
        if (branches.size() != 2 || branches.stream().filter(b -> b.getType() == Schema.Type.NULL).count() != 1) {
            throw new UnsupportedOperationException("union " + union);
        }
        return branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
    }

    private static Class<?> enumClass(Schema schema) {
        Class<?> type = SpecificData.get().getClass(schema);
        if (type == null || !type.isEnum()) {
            throw new UnsupportedOperationException("enum without a generated class: " + schema.getFullName());
        }
        return type;
    }
}
