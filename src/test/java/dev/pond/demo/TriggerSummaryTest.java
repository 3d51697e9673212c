package dev.pond.demo;

import dev.pond.out.Offer;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's trigger block: every type of the catalogue with its count, in catalogue order and
 * zeros included; the five latest triggers by fired time, whatever order they arrive in, each
 * with its offer and its reason wrapped within the terminal's width.
 */
class TriggerSummaryTest {

    private static final Instant T0 = Instant.parse("2026-03-10T07:00:00Z");

    @Test
    void countsEveryTypeInCatalogueOrderAndShowsTheFiveLatestNewestFirst() {
        TriggerSummary summary = new TriggerSummary();
        int[] minutes = {3, 1, 7, 5, 2, 6, 4};
        for (int m : minutes) {
            summary.add(trigger("t" + m, "u" + m, TriggerType.CART_ABANDONED, m, "cart of " + m + " items"));
        }
        summary.add(trigger("w", "ann", TriggerType.WELCOME, 0, "first order"));

        List<String> lines = render(summary);

        assertThat(lines).containsExactly(
                "triggers 8",
                "  CART_ABANDONED             7",
                "  HIGH_INTENT                0",
                "  CHURN_RISK                 0",
                "  WIN_BACK                   0",
                "  REPLENISHMENT_DUE          0",
                "  CROSS_SELL                 0",
                "  TIER_UPGRADE               0",
                "  WELCOME                    1",
                "  BIRTHDAY                   0",
                "  POINTS_REMINDER            0",
                "  POINTS_EXPIRING            0",
                "  UPSELL                     0",
                "  REFERRAL_REWARD            0",
                "latest triggers",
                "  2026-03-10 07:07  u7  CART_ABANDONED",
                "      cart of 7 items",
                "  2026-03-10 07:06  u6  CART_ABANDONED",
                "      cart of 6 items",
                "  2026-03-10 07:05  u5  CART_ABANDONED",
                "      cart of 5 items",
                "  2026-03-10 07:04  u4  CART_ABANDONED",
                "      cart of 4 items",
                "  2026-03-10 07:03  u3  CART_ABANDONED",
                "      cart of 3 items");
        assertThat(lines.subList(1, 1 + TriggerType.values().length)).hasSize(13);
    }

    @Test
    void aLongReasonIsWrappedBetweenWordsWithinTheWidthAndANewlineDoesNotBreakTheFrame() {
        TriggerSummary summary = new TriggerSummary();
        String reason = "an important-value customer at risk:\nchurn risk 70% (at least 70%), last order 35 days ago,"
                + " three orders of 1000.00 each, the last on 2026-03-01, and nothing since";
        summary.add(trigger("t", "u1", TriggerType.CHURN_RISK, 0, reason));
        summary.add(trigger("u", "u2", TriggerType.CHURN_RISK, 1, "y".repeat(100) + " " + "x".repeat(300)));

        List<String> lines = render(summary);

        assertThat(lines.subList(2 + TriggerType.values().length, lines.size())).containsExactly(
                "  2026-03-10 07:01  u2  CHURN_RISK  offer COMEBACK100",
                "      " + "y".repeat(94),
                "      " + "yyyyyy" + "...",
                "  2026-03-10 07:00  u1  CHURN_RISK  offer COMEBACK100",
                "      an important-value customer at risk: churn risk 70% (at least 70%), last order 35 days ago,",
                "      three orders of 1000.00 each, the last on 2026-03-01, and nothing since");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(TriggerSummary.WIDTH));
    }

    @Test
    void anEmptySummarySaysSo() {
        List<String> lines = render(new TriggerSummary());

        assertThat(lines.get(0)).isEqualTo("triggers 0");
        assertThat(lines).endsWith("latest triggers", "  (none yet)");
    }

    private static List<String> render(TriggerSummary summary) {
        StringBuilder s = new StringBuilder();
        summary.appendTo(s);
        return s.toString().lines().toList();
    }

    private static Trigger trigger(String id, String user, TriggerType type, int minute, String reason) {
        Instant at = T0.plusSeconds(60L * minute);
        return Trigger.newBuilder()
                .setTriggerId(id)
                .setUserId(user)
                .setType(type)
                .setFiredAt(at)
                .setExpiresAt(at.plusSeconds(3600))
                .setPriority(50)
                .setReason(reason)
                .setFacts(TriggerFacts.newBuilder().build())
                .setOffer(type == TriggerType.CHURN_RISK ? new Offer("COMEBACK100", "100 off 300") : null)
                .setModelVersion("test")
                .build();
    }
}
