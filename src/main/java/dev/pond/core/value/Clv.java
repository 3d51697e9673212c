package dev.pond.core.value;

import org.hipparchus.util.FastMath;

/**
 * Customer lifetime value over a horizon: the expected purchases of each coming month, times the
 * expected order value, discounted to today. This is the discounted-cash-flow form used with
 * BG/NBD and Gamma-Gamma (Fader, Hardie and Lee 2005), in whole months.
 */
public final class Clv {

    /** Weeks in a month of 365.25 / 12 days. */
    public static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;

    private Clv() {}

    /**
     * @param purchases the purchase model
     * @param x repeat purchases
     * @param tx time of the last purchase after the first, in weeks
     * @param T time since the first purchase, in weeks
     * @param orderValue the expected value of each future order
     * @param months the horizon in months
     * @param annualDiscountRate e.g. 0.1 for 10% a year
     */
    public static double value(BgNbd purchases, int x, double tx, double T, double orderValue, int months,
            double annualDiscountRate) {
        double monthly = FastMath.pow(1 + annualDiscountRate, 1d / 12) - 1;
        double sum = 0;
        double before = 0;
        for (int m = 1; m <= months; m++) {
            double upTo = purchases.expectedPurchases(x, tx, T, m * WEEKS_PER_MONTH);
            sum += (upTo - before) * orderValue / FastMath.pow(1 + monthly, m);
            before = upTo;
        }
        return sum;
    }
}
