package dev.pond.job;

import dev.pond.io.Inbound;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/**
 * Watermarks at the sources. Event time comes from the event's {@code ts}; dead letters carry no
 * time and never move a watermark.
 */
public final class Watermarks {

    private Watermarks() {}

    /** Live: bounded out-of-orderness, emitted periodically, and idleness for quiet partitions. */
    public static WatermarkStrategy<Inbound> live(Duration outOfOrderness, Duration idleness) {
        return WatermarkStrategy.<Inbound>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((event, kafkaTimestamp) -> event.eventTime())
                .withIdleness(idleness);
    }

    /**
     * Replay: the same bound, but a watermark after every event instead of on a wall-clock period
     * and no idleness, so that where timers fire between events depends on the input alone and
     * the same input gives the same output.
     */
    public static WatermarkStrategy<Inbound> deterministic(Duration outOfOrderness) {
        long bound = outOfOrderness.toMillis();
        return WatermarkStrategy.<Inbound>forGenerator(context -> new PerEvent(bound))
                .withTimestampAssigner((event, ignored) -> event.eventTime());
    }

    /** Bounded out-of-orderness, emitted with every event that advances it. */
    static final class PerEvent implements WatermarkGenerator<Inbound> {
        private final long bound;
        private long maxTimestamp = Long.MIN_VALUE;
        private long emitted = Long.MIN_VALUE;

        PerEvent(long bound) {
            this.bound = bound;
        }

        @Override
        public void onEvent(Inbound event, long timestamp, WatermarkOutput output) {
            if (timestamp == Long.MIN_VALUE) {
                return;
            }
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            long watermark = maxTimestamp - bound - 1;
            if (watermark > emitted) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
