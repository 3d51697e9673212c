package dev.pond.scoring;

import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.testing.TestModels;

import java.time.Instant;
import java.util.ArrayList;

/**
 * Test-only factories for the events the operator tests feed, so that a test reads like its
 * scenario (copied in spirit from {@code dev.pond.core.Events}, which is package-private there).
 * Times are epoch milliseconds of event time; every event belongs to {@link #USER} unless a
 * factory takes a user.
 */
final class ScoringEvents {

    static final String USER = "u1";
    /** A Monday morning in March 2025, the default "now" of the tests. */
    static final long T0 = Instant.parse("2025-03-10T10:00:00Z").toEpochMilli();

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** When the default model's churn risk of a customer with one order reaches 0.80 (sleeping). */
    static final long SLEEPING_AFTER = 62 * DAY + ((11 * 60 + 50) * 60 + 39) * 1000L;
    /** ... and 0.95 (churned). The same numbers as in StandingRulesTest, which checks them. */
    static final long CHURNED_AFTER = 187 * DAY + ((9 * 60 + 33) * 60 + 47) * 1000L;

    private ScoringEvents() {}

    static Model defaults() {
        return ModelLoader.defaults();
    }

    /** The cart rule alone, its first reminder the last, under a neutral contact policy: see {@link TestModels}. */
    static Model cartOnly() {
        return TestModels.cartOnly(false);
    }

    static ClickEvent click(String eventId, long ts, ClickType type) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(USER)
                .setTs(Instant.ofEpochMilli(ts))
                .setType(type)
                .build();
    }

    static ClickEvent click(String eventId, long ts, ClickType type, String channel) {
        return ClickEvent.newBuilder(click(eventId, ts, type)).setChannel(channel).build();
    }

    /** An add-to-cart without a category, so that it gives the user no interest tag (and no review timer). */
    static ClickEvent addToCart(String eventId, long ts, String productId, double price) {
        return addToCart(USER, eventId, ts, productId, null, price);
    }

    static ClickEvent addToCart(String userId, String eventId, long ts, String productId, String category,
            double price) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setTs(Instant.ofEpochMilli(ts))
                .setType(ClickType.ADD_TO_CART)
                .setProductId(productId)
                .setCategory(category)
                .setPrice(price)
                .build();
    }

    static ClickEvent removeFromCart(String eventId, long ts, String productId) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(USER)
                .setTs(Instant.ofEpochMilli(ts))
                .setType(ClickType.REMOVE_FROM_CART)
                .setProductId(productId)
                .build();
    }

    /** A status change of an order without items. */
    static OrderEvent order(String orderId, OrderStatus status, long ts, double total) {
        return OrderEvent.newBuilder()
                .setEventId(orderId + "-" + status + "-" + ts)
                .setOrderId(orderId)
                .setUserId(USER)
                .setTs(Instant.ofEpochMilli(ts))
                .setStatus(status)
                .setItems(new ArrayList<>())
                .setTotal(total)
                .build();
    }
}
