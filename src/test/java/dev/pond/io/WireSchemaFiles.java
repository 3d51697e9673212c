package dev.pond.io;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files of {@code schemas/wire/} as a consumer outside the JVM project reads them: each file
 * alone, with Avro's own parser, and records decoded generically (no generated class).
 */
public final class WireSchemaFiles {

    /** Where the build writes them, from the project's directory (the tests' working directory). */
    public static final Path DIR = Path.of("schemas", "wire");

    private WireSchemaFiles() {}

    /** The wire schema of the default topic {@code topic} ({@code pond.triggers}), parsed alone. */
    public static Schema parse(String topic) throws IOException {
        return new Schema.Parser().parse(DIR.resolve(topic + ".avsc").toFile());
    }

    /** Decodes {@code bytes} with {@code schema} alone, and checks that the record took every byte. */
    public static GenericRecord decodeExactly(Schema schema, byte[] bytes) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, null);
        GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, in);
        assertThat(in.isEnd()).as("bytes left after a %s", schema.getName()).isTrue();
        return record;
    }

    /** The record written with {@code schema} alone (a map's entries in the order it holds them). */
    public static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
