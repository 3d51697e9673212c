package dev.pond.core;

import dev.pond.events.OrderEvent;
import dev.pond.model.Model;
import dev.pond.state.OrderRef;
import dev.pond.state.UserState;

/**
 * The membership points balance, moved by orders: a payment earns points for the order's total
 * ({@code birthdayMultiplier} times as many in the member's birthday month) and spends what it redeems; a refund (or a cancellation after payment) takes back what the
 * payment earned and gives back what it spent. Each order moves the balance once, through the
 * same {@link Orders} bookkeeping that counts it once; the order remembers what it moved, so a
 * refund undoes exactly that even after the model changed. The balance never goes below zero: a
 * redemption Pond cannot cover (points from before Pond saw the customer) spends what there is.
 */
public final class Points {

    private final double perCurrencyUnit;
    private final double birthdayMultiplier;
    private final Birthdays birthdays;

    public Points(Model model) {
        this.perCurrencyUnit = model.points().perCurrencyUnit();
        this.birthdayMultiplier = model.points().birthdayMultiplier();
        this.birthdays = new Birthdays(model);
    }

    /** Points a paid order of {@code total} earns outside the birthday month: whole points, rounded down. */
    public long earned(double total) {
        return earned(total, 1);
    }

    private long earned(double total, double multiplier) {
        return (long) Math.floor(total * perCurrencyUnit * multiplier + 1e-9);
    }

    /** Moves the balance for what {@link Orders#apply} did with {@code e}. */
    public void apply(UserState s, OrderEvent e, Orders.Effect effect) {
        if (effect == Orders.Effect.NONE) {
            return;
        }
        OrderRef ref = Orders.find(s.getOrders(), e.getOrderId());
        if (ref == null) {
            return; // an order the recent orders no longer hold: nothing known to undo
        }
        long balance = s.getPoints();
        if (effect == Orders.Effect.PURCHASED) {
            boolean birthdayMonth = birthdays.inBirthdayMonth(s, e.getTs().toEpochMilli());
            long earned = earned(ref.getTotal(), birthdayMonth ? birthdayMultiplier : 1);
            long spent = Math.min(Math.max(0, e.getPointsRedeemed()), balance + earned);
            ref.setPointsEarned(earned);
            ref.setPointsRedeemed(spent);
            s.setPoints(balance + earned - spent);
        } else {
            s.setPoints(Math.max(0, balance - ref.getPointsEarned() + ref.getPointsRedeemed()));
            ref.setPointsEarned(0L);
            ref.setPointsRedeemed(0L);
        }
    }
}
