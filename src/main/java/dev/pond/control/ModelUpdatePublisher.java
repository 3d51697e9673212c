package dev.pond.control;

import dev.pond.io.AvroCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

/** Writes a model update to the control topic, as {@code pond publish-model} does. */
public final class ModelUpdatePublisher {

    private ModelUpdatePublisher() {}

    /**
     * Sends {@code update} (Avro) to {@code topic} and waits until the broker has it. Always under
     * {@link ControlValidator#KEY}, so in one partition: updates keep the order they were published in.
     *
     * @param clientConfig the Kafka client settings (bootstrap servers, security); not changed
     */
    public static RecordMetadata publish(Properties clientConfig, String topic, ModelUpdate update)
            throws InterruptedException, ExecutionException {
        Properties config = new Properties();
        config.putAll(clientConfig);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            return producer.send(new ProducerRecord<>(topic, ControlValidator.KEY.getBytes(StandardCharsets.UTF_8),
                    new AvroCodec<>(ModelUpdate.class).encode(update))).get();
        }
    }
}
