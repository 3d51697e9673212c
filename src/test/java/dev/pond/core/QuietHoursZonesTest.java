package dev.pond.core;

import dev.pond.model.TriggerParams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link QuietHours#nextAllowed}: the first moment at or after a given one that is outside the
 * quiet hours in the user's zone, across midnight, in different zones and across daylight saving.
 */
class QuietHoursZonesTest {

    private static QuietHours quiet(String start, String end) {
        return new QuietHours(new TriggerParams.Contact(2, 5, start, end, "Asia/Shanghai"));
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            // Shanghai (UTC+8), 22:00-08:00 = 14:00Z-00:00Z
            "2026-03-10T13:59:00Z, Asia/Shanghai, 2026-03-10T13:59:00Z",    // 21:59: not quiet
            "2026-03-10T14:00:00Z, Asia/Shanghai, 2026-03-11T00:00:00Z",    // 22:00: quiet from its first minute
            "2026-03-10T14:45:00Z, Asia/Shanghai, 2026-03-11T00:00:00Z",    // 22:45: to 08:00 the next day
            "2026-03-10T17:00:00Z, Asia/Shanghai, 2026-03-11T00:00:00Z",    // 01:00: to 08:00 the same day
            "2026-03-11T00:00:00Z, Asia/Shanghai, 2026-03-11T00:00:00Z",    // 08:00: no longer quiet
            // one UTC moment in three zones (New York on summer time since 8 March)
            "2026-03-10T03:00:00Z, Europe/London, 2026-03-10T08:00:00Z",
            "2026-03-10T03:00:00Z, America/New_York, 2026-03-10T12:00:00Z",
            // Berlin: 08:00 is 07:00Z on 28 March and 06:00Z on 29 March, when the clocks go forward
            "2026-03-27T22:00:00Z, Europe/Berlin, 2026-03-28T07:00:00Z",
            "2026-03-28T22:00:00Z, Europe/Berlin, 2026-03-29T06:00:00Z",
    })
    void deferredToTheEndOfTheQuietHoursInTheUsersZone(String at, String zone, String allowed) {
        long t = Instant.parse(at).toEpochMilli();

        assertThat(Instant.ofEpochMilli(quiet("22:00", "08:00").nextAllowed(t, ZoneId.of(zone))))
                .isEqualTo(Instant.parse(allowed));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // Berlin, 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00Z), so 02:30 never happens.
            // The quiet hours end when the clocks jump, at 03:00 CEST, the first moment past 02:30;
            // not at 03:30 CEST, where shifting the missing 02:30 by the gap would put it.
            "2026-03-28T23:30:00Z, 2026-03-29T01:00:00Z",   // 00:30 CET
            // the day before and after, 02:30 exists
            "2026-03-27T23:30:00Z, 2026-03-28T01:30:00Z",   // 00:30 CET, to 02:30 CET
            "2026-03-29T23:30:00Z, 2026-03-30T00:30:00Z",   // 01:30 CEST, to 02:30 CEST
    })
    void aQuietEndThatTheClocksSkipEndsWhenTheyJump(String at, String allowed) {
        long t = Instant.parse(at).toEpochMilli();

        assertThat(Instant.ofEpochMilli(quiet("23:00", "02:30").nextAllowed(t, ZoneId.of("Europe/Berlin"))))
                .isEqualTo(Instant.parse(allowed));
    }
}
