package dev.pond.io;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads everything committed to a topic, as a marketing system would: {@code read_committed},
 * from the beginning to the end offsets at the time of the call, with a deadline. (Or, to see
 * what aborted transactions left too, {@code read_uncommitted}.)
 */
public final class TopicReader {

    private TopicReader() {}

    /** The committed records of {@code topic}, ordered by partition, then offset. */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(String bootstrap, String topic, Duration timeout) {
        return read(bootstrap, Map.of(), topic, true, timeout);
    }

    /** The records of {@code topic}, committed only or all, ordered by partition, then offset. */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, boolean committed,
            Duration timeout) {
        return read(bootstrap, Map.of(), topic, committed, timeout);
    }

    /** As {@link #read(String, String, boolean, Duration)}, with client properties (security). */
    public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, Map<String, String> clientProperties,
            String topic, boolean committed, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        scan(bootstrap, clientProperties, topic, committed, timeout, records::add);
        records.sort(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    /**
     * Hands every record of {@code topic}, committed only or all, from the beginning to the end
     * offsets at the time of the call, to {@code each} as it is polled, without keeping them: in
     * offset order within a partition, partitions interleaved.
     */
    public static void scan(String bootstrap, Map<String, String> clientProperties, String topic, boolean committed,
            Duration timeout, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties props = KafkaClients.config(bootstrap, clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committed ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("did not reach the end of " + topic + " within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                    }
                }
            }
        }
    }

    /**
     * A {@code read_committed} consumer of every partition of {@code topics}, from their beginning,
     * without a group: for views that follow the output topics (watch, dashboard).
     */
    public static KafkaConsumer<byte[], byte[]> followFromStart(String bootstrap, Map<String, String> clientProperties,
            List<String> topics) {
        Properties props = KafkaClients.config(bootstrap, clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
