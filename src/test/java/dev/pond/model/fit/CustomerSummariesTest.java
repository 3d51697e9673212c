package dev.pond.model.fit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-customer summaries at the calibration end: purchase days, not orders (two orders on one
 * day are one purchase day, and z̄ averages day totals), nothing after the end, recency and the
 * RFM window as the live job counts them.
 */
class CustomerSummariesTest {

    private static final List<Purchase> PURCHASES = List.of(
            purchase("u1", "2026-01-05T09:00:00Z", 10, "tea"),
            purchase("u1", "2026-01-05T18:00:00Z", 5, "coffee"), // the same day: one purchase day worth 15
            purchase("u1", "2026-01-12T10:00:00Z", 20, "tea"),
            purchase("u1", "2026-01-26T00:00:00Z", 30, "coffee", "tea"),
            purchase("u2", "2026-01-31T22:00:00Z", 7),
            purchase("u1", "2026-02-10T08:00:00Z", 100, "tea"), // after the end
            purchase("u3", "2026-02-02T00:00:00Z", 9)); // only after the end: not a customer yet

    private static Purchase purchase(String user, String time, double total, String... categories) {
        return new Purchase(user, Instant.parse(time), total, List.of(categories));
    }

    private static long day(String date) {
        return LocalDate.parse(date).toEpochDay();
    }

    @Test
    void customersAreSummarisedInPurchaseDaysUpToTheEnd() {
        List<CustomerSummary> summaries = CustomerSummaries.at(PURCHASES, CalibrationEnd.parse("2026-02-01"), 2);

        TreeMap<String, List<Long>> u1Categories = new TreeMap<>(Map.of(
                "coffee", List.of(day("2026-01-05"), day("2026-01-26")),
                "tea", List.of(day("2026-01-05"), day("2026-01-12"), day("2026-01-26"))));
        assertThat(summaries).containsExactly(
                // days 01-05, 01-12, 01-26; z̄ = (20 + 30) / 2 leaves the first day out; 6 days and
                // 23:59:59.999 from the last purchase to the end of 02-01; 4 orders in Jan-Feb.
                new CustomerSummary("u1", 2, 21, 27, 25.0, 6, 4, 65.0, u1Categories),
                new CustomerSummary("u2", 0, 0, 1, 0.0, 1, 1, 7.0, new TreeMap<>()));
        assertThat(summaries.get(0).tx()).isEqualTo(3.0);
        assertThat(summaries.get(0).T()).isEqualTo(27 / 7.0);
    }

    @Test
    void theWindowHoldsWholeCalendarMonthsIncludingTheCurrentOne() {
        List<CustomerSummary> summaries = CustomerSummaries.at(PURCHASES, CalibrationEnd.parse("2026-02-01"), 1);

        assertThat(summaries).extracting(CustomerSummary::windowOrders).containsExactly(0, 0);
        assertThat(summaries).extracting(CustomerSummary::windowSpend).containsExactly(0.0, 0.0);
    }

    @Test
    void anInstantEndIncludesPurchasesUpToAndAtIt() {
        List<CustomerSummary> summaries =
                CustomerSummaries.at(PURCHASES, CalibrationEnd.parse("2026-01-26T00:00:00Z"), 12);

        assertThat(summaries).hasSize(1);
        CustomerSummary u1 = summaries.get(0);
        assertThat(u1.x()).isEqualTo(2);
        assertThat(u1.txDays()).isEqualTo(21);
        assertThat(u1.tDays()).isEqualTo(21);
        assertThat(u1.recencyDays()).isZero();
    }

    @Test
    void calibrationEndsAreDatesOrInstants() {
        assertThat(CalibrationEnd.parse("1997-09-30")).isEqualTo(new CalibrationEnd(LocalDate.parse("1997-09-30"),
                Instant.parse("1997-09-30T23:59:59.999Z")));
        assertThat(CalibrationEnd.parse("1997-09-30T12:00:00Z")).isEqualTo(new CalibrationEnd(
                LocalDate.parse("1997-09-30"), Instant.parse("1997-09-30T12:00:00Z")));
        assertThat(CalibrationEnd.parse("1997-10-01T02:00:00+08:00").day()).isEqualTo(LocalDate.parse("1997-09-30"));
        assertThatThrownBy(() -> CalibrationEnd.parse("yesterday")).hasMessage(
                "'yesterday' is not a date or an instant (ISO-8601, e.g. 1997-09-30 or 1997-09-30T12:00:00Z)");
    }
}
