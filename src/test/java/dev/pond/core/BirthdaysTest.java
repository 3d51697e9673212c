package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The birthday the state keeps and the yearly BIRTHDAY moment, in the member's zone: the rule is
 * in {@link TriggerRules}, and the {@code birthday} scenario runs it through the job.
 */
class BirthdaysTest {

    private static final Model MODEL = Events.model("");
    private final Birthdays birthdays = new Birthdays(MODEL);

    private static long ms(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private static UserState member(String birthday, String zone) {
        UserState s = UserScorer.fresh(0);
        Birthdays.named(s, birthday, 0);
        s.setTimeZone(zone);
        return s;
    }

    @Test
    void theMomentIsThreeDaysBeforeAtTenInTheMembersZone() {
        UserState s = member("03-15", "America/New_York");

        assertThat(birthdays.nextMoment(s, ms("2026-01-01T00:00:00Z"))).isEqualTo(ms("2026-03-12T14:00:00Z"));
        assertThat(birthdays.lastMoment(s, ms("2026-03-12T14:00:00Z"))).isEqualTo(ms("2026-03-12T14:00:00Z"));
        assertThat(birthdays.lastMoment(s, ms("2026-03-12T13:59:59Z"))).isEqualTo(ms("2025-03-12T14:00:00Z"));
        assertThat(birthdays.nextMoment(s, ms("2026-03-12T14:00:00Z"))).isEqualTo(ms("2027-03-12T15:00:00Z"));
        assertThat(birthdays.birthdayDate(s, ms("2027-03-12T15:00:00Z"))).isEqualTo("2027-03-15");
    }

    @Test
    void aBirthdayEarlyInJanuaryHasItsMomentInTheDecemberBefore() {
        UserState s = member("01-02", null); // the model's zone, Asia/Shanghai

        assertThat(birthdays.nextMoment(s, ms("2026-06-01T00:00:00Z"))).isEqualTo(ms("2026-12-30T02:00:00Z"));
        assertThat(birthdays.lastMoment(s, ms("2026-12-31T00:00:00Z"))).isEqualTo(ms("2026-12-30T02:00:00Z"));
        assertThat(birthdays.birthdayDate(s, ms("2026-12-30T02:00:00Z"))).isEqualTo("2027-01-02");
    }

    @Test
    void the29thOfFebruaryIsKeptOnThe28thInOtherYears() {
        UserState s = member("02-29", null);

        assertThat(birthdays.nextMoment(s, ms("2027-01-01T00:00:00Z"))).isEqualTo(ms("2027-02-25T02:00:00Z"));
        assertThat(birthdays.nextMoment(s, ms("2028-01-01T00:00:00Z"))).isEqualTo(ms("2028-02-26T02:00:00Z"));
    }

    @Test
    void keptMomentsGiveTheAnswersAFreshOneGivesAlsoPastTheMemosLimit() {
        String[] zones = {"America/New_York", "Asia/Shanghai", "Europe/London", "Pacific/Kiritimati", "America/Sao_Paulo"};
        int asked = 0;
        for (int round = 0; round < 2; round++) { // the second round asks again what the first kept, or after it started over
            for (int month = 1; month <= 12; month++) {
                for (int day = 1; day <= java.time.YearMonth.of(2028, month).lengthOfMonth(); day++) {
                    for (String zone : zones) {
                        UserState s = member(String.format("%02d-%02d", month, day), zone);
                        for (int year = 2024; year <= 2030; year += 3) {
                            long t = ms(year + "-06-30T12:00:00Z");
                            Birthdays fresh = new Birthdays(MODEL);
                            assertThat(birthdays.lastMoment(s, t)).isEqualTo(fresh.lastMoment(s, t));
                            assertThat(birthdays.nextMoment(s, t)).isEqualTo(new Birthdays(MODEL).nextMoment(s, t));
                            asked += 2;
                        }
                    }
                }
            }
        }
        assertThat(asked * 3).isGreaterThan(Memo.LIMIT); // each answer looks at up to four years
    }

    @Test
    void theBirthdayMonthIsTheMembersOwn() {
        UserState s = member("03-15", null);

        assertThat(birthdays.inBirthdayMonth(s, ms("2026-02-28T15:59:59Z"))).isFalse(); // 23:59:59 in Shanghai
        assertThat(birthdays.inBirthdayMonth(s, ms("2026-02-28T16:00:00Z"))).isTrue();  // 1 March, 00:00
        assertThat(birthdays.inBirthdayMonth(s, ms("2026-03-31T15:59:59Z"))).isTrue();
        assertThat(birthdays.inBirthdayMonth(s, ms("2026-03-31T16:00:00Z"))).isFalse();
        assertThat(birthdays.inBirthdayMonth(UserScorer.fresh(0), ms("2026-03-10T00:00:00Z"))).isFalse();
    }

    @Test
    void aNewerEventNamingAnotherBirthdayWinsAndAnOlderOneDoesNot() {
        UserState s = UserScorer.fresh(0);
        Birthdays.named(s, "03-15", 200);
        Birthdays.named(s, "04-01", 100); // older, another day: ignored
        assertThat(s.getBirthday()).isEqualTo("03-15");
        assertThat(s.getBirthdayAt()).isEqualTo(200L);
        Birthdays.named(s, "03-15", 50); // the same day, named earlier: known since then
        assertThat(s.getBirthdayAt()).isEqualTo(50L);
        Birthdays.named(s, "04-01", 300);
        assertThat(s.getBirthday()).isEqualTo("04-01");
        assertThat(s.getBirthdayAt()).isEqualTo(300L);
        Birthdays.named(s, null, 400);
        assertThat(s.getBirthday()).isEqualTo("04-01");
    }

    @Test
    void theEarliestReferrerWins() {
        UserState s = UserScorer.fresh(0);
        Birthdays.referred(s, "bob", 200);
        Birthdays.referred(s, "cat", 300);
        assertThat(s.getReferrerId()).isEqualTo("bob");
        Birthdays.referred(s, "ann", 100);
        assertThat(s.getReferrerId()).isEqualTo("ann");
        assertThat(s.getReferrerAt()).isEqualTo(100L);
    }
}
