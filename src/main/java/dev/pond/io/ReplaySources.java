package dev.pond.io;

import dev.pond.job.PondSources;
import dev.pond.job.Watermarks;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;

/** The replay files as Pond's input: merged by event time, one reader, a watermark per event. */
public final class ReplaySources implements PondSources {

    private final List<MergedEventFiles.Input> inputs;
    private final Duration outOfOrderness;
    private final long now;

    /** @param now wall-clock time the events are validated at */
    public ReplaySources(List<MergedEventFiles.Input> inputs, Duration outOfOrderness, long now) {
        this.inputs = inputs;
        this.outOfOrderness = outOfOrderness;
        this.now = now;
    }

    @Override
    public DataStream<Inbound> inbound(StreamExecutionEnvironment env) {
        return env.fromSource(new ReplaySource(inputs, now), Watermarks.deterministic(outOfOrderness), "Replay files")
                .setParallelism(1)
                .uid("source-replay")
                .name("Replay files");
    }
}
