package dev.pond.core;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Calendar arithmetic on epoch milliseconds of event time, in UTC. */
public final class Times {

    public static final long MINUTE = 60_000L;
    public static final long HOUR = 60 * MINUTE;
    public static final long DAY = 24 * HOUR;
    public static final long WEEK = 7 * DAY;

    private Times() {}

    /** Days since 1970-01-01 of the instant {@code millis}. */
    public static long day(long millis) {
        return Math.floorDiv(millis, DAY);
    }

    /** Months since 1970-01 of the instant {@code millis}. */
    public static int monthIndex(long millis) {
        LocalDate date = LocalDate.ofEpochDay(day(millis));
        return (date.getYear() - 1970) * 12 + date.getMonthValue() - 1;
    }

    /** The first millisecond of month {@code index} (months since 1970-01). */
    public static long monthStart(int index) {
        YearMonth month = YearMonth.of(1970 + Math.floorDiv(index, 12), Math.floorMod(index, 12) + 1);
        return month.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1000L;
    }

    /** Whole days from {@code from} to {@code to}. */
    public static int daysBetween(long from, long to) {
        return (int) Math.floorDiv(to - from, DAY);
    }
}
