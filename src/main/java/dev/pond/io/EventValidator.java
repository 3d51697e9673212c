package dev.pond.io;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;

import java.time.Instant;
import java.util.List;

/**
 * The input contract beyond what the schema says: ids present and short, timestamps plausible,
 * amounts not negative, collections bounded. A record that breaks it goes to the dead-letter topic
 * with the first reason found; the job never sees it.
 */
public final class EventValidator {

    /** Longest id (userId, eventId, orderId, productId, articleId, sessionId). */
    public static final int MAX_ID = 128;
    /** Longest label (category, channel, topic, currency). */
    public static final int MAX_LABEL = 64;
    /** Longest free text (a search query). */
    public static final int MAX_TEXT = 1024;
    /** Most topics on one article, lines in one order. */
    public static final int MAX_ITEMS = 100;
    /** The largest amount (price, total) taken as real; beyond it sums would lose all precision. */
    public static final double MAX_AMOUNT = 1e9;
    /** How far ahead of the wall clock an event may claim to be. */
    public static final long MAX_FUTURE_MILLIS = 24 * 3_600_000L;

    /**
     * The wall clock to validate history against ({@code pond fit}): events may lie anywhere in
     * the past, and no moment is too far ahead of it.
     */
    public static final long HISTORY = Long.MAX_VALUE - MAX_FUTURE_MILLIS;

    private EventValidator() {}

    /** Why the click is invalid, or null if it is valid, judged at wall-clock time {@code now}. */
    public static String check(ClickEvent e, long now) {
        String why = common(e.getEventId(), e.getUserId(), e.getTs(), now);
        if (why == null) why = optionalId("productId", e.getProductId());
        if (why == null) why = label("category", e.getCategory());
        if (why == null) why = label("channel", e.getChannel());
        if (why == null) why = optionalId("sessionId", e.getSessionId());
        if (why == null) why = length("query", e.getQuery(), MAX_TEXT);
        if (why == null) why = zone(e.getTimeZone());
        if (why == null) why = birthday(e.getBirthday());
        if (why == null) why = optionalId("referrerId", e.getReferrerId());
        if (why == null && e.getReferrerId() != null && e.getReferrerId().equals(e.getUserId())) {
            why = "referrerId is the user's own id";
        }
        if (why == null && e.getPrice() != null) why = amount("price", e.getPrice());
        if (why == null && (e.getType() == ClickType.ADD_TO_CART || e.getType() == ClickType.REMOVE_FROM_CART)
                && blank(e.getProductId())) {
            why = "productId is required for " + e.getType();
        }
        return why;
    }

    /** Why the read is invalid, or null. */
    public static String check(ArticleRead e, long now) {
        String why = common(e.getEventId(), e.getUserId(), e.getTs(), now);
        if (why == null) why = id("articleId", e.getArticleId());
        if (why == null) why = labels("topics", e.getTopics());
        if (why == null && e.getDwellMs() < 0) why = "dwellMs is negative: " + e.getDwellMs();
        if (why == null && !(e.getScrollDepth() >= 0 && e.getScrollDepth() <= 1)) {
            why = "scrollDepth must be between 0 and 1: " + e.getScrollDepth();
        }
        if (why == null && e.getShares() < 0) why = "shares is negative: " + e.getShares();
        return why;
    }

    /** Why the order event is invalid, or null. */
    public static String check(OrderEvent e, long now) {
        String why = common(e.getEventId(), e.getUserId(), e.getTs(), now);
        if (why == null) why = id("orderId", e.getOrderId());
        if (why == null) why = amount("total", e.getTotal());
        if (why == null) why = label("currency", e.getCurrency());
        if (why == null) why = label("channel", e.getChannel());
        if (why == null && e.getItems().size() > MAX_ITEMS) why = "more than " + MAX_ITEMS + " items";
        if (why == null && e.getPointsRedeemed() < 0) why = "pointsRedeemed is negative: " + e.getPointsRedeemed();
        List<OrderItem> items = e.getItems();
        for (int i = 0; why == null && i < items.size(); i++) {
            OrderItem item = items.get(i);
            String at = "items[" + i + "].";
            why = id(at + "productId", item.getProductId());
            if (why == null) why = label(at + "category", item.getCategory());
            if (why == null && item.getQuantity() < 1) why = at + "quantity must be at least 1: " + item.getQuantity();
            if (why == null) why = amount(at + "unitPrice", item.getUnitPrice());
        }
        return why;
    }

    private static String common(String eventId, String userId, Instant ts, long now) {
        String why = id("userId", userId);
        if (why == null) why = id("eventId", eventId);
        if (why == null && ts.toEpochMilli() < 0) why = "ts is before 1970: " + ts.toEpochMilli();
        if (why == null && ts.toEpochMilli() > now + MAX_FUTURE_MILLIS) {
            why = "ts is more than a day ahead of the clock: " + ts;
        }
        return why;
    }

    private static String id(String field, String value) {
        return blank(value) ? field + " is empty" : length(field, value, MAX_ID);
    }

    private static String optionalId(String field, String value) {
        return length(field, value, MAX_ID);
    }

    private static String label(String field, String value) {
        if (value != null && value.isBlank()) {
            return field + " is blank (leave it out instead)";
        }
        return length(field, value, MAX_LABEL);
    }

    private static String labels(String field, List<String> values) {
        if (values.size() > MAX_ITEMS) {
            return "more than " + MAX_ITEMS + " " + field;
        }
        for (String v : values) {
            String why = blank(v) ? field + " has an empty entry" : label(field, v);
            if (why != null) {
                return why;
            }
        }
        return null;
    }

    private static String length(String field, String value, int max) {
        return value != null && value.length() > max
                ? field + " is longer than " + max + " characters (" + value.length() + ")"
                : null;
    }

    private static String amount(String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return field + " is not a number: " + value;
        }
        if (value > MAX_AMOUNT) {
            return field + " is more than " + (long) MAX_AMOUNT + ": " + value;
        }
        return value < 0 ? field + " is negative: " + value : null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A birthday, if given, is a day of the year as MM-DD (02-29 included). */
    private static String birthday(String value) {
        if (value == null) {
            return null;
        }
        if (value.length() != 5) {
            return "birthday must be MM-DD: '" + Reasons.value(value) + "'";
        }
        try {
            java.time.MonthDay.parse("--" + value);
            return null;
        } catch (java.time.DateTimeException e) {
            return "birthday must be MM-DD: '" + Reasons.value(value) + "'";
        }
    }

    /** A time zone, if given, must be one the JVM knows (an IANA region id like Asia/Shanghai, or an offset). */
    private static String zone(String timeZone) {
        if (timeZone == null) {
            return null;
        }
        if (timeZone.length() > 64) {
            return "timeZone is longer than 64 characters";
        }
        try {
            java.time.ZoneId.of(timeZone);
            return null;
        } catch (java.time.DateTimeException e) {
            return "timeZone is not a known time zone: '" + Reasons.value(timeZone) + "'";
        }
    }
}
