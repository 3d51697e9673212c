package dev.pond.core.value;

import dev.pond.core.Orders;
import dev.pond.core.Times;
import dev.pond.model.Model;
import dev.pond.state.OrderHistory;
import org.hipparchus.analysis.solvers.AllowedSolution;
import org.hipparchus.analysis.solvers.BracketingNthOrderBrentSolver;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.util.FastMath;

/**
 * A customer's churn risk and value at a moment, from the order history and the fitted models:
 * the history gives the customer's (x, tₓ, T) in weeks and mean repeat spend, the models do the
 * rest. Also finds the moment the churn risk will reach a threshold if nothing is bought, so that
 * the operator can set one timer for it instead of checking every day.
 */
public final class CustomerValue {

    /** Beyond this the churn risk is not followed: a timer 100 years ahead is no timer. */
    private static final double MAX_WEEKS_AHEAD = 100 * 52.18;

    private final BgNbd purchases;
    private final GammaGamma spend;
    private final Model.Churn churn;
    private final Model.Value value;
    private final BracketingNthOrderBrentSolver solver = new BracketingNthOrderBrentSolver(1e-12, 1e-10, 1e-14, 5);

    public CustomerValue(Model model) {
        this.churn = model.churn();
        this.value = model.value();
        this.purchases = new BgNbd(churn.model(), churn.r(), churn.alpha(), churn.a(), churn.b());
        this.spend = new GammaGamma(value.p(), value.q(), value.gamma());
    }

    /**
     * The scores of a customer.
     *
     * @param pAlive probability that the customer has not left
     * @param churnRisk probability of no purchase in the churn horizon
     * @param expectedPurchases expected purchase days in the value horizon
     * @param expectedOrderValue expected value of the next order
     * @param clv discounted value of the coming months
     */
    public record Scores(double pAlive, double churnRisk, double expectedPurchases, double expectedOrderValue,
            double clv) {}

    /** The scores at {@code now}, or null for a customer without purchases. */
    public Scores scores(OrderHistory h, long now) {
        if (!Orders.hasPurchases(h)) {
            return null;
        }
        int x = repeatDays(h);
        double tx = recencyWeeks(h);
        double T = ageWeeks(h, now);
        double eov = spend.expectedOrderValue(x, meanRepeatSpend(h, x));
        return new Scores(purchases.pAlive(x, tx, T), purchases.pNoPurchase(x, tx, T, churn.horizonWeeks()),
                purchases.expectedPurchases(x, tx, T, value.expectedPurchasesDays() / 7),
                eov, Clv.value(purchases, x, tx, T, eov, value.clvMonths(), value.annualDiscountRate()));
    }

    /** The churn risk at {@code now}; 0 for a customer without purchases, who has nothing to lose. */
    public double churnRisk(OrderHistory h, long now) {
        if (!Orders.hasPurchases(h)) {
            return 0;
        }
        return purchases.pNoPurchase(repeatDays(h), recencyWeeks(h), ageWeeks(h, now), churn.horizonWeeks());
    }

    /**
     * The first whole second at or after {@code now} at which the churn risk is at least
     * {@code threshold}, if no purchase comes first; {@link Long#MAX_VALUE} if never (or not within
     * a century). The risk only grows while nothing is bought, so there is one such moment.
     */
    public long reaches(OrderHistory h, long now, double threshold) {
        if (!Orders.hasPurchases(h)) {
            return Long.MAX_VALUE;
        }
        int x = repeatDays(h);
        double tx = recencyWeeks(h);
        double horizon = churn.horizonWeeks();
        double from = ageWeeks(h, now);
        if (purchases.pNoPurchase(x, tx, from, horizon) >= threshold) {
            return now;
        }
        double step = 1;
        double to = from + step;
        while (purchases.pNoPurchase(x, tx, to, horizon) < threshold) {
            if (to - from > MAX_WEEKS_AHEAD) {
                return Long.MAX_VALUE;
            }
            step *= 2;
            to = from + step;
        }
        double root;
        try {
            // ABOVE_SIDE: the root returned has risk >= threshold, so the timer never fires a hair early.
            root = solver.solve(200, T -> purchases.pNoPurchase(x, tx, T, horizon) - threshold, from, to,
                    AllowedSolution.ABOVE_SIDE);
        } catch (MathIllegalStateException e) {
            root = to;
        }
        long at = h.getFirstOrderAt() + (long) FastMath.ceil(root * Times.WEEK);
        long second = Math.floorDiv(at + 999, 1000) * 1000;
        // The root is within a fraction of a millisecond; should rounding have crossed a whole
        // second, step back to the first second at or above the threshold.
        while (second - 1000 >= now && churnRisk(h, second - 1000) >= threshold) {
            second -= 1000;
        }
        return Math.max(now, second);
    }

    private static int repeatDays(OrderHistory h) {
        return Math.max(0, h.getPurchaseDays() - 1);
    }

    /** tₓ: 0 without repeat purchase days (two orders on the first day are one purchase, as in the fit). */
    private static double recencyWeeks(OrderHistory h) {
        return h.getPurchaseDays() <= 1 ? 0 : Math.max(0, h.getLastOrderAt() - h.getFirstOrderAt()) / (double) Times.WEEK;
    }

    private static double ageWeeks(OrderHistory h, long now) {
        return Math.max(recencyWeeks(h), (now - h.getFirstOrderAt()) / (double) Times.WEEK);
    }

    private static double meanRepeatSpend(OrderHistory h, int x) {
        return x == 0 ? 0 : Math.max(0, h.getLifetimeSpend() - h.getFirstDaySpend()) / x;
    }
}
