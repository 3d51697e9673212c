package dev.pond.segments;

import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * {@link SegmentCounter} under Flink's keyed operator harness: one count per minute of event time
 * that changed, when the watermark closes it; members carried from minute to minute; a change
 * that arrives after its minute closed counts in the first minute still open.
 */
class SegmentCounterTest {

    private static final long T0 = Instant.parse("2026-05-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final String SEGMENT = "lifecycle:active";

    private KeyedOneInputStreamOperatorTestHarness<String, TagChange, SegmentCount> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SegmentCounter()),
                TagChange::getTag, Types.STRING);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void eachChangedMinuteIsCountedWhenTheWatermarkClosesItAndALateChangeJoinsTheNextOpenMinute() throws Exception {
        change("u1", TagChangeType.ADDED, T0 + 1_000);
        change("u2", TagChangeType.ADDED, T0 + 59_999);
        change("u3", TagChangeType.ADDED, T0 + MINUTE + 5_000);
        harness.processWatermark(T0 + MINUTE - 2);
        assertThat(take()).as("nothing before the minute's last millisecond").isEmpty();

        harness.processWatermark(T0 + MINUTE - 1);
        assertThat(take()).containsExactly(tuple(T0 + MINUTE, 2L, 2L, 0L, T0 + MINUTE - 1));

        // Minute 2 is still open: u1 leaves in it. A change of minute 1 arrives late: it counts in minute 2.
        change("u1", TagChangeType.REMOVED, T0 + MINUTE + 30_000);
        change("u4", TagChangeType.ADDED, T0 + 30_000);
        harness.processWatermark(T0 + 5 * MINUTE);
        assertThat(take()).containsExactly(tuple(T0 + 2 * MINUTE, 3L, 2L, 1L, T0 + 2 * MINUTE - 1));

        // Quiet minutes emit nothing; the next change carries the members on.
        change("u2", TagChangeType.REMOVED, T0 + 9 * MINUTE);
        harness.processWatermark(T0 + 20 * MINUTE);
        assertThat(take()).containsExactly(tuple(T0 + 10 * MINUTE, 2L, 0L, 1L, T0 + 10 * MINUTE - 1));
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    private void change(String user, TagChangeType type, long at) throws Exception {
        harness.processElement(new TagChange(user, SEGMENT, type, Instant.ofEpochMilli(at), "test"), at);
    }

    /** (windowEnd, members, entered, exited, record timestamp) of the counts emitted since the last call. */
    private List<org.assertj.core.groups.Tuple> take() {
        List<org.assertj.core.groups.Tuple> out = new ArrayList<>();
        for (StreamRecord<? extends SegmentCount> r : harness.extractOutputStreamRecords()) {
            SegmentCount c = r.getValue();
            assertThat(c.getSegment()).isEqualTo(SEGMENT);
            out.add(tuple(c.getWindowEnd().toEpochMilli(), c.getMembers(), c.getEntered(), c.getExited(),
                    r.getTimestamp()));
        }
        harness.getOutput().clear();
        return out;
    }
}
