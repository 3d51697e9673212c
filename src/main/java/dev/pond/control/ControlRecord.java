package dev.pond.control;

/** One record of the control topic as read, before it is decoded: what a rejection keeps. */
public class ControlRecord {
    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record's timestamp, or -1. */
    public long timestamp;
    /** Null if the record had no key. */
    public byte[] key;
    public byte[] raw;

    public ControlRecord() {}

    public ControlRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] raw) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.raw = raw;
    }
}
