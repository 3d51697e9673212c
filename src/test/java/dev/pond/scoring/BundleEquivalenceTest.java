package dev.pond.scoring;

import dev.pond.demo.Generator;
import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerNote;
import dev.pond.scoring.ScoringHarness.Backend;
import dev.pond.state.UserState;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bundles change no decision: the same seeded shop through the scoring operator without bundles
 * and with them (a bundle of up to 300 events, scored at each watermark, when full, and before a
 * snapshot), watermarks every 41 events as a periodic generator would give them, and in the middle
 * of a bundle a snapshot from which the bundled operator is restored, as after a failure (and the
 * other one too, since a restored operator's event time starts again). Then the
 * triggers (with their record timestamps) are the same, each user's tag changes the same in the
 * same order, every stored state and every timer the same, and the triggers not sent the same; only
 * the profiles are fewer, each user's last one the same.
 */
class BundleEquivalenceTest {

    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final long BOUND = Duration.ofMinutes(5).toMillis();

    private ScoringHarness off;
    private ScoringHarness on;

    @AfterEach
    void close() throws Exception {
        if (off != null) {
            off.close();
        }
        if (on != null) {
            on.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void bundlesChangeNoTriggerNoTagAndNoState(Backend backend) throws Exception {
        Model model = ModelLoader.defaults();
        List<Inbound> events = events();
        off = ScoringHarness.open(backend, model, Long.MAX_VALUE);
        on = ScoringHarness.bundled(backend, model, Long.MAX_VALUE, 300, null);
        Outputs fromOff = new Outputs();
        Outputs fromOn = new Outputs();
        long max = Long.MIN_VALUE;
        for (int i = 0; i < events.size(); i++) {
            Inbound e = events.get(i);
            off.send(e);
            on.send(e);
            max = Math.max(max, e.eventTime());
            if (i % 41 == 40) {
                off.watermark(max - BOUND);
                on.watermark(max - BOUND);
            }
            if (i == events.size() / 2) {
                // Mid-bundle: what waits is scored before the snapshot, and the restored operator goes on.
                // Both are restored: a restored operator's event time starts again from the next watermark.
                OperatorSubtaskState snapshot = on.snapshot(1);
                fromOn.take(on);
                on.close();
                on = ScoringHarness.bundled(backend, model, Long.MAX_VALUE, 300, snapshot);
                OperatorSubtaskState snapshotOff = off.snapshot(1);
                fromOff.take(off);
                off.close();
                off = ScoringHarness.restore(backend, model, Long.MAX_VALUE, snapshotOff);
            }
            fromOff.take(off);
            fromOn.take(on);
        }
        off.watermark(max);
        on.watermark(max);
        fromOff.take(off);
        fromOn.take(on);

        // Across users, the order of a bundle's outputs is the bundle's: compare them in a fixed order.
        fromOff.triggers.sort(Comparator.naturalOrder());
        fromOn.triggers.sort(Comparator.naturalOrder());
        assertThat(fromOn.triggers).as("triggers and their timestamps").hasSizeGreaterThan(50)
                .containsExactlyElementsOf(fromOff.triggers);
        assertThat(fromOn.tagsByUser).as("each user's tag changes, in order").isEqualTo(fromOff.tagsByUser);
        assertThat(fromOn.notSent).as("triggers not sent").isEqualTo(fromOff.notSent);
        assertThat(fromOn.lastProfile.keySet()).isEqualTo(fromOff.lastProfile.keySet());
        for (String user : fromOff.lastProfile.keySet()) {
            Profile a = fromOff.lastProfile.get(user);
            Profile b = fromOn.lastProfile.get(user);
            assertThat(b.getUpdatedAt()).as("%s's last profile", user).isEqualTo(a.getUpdatedAt());
            assertThat(b.getTags()).as("%s's last profile's tags", user).isEqualTo(a.getTags());
            assertThat(b.getIntent()).as("%s's last profile's intent", user).isEqualTo(a.getIntent());
        }
        assertThat(fromOn.profiles).as("profiles").isLessThan(fromOff.profiles);
        for (String user : fromOff.tagsByUser.keySet()) {
            UserState a = off.state(user);
            UserState b = on.state(user);
            assertThat(b).as("%s's stored state", user).isEqualTo(a);
        }
        assertThat(on.allTimers()).as("timers").isEqualTo(off.allTimers());
        // Counted since the restore, by both.
        assertThat(on.counter("eventsIn")).isEqualTo(off.counter("eventsIn")).isEqualTo(events.size() - events.size() / 2 - 1);
        assertThat(on.counter("bundles")).isPositive();
    }

    /** What an operator emitted, gathered as it comes out. */
    private static final class Outputs {
        final List<String> triggers = new ArrayList<>();
        final Map<String, List<String>> tagsByUser = new TreeMap<>();
        final Map<String, Profile> lastProfile = new TreeMap<>();
        final TreeSet<String> notSent = new TreeSet<>();
        int profiles;

        void take(ScoringHarness h) {
            for (StreamRecord<Trigger> r : h.takeTriggers()) {
                triggers.add(r.getTimestamp() + " " + r.getValue());
            }
            for (StreamRecord<TagChange> r : h.takeTagChanges()) {
                tagsByUser.computeIfAbsent(r.getValue().getUserId(), u -> new ArrayList<>())
                        .add(r.getTimestamp() + " " + r.getValue());
            }
            for (StreamRecord<Profile> r : h.takeProfiles()) {
                profiles++;
                lastProfile.put(r.getValue().getUserId(), r.getValue());
                for (TriggerNote n : r.getValue().getTriggersNotSent()) {
                    notSent.add(r.getValue().getUserId() + " " + n);
                }
            }
        }
    }

    /** A seeded shop of 150 users over four months, in event-time order. */
    private static List<Inbound> events() {
        Generator generator = new Generator(new Generator.Config(23, 150, START, START.plus(Duration.ofDays(120)),
                Duration.ofDays(60)));
        List<Inbound> events = new ArrayList<>();
        while (generator.hasNext()) {
            SpecificRecord e = generator.next();
            events.add(e instanceof ClickEvent c ? Inbound.of(c)
                    : e instanceof ArticleRead r ? Inbound.of(r) : Inbound.of((OrderEvent) e));
        }
        return events;
    }
}
