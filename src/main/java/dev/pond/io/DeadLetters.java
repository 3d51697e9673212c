package dev.pond.io;

import dev.pond.out.DeadLetter;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Builds dead letters that always fit the dead-letter topic, whatever arrived. A record's value is
 * kept whole up to a bound and cut beyond it (its full size and SHA-256 are kept beside), its key
 * is kept up to {@link #MAX_KEY_BYTES}, and its reason is {@linkplain Reasons#printable printable}
 * and bounded. So a dead letter is at most {@link #maxRecordBytes(int)} on the wire, and the sink
 * and the topic are sized to that: without the bound, a record just under the broker's limit
 * makes a dead letter just over it, the sink fails, the job restarts, reads the same record, and
 * fails again for ever.
 */
public final class DeadLetters {

    /** How much of a refused value is kept by default: every record of a plausible event's size, whole. */
    public static final int DEFAULT_MAX_RAW_BYTES = 256 * 1024;
    /** The smallest bound that may be set: enough to see what a record is. */
    public static final int MIN_MAX_RAW_BYTES = 1024;
    /** The largest bound that may be set (what Kafka's producer can hold in one request with room to spare). */
    public static final int MAX_MAX_RAW_BYTES = 64 * 1024 * 1024;
    /** How much of a refused record's key is kept (Pond's keys are user ids, at most 512 bytes). */
    public static final int MAX_KEY_BYTES = 4096;
    /**
     * Room for everything in a dead letter but its raw bytes and key: the source topic (at most
     * 249 characters), the reason (at most 1,024 characters, 4 bytes each at worst), the digest and
     * numbers, and Kafka's record and batch headers.
     */
    private static final int OVERHEAD_BYTES = 16 * 1024;
    /** Kafka's producer default for {@code max.request.size}, and about the broker's default {@code message.max.bytes}. */
    public static final int KAFKA_DEFAULT_MAX_REQUEST = 1024 * 1024;

    private DeadLetters() {}

    /**
     * A dead letter of a record.
     *
     * @param timestamp the record's timestamp, or a negative number for none
     * @param key the key as read, or null
     * @param raw the value as read, or null for a record without one
     * @param maxRaw how many bytes of the value to keep
     */
    public static DeadLetter of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] raw,
                                String reason, int maxRaw) {
        byte[] value = raw == null ? new byte[0] : raw;
        String cuts = "";
        if (value.length > maxRaw) {
            cuts += "; value cut to its first " + maxRaw + " of " + value.length + " bytes";
        }
        if (key != null && key.length > MAX_KEY_BYTES) {
            cuts += "; key cut to its first " + MAX_KEY_BYTES + " of " + key.length + " bytes";
        }
        // The notes of what was cut are kept whole however long the reason is.
        String why = Reasons.printable(reason, Reasons.MAX_REASON - cuts.length()) + cuts;
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setTimestamp(timestamp < 0 ? null : Instant.ofEpochMilli(timestamp))
                .setKey(key == null ? null : ByteBuffer.wrap(prefix(key, MAX_KEY_BYTES)))
                .setRaw(ByteBuffer.wrap(prefix(value, maxRaw)))
                .setError(why)
                .setRawSize((long) value.length)
                .setRawSha256(sha256(value))
                .build();
    }

    /** The largest a dead letter can be on the wire (key, value, headers) when values are kept up to {@code maxRaw}. */
    public static int maxRecordBytes(int maxRaw) {
        return maxRaw + MAX_KEY_BYTES + OVERHEAD_BYTES;
    }

    /**
     * The producer's {@code max.request.size} for the dead-letter sink: Kafka's default, or more
     * where a dead letter can be larger. The topic must accept as much ({@code max.message.bytes}).
     */
    public static int maxRequestBytes(int maxRaw) {
        return Math.max(KAFKA_DEFAULT_MAX_REQUEST, maxRecordBytes(maxRaw));
    }

    /** Checks a bound given on the command line; the message names the value. */
    public static int checkMaxRaw(long maxRaw) {
        if (maxRaw < MIN_MAX_RAW_BYTES || maxRaw > MAX_MAX_RAW_BYTES) {
            throw new IllegalArgumentException("--dead-letter-max-bytes must be between " + MIN_MAX_RAW_BYTES + " and "
                    + MAX_MAX_RAW_BYTES + ", got " + maxRaw);
        }
        return (int) maxRaw;
    }

    private static byte[] prefix(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
