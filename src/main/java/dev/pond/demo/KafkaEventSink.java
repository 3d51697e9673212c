package dev.pond.demo;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.io.AvroCodec;
import dev.pond.io.KafkaClients;
import dev.pond.job.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;

/**
 * Produces events to the input topics as Pond expects them: key = userId, value = plain Avro,
 * record timestamp = event time. Optionally mixes in undecodable records, to show the dead-letter
 * path at work.
 */
public final class KafkaEventSink implements EventSink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final AvroCodec<ClickEvent> clicks = new AvroCodec<>(ClickEvent.class);
    private final AvroCodec<ArticleRead> reads = new AvroCodec<>(ArticleRead.class);
    private final AvroCodec<OrderEvent> orders = new AvroCodec<>(OrderEvent.class);
    private final double garbageRate;
    private final SplittableRandom random;
    private volatile Exception failure;
    private long garbage;

    /**
     * @param garbageRate share of extra records with random bytes (0 for none)
     * @param seed seed of the garbage
     */
    public KafkaEventSink(String bootstrapServers, Map<String, String> clientProperties, Topics topics,
                          double garbageRate, long seed) {
        Properties props = KafkaClients.config(bootstrapServers, clientProperties);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "20"); // batches well; a latency test asks for less
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A missing topic or an unreachable broker is reported after 15 s, not after a minute per record.
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        this.producer = new KafkaProducer<>(props);
        this.topics = topics;
        this.garbageRate = garbageRate;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public void write(SpecificRecord event) {
        String topic;
        String userId;
        long ts;
        byte[] value;
        if (event instanceof ClickEvent c) {
            topic = topics.clicks();
            userId = c.getUserId();
            ts = c.getTs().toEpochMilli();
            value = clicks.encode(c);
        } else if (event instanceof ArticleRead r) {
            topic = topics.reads();
            userId = r.getUserId();
            ts = r.getTs().toEpochMilli();
            value = reads.encode(r);
        } else {
            OrderEvent o = (OrderEvent) event;
            topic = topics.orders();
            userId = o.getUserId();
            ts = o.getTs().toEpochMilli();
            value = orders.encode(o);
        }
        byte[] key = userId.getBytes(StandardCharsets.UTF_8);
        send(new ProducerRecord<>(topic, null, ts, key, value));
        if (garbageRate > 0 && random.nextDouble() < garbageRate) {
            byte[] junk = new byte[1 + random.nextInt(64)];
            random.nextBytes(junk);
            send(new ProducerRecord<>(topic, null, ts, key, junk));
            garbage++;
        }
    }

    /** How many records of random bytes were sent beside the events: as many dead letters are due. */
    public long garbage() {
        return garbage;
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        failIfFailed();
        producer.send(record, (metadata, error) -> {
            if (error != null && failure == null) {
                failure = error;
            }
        });
    }

    /** Sends are asynchronous: the first one that failed fails the next write, flush or close. */
    private void failIfFailed() {
        if (failure != null) {
            throw new IllegalStateException("producing to Kafka failed: " + failure.getMessage(), failure);
        }
    }

    public void flush() {
        producer.flush();
        failIfFailed();
    }

    @Override
    public void close() {
        producer.close();
        failIfFailed();
    }
}
