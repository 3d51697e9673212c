package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.state.UserState;

import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;

/**
 * A member's birthday (ClickEvent.birthday, MM-DD) in their own time zone: which event's birthday
 * the state keeps, whether a moment falls in the birthday month, and the yearly BIRTHDAY moment,
 * {@code triggers.birthday.daysBefore} days before the birthday at {@code localTime}. A 29 February
 * birthday falls on 28 February in other years ({@link MonthDay#atYear}).
 *
 * <p>The moments are asked for at every event and timer of a member who named a birthday, and each
 * one is a date and time resolved in a zone: they are kept once found, per birthday, zone and year
 * ({@link Memo}). Not thread-safe: one per scorer, which one task thread runs.
 */
public final class Birthdays {

    private final int daysBefore;
    private final LocalTime localTime;
    private final QuietHours zones;
    private final Memo<MomentKey> moments = new Memo<>(this::moment);

    private record MomentKey(String birthday, ZoneId zone, int year) { }

    public Birthdays(Model model) {
        TriggerParams.Birthday p = model.triggers().birthday();
        this.daysBefore = p.daysBefore();
        this.localTime = LocalTime.parse(p.localTime());
        this.zones = new QuietHours(model.contact());
    }

    /**
     * Takes the birthday an event at {@code t} names: the first one known, or one that differs
     * from the kept one if the event is not older than the kept one's; the same birthday named
     * earlier than known moves {@code birthdayAt} back.
     */
    public static void named(UserState s, String birthday, long t) {
        if (birthday == null) {
            return;
        }
        if (s.getBirthday() == null || (!birthday.equals(s.getBirthday()) && t >= s.getBirthdayAt())) {
            s.setBirthday(birthday);
            s.setBirthdayAt(t);
        } else if (birthday.equals(s.getBirthday()) && t < s.getBirthdayAt()) {
            s.setBirthdayAt(t);
        }
    }

    /**
     * Takes the referrer an event at {@code t} names, if it is the earliest event to name one.
     * Returns whether it was the first one known.
     */
    public static boolean referred(UserState s, String referrerId, long t) {
        if (referrerId != null && (s.getReferrerAt() == null || t < s.getReferrerAt())) {
            boolean first = s.getReferrerAt() == null;
            s.setReferrerId(referrerId);
            s.setReferrerAt(t);
            return first;
        }
        return false;
    }

    /** The user's time zone, or the model's default. */
    public ZoneId zone(UserState s) {
        return zones.zone(s.getTimeZone());
    }

    /** Whether {@code t} falls in the month of the user's birthday, in their time zone. */
    public boolean inBirthdayMonth(UserState s, long t) {
        return s.getBirthday() != null
                && Instant.ofEpochMilli(t).atZone(zone(s)).getMonthValue() == monthDay(s).getMonthValue();
    }

    /** The latest BIRTHDAY moment at or before {@code t}, or Long.MIN_VALUE without a birthday. */
    public long lastMoment(UserState s, long t) {
        if (s.getBirthday() == null) {
            return Long.MIN_VALUE;
        }
        ZoneId zone = zone(s);
        int year = Instant.ofEpochMilli(t).atZone(zone).getYear();
        // The moment of next year's birthday may fall in this year (a birthday on 2 January).
        for (int y = year + 1; y >= year - 1; y--) {
            long m = moments.get(new MomentKey(s.getBirthday(), zone, y));
            if (m <= t) {
                return m;
            }
        }
        return Long.MIN_VALUE;
    }

    /** The first BIRTHDAY moment after {@code t}, or Long.MAX_VALUE without a birthday. */
    public long nextMoment(UserState s, long t) {
        if (s.getBirthday() == null) {
            return Long.MAX_VALUE;
        }
        ZoneId zone = zone(s);
        int year = Instant.ofEpochMilli(t).atZone(zone).getYear();
        for (int y = year - 1; y <= year + 2; y++) {
            long m = moments.get(new MomentKey(s.getBirthday(), zone, y));
            if (m > t) {
                return m;
            }
        }
        return Long.MAX_VALUE;
    }

    /** The birthday a BIRTHDAY {@code moment} is for, as a date in the user's zone. */
    public String birthdayDate(UserState s, long moment) {
        return Instant.ofEpochMilli(moment).atZone(zone(s)).toLocalDate().plusDays(daysBefore).toString();
    }

    private long moment(MomentKey k) {
        return monthDay(k.birthday()).atYear(k.year()).minusDays(daysBefore).atTime(localTime).atZone(k.zone())
                .toInstant().toEpochMilli();
    }

    /** {@code MM-DD}, as the decoder let it in (EventValidator): read without a formatter. */
    private static MonthDay monthDay(String birthday) {
        return MonthDay.of(Integer.parseInt(birthday, 0, 2, 10), Integer.parseInt(birthday, 3, 5, 10));
    }

    private static MonthDay monthDay(UserState s) {
        return monthDay(s.getBirthday());
    }
}
