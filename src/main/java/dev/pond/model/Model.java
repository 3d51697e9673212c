package dev.pond.model;

import dev.pond.events.ClickType;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Every parameter of Pond's scoring rules, as read from the model file. The defaults, with what
 * each number means, are in {@code dev/pond/model/default-model.yaml}; {@link ModelLoader} reads a
 * file over them and {@link #validate()} refuses values the rules cannot work with.
 */
public record Model(
        String version,
        Intent intent,
        RfmParams rfm,
        LifecycleParams lifecycle,
        Churn churn,
        Value value,
        Categories categories,
        List<Tier> tiers,
        TagParams tags,
        TriggerParams.Catalogue triggers,
        TriggerParams.Contact contact,
        ProfileParams profile,
        Limits limits,
        Segments segments,
        Points points)
        implements Serializable {

    /**
     * The membership points programme: a paid order earns {@code perCurrencyUnit} points per unit
     * of its total, rounded down (1 by default: 1,234.50 earns 1,234); 0 turns earning off. In the
     * member's birthday month (their time zone) an order earns {@code birthdayMultiplier} times as many.
     * Actions earn what {@code actions} says, up to a daily cap each; points expire
     * {@code expiryMonths} after the month they were earned in (0: never).
     */
    public record Points(double perCurrencyUnit, double birthdayMultiplier, int expiryMonths, Actions actions)
            implements Serializable {}

    /** What each action earns, and how many times a day (in the member's time zone) at most. */
    public record Actions(Action checkin, Action read, Action share) implements Serializable {
        public Action of(PointAction action) {
            return switch (action) {
                case CHECKIN -> checkin;
                case READ -> read;
                case SHARE -> share;
            };
        }
    }

    /** The actions that earn points. */
    public enum PointAction {
        CHECKIN, READ, SHARE;

        /** Its name in the model file and in the state. */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Points per action, and the most awards of it per day. */
    public record Action(long points, int dailyCap) implements Serializable {}

    /**
     * What the segment counts watch: an alert when the sleeping share, sleeping / (active +
     * sleeping), rises above {@code sleepingShareAlert}, and another when it falls back.
     */
    public record Segments(double sleepingShareAlert) implements Serializable {}

    /** Purchase intent: a decayed, weighted sum of signals. */
    public record Intent(double halfLifeHours, Map<ClickType, Double> clickWeights, Article article)
            implements Serializable {
        public double halfLifeMillis() {
            return halfLifeHours * 3_600_000d;
        }

        public double weight(ClickType type) {
            return clickWeights.getOrDefault(type, 0d);
        }
    }

    /** How much an article read adds to intent. */
    public record Article(
            double unopened,
            double opened,
            double perDwellMinute,
            double maxDwellMinutes,
            double minDepthFactor,
            double perShare)
            implements Serializable {}

    /** RFM window, cut points and what counts as a high score. */
    public record RfmParams(
            int windowMonths,
            List<Integer> recencyDays,
            List<Double> frequency,
            List<Double> monetary,
            int highScore)
            implements Serializable {}

    /**
     * When the lifecycle stages begin: NEW for {@code newDays} after the first order, then ACTIVE
     * until the churn risk reaches {@code sleepingRisk}, SLEEPING until it reaches
     * {@code churnedRisk}, then CHURNED.
     */
    public record LifecycleParams(int newDays, double sleepingRisk, double churnedRisk)
            implements Serializable {}

    /**
     * The fitted purchase-and-dropout model (time unit weeks) and the horizon of the churn risk:
     * the probability of no purchase in the next {@code horizonDays}.
     */
    public record Churn(ChurnModel model, double r, double alpha, double a, double b, double horizonDays)
            implements Serializable {
        public double horizonWeeks() {
            return horizonDays / 7;
        }
    }

    /**
     * The fitted Gamma-Gamma spend model, and how customer lifetime value is computed: expected
     * orders of the next {@code clvMonths} times the expected order value, discounted at
     * {@code annualDiscountRate}. {@code expectedPurchasesDays} is the horizon of the profile's
     * expected purchases.
     */
    public record Value(double p, double q, double gamma, int clvMonths, double annualDiscountRate,
            double expectedPurchasesDays)
            implements Serializable {}

    /**
     * What the model learnt about categories: the median days between two purchases of the same
     * category by the same customer, and pairs bought together more often than chance.
     */
    public record Categories(Map<String, Double> repurchaseDays, List<Related> related) implements Serializable {}

    /**
     * Customers who bought {@code category} bought {@code related} {@code lift} times as often as
     * customers in general.
     */
    public record Related(String category, String related, double lift) implements Serializable {}

    /**
     * A membership tier and what reaches it in the rolling window (rfm.windowMonths): the spend
     * ({@code minSpend}) or the points earned ({@code minPoints}); every tier of a model names the same one.
     */
    public record Tier(String name, Double minSpend, Long minPoints) implements Serializable {
        public Tier(String name, double minSpend) {
            this(name, minSpend, null);
        }

        /** What reaches the tier, as a number: its minPoints for tiers by points, else its minSpend. */
        public double threshold() {
            return minPoints != null ? minPoints : minSpend;
        }
    }

    /** Whether the tiers advance by the points earned in the window rather than by spend. */
    public boolean tiersByPoints() {
        return !tiers.isEmpty() && tiers.get(0).minPoints() != null;
    }

    /** When each tag family applies. */
    public record TagParams(
            int topInterests,
            double interestMinScore,
            double highIntent,
            double deepReadMinDwellSeconds,
            double deepReadMinScroll,
            double topicHalfLifeDays,
            double topicMinScore,
            int maxTopicTags,
            double kocHalfLifeDays,
            double kocMinShares,
            double exitRatio)
            implements Serializable {}

    /** When a new profile is worth emitting. */
    public record ProfileParams(double intentChangeRatio, double minIntentChange)
            implements Serializable {}

    /** Bounds on per-user state. */
    public record Limits(
            int maxCategories,
            int maxTopics,
            int maxCartLines,
            int maxRecentOrders,
            int maxFactEvents,
            int maxPendingCartEvents,
            int maxPendingTriggers,
            int maxTriggerNotes,
            int maxPendingSignals,
            int forgetAfterDays)
            implements Serializable {

        /** How long a user may be silent before their state is cleared, in milliseconds. */
        public long forgetAfterMillis() {
            return forgetAfterDays * 86_400_000L;
        }
    }

    /**
     * Checks that the rules can work with these values.
     *
     * @return this model
     * @throws IllegalArgumentException naming the first value that is wrong
     */
    /** The most of anything a trigger or profile lists (a limit on cart lines, categories, notes...). */
    public static final int MAX_LISTED = 200;

    /** The most of anything that waits in a user's state (pending cart events, triggers, signals). */
    public static final int MAX_PENDING = 10_000;

    public Model validate() {
        require(version != null && !version.isBlank(), "version must be set");
        require(intent != null && rfm != null && lifecycle != null && tiers != null && tags != null
                && triggers != null && contact != null && profile != null && limits != null && segments != null
                && points != null,
                "a section is empty (intent, rfm, lifecycle, tiers, tags, triggers, contact, profile, limits,"
                        + " segments, points)");
        require(points.perCurrencyUnit() >= 0 && points.perCurrencyUnit() <= 1000,
                "points.perCurrencyUnit must be between 0 and 1000, got " + points.perCurrencyUnit());
        require(points.birthdayMultiplier() >= 1 && points.birthdayMultiplier() <= 100,
                "points.birthdayMultiplier must be between 1 and 100, got " + points.birthdayMultiplier());
        require(points.expiryMonths() >= 0 && points.expiryMonths() <= 24,
                "points.expiryMonths must be between 0 (never) and 24, got " + points.expiryMonths());
        require(points.actions() != null, "points.actions is empty");
        for (PointAction a : PointAction.values()) {
            Action action = points.actions().of(a);
            String name = "points.actions." + a.key();
            require(action != null, name + " is empty");
            require(action.points() >= 0 && action.points() <= 100_000,
                    name + ".points must be between 0 and 100000, got " + action.points());
            require(action.dailyCap() >= 1 && action.dailyCap() <= 100,
                    name + ".dailyCap must be between 1 and 100, got " + action.dailyCap());
        }
        require(segments.sleepingShareAlert() > 0 && segments.sleepingShareAlert() < 1,
                "segments.sleepingShareAlert must be between 0 and 1 (a share), got " + segments.sleepingShareAlert());
        require(intent.halfLifeHours() > 0, "intent.halfLifeHours must be positive");
        require(intent.clickWeights() != null && intent.article() != null, "intent.clickWeights and intent.article must be set");
        intent.clickWeights().forEach((type, w) ->
                require(w != null && Double.isFinite(w), "intent.clickWeights." + type + " must be a number"));
        Article a = intent.article();
        require(a.maxDwellMinutes() >= 0, "intent.article.maxDwellMinutes must not be negative");
        require(a.minDepthFactor() >= 0 && a.minDepthFactor() <= 1,
                "intent.article.minDepthFactor must be between 0 and 1");
        require(rfm.windowMonths() >= 1 && rfm.windowMonths() <= 120,
                "rfm.windowMonths must be between 1 and 120");
        require(rfm.recencyDays() != null && rfm.recencyDays().stream().allMatch(java.util.Objects::nonNull),
                "rfm.recencyDays must have 4 cut points");
        requireCuts("rfm.recencyDays", rfm.recencyDays().stream().map(Integer::doubleValue).toList());
        requireCuts("rfm.frequency", rfm.frequency());
        requireCuts("rfm.monetary", rfm.monetary());
        require(rfm.highScore() >= 1 && rfm.highScore() <= 5, "rfm.highScore must be between 1 and 5");
        require(lifecycle.newDays() > 0, "lifecycle.newDays must be positive");
        require(lifecycle.sleepingRisk() > 0 && lifecycle.sleepingRisk() < lifecycle.churnedRisk()
                        && lifecycle.churnedRisk() < 1,
                "lifecycle.sleepingRisk must be above 0 and below lifecycle.churnedRisk, which must be below 1");
        require(churn != null && value != null && categories != null,
                "a section is empty (churn, value, categories)");
        require(churn.model() != null, "churn.model must be BG_NBD or MBG_NBD");
        require(positive(churn.r()) && positive(churn.alpha()) && positive(churn.a()) && positive(churn.b()),
                "churn.r, churn.alpha, churn.a and churn.b must be positive numbers");
        require(churn.horizonDays() > 0 && churn.horizonDays() <= 3650, "churn.horizonDays must be between 0 and 3650");
        require(positive(value.p()) && value.q() > 1 && Double.isFinite(value.q()) && positive(value.gamma()),
                "value.p and value.gamma must be positive and value.q above 1");
        require(value.clvMonths() >= 1 && value.clvMonths() <= 120, "value.clvMonths must be between 1 and 120");
        require(value.annualDiscountRate() >= 0 && value.annualDiscountRate() < 10,
                "value.annualDiscountRate must be between 0 and 10");
        require(value.expectedPurchasesDays() > 0 && value.expectedPurchasesDays() <= 3650,
                "value.expectedPurchasesDays must be between 0 and 3650");
        require(categories.repurchaseDays() != null && categories.related() != null,
                "categories.repurchaseDays and categories.related must be set (may be empty)");
        categories.repurchaseDays().forEach((category, days) ->
                require(days != null && days > 0, "categories.repurchaseDays." + category + " must be positive"));
        for (int i = 0; i < categories.related().size(); i++) {
            Related r = categories.related().get(i);
            require(r != null && notBlank(r.category()) && notBlank(r.related()) && positive(r.lift()),
                    "categories.related[" + i + "] needs a category, a related category and a positive lift");
        }
        for (int i = 0; i < tiers.size(); i++) {
            require(tiers.get(i) != null, "tiers[" + i + "] is empty");
            require(tiers.get(i).name() != null && !tiers.get(i).name().isBlank(), "tiers[" + i + "].name must be set");
            Tier t = tiers.get(i);
            require((t.minSpend() == null) != (t.minPoints() == null),
                    "tiers[" + i + "] needs minSpend or minPoints, not both");
            require((t.minPoints() != null) == (tiers.get(0).minPoints() != null),
                    "tiers must all be by spend (minSpend) or all by points (minPoints)");
            require(t.threshold() >= 0, "tiers[" + i + "]: the minimum must not be negative");
            require(i == 0 || t.threshold() > tiers.get(i - 1).threshold(),
                    "tiers must be in ascending order of minSpend or minPoints");
        }
        require(tags.topInterests() >= 0 && tags.maxTopicTags() >= 0, "tags.topInterests and tags.maxTopicTags must not be negative");
        require(intent.halfLifeHours() <= 24 * 3650 && tags.topicHalfLifeDays() <= 3650 && tags.kocHalfLifeDays() <= 3650,
                "half-lives must be at most ten years");
        require(tags.deepReadMinScroll() >= 0 && tags.deepReadMinScroll() <= 1 && tags.deepReadMinDwellSeconds() >= 0,
                "tags.deepReadMinScroll must be between 0 and 1 and tags.deepReadMinDwellSeconds not negative");
        require(tags.exitRatio() > 0 && tags.exitRatio() <= 1, "tags.exitRatio must be above 0 and at most 1");
        require(tags.topicHalfLifeDays() > 0, "tags.topicHalfLifeDays must be positive");
        require(tags.kocHalfLifeDays() > 0, "tags.kocHalfLifeDays must be positive");
        require(tags.interestMinScore() > 0 && tags.highIntent() > 0 && tags.topicMinScore() > 0
                        && tags.kocMinShares() > 0,
                "tag thresholds (interestMinScore, highIntent, topicMinScore, kocMinShares) must be positive");
        TriggerChecks.validate(triggers, contact);
        require(profile.intentChangeRatio() >= 0 && profile.minIntentChange() >= 0,
                "profile thresholds must not be negative");
        require(limits.maxCategories() >= Math.max(1, tags.topInterests()),
                "limits.maxCategories must be at least tags.topInterests");
        require(limits.maxTopics() >= Math.max(1, tags.maxTopicTags()), "limits.maxTopics must be at least tags.maxTopicTags");
        require(limits.maxCartLines() >= 1 && limits.maxRecentOrders() >= 1 && limits.maxFactEvents() >= 1
                        && limits.maxPendingCartEvents() >= 1 && limits.maxPendingTriggers() >= 1
                        && limits.maxTriggerNotes() >= 1 && limits.maxPendingSignals() >= 1,
                "limits must be at least 1");
        // What reaches an output record (a trigger's items, event ids and categories; a profile's
        // tags and notes) is bounded so that the largest trigger or profile stays far below the
        // 1 MiB a Kafka producer sends by default (OutputSizeTest); what only waits in state, less.
        require(Math.max(Math.max(limits.maxCategories(), limits.maxTopics()), Math.max(limits.maxCartLines(),
                        Math.max(limits.maxRecentOrders(), Math.max(limits.maxFactEvents(), limits.maxTriggerNotes()))))
                        <= MAX_LISTED,
                "limits.maxCategories, maxTopics, maxCartLines, maxRecentOrders, maxFactEvents and maxTriggerNotes must"
                        + " be at most " + MAX_LISTED);
        require(Math.max(limits.maxPendingCartEvents(), Math.max(limits.maxPendingTriggers(), limits.maxPendingSignals()))
                        <= MAX_PENDING,
                "limits.maxPendingCartEvents, maxPendingTriggers and maxPendingSignals must be at most " + MAX_PENDING);
        // Forgetting a user ends every rule that looks back: the RFM window, the churn horizon.
        require(limits.forgetAfterDays() >= 31 * (rfm.windowMonths() + 1) && limits.forgetAfterDays() <= 36_500,
                "limits.forgetAfterDays must cover the RFM window (rfm.windowMonths, plus a month) and be at most 36500");
        return this;
    }

    private static void requireCuts(String name, List<Double> cuts) {
        require(cuts != null && cuts.size() == 4 && cuts.stream().allMatch(java.util.Objects::nonNull),
                name + " must have 4 cut points");
        for (int i = 1; i < cuts.size(); i++) {
            require(cuts.get(i) > cuts.get(i - 1), name + " must be strictly ascending, got " + cuts);
        }
    }

    static boolean positive(double v) {
        return v > 0 && Double.isFinite(v);
    }

    static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid model: " + message);
        }
    }
}
