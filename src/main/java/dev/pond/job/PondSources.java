package dev.pond.job;

import dev.pond.io.Inbound;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the events come from: Kafka in a live job, files in replay. An implementation returns the
 * three inputs decoded, unioned, with event timestamps and watermarks assigned at the source.
 */
public interface PondSources {
    DataStream<Inbound> inbound(StreamExecutionEnvironment env);
}
