package dev.pond.model.fit;

import dev.pond.model.Model;
import dev.pond.model.ModelLoader;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

/**
 * HIGH_INTENT's threshold from clicks and reads: each active user's daily peak intent, and the
 * lowest peak that only the top share reaches, on hand-made signals with exact values.
 */
class IntentThresholdTest {

    /** Intent halves every 24 h, so that the peaks are easy to follow. */
    private static final Model DAILY = ModelLoader.fromYaml("intent: {halfLifeHours: 24}", "test");
    private static final long END = Instant.parse("2026-03-10T23:59:59.999Z").toEpochMilli();

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void aDaysPeakIsItsHighestIntentAndOnlyActiveUsersCount() {
        IntentDays days = new IntentDays(DAILY, END, 3); // 8, 9 and 10 March
        days.add("ann", at("2026-03-08T12:00:00Z"), 4);
        days.add("ann", at("2026-03-09T12:00:00Z"), 4);
        days.add("bob", at("2026-02-01T00:00:00Z"), 8); // last seen more than 30 days before 8 March: not active
        days.add("cat", at("2026-03-07T00:00:00Z"), 2); // before the days sampled: counts as their start
        days.add("cat", at("2026-03-09T06:00:00Z"), -1); // removed from the cart
        days.add("dan", at("2026-03-09T12:00:00Z"), 0); // an unopened push: no signal
        days.add("eve", at("2026-03-11T00:00:00Z"), 3); // after the end

        double[] peaks = days.peaks();
        Arrays.sort(peaks);

        // ann: 4 on the 8th; on the 9th 4/2 + 4 = 6 at noon; on the 10th what is left at midnight, 6/sqrt(2).
        // cat: at the start of the 8th 2/2 = 1, of the 9th 0.5; then 0.5/2^0.25 - 1 < 0, read as 0, on the 10th.
        assertThat(peaks).containsExactly(new double[] {0, 0.5, 1, 4, 6 / Math.sqrt(2), 6}, within(1e-12));
        assertThat(days.signals()).isEqualTo(5);
        assertThat(days.users()).isEqualTo(3);
        assertThat(days.from()).isEqualTo(LocalDate.parse("2026-03-08"));
        assertThat(days.to()).isEqualTo(LocalDate.parse("2026-03-10"));
    }

    @Test
    void theDaysSampledBeginWithTheFirstSignal() {
        IntentDays days = new IntentDays(DAILY, END, 28);
        days.add("ann", at("2026-03-09T12:00:00Z"), 4);

        assertThat(days.from()).isEqualTo(LocalDate.parse("2026-03-09"));
        assertThat(days.peaks()).containsExactly(new double[] {4, 4 / Math.sqrt(2)}, within(1e-12));
    }

    /**
     * A hundred users, user i with a signal of weight i every day and intent that is gone by the
     * next (a half-life of 36 s), so that user i peaks at exactly i on each of the 28 days.
     */
    private static IntentDays hundredUsers() {
        Model fleeting = ModelLoader.fromYaml("intent: {halfLifeHours: 0.01}", "test");
        IntentDays days = new IntentDays(fleeting, END, 28);
        for (long day = LocalDate.parse("2026-01-01").toEpochDay(); day <= LocalDate.parse("2026-03-10").toEpochDay(); day++) {
            for (int i = 1; i <= 100; i++) {
                days.add("u" + i, day * 86_400_000L + 43_200_000L, i);
            }
        }
        return days;
    }

    private static Model topPercent(double share) {
        return ModelLoader.fromYaml("triggers: {highIntent: {topPercent: " + share + ", minIntent: 15}}", "test");
    }

    @Test
    void theThresholdIsTheLowestPeakThatOnlyTheTopShareReaches() {
        IntentThreshold t = IntentThreshold.of(hundredUsers(), topPercent(5).triggers().highIntent());

        // 2,800 user-days; the top 5 % are the 140 of users 96 to 100.
        assertThat(t.activeUserDays()).isEqualTo(2800);
        assertThat(t.users()).isEqualTo(100);
        assertThat(t.signals()).isEqualTo(6900);
        assertThat(t.from()).isEqualTo(LocalDate.parse("2026-02-11"));
        assertThat(t.fitted()).isEqualTo(96.0);
        assertThat(t.fittedShare()).isEqualTo(0.05);
        assertThat(t.share()).isEqualTo(0.86); // users 15 to 100 reach the minIntent 15 the model had
        assertThat(t.quantiles()).containsExactly(
                entry(50, 50.0), entry(90, 90.0),
                entry(95, 95.0), entry(99, 99.0));
    }

    @Test
    void aPeakSharedAcrossTheEdgeFallsOut() {
        // The top 5.5 % would be 154 user-days: 140 of users 96 to 100 and 14 of user 95's 28. Sending to
        // half of user 95's days is not a threshold; none of them is the way to stay within the share.
        IntentThreshold t = IntentThreshold.of(hundredUsers(), topPercent(5.5).triggers().highIntent());

        assertThat(t.fitted()).isEqualTo(96.0);
        assertThat(t.fittedShare()).isEqualTo(0.05);
    }

    @Test
    void tooFewUserDaysInTheTopShareAreRefused() {
        assertThatThrownBy(() -> IntentThreshold.of(hundredUsers(), topPercent(0.5).triggers().highIntent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the top 0.5 % of 2,800 active user-days (2026-02-11 to 2026-03-10) are 14.0: at least 20"
                        + " are needed to fit triggers.highIntent.minIntent; sample more days (--intent-days) or ask"
                        + " for a larger triggers.highIntent.topPercent");
    }

    @Test
    void aShareThatNoPeakSeparatesIsRefused() {
        IntentDays days = new IntentDays(DAILY, END, 28);
        for (int i = 0; i < 1000; i++) {
            days.add("u" + i, at("2026-03-10T12:00:00Z"), 1); // everyone alike
        }

        assertThatThrownBy(() -> IntentThreshold.of(days, topPercent(10).triggers().highIntent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no intent is reached by the top 10 % of active user-days alone (100.0 % peak above 0,"
                        + " 100.0 % at the highest peak, 1.00): choose another triggers.highIntent.topPercent");
    }

    @Test
    void withoutATopShareTheThresholdIsOnlyJudged() {
        IntentThreshold t = IntentThreshold.of(hundredUsers(), DAILY.triggers().highIntent());

        assertThat(t.topPercent()).isNull();
        assertThat(t.fitted()).isNull();
        assertThat(t.minIntent()).isEqualTo(15.0);
    }

    @Test
    void noActiveUserIsRefused() {
        IntentDays days = new IntentDays(DAILY, END, 28);
        days.add("bob", at("2025-01-01T00:00:00Z"), 8);

        assertThatThrownBy(() -> IntentThreshold.of(days, DAILY.triggers().highIntent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no user was active (a click or read with an intent weight) on the days 2026-02-11 to"
                        + " 2026-03-10: nothing to learn the high-intent threshold from");
    }
}
