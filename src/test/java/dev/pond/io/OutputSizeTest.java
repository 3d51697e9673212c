package dev.pond.io;

import dev.pond.model.Model;
import dev.pond.out.CategoryScore;
import dev.pond.out.Lifecycle;
import dev.pond.out.Offer;
import dev.pond.out.Profile;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerNote;
import dev.pond.out.TriggerOutcome;
import dev.pond.out.TriggerType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger or profile can never be larger than its sink sends: built at the worst the bounds allow
 * (every list as long as the model's limits let it be, {@link Model#MAX_LISTED}; every id and label
 * as long as validation lets it be, of characters that take three bytes in UTF-8), each still
 * fits a Kafka producer's default request of 1 MiB, with room for the key and the record's
 * overhead. If a schema gains a list or a limit grows, this says whether the bound still holds.
 */
class OutputSizeTest {

    /** The producer's default max.request.size, less what a record batch adds around one record. */
    private static final int ROOM = DeadLetters.KAFKA_DEFAULT_MAX_REQUEST - 16 * 1024;
    private static final Instant AT = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void theLargestTriggerFitsTheSinksRequest() {
        List<TriggerItem> items = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < Model.MAX_LISTED; i++) {
            items.add(new TriggerItem(id(i), label(i), Integer.MAX_VALUE, Double.MAX_VALUE));
            ids.add(id(i));
            categories.add(label(i));
        }
        Map<String, Double> scores = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (int i = 0; i < 64; i++) {
            scores.put(label(i), Double.MAX_VALUE);
            counts.put(label(i), Long.MAX_VALUE);
        }
        Trigger t = Trigger.newBuilder()
                .setTriggerId(id(-1) + ":" + id(-2))
                .setUserId(id(-1))
                .setType(TriggerType.CART_ABANDONED)
                .setFiredAt(AT)
                .setExpiresAt(AT)
                .setPriority(Integer.MAX_VALUE)
                .setReason(text(Reasons.MAX_REASON))
                .setFacts(new TriggerFacts(scores, counts, items, ids, categories))
                .setOffer(new Offer(label(-1), text(Reasons.MAX_REASON)))
                .setModelVersion(label(-1))
                .setDeferredFrom(AT)
                .build();

        int size = size(new AvroCodec<>(Trigger.class).encode(t));

        assertThat(size).as("bytes of the largest trigger, key included").isLessThan(ROOM);
    }

    @Test
    void theLargestProfileFitsTheSinksRequest() {
        List<String> tags = new ArrayList<>();
        List<CategoryScore> top = new ArrayList<>();
        List<TriggerNote> notes = new ArrayList<>();
        for (int i = 0; i < Model.MAX_LISTED; i++) {
            // Interests (up to limits.maxCategories), topics (up to limits.maxTopics) and the rest.
            tags.add("interest:" + label(i));
            tags.add("topic:" + label(i));
            tags.add("other:" + label(i));
            top.add(new CategoryScore(label(i), Double.MAX_VALUE));
            notes.add(new TriggerNote(id(i) + ":" + id(i), TriggerType.CART_ABANDONED, AT, TriggerOutcome.OVERFLOW,
                    text(Reasons.MAX_REASON)));
        }
        Profile p = Profile.newBuilder()
                .setUserId(id(-1))
                .setUpdatedAt(AT)
                .setLifecycle(Lifecycle.ACTIVE)
                .setTier(label(-1))
                .setRfm(null)
                .setIntent(Double.MAX_VALUE)
                .setTopCategories(top)
                .setTags(tags)
                .setLifetimeOrders(Integer.MAX_VALUE)
                .setLifetimeSpend(Double.MAX_VALUE)
                .setFirstSeenAt(AT)
                .setLastSeenAt(AT)
                .setLastOrderAt(AT)
                .setPAlive(1.0)
                .setChurnRisk(1.0)
                .setExpectedPurchases(Double.MAX_VALUE)
                .setExpectedOrderValue(Double.MAX_VALUE)
                .setClv(Double.MAX_VALUE)
                .setFirstTouchChannel(label(-1))
                .setModelVersion(label(-1))
                .setTriggersNotSent(notes)
                .build();

        int size = size(new AvroCodec<>(Profile.class).encode(p));

        assertThat(size).as("bytes of the largest profile, key included").isLessThan(ROOM);
    }

    /** Value and key (the userId, at its longest). */
    private static int size(byte[] value) {
        return value.length + id(-1).getBytes(StandardCharsets.UTF_8).length;
    }

    /** An id as long as validation allows ({@link EventValidator#MAX_ID}), three bytes per character. */
    private static String id(int i) {
        return distinct(i, EventValidator.MAX_ID);
    }

    /** A category or channel as long as validation allows ({@link EventValidator#MAX_LABEL}). */
    private static String label(int i) {
        return distinct(i, EventValidator.MAX_LABEL);
    }

    private static String text(int length) {
        return distinct(0, length);
    }

    private static String distinct(int i, int length) {
        String n = Integer.toString(i);
        return n + "\u4e2d".repeat(length - n.length());
    }
}
