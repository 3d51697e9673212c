package dev.pond.model.fit;

import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.io.EventValidator;
import dev.pond.io.JsonCodec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Orders as Pond's JSON Lines {@link OrderEvent}s (what {@code generate} and {@code replay}
 * read), counted as the live job counts them: an order is a purchase once, when PAID; a REFUNDED
 * or CANCELLED of the same order undoes it, and a PAID after that does not count again. A
 * refund undoes the purchase wherever it falls in time, even after the calibration end: a
 * refunded order is not a purchase the model should learn from.
 */
final class OrderEventLines implements OrderLines {

    /** One order's fate so far. */
    private static final class Order {
        Purchase paid;
        boolean closed;
    }

    private final Map<String, Order> orders = new LinkedHashMap<>();
    /** One copy of each user id and category: a large file repeats them millions of times. */
    private final Map<String, String> names = new HashMap<>();
    private int undone;

    @Override
    public void accept(String line) {
        OrderEvent e;
        try {
            e = JsonCodec.read(line, OrderEvent.class);
        } catch (IOException bad) {
            throw new IllegalArgumentException(bad.getMessage());
        }
        Order order = orders.computeIfAbsent(e.getOrderId(), id -> new Order());
        if (e.getStatus() == OrderStatus.PAID) {
            if (order.paid == null && !order.closed) {
                order.paid = purchase(e);
            }
        } else if (e.getStatus() != OrderStatus.PLACED && !order.closed) {
            order.closed = true;
            undone += order.paid != null ? 1 : 0;
        }
    }

    private Purchase purchase(OrderEvent e) {
        // The job's own validation, so that fit learns from exactly the purchases the job counts;
        // history may lie anywhere in the past, so the wall clock is not consulted.
        String invalid = EventValidator.check(e, EventValidator.HISTORY);
        if (invalid != null) {
            throw new IllegalArgumentException("invalid order event: " + invalid);
        }
        List<String> categories = e.getItems().stream().map(OrderItem::getCategory).filter(Objects::nonNull)
                .map(String::trim).filter(c -> !c.isEmpty()).map(this::intern).distinct().sorted().toList();
        return new Purchase(intern(e.getUserId()), e.getTs(), e.getTotal(), categories);
    }

    private String intern(String name) {
        return names.computeIfAbsent(name, n -> n);
    }

    @Override
    public List<Purchase> purchases() {
        List<Purchase> out = new ArrayList<>();
        for (Order o : orders.values()) {
            if (o.paid != null && !o.closed) {
                out.add(o.paid);
            }
        }
        return out;
    }

    @Override
    public int undone() {
        return undone;
    }
}
