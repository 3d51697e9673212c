package dev.pond.segments;

import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Instant;

/**
 * Watches the sleeping share, {@code lifecycle:sleeping / (lifecycle:active + lifecycle:sleeping)},
 * from the counts of those two segments (keyed by one constant, so that both meet), and emits a
 * {@link SegmentAlert} when it rises above the threshold and another when it falls back. The share
 * is taken at the end of each window in which either count moved, window by window in event-time
 * order, once both counts of that window are in: on a timer at the window's end, after the
 * counter's own.
 */
public final class SleepingShareWatch extends KeyedProcessFunction<String, SegmentCount, SegmentAlert> {

    private static final long serialVersionUID = 1L;

    public static final String ALERT = "sleeping-share";
    public static final String ACTIVE = "lifecycle:active";
    public static final String SLEEPING = "lifecycle:sleeping";

    private final double threshold;
    /** {active, sleeping, raised (0 or 1)} as of the last window settled. */
    private transient ValueState<long[]> state;
    /**
     * Per window end not yet settled, {active, sleeping} of that window, -1 where that segment did
     * not move. The counts of many windows can arrive before the watermark settles the first of
     * them (the counter emits all windows a watermark closes at once), so each waits for its own.
     */
    private transient MapState<Long, long[]> windows;

    public SleepingShareWatch(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("sleeping-share", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        windows = getRuntimeContext().getMapState(new MapStateDescriptor<>("windows", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(SegmentCount count, Context ctx, Collector<SegmentAlert> out) throws Exception {
        long end = count.getWindowEnd().toEpochMilli();
        long[] w = windows.get(end);
        if (w == null) {
            w = new long[] {-1, -1};
            // The window's counts carry its last millisecond as their timestamp; the watermark passes its end next.
            ctx.timerService().registerEventTimeTimer(end);
        }
        w[count.getSegment().equals(ACTIVE) ? 0 : 1] = count.getMembers();
        windows.put(end, w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SegmentAlert> out) throws Exception {
        long[] w = windows.get(timestamp);
        windows.remove(timestamp);
        long[] s = state.value() == null ? new long[3] : state.value();
        for (int i = 0; i < 2; i++) {
            if (w[i] >= 0) {
                s[i] = w[i];
            }
        }
        long all = s[0] + s[1];
        double share = all == 0 ? 0 : s[1] / (double) all;
        boolean above = share > threshold;
        if (above != (s[2] == 1)) {
            s[2] = above ? 1 : 0;
            out.collect(new SegmentAlert(ALERT, Instant.ofEpochMilli(timestamp), above, share, threshold, s[1], all));
        }
        state.update(s);
    }
}
