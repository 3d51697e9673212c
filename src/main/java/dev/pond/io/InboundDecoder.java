package dev.pond.io;

import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Turns raw input (Avro bytes from Kafka, or a JSON line in replay) into an {@link Inbound}: the
 * event if it decodes and validates, else a dead letter that keeps the raw bytes, where they came
 * from and why. Never throws on bad input. Not thread-safe (it reuses a decoder).
 */
public final class InboundDecoder {

    private final EventKind kind;
    private final AvroCodec<? extends SpecificRecord> codec;
    private final int maxRaw;

    /** A decoder whose dead letters keep {@link DeadLetters#DEFAULT_MAX_RAW_BYTES} of a value. */
    public InboundDecoder(EventKind kind) {
        this(kind, DeadLetters.DEFAULT_MAX_RAW_BYTES);
    }

    /** A decoder whose dead letters keep the first {@code maxRaw} bytes of a value. */
    public InboundDecoder(EventKind kind, int maxRaw) {
        this.kind = kind;
        this.codec = new AvroCodec<>(kind.type());
        this.maxRaw = maxRaw;
    }

    /** Decodes a Kafka record's value, validated at wall-clock time {@code now}. */
    public Inbound fromAvro(byte[] value, byte[] key, String topic, int partition, long offset, long timestamp,
                            long now) {
        if (value == null) {
            return dead(null, key, topic, partition, offset, timestamp, "undecodable: the record has no value");
        }
        SpecificRecord record;
        try {
            record = codec.decode(value);
        } catch (Exception e) {
            return dead(value, key, topic, partition, offset, timestamp, "undecodable: " + e.getMessage());
        }
        return validated(record, value, key, topic, partition, offset, timestamp, now);
    }

    /** Decodes one line of a replay file, as bytes: a line that is not UTF-8 is a dead letter too. */
    public Inbound fromJsonLine(byte[] raw, String file, long lineNumber, long now) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return dead(raw, null, file, 0, lineNumber, -1, "undecodable: the line is not UTF-8");
        }
        return fromJson(line, raw, file, lineNumber, now);
    }

    /** Decodes one JSON line of a replay file; {@code lineNumber} counts from 1. */
    public Inbound fromJson(String line, String file, long lineNumber, long now) {
        return fromJson(line, line.getBytes(StandardCharsets.UTF_8), file, lineNumber, now);
    }

    private Inbound fromJson(String line, byte[] raw, String file, long lineNumber, long now) {
        SpecificRecord record;
        try {
            record = JsonCodec.read(line, kind.type());
        } catch (Exception e) {
            return dead(raw, null, file, 0, lineNumber, -1, "undecodable: " + e.getMessage());
        }
        return validated(record, raw, null, file, 0, lineNumber, -1, now);
    }

    private Inbound validated(SpecificRecord record, byte[] raw, byte[] key, String topic, int partition,
                              long offset, long timestamp, long now) {
        String why = kind.validate(record, now);
        return why == null
                ? kind.wrap(record)
                : dead(raw, key, topic, partition, offset, timestamp, "invalid: " + why);
    }

    private Inbound dead(byte[] raw, byte[] key, String topic, int partition, long offset, long timestamp,
                         String error) {
        return Inbound.of(DeadLetters.of(topic, partition, offset, timestamp, key, raw, error, maxRaw));
    }
}
