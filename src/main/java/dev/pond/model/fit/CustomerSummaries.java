package dev.pond.model.fit;

import dev.pond.core.Times;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Summarises purchases per customer at the calibration end. Time is counted in whole UTC days,
 * as in the literature: two orders on one day are one purchase day (their totals add up), so
 * that a split basket does not look like a loyal customer.
 */
public final class CustomerSummaries {

    private CustomerSummaries() {}

    /**
     * One summary per customer with a purchase in the calibration period, sorted by user id;
     * purchases after {@code end} are ignored.
     *
     * @param windowMonths the RFM window, as in {@code rfm.windowMonths}
     */
    public static List<CustomerSummary> at(List<Purchase> purchases, CalibrationEnd end, int windowMonths) {
        List<Purchase> counted = new ArrayList<>();
        for (Purchase p : purchases) {
            if (end.includes(p.time())) {
                counted.add(p);
            }
        }
        counted.sort(Comparator.comparing(Purchase::userId).thenComparing(Purchase::time));
        int firstMonth = Times.monthIndex(end.last().toEpochMilli()) - windowMonths + 1;
        List<CustomerSummary> out = new ArrayList<>();
        for (int from = 0, to; from < counted.size(); from = to) {
            to = from;
            while (to < counted.size() && counted.get(to).userId().equals(counted.get(from).userId())) {
                to++;
            }
            out.add(summarise(counted.subList(from, to), end, firstMonth));
        }
        return out;
    }

    /** @param own one customer's purchases, in time order */
    private static CustomerSummary summarise(List<Purchase> own, CalibrationEnd end, int firstMonth) {
        TreeMap<Long, Double> dayTotals = new TreeMap<>();
        SortedMap<String, List<Long>> categoryDays = new TreeMap<>();
        int windowOrders = 0;
        double windowSpend = 0;
        for (Purchase p : own) {
            long millis = p.time().toEpochMilli();
            long day = Times.day(millis);
            dayTotals.merge(day, p.total(), Double::sum);
            for (String c : p.categories()) {
                List<Long> days = categoryDays.computeIfAbsent(c, k -> new ArrayList<>());
                if (days.isEmpty() || days.get(days.size() - 1) != day) {
                    days.add(day); // purchases come in time order, so days ascend
                }
            }
            if (Times.monthIndex(millis) >= firstMonth) {
                windowOrders++;
                windowSpend += p.total();
            }
        }
        long first = dayTotals.firstKey();
        int x = dayTotals.size() - 1;
        double repeatSpend = 0;
        for (Map.Entry<Long, Double> d : dayTotals.tailMap(first, false).entrySet()) {
            repeatSpend += d.getValue();
        }
        long lastMillis = own.get(own.size() - 1).time().toEpochMilli();
        int recency = Math.max(0, Times.daysBetween(lastMillis, end.last().toEpochMilli()));
        categoryDays.replaceAll((c, days) -> List.copyOf(days));
        return new CustomerSummary(own.get(0).userId(), x, (int) (dayTotals.lastKey() - first),
                (int) (end.dayIndex() - first), x == 0 ? 0 : repeatSpend / x, recency, windowOrders, windowSpend,
                categoryDays);
    }
}
