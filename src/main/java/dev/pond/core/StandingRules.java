package dev.pond.core;

import dev.pond.core.value.CustomerValue;
import dev.pond.model.Model;
import dev.pond.out.Lifecycle;
import dev.pond.out.Rfm;
import dev.pond.out.RfmClass;
import dev.pond.state.OrderHistory;

import java.util.List;

/**
 * Lifecycle stage (from the churn risk of the fitted model), RFM scores and class, and tier,
 * computed from the order history at a moment; and the next moment any of them changes with time
 * alone.
 */
public final class StandingRules {

    private final Model model;
    private final Orders orders;
    private final CustomerValue value;
    /** The churn risks at which something happens, ascending: the lifecycle stages and CHURN_RISK. */
    private final double[] riskThresholds;

    public StandingRules(Model model, Orders orders, CustomerValue value) {
        this.model = model;
        this.orders = orders;
        this.value = value;
        var churnTrigger = model.triggers().churnRisk();
        this.riskThresholds = java.util.stream.DoubleStream.of(model.lifecycle().sleepingRisk(),
                        model.lifecycle().churnedRisk(), churnTrigger.enabled() ? churnTrigger.minRisk() : 2)
                .filter(r -> r < 1).distinct().sorted().toArray();
    }

    /** Where the user with history {@code h} stands at {@code now}. */
    public Standing evaluate(OrderHistory h, long now) {
        int windowOrders = orders.windowOrders(h, now);
        double windowSpend = orders.windowSpend(h, now);
        long windowPoints = orders.windowPoints(h, now);
        Model.Tier tier = tier(model.tiersByPoints() ? windowPoints : windowSpend);
        if (!Orders.hasPurchases(h)) {
            return new Standing(Lifecycle.PROSPECT, null, tier, windowOrders, windowSpend, -1, 0, windowPoints);
        }
        int days = Math.max(0, Times.daysBetween(h.getLastOrderAt(), now));
        double risk = value.churnRisk(h, now);
        return new Standing(lifecycle(h, now, risk), rfm(days, windowOrders, windowSpend), tier,
                windowOrders, windowSpend, days, risk, windowPoints);
    }

    /** The tier at {@code now}, from the spend (or the points earned) in the rolling window alone. */
    public Model.Tier tier(OrderHistory h, long now) {
        return tier(model.tiersByPoints() ? orders.windowPoints(h, now) : orders.windowSpend(h, now));
    }

    /**
     * The first moment after {@code now} at which the lifecycle stage or the recency score changes
     * or a month leaves the RFM window; {@link Long#MAX_VALUE} if nothing changes with time alone.
     * For the stage (and the CHURN_RISK trigger) that is the moment the churn risk reaches the
     * next threshold: one timer, computed once, instead of a daily look.
     */
    public long nextChange(OrderHistory h, long now) {
        long next = earliestAfter(now, Long.MAX_VALUE, orders.nextExpiry(h));
        if (!Orders.hasPurchases(h)) {
            return next;
        }
        long last = h.getLastOrderAt();
        Model.LifecycleParams lc = model.lifecycle();
        next = earliestAfter(now, next, h.getFirstOrderAt() + lc.newDays() * Times.DAY);
        double risk = value.churnRisk(h, now);
        double threshold = nextThreshold(risk);
        if (threshold < 1) {
            // The risk only grows until the next order: if it is still under the threshold when
            // something else changes anyway, that review looks again, and solving now is wasted.
            if (next == Long.MAX_VALUE || value.churnRisk(h, next) >= threshold) {
                next = earliestAfter(now, next, value.reaches(h, now, threshold));
            }
        }
        for (int cut : model.rfm().recencyDays()) {
            next = earliestAfter(now, next, last + (cut + 1L) * Times.DAY);
        }
        return next;
    }

    private double nextThreshold(double risk) {
        for (double t : riskThresholds) {
            if (risk < t) {
                return t;
            }
        }
        return 1;
    }

    private Lifecycle lifecycle(OrderHistory h, long now, double churnRisk) {
        Model.LifecycleParams lc = model.lifecycle();
        if (now - h.getFirstOrderAt() < lc.newDays() * Times.DAY) {
            return Lifecycle.NEW;
        }
        if (churnRisk >= lc.churnedRisk()) {
            return Lifecycle.CHURNED;
        }
        return churnRisk >= lc.sleepingRisk() ? Lifecycle.SLEEPING : Lifecycle.ACTIVE;
    }

    private Rfm rfm(int days, int frequency, double monetary) {
        Model.RfmParams p = model.rfm();
        int r = 5;
        for (int cut : p.recencyDays()) {
            if (days > cut) {
                r--;
            }
        }
        int f = 1 + reached(p.frequency(), frequency);
        int m = 1 + reached(p.monetary(), monetary);
        return new Rfm(days, frequency, monetary, r, f, m, rfmClass(r, f, m, p.highScore()));
    }

    /** The eight classic classes: monetary decides important or general, then recency and frequency. */
    static RfmClass rfmClass(int r, int f, int m, int high) {
        boolean rh = r >= high;
        boolean fh = f >= high;
        if (m >= high) {
            return rh ? (fh ? RfmClass.IMPORTANT_VALUE : RfmClass.IMPORTANT_DEVELOP)
                    : (fh ? RfmClass.IMPORTANT_KEEP : RfmClass.IMPORTANT_RETAIN);
        }
        return rh ? (fh ? RfmClass.GENERAL_VALUE : RfmClass.GENERAL_DEVELOP)
                : (fh ? RfmClass.GENERAL_KEEP : RfmClass.GENERAL_RETAIN);
    }

    private Model.Tier tier(double reachedValue) {
        Model.Tier reached = null;
        for (Model.Tier t : model.tiers()) {
            if (reachedValue >= t.threshold()) {
                reached = t;
            }
        }
        return reached;
    }

    private static int reached(List<Double> cuts, double value) {
        int n = 0;
        for (double cut : cuts) {
            if (value >= cut) {
                n++;
            }
        }
        return n;
    }

    private static long earliestAfter(long now, long current, long candidate) {
        return candidate > now && candidate < current ? candidate : current;
    }
}
