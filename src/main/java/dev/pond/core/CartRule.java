package dev.pond.core;

import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.out.Offer;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import dev.pond.state.CartEpisode;
import dev.pond.state.CartEvent;
import dev.pond.state.CartEventKind;
import dev.pond.state.CartLine;
import dev.pond.state.OrderHistory;
import dev.pond.state.OrderRef;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CART_ABANDONED: a cart episode opens with an add-to-cart and ends with an order (no reminder),
 * an emptied cart (no reminder), or the reminders: the first due a delay after the latest
 * add-to-cart, and a second one (if the model asks for it) a while after the first, with what is
 * still in the cart, if the customer got a first one. An order, an emptied cart or a new add-to-cart before
 * the second cancels it; the new add-to-cart opens a new episode that starts with what is still in
 * the cart. The reminders go to the {@link ContactPolicy}, which may still defer or drop them; a
 * reminder it holds for quiet hours is suppressed by any later cart click.
 *
 * <p>The rule is evaluated in event time, whatever order events arrive in, as long as they arrive
 * ahead of the watermark. Cart clicks wait in {@link UserState#getCartPending()} and are applied in
 * event-time order once the watermark has passed them; the checkouts are the recent orders of the
 * order history (when each was placed or paid, whatever became of it later: a cancelled order was
 * still a decision at the checkout). An episode ends at the first checkout after it
 * opened if that comes before its reminder is due; otherwise the reminder fires at the due time.
 * So an add at 10:00 and an order at 10:45 give a reminder at 10:30 even when the order arrives
 * first, and an order at 10:20 cancels it even when it arrives after a click at 10:33.
 *
 * <p>A cart click that arrives behind the watermark (late beyond the bound) is applied as it
 * comes: an add-to-cart joins the open episode, or opens one unless its reminder moment has
 * already passed; either way unless an order seen already came after it (then it was bought).
 */
public final class CartRule {

    /** What an add-to-cart did. */
    public enum Added {
        /** Waiting for the watermark, or applied to the cart. */
        IN_CART,
        /** It arrived late, and an order after it was already seen: it belonged to a cart that was bought. */
        ALREADY_BOUGHT,
        /** It arrived late, with no open episode, and its reminder moment has passed: too late to remind. */
        TOO_LATE
    }

    private final TriggerParams.CartAbandoned params;
    private final TriggerParams.SecondReminder second;
    private final Model.Limits limits;
    private final String modelVersion;
    private final ContactPolicy policy;

    public CartRule(Model model, ContactPolicy policy) {
        this.params = model.triggers().cartAbandoned();
        this.second = params.secondReminder();
        this.limits = model.limits();
        this.modelVersion = model.version();
        this.policy = policy;
    }

    /** An ADD_TO_CART or REMOVE_FROM_CART click, arriving when the watermark is at {@code watermark}. */
    public Added clicked(UserState s, ClickEvent e, String userId, long watermark, Emissions out) {
        if (!params.enabled()) {
            return Added.IN_CART;
        }
        CartEventKind kind = e.getType() == ClickType.ADD_TO_CART ? CartEventKind.ADD : CartEventKind.REMOVE;
        CartEvent event = new CartEvent(e.getTs().toEpochMilli(), kind, e.getEventId(), e.getProductId(),
                e.getCategory(), e.getPrice());
        settleUpTo(s, userId, watermark, out);
        Added result = Added.IN_CART;
        if (event.getTs() > watermark) {
            insertInOrder(s.getCartPending(), event);
            if (s.getCartPending().size() > limits.maxPendingCartEvents()) {
                commit(s, s.getCartPending().remove(0), userId, out); // bounded: the oldest goes in early
            }
        } else if (kind == CartEventKind.ADD && boughtBefore(s, event.getTs())) {
            result = Added.ALREADY_BOUGHT;
        } else if (kind == CartEventKind.ADD && (s.getCart() == null || s.getCart().getRemindedAt() != null)
                && event.getTs() + params.delayMillis() <= watermark) {
            result = Added.TOO_LATE;
        } else {
            changed(s, event, out);
            apply(s, event);
        }
        plan(s);
        return result;
    }

    /**
     * Whether a late add-to-cart at {@code t} was bought before the open episode began (or, with
     * none open, within the delay after it): then it belonged to an episode that already ended.
     */
    private boolean boughtBefore(UserState s, long t) {
        long until = s.getCart() == null ? t + params.delayMillis() : s.getCart().getOpenedAt();
        for (OrderRef r : s.getOrders().getRecent()) {
            Long checkout = r.getCheckoutAt();
            if (checkout != null && checkout >= t && checkout < until) {
                return true;
            }
        }
        return false;
    }

    /** An order was recorded in the history (a possible checkout), arriving at {@code watermark}. */
    public void ordered(UserState s, String userId, long watermark, Emissions out) {
        advance(s, userId, watermark, out);
    }

    /**
     * Applies, in event-time order, the pending cart events up to {@code upTo} (the watermark),
     * ending or firing the episode as its checkouts and due time come; then plans the next timer.
     */
    public void advance(UserState s, String userId, long upTo, Emissions out) {
        settleUpTo(s, userId, upTo, out);
        plan(s);
    }

    private void settleUpTo(UserState s, String userId, long upTo, Emissions out) {
        List<CartEvent> pending = s.getCartPending();
        while (!pending.isEmpty() && pending.get(0).getTs() <= upTo) {
            commit(s, pending.remove(0), userId, out);
        }
        settle(s, userId, upTo, out);
    }

    /** Applies one event in event-time order, after settling the episode up to it. */
    private void commit(UserState s, CartEvent e, String userId, Emissions out) {
        settle(s, userId, e.getTs(), out);
        changed(s, e, out);
        apply(s, e);
    }

    /** Tells the policy the cart changed: a reminder it holds for quiet hours is then out of date. */
    private void changed(UserState s, CartEvent e, Emissions out) {
        policy.cartChanged(s, e.getTs(), e.getKind() == CartEventKind.ADD ? "an add-to-cart" : "a removal from the cart",
                out);
    }

    /**
     * Fires the reminders due by {@code now}, and ends the episode if an order bought it or its
     * last reminder fired.
     */
    private void settle(UserState s, String userId, long now, Emissions out) {
        while (s.getCart() != null) {
            CartEpisode cart = s.getCart();
            long end = end(cart, s.getOrders());
            if (end > now) {
                return;
            }
            if (end != cart.getDueAt()) {
                s.setCart(null); // bought
                return;
            }
            boolean first = cart.getRemindedAt() == null;
            Trigger reminder = reminder(cart, userId, first);
            if (first || firstWentOut(s, cart, userId)) {
                policy.schedule(s, reminder, end, SuppressBy.CHECKOUT, cart.getOpenedAt(), null, out);
            } else {
                policy.note(s, reminder, TriggerOutcome.SUPPRESSED, end, "the first reminder, due "
                        + Instant.ofEpochMilli(cart.getRemindedAt()) + ", did not go out: no second one", out);
            }
            if (first && second.enabled()) {
                cart.setRemindedAt(end);
                cart.setDueAt(end + second.afterMillis());
            } else {
                s.setCart(null);
            }
        }
    }

    /**
     * Whether the customer was reminded of this cart: the episode's first reminder went out (or may
     * still), or the cooldown dropped it after a cart reminder that did, for the cart this episode
     * carries on. A second reminder follows a first, with a better offer; it does not stand in for
     * one the policy dropped for a cap, or that expired or was suppressed. While the episode waits
     * for its second reminder it is the user's only one (a new add-to-cart would have opened a new
     * episode, and suppressed an old reminder still held), so a cart reminder sent from the
     * cooldown before the first was due on is the one.
     */
    private boolean firstWentOut(UserState s, CartEpisode cart, String userId) {
        if (ContactPolicy.isPending(s, TriggerIds.of(TriggerType.CART_ABANDONED, userId, cart.getOpenedAt()))) {
            return true;
        }
        Long sent = s.getLastSent().get(TriggerType.CART_ABANDONED.name());
        return sent != null && sent >= cart.getRemindedAt() - params.cooldownMillis();
    }

    /**
     * When the episode ends, as far as is known: at the first checkout from its opening until its
     * due time (no reminder), or at its due time (the reminder).
     */
    private static long end(CartEpisode cart, OrderHistory orders) {
        long end = cart.getDueAt();
        for (OrderRef r : orders.getRecent()) {
            Long checkout = r.getCheckoutAt();
            if (checkout != null && checkout >= cart.getOpenedAt() && checkout < end) {
                end = checkout;
            }
        }
        return end;
    }

    /** One step of the episode, for a cart click in event-time order. */
    private void apply(UserState s, CartEvent e) {
        CartEpisode cart = s.getCart();
        if (e.getKind() == CartEventKind.ADD) {
            long t = e.getTs();
            if (cart == null || (cart.getRemindedAt() != null && t >= cart.getRemindedAt())) {
                // Back after a reminder: a new episode, starting with what is still in the cart.
                List<CartLine> carried = new ArrayList<>();
                if (cart != null) {
                    cart.getLines().forEach(l -> carried.add(CartLine.newBuilder(l).build()));
                }
                cart = new CartEpisode(t, t, t + params.delayMillis(), carried, new ArrayList<>(), null);
                s.setCart(cart);
            } else if (cart.getRemindedAt() == null) {
                cart.setOpenedAt(Math.min(cart.getOpenedAt(), t));
                cart.setLastAddAt(Math.max(cart.getLastAddAt(), t));
                cart.setDueAt(Math.max(cart.getDueAt(), t + params.delayMillis()));
            }
            addLine(cart, e);
            return;
        }
        int i = cart == null ? -1 : indexOf(cart, e.getProductId());
        if (i >= 0) {
            CartLine line = cart.getLines().get(i);
            line.setQuantity(line.getQuantity() - 1);
            if (line.getQuantity() <= 0) {
                cart.getLines().remove(i); // by index: Avro arrays read from state cannot remove by value
            }
            if (cart.getLines().isEmpty()) {
                s.setCart(null);
            }
        }
    }

    private void addLine(CartEpisode cart, CartEvent e) {
        int i = indexOf(cart, e.getProductId());
        if (i >= 0) {
            CartLine line = cart.getLines().get(i);
            line.setQuantity(line.getQuantity() + 1);
            if (e.getPrice() != null) {
                line.setUnitPrice(e.getPrice());
            }
        } else if (cart.getLines().size() < limits.maxCartLines()) {
            cart.getLines().add(new CartLine(e.getProductId(), e.getCategory(), 1,
                    e.getPrice() == null ? 0d : e.getPrice()));
        }
        List<String> ids = cart.getEventIds();
        ids.add(e.getEventId());
        while (ids.size() > limits.maxFactEvents()) {
            ids.remove(0);
        }
    }

    /**
     * Sets {@link UserState#getCartTimerAt()} to the next moment the cart needs the watermark: when
     * the episode (as the pending clicks will make it) ends by an order or fires, or else when the
     * last pending click can be applied; null if nothing is open or pending.
     */
    private void plan(UserState s) {
        List<CartEvent> pending = s.getCartPending();
        UserState sim = new UserState();
        sim.setCart(s.getCart() == null ? null : CartEpisode.newBuilder(s.getCart()).build());
        for (CartEvent e : pending) {
            if (sim.getCart() != null) {
                long end = end(sim.getCart(), s.getOrders());
                if (end <= e.getTs()) {
                    s.setCartTimerAt(end);
                    return;
                }
            }
            apply(sim, e);
        }
        if (sim.getCart() != null) {
            s.setCartTimerAt(end(sim.getCart(), s.getOrders()));
        } else {
            s.setCartTimerAt(pending.isEmpty() ? null : pending.get(pending.size() - 1).getTs());
        }
    }

    private Trigger reminder(CartEpisode cart, String userId, boolean first) {
        long t = cart.getDueAt();
        double value = 0;
        long units = 0;
        List<TriggerItem> items = new ArrayList<>(cart.getLines().size());
        for (CartLine l : cart.getLines()) {
            value += l.getQuantity() * l.getUnitPrice();
            units += l.getQuantity();
            items.add(new TriggerItem(l.getProductId(), l.getCategory(), l.getQuantity(), l.getUnitPrice()));
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("cartValue", value);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("cartLines", (long) items.size());
        counts.put("cartUnits", units);
        counts.put("reminder", first ? 1L : 2L);
        String what = units + " item" + (units == 1 ? "" : "s") + " (" + TagRules.money(value) + ")";
        String reason = first
                ? String.format(Locale.ROOT, "put %s in the cart and has not ordered %d minutes after the last one",
                        what, (t - cart.getLastAddAt()) / Times.MINUTE)
                : String.format(Locale.ROOT, "second reminder: %s still in the cart, not ordered %s hours after the"
                        + " first reminder", what, TagRules.number(second.afterHours()));
        TriggerParams.Offer offer = first ? params.offer() : second.offer();
        return new Trigger(
                first ? TriggerIds.of(TriggerType.CART_ABANDONED, userId, cart.getOpenedAt())
                        : TriggerIds.of(TriggerType.CART_ABANDONED, userId, cart.getOpenedAt(), "second"),
                userId,
                TriggerType.CART_ABANDONED,
                Instant.ofEpochMilli(t),
                Instant.ofEpochMilli(t + (first ? params.validMillis() : second.validMillis())),
                first ? params.priority() : second.priority(),
                reason,
                new TriggerFacts(scores, counts, items, new ArrayList<>(cart.getEventIds()), new ArrayList<>()),
                offer == null ? null : new Offer(offer.code(), offer.description()),
                modelVersion,
                null);
    }

    /** Inserts after every event with the same or an earlier time: arrival order breaks ties. */
    private static void insertInOrder(List<CartEvent> pending, CartEvent e) {
        int i = pending.size();
        while (i > 0 && pending.get(i - 1).getTs() > e.getTs()) {
            i--;
        }
        pending.add(i, e);
    }

    private static int indexOf(CartEpisode cart, String productId) {
        List<CartLine> lines = cart.getLines();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).getProductId().equals(productId)) {
                return i;
            }
        }
        return -1;
    }
}
