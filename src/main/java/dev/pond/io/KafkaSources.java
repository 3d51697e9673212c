package dev.pond.io;

import dev.pond.control.ControlDeserializer;
import dev.pond.control.ControlRecord;
import dev.pond.control.ControlWatermarks;
import dev.pond.job.JobOptions;
import dev.pond.job.PondSources;
import dev.pond.job.Watermarks;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.util.Properties;

/**
 * One Kafka source per input topic, each decoding and validating its records and assigning event
 * time and watermarks (bounded out-of-orderness plus idleness), unioned into one stream. Sources
 * read committed data only, and resume from the offsets in the checkpoint (or, on a fresh start,
 * from the group's committed offsets).
 */
public final class KafkaSources implements PondSources {

    private final JobOptions options;

    public KafkaSources(JobOptions options) {
        this.options = options;
    }

    @Override
    public DataStream<Inbound> inbound(StreamExecutionEnvironment env) {
        WatermarkStrategy<Inbound> watermarks = Watermarks.live(options.outOfOrderness(), options.idleness());
        DataStream<Inbound> clicks = source(env, options.topics().clicks(), EventKind.CLICK, watermarks, "clicks");
        DataStream<Inbound> reads = source(env, options.topics().reads(), EventKind.READ, watermarks, "reads");
        DataStream<Inbound> orders = source(env, options.topics().orders(), EventKind.ORDER, watermarks, "orders");
        return clicks.union(reads, orders);
    }

    /**
     * The control topic, read from its beginning on a fresh start (every update in order; the
     * last accepted one is in force) and from the checkpoint after; one reader, so updates stay
     * in their order. None in a bounded run, which scores with the model it was given: a control
     * source that ended would put its input's event time at the end of time, and once the
     * events' partitions fell idle that alone would count.
     */
    @Override
    public int deadLetterMaxBytes() {
        return options.deadLetterMaxBytes();
    }

    @Override
    public DataStream<ControlRecord> control(StreamExecutionEnvironment env) {
        if (options.bounded()) {
            return null;
        }
        KafkaSource<ControlRecord> source = KafkaSource.<ControlRecord>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topics().control())
                .setGroupId(options.groupId())
                .setProperties(properties())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new ControlDeserializer())
                .build();
        return env.fromSource(source, ControlWatermarks.idle(), "Kafka control")
                .setParallelism(1)
                .uid("source-control")
                .name("Kafka control (" + options.topics().control() + ")");
    }

    private Properties properties() {
        Properties props = new Properties();
        props.putAll(options.kafkaProperties());
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("commit.offsets.on.checkpoint", "true");
        return props;
    }

    private DataStream<Inbound> source(StreamExecutionEnvironment env, String topic, EventKind kind,
                                       WatermarkStrategy<Inbound> watermarks, String name) {
        Properties props = properties();
        OffsetResetStrategy reset = options.startFrom() == JobOptions.StartFrom.LATEST
                ? OffsetResetStrategy.LATEST
                : OffsetResetStrategy.EARLIEST;
        var builder = KafkaSource.<Inbound>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(topic)
                .setGroupId(options.groupId())
                .setProperties(props)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new KafkaInboundDeserializer(kind, options.deadLetterMaxBytes()));
        if (options.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), watermarks, "Kafka " + name)
                .uid("source-" + name)
                .name("Kafka " + name + " (" + topic + ")");
    }
}
