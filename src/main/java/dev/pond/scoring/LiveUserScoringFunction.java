package dev.pond.scoring;

import dev.pond.control.ModelUpdate;
import dev.pond.control.ModelUpdates;
import dev.pond.io.Inbound;
import dev.pond.model.Model;
import dev.pond.out.Trigger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scoring operator of a live job: {@link UserScoringFunction} (which it runs unchanged) with
 * the model updates of the control topic as broadcast state. An accepted update (see {@code
 * ControlValidator}) is stored in that state, which checkpoints and savepoints keep, and scores
 * from the next event or timer of each user; outputs carry its version.
 *
 * <p>An update that asks for a re-tag re-scores every user this subtask stores at once, with
 * {@code applyToKeyedState}. That needs a timer service, since a re-score may move a user's timers
 * (a review the new rules want sooner, a trigger held for quiet hours), and {@code
 * processBroadcastElement} offers none, for want of a current key. Inside {@code
 * applyToKeyedState} there is one, though: the state backend sets each key in turn, and the
 * operator's one {@link TimerService} (the same instance in all its contexts, see {@code
 * CoBroadcastWithKeyedOperator#open}) registers for the current key. So the function keeps that
 * service from the first element or timer it sees. A re-tag that arrives before this subtask has
 * seen either since it (re)started runs at the end of the first one instead.
 */
