package dev.pond.bench;

import dev.pond.io.Inbound;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Phase K's operator: per event one read and one write of a {@code ValueState<Long>} of the
 * user, and nothing out. What one keyed state access per event costs on this machine, the ceiling
 * of any job that reads and writes a user's state for every event; counted in {@value #COUNTER}.
 */
final class StateCeiling extends KeyedProcessFunction<String, Inbound, Void> {

    private static final long serialVersionUID = 1L;

    static final String COUNTER = "benchCeilingEvents";

    private transient ValueState<Long> count;
    private transient Counter events;

    @Override
    public void open(OpenContext openContext) {
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("events", Types.LONG));
        events = getRuntimeContext().getMetricGroup().counter(COUNTER);
    }

    @Override
    public void processElement(Inbound in, Context ctx, Collector<Void> out) throws Exception {
        Long n = count.value();
        count.update(n == null ? 1 : n + 1);
        events.inc();
    }
}
