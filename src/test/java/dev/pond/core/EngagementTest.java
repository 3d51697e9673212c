package dev.pond.core;

import dev.pond.state.Decayed;
import dev.pond.state.DecayedCounts;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pond.core.Events.T0;
import static dev.pond.core.Events.ms;
import static dev.pond.core.Events.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link Engagement} with the default model: an article read is worth
 * (opened + 0.5 per dwell minute, at most 10) * (0.5 + 0.5 * scrollDepth) + 1.5 per share, an
 * unopened push 0; a read is deep from 60 s and 60 % scrolled; topic tags need a decayed score of
 * 1.5 (half-life 30 days) and are at most 5; shares fade with a 30-day half-life.
 */
class EngagementTest {

    private static final long T = ms(T0);
    private static final long MINUTE = Times.MINUTE;

    private final Engagement engagement = new Engagement(Events.defaults());

    @Test
    void anUnopenedPushIsWorthTheUnopenedWeight() {
        assertThat(engagement.intentWeight(read(T0, false, 0, 0, 0))).isEqualTo(0.0);
    }

    @Test
    void anOpenedReadWithoutDwellOrScrollIsWorthHalfTheOpenedWeight() {
        // (0.5 + 0) * (0.5 + 0.5 * 0)
        assertThat(engagement.intentWeight(read(T0, true, 0, 0, 0))).isEqualTo(0.25);
    }

    @Test
    void aLongFullyScrolledSharedReadIsWorthMore() {
        // (0.5 + 0.5 * 4) * (0.5 + 0.5 * 1) + 1.5 * 2
        assertThat(engagement.intentWeight(read(T0, true, 4 * MINUTE, 1.0, 2))).isCloseTo(5.5, within(1e-12));
    }

    @Test
    void dwellCountsAtMostTenMinutes() {
        // (0.5 + 0.5 * 10) * (0.5 + 0.5 * 0.5)
        assertThat(engagement.intentWeight(read(T0, true, 25 * MINUTE, 0.5, 0))).isCloseTo(4.125, within(1e-12));
        assertThat(engagement.intentWeight(read(T0, true, 10 * MINUTE, 0.5, 0))).isCloseTo(4.125, within(1e-12));
    }

    @Test
    void scrollDepthScalesTheReadBetweenHalfAndFull() {
        // (0.5 + 0.5 * 2) * (0.5 + 0.5 * 0.6)
        assertThat(engagement.intentWeight(read(T0, true, 2 * MINUTE, 0.6, 0))).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void eachShareAddsItsWeight() {
        double without = engagement.intentWeight(read(T0, true, MINUTE, 0.2, 0));
        double withThree = engagement.intentWeight(read(T0, true, MINUTE, 0.2, 3));

        assertThat(withThree - without).isCloseTo(4.5, within(1e-12));
    }

    @Test
    void aReadIsDeepFromSixtySecondsAndSixtyPercentScrolled() {
        assertThat(engagement.isDeep(read(T0, true, 60_000, 0.6, 0))).isTrue();
        assertThat(engagement.isDeep(read(T0, true, 59_999, 0.6, 0))).isFalse();
        assertThat(engagement.isDeep(read(T0, true, 60_000, 0.59, 0))).isFalse();
        assertThat(engagement.isDeep(read(T0, false, 600_000, 1.0, 0))).isFalse();
    }

    @Test
    void aTopicIsATagFromScoreOnePointFiveAndFadesWithItsHalfLife() {
        DecayedCounts s = new DecayedCounts(T, new HashMap<>());
        engagement.deepRead(s, T, List.of("sensitive-skin", "anti-aging"));
        engagement.deepRead(s, T, List.of("sensitive-skin"));

        assertThat(engagement.topicTags(s, T, topic -> 1.5)).containsExactly(Map.entry("sensitive-skin", 2.0));
        // 2 * 2^(-12/30) = 1.516 >= 1.5; 2 * 2^(-13/30) = 1.487 < 1.5
        assertThat(engagement.topicTags(s, T + 12 * Times.DAY, topic -> 1.5)).extracting(Map.Entry::getKey)
                .containsExactly("sensitive-skin");
        assertThat(engagement.topicTags(s, T + 13 * Times.DAY, topic -> 1.5)).isEmpty();
        assertThat(engagement.topicScore(s, "anti-aging", T + 30 * Times.DAY)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void atMostFiveTopicTagsHighestFirstThenByName() {
        DecayedCounts s = new DecayedCounts(T, new HashMap<>());
        for (String topic : List.of("t6", "t5", "t4", "t3", "t2", "t1")) {
            engagement.deepRead(s, T, List.of(topic));
            engagement.deepRead(s, T, List.of(topic));
        }
        for (int i = 0; i < 3; i++) {
            engagement.deepRead(s, T, List.of("t7"));
        }

        assertThat(engagement.topicTags(s, T, topic -> 1.5)).extracting(Map.Entry::getKey)
                .containsExactly("t7", "t1", "t2", "t3", "t4");
    }

    @Test
    void aTopicListedTwiceOnOneArticleCountsOnce() {
        DecayedCounts s = new DecayedCounts(T, new HashMap<>());
        engagement.deepRead(s, T, List.of("t1", "t1", "t2"));

        assertThat(s.getValues()).containsOnly(Map.entry("t1", 1.0), Map.entry("t2", 1.0));
    }

    @Test
    void aLateDeepReadCountsAsItWouldHaveInOrder() {
        DecayedCounts s = new DecayedCounts(T, new HashMap<>());
        engagement.deepRead(s, T + 30 * Times.DAY, List.of("a"));
        engagement.deepRead(s, T, List.of("a"));

        assertThat(engagement.topicScore(s, "a", T + 30 * Times.DAY)).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void sharesFadeWithTheirHalfLifeAndLateSharesCountAsInOrder() {
        Decayed s = new Decayed(T, 0d);
        engagement.shared(s, T, 3);

        assertThat(engagement.shares(s, T)).isEqualTo(3.0);
        assertThat(engagement.shares(s, T + 30 * Times.DAY)).isCloseTo(1.5, within(1e-12));

        Decayed late = new Decayed(T, 0d);
        engagement.shared(late, T + 30 * Times.DAY, 2);
        engagement.shared(late, T, 4);
        engagement.shared(late, T, 0);

        assertThat(engagement.shares(late, T + 30 * Times.DAY)).isCloseTo(4.0, within(1e-12));
    }
}
