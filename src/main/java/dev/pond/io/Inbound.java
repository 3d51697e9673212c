package dev.pond.io;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.OrderEvent;
import dev.pond.out.DeadLetter;
import dev.pond.state.ReferralCredit;

/**
 * One decoded input record: exactly one of a click, a read, an order, or (when decoding or
 * validation failed) a dead letter; inside the job also a referral credit, which the referral
 * operator sends to the scoring operator under the referrer's key. The three input streams are unioned as this type, so that one
 * keyed operator sees a user's events in one order. A Flink POJO whose fields are Avro records, so
 * it is serialized without Kryo.
 */
public class Inbound {

    public ClickEvent click;
    public ArticleRead read;
    public OrderEvent order;
    public DeadLetter deadLetter;
    /** Inside the job only: a friend's first payment, for the referrer's key (ReferralRouter). */
    public ReferralCredit credit;

    /** For Flink's POJO serializer. */
    public Inbound() {}

    public static Inbound of(ClickEvent e) {
        Inbound in = new Inbound();
        in.click = e;
        return in;
    }

    public static Inbound of(ArticleRead e) {
        Inbound in = new Inbound();
        in.read = e;
        return in;
    }

    public static Inbound of(OrderEvent e) {
        Inbound in = new Inbound();
        in.order = e;
        return in;
    }

    public static Inbound of(ReferralCredit c) {
        Inbound in = new Inbound();
        in.credit = c;
        return in;
    }

    public static Inbound of(DeadLetter d) {
        Inbound in = new Inbound();
        in.deadLetter = d;
        return in;
    }

    /** The user the event is about; null for a dead letter. */
    public String userId() {
        if (click != null) return click.getUserId();
        if (read != null) return read.getUserId();
        if (order != null) return order.getUserId();
        if (credit != null) return credit.getReferrerId();
        return null;
    }

    /** The event time, or {@link Long#MIN_VALUE} for a dead letter (which must not move watermarks). */
    public long eventTime() {
        if (click != null) return click.getTs().toEpochMilli();
        if (read != null) return read.getTs().toEpochMilli();
        if (order != null) return order.getTs().toEpochMilli();
        if (credit != null) return credit.getTs().toEpochMilli();
        return Long.MIN_VALUE;
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    @Override
    public String toString() {
        Object value = click != null ? click : read != null ? read : order != null ? order
                : credit != null ? credit : deadLetter;
        return "Inbound{" + value + "}";
    }
}
