package dev.pond.bench;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;

/** Phase B's sink: drops every record, counting it in the metric {@value #COUNTER}. */
final class CountingDiscard<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    static final String COUNTER = "benchDiscarded";

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Counter counter = context.metricGroup().counter(COUNTER);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                counter.inc();
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
