package dev.pond.model.fit;

import java.util.List;
import java.util.SortedMap;

/**
 * One customer as seen at the calibration end, in days (UTC): what the BG/NBD and Gamma-Gamma
 * fits need, what RFM needs, and the days on which each category was bought.
 *
 * @param x repeat purchases: distinct purchase days minus one
 * @param txDays days from the first purchase day to the last
 * @param tDays days from the first purchase day to the calibration end day
 * @param zbar mean of the day totals of the repeat purchase days (0 without repeats)
 * @param recencyDays whole days from the last purchase to the calibration end, as the live job
 *     counts them
 * @param windowOrders orders in the RFM window (calendar months including the current one)
 * @param windowSpend their total
 * @param categoryDays for each category bought, its distinct purchase days (days since
 *     1970-01-01), ascending
 */
public record CustomerSummary(
        String userId,
        int x,
        int txDays,
        int tDays,
        double zbar,
        int recencyDays,
        int windowOrders,
        double windowSpend,
        SortedMap<String, List<Long>> categoryDays) {

    /** tₓ in weeks, the fit's time unit. */
    public double tx() {
        return txDays / 7.0;
    }

    /** T in weeks, the fit's time unit. */
    public double T() {
        return tDays / 7.0;
    }
}
