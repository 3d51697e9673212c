package dev.pond.core;

import dev.pond.model.TriggerParams;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class QuietHoursTest {

    private final QuietHours quiet = new QuietHours(new TriggerParams.Contact(2, 5, "22:00", "08:00", "Asia/Shanghai"));
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    private long next(String t, ZoneId zone) {
        return quiet.nextAllowed(Instant.parse(t).toEpochMilli(), zone);
    }

    @Test
    void outsideTheQuietHoursNothingMoves() {
        assertThat(next("2026-03-10T13:59:59.999Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-10T13:59:59.999Z").toEpochMilli());
        // 08:00 local is allowed: the end is exclusive
        assertThat(next("2026-03-10T00:00:00Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-10T00:00:00Z").toEpochMilli());
    }

    @Test
    void beforeMidnightWaitsForTheNextMorningAfterMidnightForThisMorning() {
        // 22:00 local is quiet; 22:45 local -> 08:00 the next local day
        assertThat(next("2026-03-10T14:00:00Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-11T00:00:00Z").toEpochMilli());
        assertThat(next("2026-03-10T14:45:00Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-11T00:00:00Z").toEpochMilli());
        // 01:00 local on the 11th -> 08:00 the same local day
        assertThat(next("2026-03-10T17:00:00Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-11T00:00:00Z").toEpochMilli());
        assertThat(next("2026-03-10T23:59:59.999Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-11T00:00:00Z").toEpochMilli());
    }

    @Test
    void theUsersZoneDecidesAndDaylightSavingIsTheZones() {
        // 23:30 UTC: 23:30 in London (quiet until 08:00 London = 08:00 UTC in winter),
        // 07:30 in Shanghai (quiet until 00:00 UTC), 18:30 in New York (allowed)
        assertThat(next("2026-03-09T23:30:00Z", ZoneId.of("Europe/London")))
                .isEqualTo(Instant.parse("2026-03-10T08:00:00Z").toEpochMilli());
        assertThat(next("2026-03-09T23:30:00Z", SHANGHAI)).isEqualTo(Instant.parse("2026-03-10T00:00:00Z").toEpochMilli());
        assertThat(next("2026-03-09T23:30:00Z", ZoneId.of("America/New_York")))
                .isEqualTo(Instant.parse("2026-03-09T23:30:00Z").toEpochMilli());
        // Berlin springs forward in the night of 29 March 2026: 08:00 is 06:00 UTC, not 07:00
        assertThat(next("2026-03-28T23:00:00Z", ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2026-03-29T06:00:00Z").toEpochMilli());
        assertThat(next("2026-03-27T23:00:00Z", ZoneId.of("Europe/Berlin")))
                .isEqualTo(Instant.parse("2026-03-28T07:00:00Z").toEpochMilli());
    }

    @Test
    void quietHoursWithinOneDayAndNoneAtAll() {
        QuietHours afternoon = new QuietHours(new TriggerParams.Contact(2, 5, "12:00", "14:00", "UTC"));
        assertThat(afternoon.nextAllowed(Instant.parse("2026-03-10T13:00:00Z").toEpochMilli(), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-03-10T14:00:00Z").toEpochMilli());
        assertThat(afternoon.nextAllowed(Instant.parse("2026-03-10T23:00:00Z").toEpochMilli(), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-03-10T23:00:00Z").toEpochMilli());
        QuietHours none = new QuietHours(new TriggerParams.Contact(2, 5, "00:00", "00:00", "UTC"));
        assertThat(none.nextAllowed(Instant.parse("2026-03-10T03:00:00Z").toEpochMilli(), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-03-10T03:00:00Z").toEpochMilli());
    }

    @Test
    void anUnknownZoneIsTheDefault() {
        assertThat(quiet.zone(null)).isEqualTo(SHANGHAI);
        assertThat(quiet.zone("Europe/Paris")).isEqualTo(ZoneId.of("Europe/Paris"));
    }
}
