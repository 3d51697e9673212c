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
 */
public final class Birthdays {

    private final int daysBefore;
    private final LocalTime localTime;
    private final QuietHours zones;

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
            long m = moment(monthDay(s), y, zone);
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
            long m = moment(monthDay(s), y, zone);
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

    private long moment(MonthDay birthday, int year, ZoneId zone) {
        return birthday.atYear(year).minusDays(daysBefore).atTime(localTime).atZone(zone).toInstant().toEpochMilli();
    }

    private static MonthDay monthDay(UserState s) {
        return MonthDay.parse("--" + s.getBirthday());
    }
}
