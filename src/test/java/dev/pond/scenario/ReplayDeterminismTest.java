package dev.pond.scenario;

import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.io.EventKind;
import dev.pond.io.MergedEventFiles;
import dev.pond.io.ReplayOutput;
import dev.pond.job.JobOptions;
import dev.pond.job.Replay;
import dev.pond.model.ModelLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Replaying the same input gives the same outputs, byte for byte" (docs/design.md), whatever the
 * parallelism: three weeks of generated shop traffic (seed 7, 150 users), plus two bad lines, are
 * replayed with the scoring operator at parallelism 1 and at 2, and the output files must be
 * identical and not trivially so (triggers, tag changes, profiles, segment counts and dead letters
 * all present; alerts may be none).
 */
class ReplayDeterminismTest {

    @RegisterExtension
    static final LocalFlinkCluster FLINK = new LocalFlinkCluster(1, 2);

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    private static final int DAYS = 20;
    private static final List<String> OUTPUTS =
            List.of("triggers.jsonl", "tags.jsonl", "profiles.jsonl", "segments.jsonl", "alerts.jsonl",
                    "deadletter.jsonl", "notsent.jsonl");

    @Test
    void replayIsByteIdenticalAtParallelismOneAndTwo(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        generate(in);
        Files.writeString(in.resolve("clicks.jsonl"), "not json\n{\"eventId\":\"x\"}\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        List<MergedEventFiles.Input> inputs = List.of(
                new MergedEventFiles.Input(EventKind.CLICK, in.resolve("clicks.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.READ, in.resolve("reads.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.ORDER, in.resolve("orders.jsonl").toString()));

        ReplayOutput.Counts one = replay(inputs, dir.resolve("p1"), 1);
        ReplayOutput.Counts two = replay(inputs, dir.resolve("p2"), 2);

        assertThat(one.triggers()).as("triggers").isGreaterThan(0);
        assertThat(one.tagChanges()).as("tag changes").isGreaterThan(100);
        assertThat(one.profiles()).as("profiles (one per user seen)").isGreaterThan(100);
        assertThat(one.segmentCounts()).as("segment counts").isGreaterThan(100);
        assertThat(one.deadLetters()).as("dead letters").isEqualTo(2);
        assertThat(two).isEqualTo(one);
        for (String file : OUTPUTS) {
            byte[] a = Files.readAllBytes(dir.resolve("p1").resolve(file));
            byte[] b = Files.readAllBytes(dir.resolve("p2").resolve(file));
            assertThat(firstDifference(a, b)).as(file + " at parallelism 2 vs 1").isNull();
        }
    }

    /** Where two files first differ, as the two lines; null if they are byte-identical. */
    private static String firstDifference(byte[] a, byte[] b) {
        if (Arrays.equals(a, b)) {
            return null;
        }
        String[] x = new String(a, StandardCharsets.UTF_8).split("\n", -1);
        String[] y = new String(b, StandardCharsets.UTF_8).split("\n", -1);
        int i = 0;
        while (i < Math.min(x.length, y.length) && x[i].equals(y[i])) {
            i++;
        }
        return "line " + (i + 1) + ":\n  p1: " + (i < x.length ? x[i] : "(end)") + "\n  p2: "
                + (i < y.length ? y[i] : "(end)");
    }

    private static void generate(Path dir) throws Exception {
        Generator generator = new Generator(new Generator.Config(
                7, 150, START, START.plus(Duration.ofDays(DAYS)), Duration.ofDays(DAYS).dividedBy(2)));
        try (JsonLinesEventSink sink = new JsonLinesEventSink(dir)) {
            while (generator.hasNext()) {
                sink.write(generator.next());
            }
        }
    }

    private static ReplayOutput.Counts replay(List<MergedEventFiles.Input> inputs, Path out, int parallelism)
            throws Exception {
        return Replay.run(ModelLoader.defaults(),
                new Replay.Request(inputs, null, out, parallelism, JobOptions.DEFAULT_OUT_OF_ORDERNESS, null));
    }
}
