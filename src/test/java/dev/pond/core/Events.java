package dev.pond.core;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.state.OrderHistory;
import dev.pond.testing.TestModels;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only factories for events, histories and models, so that a test reads like its scenario.
 * Every event belongs to {@link #USER}; times are {@link Instant}s or epoch milliseconds.
 */
final class Events {

    static final String USER = "u1";
    /** A Monday morning in March 2025, the default "now" of the tests. */
    static final Instant T0 = Instant.parse("2025-03-10T10:00:00Z");
    /** Flink's watermark before any watermark arrived. */
    static final long NO_WATERMARK = Long.MIN_VALUE;

    private Events() {}

    static Model defaults() {
        return ModelLoader.defaults();
    }

    /** The default model with {@code yaml} laid over it. */
    static Model model(String yaml) {
        return ModelLoader.fromYaml(yaml, "test");
    }

    /** The cart rule alone, its first reminder the last, under a neutral contact policy: see {@link TestModels}. */
    static Model cartOnly() {
        return TestModels.cartOnly(false);
    }

    /** {@link #cartOnly()} with the default model's second reminder. */
    static Model cartOnlyWithSecondReminder() {
        return TestModels.cartOnly(true);
    }

    static long ms(Instant t) {
        return t.toEpochMilli();
    }

    static Instant minutes(Instant t, long m) {
        return t.plus(Duration.ofMinutes(m));
    }

    static Instant hours(Instant t, long h) {
        return t.plus(Duration.ofHours(h));
    }

    static Instant days(Instant t, long d) {
        return t.plus(Duration.ofDays(d));
    }

    // ---- clicks ----

    static ClickEvent click(String eventId, Instant ts, ClickType type) {
        return click(eventId, ts, type, null);
    }

    static ClickEvent click(String eventId, Instant ts, ClickType type, String category) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(USER)
                .setTs(ts)
                .setType(type)
                .setCategory(category)
                .build();
    }

    static ClickEvent fromChannel(ClickEvent e, String channel) {
        return ClickEvent.newBuilder(e).setChannel(channel).build();
    }

    static ClickEvent forUser(ClickEvent e, String userId) {
        return ClickEvent.newBuilder(e).setUserId(userId).build();
    }

    static ClickEvent addToCart(String eventId, Instant ts, String productId, String category, double price) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(USER)
                .setTs(ts)
                .setType(ClickType.ADD_TO_CART)
                .setProductId(productId)
                .setCategory(category)
                .setPrice(price)
                .build();
    }

    static ClickEvent removeFromCart(String eventId, Instant ts, String productId, String category) {
        return ClickEvent.newBuilder()
                .setEventId(eventId)
                .setUserId(USER)
                .setTs(ts)
                .setType(ClickType.REMOVE_FROM_CART)
                .setProductId(productId)
                .setCategory(category)
                .build();
    }

    // ---- article reads ----

    static ArticleRead read(Instant ts, boolean opened, long dwellMs, double scrollDepth, int shares,
            String... topics) {
        return ArticleRead.newBuilder()
                .setEventId("r-" + ts.toEpochMilli())
                .setUserId(USER)
                .setTs(ts)
                .setArticleId("a1")
                .setTopics(new ArrayList<>(List.of(topics)))
                .setOpened(opened)
                .setDwellMs(dwellMs)
                .setScrollDepth(scrollDepth)
                .setShares(shares)
                .build();
    }

    // ---- orders ----

    static OrderItem item(String productId, String category, int quantity, double unitPrice) {
        return OrderItem.newBuilder()
                .setProductId(productId)
                .setCategory(category)
                .setQuantity(quantity)
                .setUnitPrice(unitPrice)
                .build();
    }

    static OrderEvent order(String orderId, OrderStatus status, Instant ts, double total, OrderItem... items) {
        return OrderEvent.newBuilder()
                .setEventId(orderId + "-" + status + "-" + ts.toEpochMilli())
                .setOrderId(orderId)
                .setUserId(USER)
                .setTs(ts)
                .setStatus(status)
                .setItems(new ArrayList<>(List.of(items)))
                .setTotal(total)
                .build();
    }

    static OrderEvent paid(String orderId, Instant ts, double total) {
        return order(orderId, OrderStatus.PAID, ts, total);
    }

    static OrderHistory emptyHistory() {
        return new OrderHistory(null, null, 0, 0d, 0, 0d, new ArrayList<>(), new ArrayList<>());
    }

    /** A history with the given orders applied in turn (each paid at its time). */
    static OrderHistory history(Model model, OrderEvent... events) {
        Orders orders = new Orders(model);
        OrderHistory h = emptyHistory();
        for (OrderEvent e : events) {
            orders.apply(h, e);
        }
        return h;
    }
}
