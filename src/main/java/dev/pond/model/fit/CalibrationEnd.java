package dev.pond.model.fit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Where the calibration period ends: purchases after {@link #last()} are ignored, and every
 * customer is summarised as seen at that moment. A date means the whole of that day (UTC); an
 * instant means up to and including it. {@link #day()} is the UTC day of {@code last}, the day
 * from which T is counted.
 */
public record CalibrationEnd(LocalDate day, Instant last) {

    /** The end of {@code day}: all of its purchases count. */
    public static CalibrationEnd endOf(LocalDate day) {
        return new CalibrationEnd(day, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusMillis(1));
    }

    /** Up to and including {@code instant}. */
    public static CalibrationEnd at(Instant instant) {
        return new CalibrationEnd(LocalDate.ofInstant(instant, ZoneOffset.UTC), instant);
    }

    /**
     * A date ({@code 1997-09-30}) or an instant ({@code 1997-09-30T12:00:00Z}, or with an offset).
     *
     * @throws IllegalArgumentException naming the value
     */
    public static CalibrationEnd parse(String value) {
        String v = value.trim();
        try {
            return endOf(LocalDate.parse(v));
        } catch (DateTimeParseException notADate) {
            try {
                return at(OrderTime.parse(v));
            } catch (IllegalArgumentException notAnInstant) {
                throw new IllegalArgumentException("'" + value + "' is not a date or an instant (ISO-8601, e.g. "
                        + "1997-09-30 or 1997-09-30T12:00:00Z)");
            }
        }
    }

    /** Whether a purchase at {@code time} falls in the calibration period. */
    public boolean includes(Instant time) {
        return !time.isAfter(last);
    }

    /** Days since 1970-01-01 of {@link #day()}. */
    public long dayIndex() {
        return day.toEpochDay();
    }
}
