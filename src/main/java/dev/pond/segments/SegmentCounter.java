package dev.pond.segments;

import dev.pond.out.SegmentCount;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact member count of one segment (the key: a tag such as {@code lifecycle:sleeping}), from
 * the tag changes: one {@link SegmentCount} per minute of event time in which the segment changed,
 * with its members at the minute's end and how many entered and left during it. Minutes without
 * a change emit nothing; the last count holds until the next.
 *
 * <p>A change counts in the minute of its event time. One that arrives when the watermark has
 * passed that minute (and its count went out) counts in the first minute still open: the members
 * stay exact, only the minute it shows in moves. Members are the sum of every change ever seen,
 * so they equal the number of users whose current tags hold the segment.
 */
public final class SegmentCounter extends KeyedProcessFunction<String, TagChange, SegmentCount> {

    private static final long serialVersionUID = 1L;

    /** The width of a window of event time. */
    public static final long WINDOW_MILLIS = 60_000L;

    /** The tag families that are segments: lifecycle stages, RFM classes, tiers, interest categories. */
    public static final List<String> FAMILIES = List.of("lifecycle:", "rfm:", "tier:", "interest:");

    private transient ValueState<Long> members;
    /** The members of each segment this subtask counted, for the gauges {@code segment=<name>, members}. */
    private transient Map<String, Long> gauges;
    /** Per open window end, {entered, exited}. */
    private transient MapState<Long, long[]> open;

    /** Whether the tag names a segment. */
    public static boolean isSegment(String tag) {
        for (String family : FAMILIES) {
            if (tag.startsWith(family)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void open(OpenContext context) {
        members = getRuntimeContext().getState(new ValueStateDescriptor<>("members", Types.LONG));
        open = getRuntimeContext().getMapState(new MapStateDescriptor<>("open-windows", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        gauges = new HashMap<>();
    }

    @Override
    public void processElement(TagChange change, Context ctx, Collector<SegmentCount> out) throws Exception {
        long t = change.getAt().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        // The window's count goes out when the watermark reaches its last millisecond.
        long end = windowEnd(Math.max(t, watermark + 1));
        long[] counts = open.get(end);
        if (counts == null) {
            counts = new long[2];
            ctx.timerService().registerEventTimeTimer(end - 1);
        }
        counts[change.getChange() == TagChangeType.ADDED ? 0 : 1]++;
        open.put(end, counts);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SegmentCount> out) throws Exception {
        long end = timestamp + 1;
        long[] counts = open.get(end);
        if (counts == null) {
            return;
        }
        open.remove(end);
        long now = (members.value() == null ? 0 : members.value()) + counts[0] - counts[1];
        members.update(now);
        String segment = ctx.getCurrentKey();
        if (gauges.put(segment, now) == null) {
            // Registered at the segment's first count in this subtask's life (after a restore: its next).
            getRuntimeContext().getMetricGroup().addGroup("segment", segment)
                    .gauge("members", (Gauge<Long>) () -> gauges.get(segment));
        }
        out.collect(new SegmentCount(ctx.getCurrentKey(), Instant.ofEpochMilli(end), now, counts[0], counts[1]));
    }

    /** The end (exclusive) of the window holding {@code t}. */
    static long windowEnd(long t) {
        return Math.floorDiv(t, WINDOW_MILLIS) * WINDOW_MILLIS + WINDOW_MILLIS;
    }
}
