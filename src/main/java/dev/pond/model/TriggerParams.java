package dev.pond.model;

import dev.pond.out.TriggerType;

import java.io.Serializable;

/**
 * The parameters of the trigger catalogue (the model file's {@code triggers} section): when each
 * rule fires, and how the contact policy treats what it fires — priority, how long it stays
 * worth sending, the cooldown, the suggested offer. The defaults, with what each means, are in
 * {@code default-model.yaml}.
 */
public final class TriggerParams {

    private TriggerParams() {}

    /** What the contact policy needs of every trigger type. */
    public interface Delivery {
        /** Whether the rule fires at all. */
        boolean enabled();

        /** Higher goes first when a contact cap bites. */
        int priority();

        /** How long after its rule fired a trigger is worth sending. */
        double validHours();

        /** No trigger of the same type goes out within this long after the previous one. */
        double cooldownHours();

        /** The suggested incentive, or null. */
        Offer offer();

        default long validMillis() {
            return Math.round(validHours() * 3_600_000d);
        }

        default long cooldownMillis() {
            return Math.round(cooldownHours() * 3_600_000d);
        }
    }

    /** A suggested incentive attached to a trigger. */
    public record Offer(String code, String description) implements Serializable {}

    /** The whole catalogue. */
    public record Catalogue(
            CartAbandoned cartAbandoned,
            HighIntent highIntent,
            ChurnRisk churnRisk,
            WinBack winBack,
            Replenishment replenishment,
            CrossSell crossSell,
            TierUpgrade tierUpgrade,
            Welcome welcome,
            Birthday birthday,
            PointsReminder pointsReminder,
            PointsExpiring pointsExpiring,
            Upsell upsell,
            ReferralReward referralReward)
            implements Serializable {

        /** The delivery parameters of {@code type}. */
        public Delivery of(TriggerType type) {
            return switch (type) {
                case CART_ABANDONED -> cartAbandoned;
                case HIGH_INTENT -> highIntent;
                case CHURN_RISK -> churnRisk;
                case WIN_BACK -> winBack;
                case REPLENISHMENT_DUE -> replenishment;
                case CROSS_SELL -> crossSell;
                case TIER_UPGRADE -> tierUpgrade;
                case WELCOME -> welcome;
                case BIRTHDAY -> birthday;
                case POINTS_REMINDER -> pointsReminder;
                case POINTS_EXPIRING -> pointsExpiring;
                case UPSELL -> upsell;
                case REFERRAL_REWARD -> referralReward;
            };
        }
    }

    /**
     * CART_ABANDONED: added to cart and no order within {@code delayMinutes} of the latest add; a
     * second reminder {@code secondReminder.afterHours} after the first if still not bought.
     */
    public record CartAbandoned(boolean enabled, double delayMinutes, double validHours, int priority,
            double cooldownHours, Offer offer, SecondReminder secondReminder)
            implements Delivery, Serializable {
        public long delayMillis() {
            return Math.round(delayMinutes * 60_000d);
        }
    }

    /** The cart's second reminder. */
    public record SecondReminder(boolean enabled, double afterHours, double validHours, int priority, Offer offer)
            implements Serializable {
        public long afterMillis() {
            return Math.round(afterHours * 3_600_000d);
        }

        public long validMillis() {
            return Math.round(validHours * 3_600_000d);
        }
    }

    /**
     * HIGH_INTENT: intent rose to {@code minIntent} with no order in the {@code noOrderHours} before.
     * With {@code topPercent} set, {@code minIntent} is what {@code pond fit} found that only the top
     * {@code topPercent} % of active users (a signal in the {@code activeDays} before) reach on a day;
     * the rule reads {@code minIntent} either way, and names the share in its reason.
     */
    public record HighIntent(boolean enabled, double minIntent, Double topPercent, double activeDays,
            double noOrderHours, double validHours, int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {
        public long noOrderMillis() {
            return Math.round(noOrderHours * 3_600_000d);
        }

        public long activeMillis() {
            return Math.round(activeDays * 86_400_000d);
        }

        /** The same rule with another threshold, as {@code pond fit} writes it. */
        public HighIntent withMinIntent(double value) {
            return new HighIntent(enabled, value, topPercent, activeDays, noOrderHours, validHours, priority,
                    cooldownHours, offer);
        }
    }

    /**
     * CHURN_RISK: the churn risk of a valuable customer (an important-* RFM class if
     * {@code importantRfm}, or CLV at least {@code minClv}) reached {@code minRisk}.
     */
    public record ChurnRisk(boolean enabled, double minRisk, boolean importantRfm, double minClv, double validHours,
            int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /** WIN_BACK: the customer entered the churned stage. */
    public record WinBack(boolean enabled, double validHours, int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * REPLENISHMENT_DUE: {@code leadDays} before a consumable category's repurchase cycle (from
     * {@code categories.repurchaseDays}) runs out after a purchase, unless bought again.
     */
    public record Replenishment(boolean enabled, double leadDays, double validHours, int priority,
            double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * CROSS_SELL: {@code afterDays} after buying a category, its most related category (lift at
     * least {@code minLift}, from {@code categories.related}) unless bought in the
     * {@code recentDays} before or since.
     */
    public record CrossSell(boolean enabled, double afterDays, double minLift, double recentDays, double validHours,
            int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /** TIER_UPGRADE: a purchase lifted the rolling spend into a higher tier. */
    public record TierUpgrade(boolean enabled, double validHours, int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /** WELCOME: the first paid order. */
    public record Welcome(boolean enabled, double validHours, int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * BIRTHDAY: {@code daysBefore} days before a member's birthday (ClickEvent.birthday), at
     * {@code localTime} in the member's time zone, once a year.
     */
    public record Birthday(boolean enabled, int daysBefore, String localTime, double validHours, int priority,
            double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * POINTS_REMINDER: a customer became sleeping (lifecycle.sleepingRisk) with at least
     * {@code minPoints} points; once per quiet spell.
     */
    public record PointsReminder(boolean enabled, long minPoints, double validHours, int priority,
            double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * POINTS_EXPIRING: {@code daysBefore} days before a month's points expire
     * ({@code points.expiryMonths}), if at least {@code minPoints} of them are left; once per month's points.
     */
    public record PointsExpiring(boolean enabled, int daysBefore, long minPoints, double validHours, int priority,
            double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * UPSELL: a paid order makes the customer a potential one (RFM class general-value: recent and
     * frequent, spending little), suggesting a larger basket with the offer.
     */
    public record Upsell(boolean enabled, double validHours, int priority, double cooldownHours, Offer offer)
            implements Delivery, Serializable {}

    /**
     * REFERRAL_REWARD: a friend who signed up with a referrer pays a first order; one to the
     * referrer (with {@code offer}) and one to the friend (with {@code friendOffer}), each through
     * their own contact policy.
     */
    public record ReferralReward(boolean enabled, double validHours, int priority, double cooldownHours, Offer offer,
            Offer friendOffer)
            implements Delivery, Serializable {}

    /**
     * The contact policy: at most {@code maxPerDay} triggers in any 24 hours and {@code maxPerWeek}
     * in any 7 days (0: no cap), nothing between {@code quietStart} and {@code quietEnd} in the
     * user's time zone ({@code defaultTimeZone} when unknown), deferred instead.
     */
    public record Contact(int maxPerDay, int maxPerWeek, String quietStart, String quietEnd, String defaultTimeZone)
            implements Serializable {}
}
