package dev.pond.control;

import dev.pond.io.AvroCodec;
import dev.pond.io.DeadLetters;
import dev.pond.model.Model;
import dev.pond.out.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;


/**
 * Accepts or rejects the records of the control topic before they reach the scoring operator:
 * an update that does not decode, or whose model is not valid, goes to the dead letters with the
 * reason, and nothing changes. So does one that changes {@code limits}: the bounds of the stored
 * state (and the timers that forget users) are set when a user's state is written, and a new
 * model cannot reach the users it does not see. So does one with the version in force but other
 * content: outputs name the model by its version, which must say what produced them. Keyed by one constant, so that it remembers the
 * model in force across restarts; runs once, so that a rejection is written once.
 */
public class ControlValidator extends KeyedProcessFunction<String, ControlRecord, ModelUpdate> {

    private static final long serialVersionUID = 1L;

    /** The one key of the control stream. */
    public static final String KEY = "model";

    public static final OutputTag<DeadLetter> REJECTED =
            new OutputTag<>("rejected-model-updates", new AvroTypeInfo<>(DeadLetter.class));

    private final Model initial;
    private final int maxRaw;

    private transient AvroCodec<ModelUpdate> codec;
    private transient ValueState<ModelUpdate> current;
    private transient Counter accepted;
    private transient Counter rejected;

    /**
     * @param initial the model the job was started with, in force until an update is accepted
     * @param maxRaw how many bytes of a rejected record its dead letter keeps
     */
    public ControlValidator(Model initial, int maxRaw) {
        this.initial = initial;
        this.maxRaw = maxRaw;
    }

    @Override
    public void open(OpenContext context) {
        current = getRuntimeContext().getState(new ValueStateDescriptor<>("current-model",
                new AvroTypeInfo<>(ModelUpdate.class)));
        codec = new AvroCodec<>(ModelUpdate.class);
        accepted = getRuntimeContext().getMetricGroup().counter("modelUpdatesAccepted");
        rejected = getRuntimeContext().getMetricGroup().counter("modelUpdatesRejected");
    }

    @Override
    public void processElement(ControlRecord record, Context ctx, Collector<ModelUpdate> out) throws Exception {
        ModelUpdate update;
        try {
            if (record.raw == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            update = codec.decode(record.raw);
        } catch (Exception e) {
            reject(record, "undecodable: " + e.getMessage(), ctx);
            return;
        }
        Model model;
        try {
            model = ModelUpdates.model(update);
        } catch (IllegalArgumentException e) {
            reject(record, "rejected model update " + update.getVersion() + ": " + e.getMessage(), ctx);
            return;
        }
        ModelUpdate before = current.value();
        if (before != null && before.getVersion().equals(update.getVersion())
                && !before.getContent().equals(update.getContent())) {
            reject(record, "rejected model update " + update.getVersion() + ": version " + update.getVersion()
                    + " is in force with other content; publish it under a new version", ctx);
            return;
        }
        Model inForce = inForce();
        if (!model.limits().equals(inForce.limits())) {
            reject(record, "rejected model update " + update.getVersion() + ": it changes limits (" + model.limits()
                    + " instead of " + inForce.limits() + "), which needs a restart from a savepoint", ctx);
            return;
        }
        current.update(update);
        accepted.inc();
        out.collect(update);
    }

    /** The model of the last accepted update, or the job's own (also if that update no longer reads). */
    private Model inForce() throws Exception {
        ModelUpdate before = current.value();
        if (before != null) {
            try {
                return ModelUpdates.model(before);
            } catch (IllegalArgumentException e) {
                // Accepted once, refused now: only a restore by a build that reads models differently.
            }
        }
        return initial;
    }

    private void reject(ControlRecord record, String reason, Context ctx) {
        rejected.inc();
        ctx.output(REJECTED, DeadLetters.of(record.topic, record.partition, record.offset, record.timestamp,
                record.key, record.raw, reason, maxRaw));
    }
}
