package dev.pond.job;

import dev.pond.io.Inbound;
import dev.pond.io.DeadLetters;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watermarks at the sources: bad records carry no event time and do not count as activity, so a
 * partition that gets only dead letters becomes idle instead of holding back event time for the
 * whole job.
 */
class WatermarksTest {

    private final ManualClock clock = new ManualClock();
    private final Recorder output = new Recorder();

    @Test
    void deadLettersNeitherMoveTheWatermarkNorKeepAPartitionActive() {
        WatermarkStrategy<Inbound> strategy = Watermarks.live(Duration.ofMinutes(5), Duration.ofSeconds(60));
        WatermarkGenerator<Inbound> generator = strategy.createWatermarkGenerator(context());
        TimestampAssigner<Inbound> assigner = strategy.createTimestampAssigner(null);
        Inbound bad = Inbound.of(DeadLetters.of("t", 0, 0L, -1, null, new byte[] {1}, "undecodable", 1024));
        assertThat(assigner.extractTimestamp(bad, 42L)).isEqualTo(Long.MIN_VALUE);

        for (int second = 0; second <= 130; second++) {
            clock.advanceTime(Duration.ofSeconds(1));
            generator.onEvent(bad, Long.MIN_VALUE, output);
            generator.onPeriodicEmit(output);
        }

        assertThat(output.idle).isTrue();
        assertThat(output.watermarks).allMatch(w -> w.getTimestamp() < 0);
    }

    @Test
    void theReplayWatermarkFollowsEachEventAndIgnoresDeadLetters() {
        Watermarks.PerEvent generator = new Watermarks.PerEvent(300_000);
        Inbound bad = Inbound.of(DeadLetters.of("t", 0, 0L, -1, null, new byte[] {1}, "undecodable", 1024));

        generator.onEvent(bad, Long.MIN_VALUE, output);
        generator.onEvent(bad, 1_000_000, output);
        generator.onEvent(bad, 900_000, output);
        generator.onEvent(bad, 1_000_000, output);

        assertThat(output.watermarks).extracting(Watermark::getTimestamp).containsExactly(699_999L);
    }

    private WatermarkGeneratorSupplier.Context context() {
        return new WatermarkGeneratorSupplier.Context() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public RelativeClock getInputActivityClock() {
                return clock;
            }
        };
    }

    private static final class Recorder implements WatermarkOutput {
        final List<Watermark> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark);
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
