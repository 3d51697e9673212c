package dev.pond.job;

import dev.pond.io.Inbound;
import dev.pond.io.JsonLinesSinks;
import dev.pond.io.MergedEventFiles;
import dev.pond.io.ReplayOutput;
import dev.pond.io.ReplaySources;
import dev.pond.model.Model;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The same topology as the live job, over JSON Lines files instead of Kafka: for backtests and
 * reproducible checks. The files are merged by event time and replayed with a watermark after
 * every event, so the same input gives byte-identical output files.
 */
public final class Replay {

    private Replay() {}

    /**
     * What to replay.
     *
     * @param inputs the event files, at least one
     * @param until timers later than this do not fire; null for the time of the last event
     * @param out directory for triggers.jsonl, tags.jsonl, profiles.jsonl, deadletter.jsonl
     * @param parallelism parallelism of the scoring operator
     * @param outOfOrderness watermark bound, as in the live job
     * @param now the wall-clock time events are validated at ("not more than a day ahead"); null
     *     for the actual time. Pin it to make a replay of future-dated events reproducible.
     * @param snapshot end with every user's profile as of {@code until}, so that all final profiles
     *     describe the same moment (for ranking or a backtest)
     */
    public record Request(List<MergedEventFiles.Input> inputs, Instant until, Path out, int parallelism,
                          Duration outOfOrderness, Instant now, boolean snapshot) {
        public Request(List<MergedEventFiles.Input> inputs, Instant until, Path out, int parallelism,
                Duration outOfOrderness, Instant now) {
            this(inputs, until, out, parallelism, outOfOrderness, now, false);
        }
    }

    /** Runs the replay to the end and writes the output files. */
    public static ReplayOutput.Counts run(Model model, Request request) throws Exception {
        if (request.inputs().isEmpty()) {
            throw new IllegalArgumentException("give at least one of --clicks, --reads, --orders");
        }
        for (MergedEventFiles.Input input : request.inputs()) {
            if (!Files.isReadable(Path.of(input.path()))) {
                throw new IllegalArgumentException("cannot read " + input.path());
            }
        }
        long now = request.now() != null ? request.now().toEpochMilli() : System.currentTimeMillis();
        long horizon = request.until() != null ? request.until().toEpochMilli() : lastEventTime(request.inputs(), now);
        Path work = Files.createTempDirectory("pond-replay");
        Path parts = work.resolve("parts");
        try {
            Configuration conf = FlinkConfig.local(work);
            conf.setString("taskmanager.numberOfTaskSlots", Integer.toString(Math.max(2, request.parallelism())));
            // A bounded run needs no checkpoints: it is simply run again.
            conf.removeKey("execution.checkpointing.interval");
            // ... and no restarts: a failure is reported at once instead of retried forever.
            conf.setString("restart-strategy.type", "none");
            conf.setString("parallelism.default", Integer.toString(request.parallelism()));
            // A watermark follows every event here, and a bundle waits for none: it would hold one event at a time.
            conf.set(PondJob.BUNDLE_SIZE, 0);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(request.parallelism());
            PondJob.defineWorkflow(env, new ReplaySources(request.inputs(), request.outOfOrderness(), now),
                    new JsonLinesSinks(parts), model, horizon, request.snapshot());
            env.execute("pond replay");
            return ReplayOutput.merge(parts, request.out());
        } finally {
            FileUtils.deleteDirectory(work.toFile());
        }
    }

    /** The latest event time among the valid events; {@link Long#MIN_VALUE} if there are none. */
    static long lastEventTime(List<MergedEventFiles.Input> inputs, long now) {
        long last = Long.MIN_VALUE;
        try (MergedEventFiles events = new MergedEventFiles(inputs, 0, now)) {
            while (events.hasNext()) {
                Inbound e = events.next();
                last = Math.max(last, e.eventTime());
            }
        }
        return last;
    }
}
