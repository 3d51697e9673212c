package dev.pond.io;

import dev.pond.job.JobOptions;
import dev.pond.job.PondSinks;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Properties;

/**
 * Kafka sinks for every output. Exactly once by default: records become visible to {@code
 * read_committed} consumers when the checkpoint that covers them completes. At least once (for
 * consumers that prefer latency to duplicates): records are sent at once, and flushed on every
 * checkpoint. Values are plain Avro binary, keys the userId. The dead-letter sink's request size
 * fits the largest dead letter ({@link DeadLetters#maxRequestBytes}), so no input can make it fail.
 */
public final class KafkaSinks implements PondSinks {

    private final JobOptions options;

    public KafkaSinks(JobOptions options) {
        this.options = options;
    }

    @Override
    public Sink<Trigger> triggers() {
        return sink(options.topics().triggers(), "triggers", Trigger.class,
                new KeySerialization<>(Trigger::getUserId));
    }

    @Override
    public Sink<TagChange> tags() {
        return sink(options.topics().tags(), "tags", TagChange.class, new KeySerialization<>(TagChange::getUserId));
    }

    @Override
    public Sink<Profile> profiles() {
        return sink(options.topics().profiles(), "profiles", Profile.class,
                new KeySerialization<>(Profile::getUserId));
    }

    @Override
    public Sink<SegmentCount> segments() {
        return sink(options.topics().segments(), "segments", SegmentCount.class,
                new KeySerialization<>(SegmentCount::getSegment));
    }

    @Override
    public Sink<SegmentAlert> alerts() {
        return sink(options.topics().alerts(), "alerts", SegmentAlert.class, new KeySerialization<>(SegmentAlert::getAlert));
    }

    @Override
    public Sink<DeadLetter> deadLetters() {
        int request = DeadLetters.maxRequestBytes(options.deadLetterMaxBytes());
        return sink(options.topics().deadLetters(), "deadletter", DeadLetter.class, KafkaSinks::originalKey,
                Map.of("max.request.size", Integer.toString(request),
                        "buffer.memory", Long.toString(Math.max(32L << 20, 2L * request))));
    }

    /** A dead letter keeps the key it arrived with. */
    private static byte[] originalKey(DeadLetter d) {
        ByteBuffer key = d.getKey();
        if (key == null) {
            return null;
        }
        byte[] bytes = new byte[key.remaining()];
        key.duplicate().get(bytes);
        return bytes;
    }

    private <T extends SpecificRecord> KafkaSink<T> sink(
            String topic, String name, Class<T> type, SerializationSchema<T> key) {
        return sink(topic, name, type, key, Map.of());
    }

    /** A sink with {@code producer} settings over the client properties (a size the sink must allow). */
    private <T extends SpecificRecord> KafkaSink<T> sink(
            String topic, String name, Class<T> type, SerializationSchema<T> key, Map<String, String> producer) {
        Properties props = new Properties();
        props.putAll(options.kafkaProperties());
        props.putAll(producer);
        props.setProperty("transaction.timeout.ms", Long.toString(options.transactionTimeout().toMillis()));
        DeliveryGuarantee guarantee = options.delivery() == JobOptions.Delivery.EXACTLY_ONCE
                ? DeliveryGuarantee.EXACTLY_ONCE
                : DeliveryGuarantee.AT_LEAST_ONCE;
        return KafkaSink.<T>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setKafkaProducerConfig(props)
                .setRecordSerializer(KafkaRecordSerializationSchema.<T>builder()
                        .setTopic(topic)
                        .setKeySerializationSchema(key)
                        .setValueSerializationSchema(new AvroSerialization<>(type))
                        .build())
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(options.transactionalIdPrefix() + "-" + name)
                // Reuses a small pool of transactional ids instead of one per checkpoint.
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .build();
    }
}
