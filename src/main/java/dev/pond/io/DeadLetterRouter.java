package dev.pond.io;

import dev.pond.out.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Sends dead letters to a side output and valid events on; runs one to one behind the sources. */
public class DeadLetterRouter extends ProcessFunction<Inbound, Inbound> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Inbound in, Context ctx, Collector<Inbound> out) {
        if (in.isDeadLetter()) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, in.deadLetter);
        } else {
            out.collect(in);
        }
    }
}
