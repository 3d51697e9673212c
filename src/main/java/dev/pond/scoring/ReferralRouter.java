package dev.pond.scoring;

import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.io.Inbound;
import dev.pond.state.ReferralCredit;
import dev.pond.state.ReferralState;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Referrals (老客带新): every event passes it on, keyed by its user; of the clicks that name a
 * referrer and the PAID order events it keeps what a referral needs, and once the friend's first payment and the referral are both known, with the
 * referral no later than the payment (event time), it sends one {@link ReferralCredit} on to the
 * scoring operator under the referrer's key. The referrer's REFERRAL_REWARD then goes through
 * the referrer's own state and contact policy, exactly once (this operator's state is in every
 * checkpoint, and the credit travels inside the job), and a replay of the same input makes the
 * same credit, in whichever order the two arrive.
 *
 * <p>The referral is the earliest event that named one; the payment the earliest PAID seen. Once
 * the referrer is credited only that fact is kept. A buyer nobody invited keeps their earliest
 * payment, in case the sign-up that names a referrer arrives after it.
 */
public final class ReferralRouter extends KeyedProcessFunction<String, Inbound, Inbound> {

    private static final long serialVersionUID = 1L;

    /** The state's name: part of the savepoint contract. */
    public static final String STATE_NAME = "referral";

    private transient ValueState<ReferralState> state;
    private transient Counter credits;

    /** Whether {@code in} concerns a referral: a click naming a referrer, or a payment. */
    public static boolean concerns(Inbound in) {
        return (in.click != null && in.click.getReferrerId() != null)
                || (in.order != null && in.order.getStatus() == OrderStatus.PAID);
    }

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>(STATE_NAME, new AvroTypeInfo<>(ReferralState.class)));
        credits = getRuntimeContext().getMetricGroup().counter("referralCredits");
    }

    @Override
    public void processElement(Inbound in, Context ctx, Collector<Inbound> out) throws Exception {
        out.collect(in);
        if (concerns(in)) {
            referral(in, ctx, out);
        }
    }

    private void referral(Inbound in, Context ctx, Collector<Inbound> out) throws Exception {
        ReferralState s = state.value();
        if (s != null && s.getCredited()) {
            return;
        }
        if (s == null) {
            s = new ReferralState(null, null, null, null, null, false);
        }
        if (in.click != null) {
            ClickEvent c = in.click;
            long t = c.getTs().toEpochMilli();
            if (s.getReferrerAt() == null || t < s.getReferrerAt()) {
                s.setReferrerId(c.getReferrerId());
                s.setReferrerAt(t);
            }
        } else {
            OrderEvent o = in.order;
            long t = o.getTs().toEpochMilli();
            if (s.getFirstPaidAt() == null || t < s.getFirstPaidAt()) {
                s.setFirstPaidAt(t);
                s.setOrderId(o.getOrderId());
                s.setEventId(o.getEventId());
            }
        }
        if (s.getReferrerId() != null && s.getFirstPaidAt() != null && s.getReferrerAt() <= s.getFirstPaidAt()) {
            out.collect(Inbound.of(new ReferralCredit(s.getReferrerId(), ctx.getCurrentKey(),
                    java.time.Instant.ofEpochMilli(s.getFirstPaidAt()), s.getOrderId(), s.getEventId())));
            credits.inc();
            s = new ReferralState(null, null, null, null, null, true);
        }
        state.update(s);
    }
}
