package dev.pond.segments;

import dev.pond.out.SegmentAlert;
import dev.pond.out.SegmentCount;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The text of {@code pond watch}: members, change since the last frame, trend, triggers, the sleeping share. */
class SegmentBoardTest {

    private static final Instant T = Instant.parse("2026-05-01T10:01:00Z");

    @Test
    void eachFrameShowsMembersTheirChangeAndTrendAndTheTriggersSinceTheLast() {
        SegmentBoard board = new SegmentBoard();
        board.add(count("lifecycle:active", T, 40));
        board.add(count("lifecycle:sleeping", T, 10));
        board.add(count("interest:tea", T, 3));
        board.add(trigger(TriggerType.WELCOME));
        assertThat(board.frame()).isEqualTo("""
                segments at 2026-05-01T10:01:00Z (event time)

                  interest:tea                         3      new  ▁

                  lifecycle:active                    40      new  ▁
                  lifecycle:sleeping                  10      new  ▁

                sleeping share 20.0% (10 of 50 active or sleeping)

                triggers                      in all  since last
                  WELCOME                          1         +1
                """);

        board.add(count("lifecycle:active", T.plusSeconds(60), 30));
        board.add(count("lifecycle:sleeping", T.plusSeconds(60), 20));
        board.add(count("interest:tea", T.plusSeconds(60), 0));
        board.add(new SegmentAlert(SleepingShareWatch.ALERT, T.plusSeconds(60), true, 0.4, 0.3, 20L, 50L));
        board.add(trigger(TriggerType.CART_ABANDONED));
        board.add(trigger(TriggerType.CART_ABANDONED));
        assertThat(board.frame()).isEqualTo("""
                segments at 2026-05-01T10:02:00Z (event time)

                  interest:tea                         0       -3  █▁

                  lifecycle:active                    30      -10  █▁
                  lifecycle:sleeping                  20      +10  ▁█

                sleeping share 40.0% (20 of 50 active or sleeping)  ALERT raised at 2026-05-01T10:02:00Z: above 30%

                triggers                      in all  since last
                  CART_ABANDONED                   2         +2
                  WELCOME                          1         +0
                """);

        // A segment that stays empty leaves the view.
        assertThat(board.frame()).doesNotContain("interest:tea");
    }

    @Test
    void theTrendRunsFromTheLowestToTheHighestValueShown() {
        assertThat(SegmentBoard.spark(List.of(0L, 7L, 14L, 7L))).isEqualTo("▁▅█▅");
        assertThat(SegmentBoard.spark(List.of(5L, 5L))).isEqualTo("▁▁");
    }

    private static SegmentCount count(String segment, Instant end, long members) {
        return new SegmentCount(segment, end, members, 0L, 0L);
    }

    private static Trigger trigger(TriggerType type) {
        return Trigger.newBuilder().setTriggerId("t-" + System.nanoTime()).setUserId("u").setType(type)
                .setFiredAt(T).setExpiresAt(T).setPriority(1).setReason("r")
                .setFacts(TriggerFacts.newBuilder().build()).setModelVersion("m").build();
    }
}
