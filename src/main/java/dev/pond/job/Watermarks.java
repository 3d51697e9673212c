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

    /**
     * Live: bounded out-of-orderness, emitted periodically, and idleness for quiet partitions. Dead
     * letters are hidden from the generator, idleness included: a partition that receives nothing
     * but bad records is idle, and does not hold back event time for the whole job.
     */
    public static WatermarkStrategy<Inbound> live(Duration outOfOrderness, Duration idleness) {
        WatermarkStrategy<Inbound> valid =
                WatermarkStrategy.<Inbound>forBoundedOutOfOrderness(outOfOrderness).withIdleness(idleness);
        return WatermarkStrategy.<Inbound>forGenerator(context -> new EventsOnly(valid.createWatermarkGenerator(context)))
                .withTimestampAssigner((event, kafkaTimestamp) -> event.eventTime());
    }

    /** Passes only events (not dead letters) to the wrapped generator. */
    static final class EventsOnly implements WatermarkGenerator<Inbound> {
        private final WatermarkGenerator<Inbound> inner;

        EventsOnly(WatermarkGenerator<Inbound> inner) {
            this.inner = inner;
        }

        @Override
        public void onEvent(Inbound event, long timestamp, WatermarkOutput output) {
            if (!event.isDeadLetter()) {
                inner.onEvent(event, timestamp, output);
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            inner.onPeriodicEmit(output);
        }
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
