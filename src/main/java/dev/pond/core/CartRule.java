package dev.pond.core;

import dev.pond.events.ClickEvent;
import dev.pond.model.Model;
import dev.pond.out.Offer;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerType;
import dev.pond.state.CartEpisode;
import dev.pond.state.CartLine;
import dev.pond.state.UserState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CART_ABANDONED: a cart episode opens with an add-to-cart and ends with an order (no reminder),
 * an emptied cart (no reminder), or the reminder itself, which is due a delay after the latest
 * add-to-cart. One reminder per episode.
 */
public final class CartRule {

    /** What an add-to-cart did. */
    public enum Added {
        /** Opened an episode or added to the open one. */
        IN_CART,
        /** An order at or after it, within the delay, was already seen: it was bought. */
        ALREADY_BOUGHT,
        /** Its reminder would have been due before the current watermark: too late to remind. */
        TOO_LATE
    }

    private final Model.CartAbandoned params;
    private final Model.Limits limits;
    private final String modelVersion;

    public CartRule(Model model) {
        this.params = model.triggers().cartAbandoned();
        this.limits = model.limits();
        this.modelVersion = model.version();
    }

    /** An ADD_TO_CART event, processed when the watermark is at {@code watermark}. */
    public Added added(UserState s, ClickEvent e, long watermark) {
        long t = e.getTs().toEpochMilli();
        if (Orders.checkedOutBetween(s.getOrders(), t, t + params.delayMillis())) {
            return Added.ALREADY_BOUGHT;
        }
        CartEpisode cart = s.getCart();
        if (cart == null) {
            if (t + params.delayMillis() <= watermark) {
                return Added.TOO_LATE;
            }
            cart = new CartEpisode(t, t, t + params.delayMillis(), new ArrayList<>(), new ArrayList<>());
            s.setCart(cart);
        } else {
            cart.setOpenedAt(Math.min(cart.getOpenedAt(), t));
            cart.setLastAddAt(Math.max(cart.getLastAddAt(), t));
            cart.setDueAt(Math.max(cart.getDueAt(), cart.getLastAddAt() + params.delayMillis()));
        }
        CartLine line = line(cart, e.getProductId());
        if (line != null) {
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
        return Added.IN_CART;
    }

    /** A REMOVE_FROM_CART event: one unit less; an emptied cart ends the episode without a reminder. */
    public void removed(UserState s, ClickEvent e) {
        CartEpisode cart = s.getCart();
        int i = cart == null ? -1 : indexOf(cart, e.getProductId());
        if (i < 0) {
            return;
        }
        CartLine line = cart.getLines().get(i);
        line.setQuantity(line.getQuantity() - 1);
        if (line.getQuantity() <= 0) {
            cart.getLines().remove(i); // by index: Avro arrays read from state cannot remove by value
        }
        if (cart.getLines().isEmpty()) {
            s.setCart(null);
        }
    }

    /** An order placed or paid at {@code t}: if it is not older than the cart, the cart was bought. */
    public void checkedOut(UserState s, long t) {
        if (s.getCart() != null && t >= s.getCart().getOpenedAt()) {
            s.setCart(null);
        }
    }

    /**
     * The reminder, if the episode's reminder is due at {@code t}; the episode ends with it.
     *
     * @param intent the user's intent at {@code t}, for the facts
     */
    public Trigger due(UserState s, String userId, long t, double intent) {
        CartEpisode cart = s.getCart();
        if (cart == null || cart.getDueAt() != t) {
            return null;
        }
        s.setCart(null);
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
        scores.put("intent", intent);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("cartLines", (long) items.size());
        counts.put("cartUnits", units);
        String reason = String.format(Locale.ROOT,
                "put %d item%s (%s) in the cart and has not ordered %d minutes after the last one",
                units, units == 1 ? "" : "s", TagRules.money(value), (t - cart.getLastAddAt()) / Times.MINUTE);
        Model.Offer offer = params.offer();
        return new Trigger(
                TriggerIds.of(TriggerType.CART_ABANDONED, userId, cart.getOpenedAt()),
                userId,
                TriggerType.CART_ABANDONED,
                Instant.ofEpochMilli(t),
                Instant.ofEpochMilli(t + params.validMillis()),
                params.priority(),
                reason,
                new TriggerFacts(scores, counts, items, new ArrayList<>(cart.getEventIds())),
                offer == null ? null : new Offer(offer.code(), offer.description()),
                modelVersion);
    }

    private static CartLine line(CartEpisode cart, String productId) {
        int i = indexOf(cart, productId);
        return i < 0 ? null : cart.getLines().get(i);
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
