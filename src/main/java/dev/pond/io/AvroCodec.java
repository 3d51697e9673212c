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
import java.io.UncheckedIOException;

/**
 * Plain Avro binary (no header, no schema id) for one generated record class: the encoding of
 * every Pond topic, readable by Flink SQL's {@code avro} format. One instance is not thread-safe:
 * it reuses its encoder and decoder.
 */
public final class AvroCodec<T extends SpecificRecord> {

    private final Schema schema;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    public AvroCodec(Class<T> type) {
        this.schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForClass(type);
        this.writer = new SpecificDatumWriter<>(schema, model);
        this.reader = new SpecificDatumReader<>(schema, schema, model);
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
        BinaryShape.check(schema, bytes);
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return reader.read(null, decoder);
    }
}
