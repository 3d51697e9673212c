package dev.pond.model.fit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The order times {@code pond fit} accepts: an ISO-8601 date ({@code 2026-03-01}, midnight UTC)
 * or a date-time with {@code Z} or an offset ({@code 2026-03-01T10:15:00+08:00}). A date-time
 * without a zone is refused: guessing one would move purchases across day boundaries.
 */
final class OrderTime {

    private OrderTime() {}

    /** @throws IllegalArgumentException naming the value */
    static Instant parse(String value) {
        String v = value.trim();
        try {
            if (v.length() == 10) {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not an ISO-8601 date (2026-03-01) or date-time"
                    + " with a zone (2026-03-01T10:15:00Z, 2026-03-01T10:15:00+08:00)");
        }
    }
}
