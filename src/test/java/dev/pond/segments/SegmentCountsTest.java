package dev.pond.segments;

import dev.pond.demo.Generator;
import dev.pond.demo.JsonLinesEventSink;
import dev.pond.io.EventKind;
import dev.pond.io.JsonCodec;
import dev.pond.io.MergedEventFiles;
import dev.pond.io.ReplayOutput;
import dev.pond.job.JobOptions;
import dev.pond.job.Replay;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.out.Profile;
import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.scenario.LocalFlinkCluster;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment counts are exact: four months of generated shop traffic (250 users) replayed through
 * the whole job, and every segment's last count equals the number of users whose final profile
 * carries its tag; each count is the one before plus those who entered minus those who left; and
 * the sleeping-share alerts are raised and cleared exactly where the counts cross the threshold.
 */
class SegmentCountsTest {

    @RegisterExtension
    static final LocalFlinkCluster FLINK = new LocalFlinkCluster(1, 2);

    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final int DAYS = 120;

    @Test
    void lastCountsEqualTheFinalProfilesAndAlertsFollowTheCounts(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Generator generator = new Generator(new Generator.Config(
                5, 250, START, START.plus(Duration.ofDays(DAYS)), Duration.ofDays(DAYS).dividedBy(2)));
        try (JsonLinesEventSink sink = new JsonLinesEventSink(in)) {
            while (generator.hasNext()) {
                sink.write(generator.next());
            }
        }
        // A low threshold, so that a shop this young crosses it.
        Model model = ModelLoader.fromYaml("segments: {sleepingShareAlert: 0.05}", "test");
        ReplayOutput.Counts counts = Replay.run(model, new Replay.Request(List.of(
                new MergedEventFiles.Input(EventKind.CLICK, in.resolve("clicks.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.READ, in.resolve("reads.jsonl").toString()),
                new MergedEventFiles.Input(EventKind.ORDER, in.resolve("orders.jsonl").toString())),
                null, dir.resolve("out"), 2, JobOptions.DEFAULT_OUT_OF_ORDERNESS, null));

        // Members from the final profiles: every user's current tags, per segment.
        Map<String, Long> fromProfiles = new TreeMap<>();
        for (Profile p : read(dir.resolve("out/profiles.jsonl"), Profile.class)) {
            for (String tag : p.getTags()) {
                if (SegmentCounter.isSegment(tag)) {
                    fromProfiles.merge(tag, 1L, Long::sum);
                }
            }
        }
        List<SegmentCount> series = read(dir.resolve("out/segments.jsonl"), SegmentCount.class);
        assertThat(series).hasSize(counts.segmentCounts());
        Map<String, Long> last = new TreeMap<>();
        Map<String, Instant> lastEnd = new TreeMap<>();
        for (SegmentCount c : series) {
            long before = last.getOrDefault(c.getSegment(), 0L);
            assertThat(c.getMembers()).as("%s at %s", c.getSegment(), c.getWindowEnd())
                    .isEqualTo(before + c.getEntered() - c.getExited()).isNotNegative();
            assertThat(c.getEntered() + c.getExited()).as("a count goes out only for a minute that changed").isPositive();
            assertThat(c.getWindowEnd().toEpochMilli() % SegmentCounter.WINDOW_MILLIS).isZero();
            if (lastEnd.containsKey(c.getSegment())) {
                assertThat(c.getWindowEnd()).isAfter(lastEnd.get(c.getSegment()));
            }
            last.put(c.getSegment(), c.getMembers());
            lastEnd.put(c.getSegment(), c.getWindowEnd());
        }
        last.values().removeIf(n -> n == 0);
        assertThat(last).as("last count of each segment vs users whose final profile has the tag")
                .isEqualTo(fromProfiles);
        assertThat(last.keySet()).contains("lifecycle:active", "lifecycle:sleeping", "lifecycle:prospect")
                .anyMatch(s -> s.startsWith("rfm:")).anyMatch(s -> s.startsWith("interest:"))
                .anyMatch(s -> s.startsWith("tier:"));

        // The alerts, recomputed from the series: at each window end where active or sleeping moved.
        List<SegmentAlert> expected = new ArrayList<>();
        long active = 0;
        long sleeping = 0;
        boolean raised = false;
        for (int i = 0; i < series.size(); i++) {
            SegmentCount c = series.get(i);
            if (c.getSegment().equals(SleepingShareWatch.ACTIVE)) {
                active = c.getMembers();
            } else if (c.getSegment().equals(SleepingShareWatch.SLEEPING)) {
                sleeping = c.getMembers();
            } else {
                continue;
            }
            boolean endOfWindow = series.subList(i + 1, series.size()).stream()
                    .noneMatch(n -> n.getWindowEnd().equals(c.getWindowEnd())
                            && (n.getSegment().equals(SleepingShareWatch.ACTIVE)
                                    || n.getSegment().equals(SleepingShareWatch.SLEEPING)));
            if (!endOfWindow) {
                continue;
            }
            double share = active + sleeping == 0 ? 0 : sleeping / (double) (active + sleeping);
            if ((share > 0.05) != raised) {
                raised = !raised;
                expected.add(new SegmentAlert(SleepingShareWatch.ALERT, c.getWindowEnd(), raised, share, 0.05,
                        sleeping, active + sleeping));
            }
        }
        List<SegmentAlert> alerts = read(dir.resolve("out/alerts.jsonl"), SegmentAlert.class);
        assertThat(expected).as("alerts expected from the counts").isNotEmpty();
        assertThat(alerts).isEqualTo(expected);
        System.out.printf("%d segment counts of %d segments; last: %s; alerts: %d%n", series.size(), last.size(),
                last, alerts.size());
    }

    private static <T extends SpecificRecord> List<T> read(Path file, Class<T> type) throws IOException {
        List<T> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            records.add(JsonCodec.read(line, type));
        }
        return records;
    }
}
