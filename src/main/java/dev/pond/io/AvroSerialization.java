package dev.pond.io;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes records as plain Avro binary (see {@link AvroCodec}), the value format of every output topic. */
public class AvroSerialization<T extends SpecificRecord> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient AvroCodec<T> codec;

    public AvroSerialization(Class<T> type) {
        this.type = type;
    }

    @Override
    public void open(InitializationContext context) {
        codec = new AvroCodec<>(type);
    }

    @Override
    public byte[] serialize(T element) {
        if (codec == null) {
            codec = new AvroCodec<>(type);
        }
        return codec.encode(element);
    }
}
