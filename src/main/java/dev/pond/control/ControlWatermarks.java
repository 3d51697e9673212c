package dev.pond.control;

import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * The control stream's event time: none; the stream is idle for good. Model updates are not
 * events of any user. The scoring operator takes the lower watermark of its inputs, leaving idle
 * ones out: an idle control input neither holds the users' event time back nor pushes it on.
 * (A watermark at the end of time would do the first but not the second: once every input
 * partition fell quiet, it alone would count and fire every timer at once.) A record briefly
 * makes the stream active, until the next periodic emit marks it idle again; meanwhile event
 * time waits, it never moves back.
 */
public final class ControlWatermarks {

    private ControlWatermarks() {}

    public static WatermarkStrategy<ControlRecord> idle() {
        return WatermarkStrategy.<ControlRecord>forGenerator(ctx -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(ControlRecord event, long timestamp, WatermarkOutput output) {
            }

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.markIdle();
            }
        });
    }
}
