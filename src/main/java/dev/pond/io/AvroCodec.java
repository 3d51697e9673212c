package dev.pond.io;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
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
import java.util.List;

/**
 * Plain Avro binary (no header, no schema id) for one generated record class: the encoding of
 * every Pond topic, readable by Flink SQL's {@code avro} format. One instance is not thread-safe:
 * it reuses its encoder and decoder.
 *
 * <p>Plain binary carries no schema, so a producer still writing an earlier version of an event
 * schema (one field fewer at the end) would not decode. The earlier versions are kept as
 * resources ({@code dev/pond/schemas/history/NAME-N.avsc}); bytes that are not one record of the
 * current schema but exactly one of an earlier version are read with Avro's schema resolution,
 * the missing fields taking their defaults.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final List<Earlier<T>> earlier = new ArrayList<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        this.schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForClass(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
        for (int version = 1; ; version++) {
            Schema old = history(schema.getName(), version);
            if (old == null) {
                break;
            }
            earlier.add(0, new Earlier<>(old, new SpecificDatumReader<>(old, schema, model)));
        }
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
            BinaryShape.check(schema, bytes);
        } catch (IOException notCurrent) {
            for (Earlier<T> e : earlier) { // newest first
                if (BinaryShape.fits(e.writer(), bytes)) {
                    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                    return e.reader().read(null, decoder);
                }
            }
            throw notCurrent;
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return reader.read(null, decoder);
    }
}
