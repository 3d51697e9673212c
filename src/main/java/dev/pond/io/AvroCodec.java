package dev.pond.io;

import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain Avro binary (no header, no schema id) of one generated record class in its
 * {@linkplain WireSchema wire schema}, where enums travel as their symbols' names: the encoding of
 * every Pond topic, readable by Flink SQL's {@code avro} format (see sql/). One instance is not
 * thread-safe: it reuses its encoder and decoder.
 *
 * <p>Plain binary carries no schema, so bytes written in an earlier encoding are recognised by
 * their shape and read with Avro's schema resolution, the missing fields taking their defaults:
 * <ul>
 *   <li>the enum encoding of the same schema (an enum as its index), which earlier Pond
 *       builds wrote and which compacted topics and older producers still hold;
 *   <li>earlier versions of the schema (one field fewer at the end), kept as resources
 *       ({@code dev/pond/schemas/history/NAME-N.avsc}), in their wire encoding (what a producer
 *       writes that follows the earlier {@code schemas/wire} file) and in the enum encoding.
 * </ul>
 * The current wire shape is tried first; an enum name it does not know makes it not fit.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Schema wire;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final List<Earlier<T>> earlier = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForClass(type);
        this.wire = WireSchema.of(schema);
        this.writer = new WireWriter<>(wire, model);
        this.reader = new WireReader<>(schema, wire, model);
        if (wire != schema) {
            earlier.add(new Earlier<>(schema, new SpecificDatumReader<>(schema, schema, model)));
        }
        for (int version = 1; ; version++) {
            Schema old = history(schema.getName(), version);
            if (old == null) {
                break;
            }
            int newest = wire != schema ? 1 : 0;
            earlier.add(newest, new Earlier<>(old, new SpecificDatumReader<>(old, schema, model)));
            Schema oldWire = WireSchema.of(old);
            if (oldWire != old) {
                // What a producer writes that follows the wire schema file of the earlier version.
                earlier.add(newest, new Earlier<>(oldWire, new WireReader<>(schema, oldWire, wire, model)));
            }
        }
    }

    /** The schema of the bytes this codec writes. */
    public Schema wireSchema() {
        return wire;
    }

    /** An earlier version of the schema, and a reader from it to the current one. */
    private record Earlier<T>(Schema writer, SpecificDatumReader<T> reader) {}

    private static Schema history(String name, int version) {
        try (InputStream in = AvroCodec.class.getResourceAsStream(
                "/dev/pond/schemas/history/" + name + "-" + version + ".avsc")) {
            return in == null ? null : new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's binary encoding. */
    public byte[] encode(T record) {
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes exactly one record from {@code bytes}.
     *
     * @throws IOException or a runtime exception of Avro's if the bytes are not one record of this
     *     schema (including trailing bytes after it, or lengths longer than the input)
     */
    public T decode(byte[] bytes) throws IOException {
        try {
            BinaryShape.check(wire, bytes);
        } catch (BinaryShape.Misfit notCurrent) {
            BinaryShape.Misfit closest = notCurrent;
            for (Earlier<T> e : earlier) { // newest first
                try {
                    BinaryShape.check(e.writer(), bytes);
                    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                    return e.reader().read(null, decoder);
                } catch (BinaryShape.Misfit m) {
                    if (m.closerThan(closest)) {
                        closest = m;
                    }
                }
            }
            // The reason of the encoding that explains the most bytes: for an enum index beyond the
            // symbols, the enum encoding's "unknown enum symbol", not the wire's "needs 12 bytes".
            throw closest;
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return reader.read(null, decoder);
    }

    /** Writes an enum as its symbol's name where the wire schema has a string in its place. */
    private static final class WireWriter<T> extends SpecificDatumWriter<T> {
        WireWriter(Schema wire, SpecificData model) {
            super(wire, model);
        }

        @Override
        protected void writeString(Schema schema, Object datum, Encoder out) throws IOException {
            if (datum instanceof Enum<?> symbol) {
                out.writeString(symbol.name());
            } else {
                super.writeString(schema, datum, out);
            }
        }
    }

    /** Reads a symbol's name back into the generated enum where the wire schema stands for one. */
    private static final class WireReader<T> extends SpecificDatumReader<T> {
        /** Per enum's full name, its constants by name. */
        private final Map<String, Map<String, Object>> enums = new HashMap<>();

        WireReader(Schema schema, Schema wire, SpecificData model) {
            this(schema, wire, wire, model);
        }

        /** Reads bytes written in {@code writer}, an earlier wire schema, into the current one. */
        WireReader(Schema schema, Schema writer, Schema wire, SpecificData model) {
            super(writer, wire, slowReading(model));
            collect(schema, model, new HashSet<>());
        }

        /**
         * A copy of the class's model whose readers call {@link #readString}: Avro's fast reader,
         * the default, builds its own string readers. The class's own model stays as it is, since
         * Flink's state serializer reads with it.
         */
        private static SpecificData slowReading(SpecificData model) {
            SpecificData own = new SpecificData(model.getClassLoader());
            model.getConversions().forEach(own::addLogicalTypeConversion);
            own.setFastReaderEnabled(false);
            return own;
        }

        private void collect(Schema s, SpecificData model, Set<String> seen) {
            switch (s.getType()) {
                case ENUM -> {
                    Map<String, Object> constants = new HashMap<>();
                    for (Object c : model.getClass(s).getEnumConstants()) {
                        constants.put(((Enum<?>) c).name(), c);
                    }
                    enums.put(s.getFullName(), constants);
                }
                case RECORD -> {
                    if (seen.add(s.getFullName())) {
                        s.getFields().forEach(f -> collect(f.schema(), model, seen));
                    }
                }
                case ARRAY -> collect(s.getElementType(), model, seen);
                case MAP -> collect(s.getValueType(), model, seen);
                case UNION -> s.getTypes().forEach(b -> collect(b, model, seen));
                default -> { }
            }
        }

        @Override
        protected Object readString(Object old, Schema expected, Decoder in) throws IOException {
            String name = expected.getProp(WireSchema.ENUM);
            if (name == null) {
                return super.readString(old, expected, in);
            }
            String symbol = in.readString();
            Object constant = enums.get(name).get(symbol);
            if (constant == null) { // BinaryShape has checked the name already; this is the generated class lagging
                throw new AvroTypeException(name + " has no symbol " + symbol);
            }
            return constant;
        }
    }
}
