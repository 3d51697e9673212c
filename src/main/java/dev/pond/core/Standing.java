package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.out.Lifecycle;
import dev.pond.out.Rfm;

/**
 * Where a user stands at one moment, from the order history alone: lifecycle stage, RFM and tier.
 *
 * @param lifecycle the stage
 * @param rfm RFM, or null for a user without purchases
 * @param tier the membership tier, or null below the lowest
 * @param windowOrders paid orders in the rolling window
 * @param windowSpend spend in the rolling window
 * @param daysSinceOrder whole days since the last paid order, or -1 without purchases
 * @param churnRisk probability of no purchase in the churn horizon; 0 without purchases
 * @param windowPoints points earned in the rolling window (what tiers by points count)
 */
public record Standing(
        Lifecycle lifecycle, Rfm rfm, Model.Tier tier, int windowOrders, double windowSpend, int daysSinceOrder,
        double churnRisk, long windowPoints) {

    public Standing(Lifecycle lifecycle, Rfm rfm, Model.Tier tier, int windowOrders, double windowSpend,
                    int daysSinceOrder, double churnRisk) {
        this(lifecycle, rfm, tier, windowOrders, windowSpend, daysSinceOrder, churnRisk, 0);
    }
}
