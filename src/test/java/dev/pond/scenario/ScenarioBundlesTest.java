package dev.pond.scenario;

import dev.pond.io.Inbound;
import dev.pond.io.MergedEventFiles;
import dev.pond.job.JobOptions;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.scoring.UserScoringOperator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenario suite with bundles. The replay of {@link ScenarioTest} sends a watermark after every
 * event, so a bundle there never holds more than the events of one instant; here each scenario's
 * events, in the order the replay merges them, go through the scoring operator twice, with a
 * watermark (the replay's bound behind the latest event) after every {@value #WATERMARK_EVERY}
 * events: once scoring each event as it arrives, once in bundles of up to {@value #BUNDLE} events
 * (scored when full and when the watermark moves). The triggers, with their timestamps, must be the
 * same, and each user's tag changes the same in the same order.
 */
class ScenarioBundlesTest {

    private static final int WATERMARK_EVERY = 7;
    private static final int BUNDLE = 3;
    /** A bundle latency that never passes: the harness's processing time stands still. */
    private static final long NEVER = 3_600_000;

    static List<String> scenarios() throws Exception {
        return ScenarioTest.scenarios().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void bundlesChangeNoTriggerAndNoTagChange(String file, @TempDir Path dir) throws Exception {
        Scenario scenario = Scenario.read(ScenarioTest.directory().resolve(file));
        List<Inbound> events = new ArrayList<>();
        try (MergedEventFiles merged = new MergedEventFiles(ScenarioRunner.writeInputs(scenario, dir), 0,
                System.currentTimeMillis())) {
            merged.forEachRemaining(e -> {
                if (!e.isDeadLetter()) {
                    events.add(e);
                }
            });
        }
        long horizon = scenario.until() != null ? scenario.until().toEpochMilli()
                : events.stream().mapToLong(Inbound::eventTime).max().orElse(Long.MIN_VALUE);

        Outputs off = run(scenario, events, horizon, 0);
        Outputs on = run(scenario, events, horizon, BUNDLE);

        assertThat(on.triggers).as("triggers with bundles of %d", BUNDLE).isEqualTo(off.triggers);
        assertThat(on.tagsByUser).as("each user's tag changes with bundles of %d", BUNDLE).isEqualTo(off.tagsByUser);
    }

    private static Outputs run(Scenario scenario, List<Inbound> events, long horizon, int bundle) throws Exception {
        long bound = JobOptions.DEFAULT_OUT_OF_ORDERNESS.toMillis();
        Outputs out = new Outputs();
        try (KeyedOneInputStreamOperatorTestHarness<String, Inbound, Trigger> h =
                     new KeyedOneInputStreamOperatorTestHarness<>(
                             new UserScoringOperator(scenario.model(), horizon, false, bundle, bundle > 1 ? NEVER : 0),
                             Inbound::userId, Types.STRING)) {
            h.setStateBackend(new HashMapStateBackend());
            h.open();
            long max = Long.MIN_VALUE;
            for (int i = 0; i < events.size(); i++) {
                Inbound e = events.get(i);
                h.processElement(e, e.eventTime());
                max = Math.max(max, e.eventTime());
                if (i % WATERMARK_EVERY == WATERMARK_EVERY - 1) {
                    h.processWatermark(max - bound);
                }
                out.take(h);
            }
            h.processWatermark(Long.MAX_VALUE);
            out.take(h);
        }
        // Across users, the order of a bundle's outputs is the bundle's: compare triggers in a fixed order.
        out.triggers.sort(null);
        return out;
    }

    /** What the operator emitted: triggers with their timestamps, and tag changes per user in order. */
    private static final class Outputs {
        final List<String> triggers = new ArrayList<>();
        final Map<String, List<String>> tagsByUser = new TreeMap<>();

        void take(KeyedOneInputStreamOperatorTestHarness<String, Inbound, Trigger> h) {
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    triggers.add(r.getTimestamp() + " " + r.getValue());
                }
            }
            h.getOutput().clear();
            Queue<StreamRecord<TagChange>> tags = h.getSideOutput(UserScoringOperator.TAG_CHANGES);
            if (tags != null) {
                for (StreamRecord<TagChange> r : tags) {
                    tagsByUser.computeIfAbsent(r.getValue().getUserId(), u -> new ArrayList<>())
                            .add(r.getTimestamp() + " " + r.getValue());
                }
                tags.clear();
            }
        }
    }
}
