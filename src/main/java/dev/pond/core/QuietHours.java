package dev.pond.core;

import dev.pond.model.TriggerParams;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

/**
 * The hours in which no message goes out, in the user's own time zone: from {@code quietStart}
 * to {@code quietEnd}, across midnight when the start is the later time of day (22:00–08:00).
 * Daylight saving is the zone's: a quiet end that falls into a skipped hour moves to its end.
 */
public final class QuietHours {

    private final LocalTime start;
    private final LocalTime end;
    private final ZoneId defaultZone;

    public QuietHours(TriggerParams.Contact contact) {
        this.start = LocalTime.parse(contact.quietStart());
        this.end = LocalTime.parse(contact.quietEnd());
        this.defaultZone = ZoneId.of(contact.defaultTimeZone());
    }

    /** The user's zone: the one named, or the default when none is known. */
    public ZoneId zone(String timeZone) {
        return timeZone == null ? defaultZone : ZoneId.of(timeZone);
    }

    /** The first moment at or after {@code t} outside the quiet hours of {@code zone}. */
    public long nextAllowed(long t, ZoneId zone) {
        if (start.equals(end)) {
            return t;
        }
        ZonedDateTime local = Instant.ofEpochMilli(t).atZone(zone);
        LocalTime time = local.toLocalTime();
        boolean overMidnight = start.isAfter(end);
        boolean quiet = overMidnight
                ? !time.isBefore(start) || time.isBefore(end)
                : !time.isBefore(start) && time.isBefore(end);
        if (!quiet) {
            return t;
        }
        LocalDate day = overMidnight && !time.isBefore(start) ? local.toLocalDate().plusDays(1) : local.toLocalDate();
        LocalDateTime quietEnd = LocalDateTime.of(day, end);
        ZoneOffsetTransition skipped = zone.getRules().getTransition(quietEnd);
        // An end the clocks skip is over when they jump past it: 03:00 for 02:30 on a night that
        // jumps from 02:00 to 03:00 (ZonedDateTime.of would shift it by the gap, to 03:30).
        long allowed = skipped != null && skipped.isGap()
                ? skipped.getInstant().toEpochMilli()
                : quietEnd.atZone(zone).toInstant().toEpochMilli();
        return Math.max(t, allowed);
    }
}
