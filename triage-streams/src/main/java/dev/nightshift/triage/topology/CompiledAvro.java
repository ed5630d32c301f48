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
import org.apache.avro.specific.SpecificRecordBase;

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
 * Avro binary for the generated record classes of the triage state stores and output topics, written and
 * read from a tree of nodes built once from the schema instead of Avro's generic writer, which looks up
 * every union branch and enum symbol by name and boxes every timestamp, for every field of every record
 * (and its reader, which reads each string through a new intermediate buffer). One small interpreter
 * walks the tree, switching on each node's kind: a tree of per-field lambdas had cost an interface
 * dispatch per field (a tenth of the stream thread's time in the dispatch stubs alone). The bytes are
 * the same as {@link org.apache.avro.specific.SpecificDatumWriter}'s and read the same as
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

    /** Reads one value of one schema. */
    @FunctionalInterface
    interface ValueReader {
        Object read(Decoder in) throws IOException;
    }

    private static final int RECORD = 0;
    private static final int STRING = 1;
    private static final int LONG = 2;
    private static final int TIMESTAMP = 3;
    private static final int INT = 4;
    private static final int BOOLEAN = 5;
    private static final int DOUBLE = 6;
    private static final int FLOAT = 7;
    private static final int BYTES = 8;
    private static final int ENUM = 9;
    private static final int OPTIONAL = 10;
    private static final int MAP = 11;
    private static final int ARRAY = 12;

    /** One schema, compiled: its kind and what writing and reading that kind needs. */
    private static final class Node {
        final int kind;
        final Schema schema;
        /** Record: the fields' positions, whether each may be null, their nodes; optional, map and array: the inner node. */
        int[] positions;
        boolean[] nullable;
        Node[] fields;
        Node inner;
        /** Optional: the index of the null branch. */
        int nullIndex;
        /** Enum: the schema's index of each constant by ordinal, and the constant of each schema index. */
        int[] indexByOrdinal;
        Object[] bySymbol;
        /** Record: new instances to read into (a reader's), or the copier of unchanged encoded records (a writer's). */
        Supplier<?> instances;
        RecordSplicer splicer;

        Node(int kind, Schema schema) {
            this.kind = kind;
            this.schema = schema;
        }
    }

    /** A writer for records of {@code schema}, or empty when the schema has something it does not compile. */
    static Optional<ValueWriter> writerFor(Schema schema) {
        try {
            Node root = compile(schema, false);
            return Optional.of((value, out) -> write(root, value, out));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * A reader for records of {@code schema} written in that same schema (no resolution between two
     * versions: the state stores are written and read by the same code), or empty when the schema has
     * something it does not compile. Strings come straight out of the decoder's buffer.
     */
    static Optional<ValueReader> readerFor(Schema schema) {
        try {
            Node root = compile(schema, true);
            return Optional.of(in -> read(root, in));
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
            Node root = compile(schema, true);
            if (root.kind != RECORD) {
                throw new UnsupportedOperationException("not a record: " + schema.getType().getName());
            }
            root.instances = instances;
            return Optional.of(in -> read(root, in));
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Node compile(Schema schema, boolean forReading) {
        LogicalType logical = supportedLogicalType(schema);
        return switch (schema.getType()) {
            case RECORD -> record(schema, forReading);
            case STRING -> new Node(STRING, schema);
            case LONG -> new Node(logical != null ? TIMESTAMP : LONG, schema);
            case INT -> new Node(INT, schema);
            case BOOLEAN -> new Node(BOOLEAN, schema);
            case DOUBLE -> new Node(DOUBLE, schema);
            case FLOAT -> new Node(FLOAT, schema);
            case BYTES -> new Node(BYTES, schema);
            case ENUM -> enumeration(schema);
            case UNION -> {
                Node node = new Node(OPTIONAL, schema);
                node.nullIndex = nullBranch(schema);
                node.inner = compile(schema.getTypes().get(1 - node.nullIndex), forReading);
                yield node;
            }
            case MAP -> {
                Node node = new Node(MAP, schema);
                node.inner = compile(schema.getValueType(), forReading);
                yield node;
            }
            case ARRAY -> {
                Node node = new Node(ARRAY, schema);
                node.inner = compile(schema.getElementType(), forReading);
                yield node;
            }
            default -> throw new UnsupportedOperationException(schema.getType().getName());
        };
    }

    private static Node record(Schema schema, boolean forReading) {
        List<Schema.Field> fields = schema.getFields();
        Node node = new Node(RECORD, schema);
        node.positions = new int[fields.size()];
        node.nullable = new boolean[fields.size()];
        node.fields = new Node[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            node.positions[i] = fields.get(i).pos();
            node.nullable[i] = fields.get(i).schema().isNullable();
            node.fields[i] = compile(fields.get(i).schema(), forReading);
        }
        if (!forReading) {
            node.splicer = new RecordSplicer();
        } else {
            Class<?> type = SpecificData.get().getClass(schema);
            if (type == null) {
                throw new UnsupportedOperationException("record without a generated class: " + schema.getFullName());
            }
            node.instances = constructorOf(type);
        }
        return node;
    }

    /** Generated enums list their constants in symbol order; the index is checked against the schema once. */
    private static Node enumeration(Schema schema) {
        Class<?> type = SpecificData.get().getClass(schema);
        if (type == null || !type.isEnum()) {
            throw new UnsupportedOperationException("enum without a generated class: " + schema.getFullName());
        }
        Object[] constants = type.getEnumConstants();
        Node node = new Node(ENUM, schema);
        node.indexByOrdinal = new int[constants.length];
        node.bySymbol = new Object[schema.getEnumSymbols().size()];
        for (Object constant : constants) {
            int index = schema.getEnumOrdinal(((Enum<?>) constant).name());
            node.indexByOrdinal[((Enum<?>) constant).ordinal()] = index;
            node.bySymbol[index] = constant;
        }
        return node;
    }

    private static void write(Node node, Object value, Encoder out) throws IOException {
        switch (node.kind) {
            case RECORD -> writeRecord(node, value, out);
            case STRING -> out.writeString((CharSequence) value);
            case LONG -> out.writeLong((Long) value);
            case TIMESTAMP -> out.writeLong(((Instant) value).toEpochMilli());
            case INT -> out.writeInt((Integer) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case FLOAT -> out.writeFloat((Float) value);
            case BYTES -> out.writeBytes(((ByteBuffer) value).duplicate());
            case ENUM -> out.writeEnum(node.indexByOrdinal[((Enum<?>) value).ordinal()]);
            case OPTIONAL -> {
                if (value == null) {
                    out.writeIndex(node.nullIndex);
                    out.writeNull();
                } else {
                    out.writeIndex(1 - node.nullIndex);
                    write(node.inner, value, out);
                }
            }
            case MAP -> {
                Map<?, ?> map = (Map<?, ?>) value;
                out.writeMapStart();
                out.setItemCount(map.size());
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.startItem();
                    out.writeString((CharSequence) entry.getKey());
                    write(node.inner, entry.getValue(), out);
                }
                out.writeMapEnd();
            }
            case ARRAY -> {
                Collection<?> list = (Collection<?>) value;
                out.writeArrayStart();
                out.setItemCount(list.size());
                for (Object item : list) {
                    out.startItem();
                    write(node.inner, item, out);
                }
                out.writeArrayEnd();
            }
            default -> throw new IllegalStateException("kind " + node.kind);
        }
    }

    /**
     * A record's fields in schema order, or the bytes of an unchanged {@link EncodedRecord}. Fields are read
     * through the generated classes' common base class where they have it: a virtual call, cheaper than the
     * interface's when one call site sees many record classes.
     */
    private static void writeRecord(Node node, Object value, Encoder out) throws IOException {
        if (node.splicer.trySplice(node.schema, value, out)) {
            return;
        }
        SpecificRecordBase specific = value instanceof SpecificRecordBase s ? s : null;
        IndexedRecord record = (IndexedRecord) value;
        Node[] fields = node.fields;
        for (int i = 0; i < fields.length; i++) {
            int position = node.positions[i];
            Object field = specific != null ? specific.get(position) : record.get(position);
            if (field == null && !node.nullable[i]) {
                throw new NullPointerException("null value for the non-null field " + node.schema.getName() + "."
                        + node.schema.getFields().get(i).name());
            }
            write(fields[i], field, out);
        }
    }

    private static Object read(Node node, Decoder in) throws IOException {
        switch (node.kind) {
            case RECORD:
                return readRecord(node, in);
            case STRING:
                return in.readString();
            case LONG:
                return in.readLong();
            case TIMESTAMP:
                return Instant.ofEpochMilli(in.readLong());
            case INT:
                return in.readInt();
            case BOOLEAN:
                return in.readBoolean();
            case DOUBLE:
                return in.readDouble();
            case FLOAT:
                return in.readFloat();
            case BYTES:
                return in.readBytes(null);
            case ENUM: {
                int index = in.readEnum();
                if (index < 0 || index >= node.bySymbol.length) {
                    throw new IOException("invalid symbol " + index + " of enum " + node.schema.getName());
                }
                return node.bySymbol[index];
            }
            case OPTIONAL: {
                int index = in.readIndex();
                if (index == node.nullIndex) {
                    in.readNull();
                    return null;
                }
                if (index != 1 - node.nullIndex) {
                    throw new IOException("invalid union branch " + index + " of a " + node.schema.getTypes().size() + "-branch union");
                }
                return read(node.inner, in);
            }
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                    for (long i = 0; i < n; i++) {
                        map.put(in.readString(), read(node.inner, in));
                    }
                }
                return map;
            }
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                    for (long i = 0; i < n; i++) {
                        list.add(read(node.inner, in));
                    }
                }
                return list;
            }
            default:
                throw new IllegalStateException("kind " + node.kind);
        }
    }

    private static Object readRecord(Node node, Decoder in) throws IOException {
        Object instance = node.instances.get();
        SpecificRecordBase specific = instance instanceof SpecificRecordBase s ? s : null;
        IndexedRecord record = (IndexedRecord) instance;
        Node[] fields = node.fields;
        for (int i = 0; i < fields.length; i++) {
            Object value = read(fields[i], in);
            if (specific != null) {
                specific.put(node.positions[i], value);
            } else {
                record.put(node.positions[i], value);
            }
        }
        return instance;
    }

    /**
     * The generated class's no-argument constructor as a plain function, made the way the compiler makes
     * {@code Type::new}: Avro's own supplier calls it through reflection, which costs more than reading
     * the whole record. One per class for the life of the JVM: a new one for every topology built (the
     * tests and the benchmark build many) would be a new class to load and compile each time.
     */
    private static final ClassValue<Supplier<?>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Supplier<?> computeValue(Class<?> type) {
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
    };

    private static Supplier<?> constructorOf(Class<?> type) {
        return CONSTRUCTORS.get(type);
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
}
