package dev.pond.scoring;

import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.scoring.ScoringHarness.Backend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pond.scoring.ScoringEvents.DAY;
import static dev.pond.scoring.ScoringEvents.HOUR;
import static dev.pond.scoring.ScoringEvents.MINUTE;
import static dev.pond.scoring.ScoringEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * State and timers stay bounded under a stream of one-off visitors: each day brings new users who
 * come once and never again (a product view, a cart left behind, a first order), and a user silent
 * for {@code limits.forgetAfterDays} is forgotten, state, timers and tags. Without forgetting, the
 * keys would grow by four a day for ever; with it, the operator holds exactly the users seen in
 * the last {@code forgetAfterDays}, and the same timers day after day.
 */
class BoundedStateTest {

    /** The shortest forgetting the default model allows: its 12-month RFM window plus a month. */
    private static final int FORGET_AFTER_DAYS = 403;
    private static final int DAYS = 1_000;
    private static final int PER_DAY = 4;

    private ScoringHarness harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void oneOffVisitorsAreForgottenSoStateAndTimersStopGrowing(Backend backend) throws Exception {
        harness = ScoringHarness.open(backend, model(), Long.MAX_VALUE);
        Map<String, Integer> netTags = new HashMap<>();
        Map<String, String> lastRemoval = new HashMap<>();
        long keysOnDay600 = -1;
        int timersOnDay600 = -1;
        for (int day = 0; day < DAYS; day++) {
            long t = T0 + day * DAY;
            for (int k = 0; k < PER_DAY; k++) {
                visit("v" + day + "-" + k, k, t + k * HOUR);
            }
            harness.watermark(t + DAY - 1);
            tally(netTags, lastRemoval);
            harness.clearOutputs(); // triggers and profiles: not what this test is about
            if (day == 600) {
                keysOnDay600 = harness.keys();
                timersOnDay600 = harness.allTimers();
            }
        }
        tally(netTags, lastRemoval);

        // Forgotten exactly: the users whose last event is forgetAfterDays behind the watermark.
        long watermark = T0 + DAYS * DAY - 1;
        long forgotten = 0;
        for (int day = 0; day < DAYS; day++) {
            for (int k = 0; k < PER_DAY; k++) {
                long lastSeen = T0 + day * DAY + k * HOUR + lastOffset(k);
                if (lastSeen + FORGET_AFTER_DAYS * DAY <= watermark) {
                    forgotten++;
                    String user = "v" + day + "-" + k;
                    assertThat(harness.state(user)).as(user).isNull();
                    // Every tag the user ever got was removed again, the last time because of forgetting.
                    assertThat(netTags.getOrDefault(user, 0)).as(user).isZero();
                    if (lastRemoval.containsKey(user)) {
                        assertThat(lastRemoval.get(user)).isEqualTo("forgotten: no event for 403 days");
                    }
                }
            }
        }
        long kept = (long) DAYS * PER_DAY - forgotten;
        assertThat(forgotten).isGreaterThan(2_000);
        assertThat(harness.counter("usersForgotten")).isEqualTo(forgotten);
        assertThat(harness.keys()).isEqualTo(kept);
        // The steady state: as many users and timers on day 999 as on day 600, nothing piles up.
        assertThat(harness.keys()).isEqualTo(keysOnDay600);
        assertThat(harness.allTimers()).isEqualTo(timersOnDay600);
        assertThat((long) harness.allTimers()).isLessThanOrEqualTo(3 * harness.keys());
        assertThat(lastRemoval).isNotEmpty();
    }

    /** A one-off visitor of kind {@code k}: a product view, a cart left behind, a paid order, a search. */
    private void visit(String user, int k, long t) throws Exception {
        switch (k) {
            case 0 -> harness.send(click(user, t, ClickType.PRODUCT_VIEW, "skincare"));
            case 1 -> {
                harness.send(click(user, t, ClickType.PRODUCT_VIEW, "shoes"));
                harness.send(ClickEvent.newBuilder(click(user, t + MINUTE, ClickType.ADD_TO_CART, "shoes"))
                        .setProductId("p-shoe").setPrice(80.0).build());
            }
            case 2 -> harness.send(paidOrder(user, t));
            default -> harness.send(click(user, t, ClickType.SEARCH, null));
        }
    }

    /** When the visitor of kind {@code k}'s last event comes, after the first. */
    private static long lastOffset(int k) {
        return k == 1 ? MINUTE : 0;
    }

    private void tally(Map<String, Integer> netTags, Map<String, String> lastRemoval) {
        List<StreamRecord<TagChange>> changes = harness.takeTagChanges();
        for (StreamRecord<TagChange> r : changes) {
            TagChange c = r.getValue();
            netTags.merge(c.getUserId(), c.getChange() == TagChangeType.ADDED ? 1 : -1, Integer::sum);
            if (c.getChange() == TagChangeType.REMOVED) {
                lastRemoval.put(c.getUserId(), c.getReason());
            }
        }
    }

    private static ClickEvent click(String user, long t, ClickType type, String category) {
        return ClickEvent.newBuilder()
                .setEventId(user + "-" + type + "-" + t)
                .setUserId(user)
                .setTs(Instant.ofEpochMilli(t))
                .setType(type)
                .setCategory(category)
                .build();
    }

    private static OrderEvent paidOrder(String user, long t) {
        return OrderEvent.newBuilder()
                .setEventId(user + "-order")
                .setOrderId(user + "-o1")
                .setUserId(user)
                .setTs(Instant.ofEpochMilli(t))
                .setStatus(OrderStatus.PAID)
                .setItems(List.of(OrderItem.newBuilder().setProductId("p-cream").setCategory("skincare")
                        .setQuantity(1).setUnitPrice(120.0).build()))
                .setTotal(120.0)
                .build();
    }

    private static Model model() {
        return ModelLoader.fromYaml("limits: {forgetAfterDays: " + FORGET_AFTER_DAYS + "}", "test");
    }
}
