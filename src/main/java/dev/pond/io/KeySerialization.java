package dev.pond.io;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.util.function.SerializableFunction;

import java.nio.charset.StandardCharsets;

/** The record key of an output topic: the userId as UTF-8, so one user's records stay in one partition. */
public class KeySerialization<T> implements SerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final SerializableFunction<T, String> key;

    public KeySerialization(SerializableFunction<T, String> key) {
        this.key = key;
    }

    @Override
    public byte[] serialize(T element) {
        String k = key.apply(element);
        return k == null ? null : k.getBytes(StandardCharsets.UTF_8);
    }
}