public class LiveUserScoringFunction extends KeyedBroadcastProcessFunction<String, Inbound, ModelUpdate, Trigger> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LiveUserScoringFunction.class);

    /** The model in force; part of the savepoint contract, never rename. */
    public static final MapStateDescriptor<String, ModelUpdate> MODEL =
            new MapStateDescriptor<>("model-in-force", Types.STRING, new AvroTypeInfo<>(ModelUpdate.class));
    private static final String CURRENT = "current";

    private final UserScoringFunction scoring;
    private transient String refused;
    private transient ElementContext elementContext;
    private transient TimerContext timerContext;
    private transient ReviewContext reviewContext;
    /** The operator's timer service, once an element or timer has shown it; see the class comment. */
    private transient TimerService timers;
    /** A re-tag waiting for {@link #timers}, with the context that can visit every key. */
    private transient Context pendingRetag;
    /** Re-tags this subtask has finished, and the milliseconds they took (it takes no input meanwhile). */
    private transient Counter retags;
    private transient Counter retagMillis;

    /** @param model the model until an update is accepted */
    public LiveUserScoringFunction(Model model, long horizon) {
        this.scoring = new UserScoringFunction(model, horizon);
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        scoring.setRuntimeContext(getRuntimeContext());
        scoring.open(openContext);
        elementContext = new ElementContext(scoring);
        timerContext = new TimerContext(scoring);
        reviewContext = new ReviewContext(scoring);
        retags = getRuntimeContext().getMetricGroup().counter("retags");
        retagMillis = getRuntimeContext().getMetricGroup().counter("retagMillis");
    }

    @Override
    public void processElement(Inbound in, ReadOnlyContext ctx, Collector<Trigger> out) throws Exception {
        follow(ctx.getBroadcastState(MODEL));
        elementContext.ctx = ctx;
        scoring.processElement(in, elementContext, out);
        timers = ctx.timerService();
        retagIfPending(ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Trigger> out) throws Exception {
        follow(ctx.getBroadcastState(MODEL));
        timerContext.ctx = ctx;
        scoring.onTimer(timestamp, timerContext, out);
        timers = ctx.timerService();
        retagIfPending(ctx, out);
    }

    /** Runs a re-tag that waited for the timer service, now that this element or timer is done with its key. */
    private void retagIfPending(ReadOnlyContext output, Collector<Trigger> out) throws Exception {
        if (pendingRetag != null) {
            Context keys = pendingRetag;
            pendingRetag = null;
            reviewContext.elementOutput = output;
            retag(keys, out);
        }
    }

    /**
     * Re-scores every stored user of this subtask under the model in force, at the watermark; the
     * side outputs go through the context {@link #reviewContext} was given, triggers to {@code out}.
     */
    private void retag(Context keys, Collector<Trigger> out) throws Exception {
        long started = System.nanoTime();
        long watermark = timers.currentWatermark();
        reviewContext.timers = timers;
        long[] users = new long[1];
        keys.applyToKeyedState(UserScoringFunction.stateDescriptor(), (user, state) -> {
            reviewContext.key = user;
            scoring.review(watermark, reviewContext, out);
            users[0]++;
        });
        reviewContext.elementOutput = null;
        reviewContext.broadcastOutput = null;
        long millis = (System.nanoTime() - started) / 1_000_000;
        retagMillis.inc(millis);
        retags.inc();
        LOG.info("re-tagged {} users under model {} at watermark {} in {} ms", users[0], scoring.modelVersion(),
                watermark, millis);
    }

    /** The broadcast operator's context as {@link UserScoringFunction} takes it; one, reused. */
    private static final class ElementContext extends KeyedProcessFunction<String, Inbound, Trigger>.Context {
        ReadOnlyContext ctx;

        ElementContext(UserScoringFunction f) {
            f.super();
        }

        @Override
        public Long timestamp() {
            return ctx.timestamp();
        }

        @Override
        public TimerService timerService() {
            return ctx.timerService();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            ctx.output(tag, value);
        }

        @Override
        public String getCurrentKey() {
            return ctx.getCurrentKey();
        }
    }

    /** As {@link ElementContext}, for timers. */
    private static final class TimerContext extends KeyedProcessFunction<String, Inbound, Trigger>.OnTimerContext {
        OnTimerContext ctx;

        TimerContext(UserScoringFunction f) {
            f.super();
        }

        @Override
        public Long timestamp() {
            return ctx.timestamp();
        }

        @Override
        public TimerService timerService() {
            return ctx.timerService();
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            ctx.output(tag, value);
        }

        @Override
        public TimeDomain timeDomain() {
            return ctx.timeDomain();
        }

        @Override
        public String getCurrentKey() {
            return ctx.getCurrentKey();
        }
    }

    /** A re-tag's view of one key, as {@link UserScoringFunction} takes it; one, reused. */
    private static final class ReviewContext extends KeyedProcessFunction<String, Inbound, Trigger>.Context {
        /** Where side outputs go: the element's or timer's context, or else the broadcast element's. */
        ReadOnlyContext elementOutput;
        Context broadcastOutput;
        TimerService timers;
        String key;

        ReviewContext(UserScoringFunction f) {
            f.super();
        }

        @Override
        public Long timestamp() {
            return null;
        }

        @Override
        public TimerService timerService() {
            return timers;
        }

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            if (elementOutput != null) {
                elementOutput.output(tag, value);
            } else {
                broadcastOutput.output(tag, value);
            }
        }

        @Override
        public String getCurrentKey() {
            return key;
        }
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<Trigger> out) throws Exception {
        ctx.getBroadcastState(MODEL).put(CURRENT, update);
        follow(ctx.getBroadcastState(MODEL));
        LOG.info("model {} by {} in force: {}", update.getVersion(), update.getAuthor(), update.getNote());
        if (update.getRetag()) {
            if (timers != null) {
                reviewContext.broadcastOutput = ctx;
                retag(ctx, out);
            } else {
                LOG.info("re-tag under model {} waits for this subtask's first element or timer", update.getVersion());
                pendingRetag = ctx;
            }
        }
    }

    /** Installs the model in force if it is not the one scoring (after an update, or a restore). */
    private void follow(ReadOnlyBroadcastState<String, ModelUpdate> state) throws Exception {
        ModelUpdate update = state.get(CURRENT);
        if (update == null || update.getVersion().equals(scoring.modelVersion())
                || update.getVersion().equals(refused)) {
            return;
        }
        try {
            scoring.install(ModelUpdates.model(update));
        } catch (IllegalArgumentException e) {
            // Accepted once, refused now: only a restore by a build that reads models differently.
            // The model scoring stays; a restart loop would stop every user's scoring instead.
            refused = update.getVersion();
            LOG.error("the model in force, {}, no longer reads: {}; scoring stays with {}", update.getVersion(),
                    e.getMessage(), scoring.modelVersion());
        }
    }
}
