package dev.pond.job;

import dev.pond.control.ControlRecord;
import dev.pond.io.DeadLetters;
import dev.pond.io.Inbound;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the events come from: Kafka in a live job, files in replay. An implementation returns the
 * three inputs decoded, unioned, with event timestamps and watermarks assigned at the source.
 */
public interface PondSources {
    DataStream<Inbound> inbound(StreamExecutionEnvironment env);

    /**
     * The control topic's records (model updates), with a watermark at the end of time; null
     * where the model is fixed for the run (replay, whose outputs must not depend on when an
     * update would arrive).
     */
    default DataStream<ControlRecord> control(StreamExecutionEnvironment env) {
        return null;
    }

    /** How many bytes of a refused record's value its dead letter keeps ({@link DeadLetters}). */
    default int deadLetterMaxBytes() {
        return DeadLetters.DEFAULT_MAX_RAW_BYTES;
    }
}
