package dev.pond.io;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes and validates one input topic's records inside the Kafka source. Every record becomes
 * exactly one {@link Inbound}: the event, or a dead letter with the raw bytes and the reason.
 * Nothing is thrown into the job, whatever the bytes are.
 */
public class KafkaInboundDeserializer implements KafkaRecordDeserializationSchema<Inbound> {

    private static final long serialVersionUID = 1L;

    private final EventKind kind;
    private final int maxRaw;
    private transient InboundDecoder decoder;

    /** @param maxRaw how many bytes of a refused value its dead letter keeps */
    public KafkaInboundDeserializer(EventKind kind, int maxRaw) {
        this.kind = kind;
        this.maxRaw = maxRaw;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        decoder = new InboundDecoder(kind, maxRaw);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Inbound> out) {
        if (decoder == null) {
            decoder = new InboundDecoder(kind, maxRaw);
        }
        out.collect(decoder.fromAvro(record.value(), record.key(), record.topic(), record.partition(),
                record.offset(), record.timestamp(), System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<Inbound> getProducedType() {
        return TypeInformation.of(Inbound.class);
    }
}
