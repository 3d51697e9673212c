package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.out.CategoryScore;
import dev.pond.state.UserState;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Which tags a user has at a moment, each with the reason in words, and the next moment a tag
 * changes with the passing of time alone (intent and reading scores fade under their thresholds).
 *
 * <p>Tags are {@code family:value} ({@code lifecycle:active}, {@code rfm:important-value}, {@code
 * tier:gold}, {@code interest:skincare}, {@code topic:sensitive-skin}, {@code channel:wechat}) or
 * bare flags ({@code high-intent}, {@code koc}).
 */
public final class TagRules {

    /** Families of which a user has at most one tag: a new one replaces the old. */
    private static final java.util.Set<String> SINGLE_VALUED = java.util.Set.of("lifecycle:", "rfm:", "tier:", "channel:");

    private final Model.TagParams params;
    private final Intent intent;
    private final Engagement engagement;
    private final int windowMonths;
    private final Model.LifecycleParams lifecycle;

    public TagRules(Model model, Intent intent, Engagement engagement) {
        this.params = model.tags();
        this.lifecycle = model.lifecycle();
        this.intent = intent;
        this.engagement = engagement;
        this.windowMonths = model.rfm().windowMonths();
    }

    /**
     * All tags at {@code now}, sorted, each with why it applies. The reasons are worded only when
     * asked for: the operator needs the words of the few tags that change, not of all of them at
     * every event. Ask before the state changes again.
     */
    public SortedMap<String, Supplier<String>> evaluate(UserState s, Standing standing, long now) {
        return evaluate(s, standing, now, intent.top(s.getIntent(), now, params.topInterests()));
    }

    /** As {@link #evaluate(UserState, Standing, long)}, with the top categories at {@code now} already known. */
    public SortedMap<String, Supplier<String>> evaluate(UserState s, Standing standing, long now,
                                                        List<CategoryScore> top) {
        SortedMap<String, Supplier<String>> tags = new TreeMap<>();
        tags.put("lifecycle:" + slug(standing.lifecycle().name()), () -> lifecycleReason(s, standing, now));
        if (standing.rfm() != null) {
            var rfm = standing.rfm();
            tags.put("rfm:" + slug(rfm.getRfmClass().name()), () -> String.format(Locale.ROOT,
                    "R%d F%d M%d: last order %d days ago, %d order%s and %s spent in %d months",
                    rfm.getR(), rfm.getF(), rfm.getM(), rfm.getRecencyDays(), rfm.getFrequency(),
                    rfm.getFrequency() == 1 ? "" : "s",
                    money(rfm.getMonetary()), windowMonths));
        }
        if (standing.tier() != null) {
            Model.Tier tier = standing.tier();
            tags.put("tier:" + tier.name(), () -> tier.minPoints() != null
                    ? String.format(Locale.ROOT, "earned %d points in %d months (at least %d for %s)",
                            standing.windowPoints(), windowMonths, tier.minPoints(), tier.name())
                    : String.format(Locale.ROOT, "spent %s in %d months (at least %s for %s)",
                            money(standing.windowSpend()), windowMonths, money(tier.minSpend()), tier.name()));
        }
        for (int i = 0; i < top.size(); i++) {
            CategoryScore c = top.get(i);
            String tag = "interest:" + c.getCategory();
            double min = threshold(s, tag, params.interestMinScore());
            if (c.getScore() >= min) {
                int rank = i + 1;
                tags.put(tag, () -> String.format(Locale.ROOT, "intent %s in %s, #%d of the top %d (at least %s)",
                        score(c.getScore()), c.getCategory(), rank, params.topInterests(), score(min)));
            }
        }
        double total = intent.total(s.getIntent(), now);
        double highIntent = threshold(s, "high-intent", params.highIntent());
        if (total >= highIntent) {
            tags.put("high-intent", () -> String.format(Locale.ROOT, "intent %s (at least %s)", score(total),
                    score(highIntent)));
        }
        for (Map.Entry<String, Double> topic : engagement.topicTags(s.getTopics(), now,
                t -> threshold(s, "topic:" + t, params.topicMinScore()))) {
            double min = threshold(s, "topic:" + topic.getKey(), params.topicMinScore());
            tags.put("topic:" + topic.getKey(), () -> String.format(Locale.ROOT,
                    "read in depth about %s: score %s (at least %s)", topic.getKey(), score(topic.getValue()),
                    score(min)));
        }
        double shares = engagement.shares(s.getShares(), now);
        double koc = threshold(s, "koc", params.kocMinShares());
        if (shares >= koc) {
            tags.put("koc", () -> String.format(Locale.ROOT, "shared %s times recently (at least %s)", score(shares),
                    score(koc)));
        }
        String channel = s.getFirstTouchChannel();
        if (channel != null) {
            tags.put("channel:" + channel, () -> "first came through " + channel);
        }
        return tags;
    }

    /** The tags at {@code now} with their reasons worded: for tests and tools, not the hot path. */
    public SortedMap<String, String> explain(UserState s, Standing standing, long now) {
        SortedMap<String, String> worded = new TreeMap<>();
        evaluate(s, standing, now).forEach((tag, reason) -> worded.put(tag, reason.get()));
        return worded;
    }

    /** Why {@code tag} no longer applies at {@code now}, given the new tags. */
    public String removalReason(String tag, UserState s, SortedMap<String, Supplier<String>> now, long at) {
        int colon = tag.indexOf(':');
        String family = colon < 0 ? tag : tag.substring(0, colon + 1);
        if (SINGLE_VALUED.contains(family)) {
            for (String current : now.keySet()) {
                if (current.startsWith(family)) {
                    return "now " + current + ": " + now.get(current).get();
                }
            }
        }
        String value = colon < 0 ? "" : tag.substring(colon + 1);
        return switch (family) {
            case "interest:" -> fadedOrOutranked("intent in " + value, categoryScore(s, value, at),
                    exit(params.interestMinScore()), "the top " + params.topInterests() + " interests");
            case "topic:" -> fadedOrOutranked("reading about " + value,
                    engagement.topicScore(s.getTopics(), value, at), exit(params.topicMinScore()),
                    "the top " + params.maxTopicTags() + " topics");
            case "high-intent" -> String.format(Locale.ROOT, "intent fell to %s (below %s)",
                    below(intent.total(s.getIntent(), at)), score(exit(params.highIntent())));
            case "koc" -> String.format(Locale.ROOT, "shares faded to %s (below %s)",
                    below(engagement.shares(s.getShares(), at)), score(exit(params.kocMinShares())));
            case "tier:" -> "spend in the window is below the lowest tier";
            case "rfm:" -> "no paid order counts any more";
            default -> "no longer applies";
        };
    }

    /**
     * The first moment after {@code now} at which a fading score drops a tag the user has (under the
     * tag's exit threshold): total intent for high-intent, a tagged category, a topic, shares.
     */
    public long nextChange(UserState s, Map<String, ?> tags) {
        long next = Long.MAX_VALUE;
        var in = s.getIntent();
        if (tags.containsKey("high-intent")) {
            next = Math.min(next, intent.fallsBelow(in.getTotal(), in.getAsOf(), exit(params.highIntent())));
        }
        for (Map.Entry<String, Double> c : in.getCategories().entrySet()) {
            if (tags.containsKey("interest:" + c.getKey())) {
                next = Math.min(next, intent.fallsBelow(c.getValue(), in.getAsOf(), exit(params.interestMinScore())));
            }
        }
        var topics = s.getTopics();
        for (Map.Entry<String, Double> t : topics.getValues().entrySet()) {
            if (tags.containsKey("topic:" + t.getKey())) {
                next = Math.min(next, Decay.fallsBelow(t.getValue(), topics.getAsOf(), exit(params.topicMinScore()),
                        engagement.topicHalfLifeMillis()));
            }
        }
        if (tags.containsKey("koc")) {
            next = Math.min(next, Decay.fallsBelow(s.getShares().getValue(), s.getShares().getAsOf(),
                    exit(params.kocMinShares()), engagement.kocHalfLifeMillis()));
        }
        return next;
    }

    /** The threshold of a fading tag: {@code min} to get it, the lower exit threshold to keep it. */
    private double threshold(UserState s, String tag, double min) {
        return Collections.binarySearch(s.getTags(), tag) >= 0 ? exit(min) : min;
    }

    private double exit(double min) {
        return min * params.exitRatio();
    }

    /** Why a tag of a ranked family went: its score fell under the exit threshold, or others passed it. */
    private static String fadedOrOutranked(String what, double score, double exit, String top) {
        return score < exit
                ? String.format(Locale.ROOT, "%s fell to %s (below %s)", what, below(score), score(exit))
                : String.format(Locale.ROOT, "%s (%s) is no longer among %s", what, score(score), top);
    }

    private double categoryScore(UserState s, String category, long at) {
        var in = s.getIntent();
        return Decay.at(in.getCategories().getOrDefault(category, 0d), in.getAsOf(), at, intent.halfLifeMillis());
    }

    private String lifecycleReason(UserState s, Standing standing, long now) {
        var h = s.getOrders();
        return switch (standing.lifecycle()) {
            case PROSPECT -> "no paid order yet";
            case NEW -> String.format(Locale.ROOT, "first order %d days ago (new for %d days)",
                    Times.daysBetween(h.getFirstOrderAt(), now),
                    lifecycle.newDays());
            case ACTIVE, SLEEPING -> String.format(Locale.ROOT, "churn risk %s (sleeping from %s), last order %d days ago",
                    percent(standing.churnRisk()), percent(lifecycle.sleepingRisk()), standing.daysSinceOrder());
            case CHURNED -> String.format(Locale.ROOT, "churn risk %s (churned from %s), last order %d days ago",
                    percent(standing.churnRisk()), percent(lifecycle.churnedRisk()), standing.daysSinceOrder());
        };
    }

    static String slug(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String score(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A score that fell below a threshold, rounded down so that it never reads as the threshold. */
    static String below(double v) {
        return score(Math.floor(v * 10) / 10);
    }

    /** A probability as a percentage, rounded down so that it never reads as the next threshold. */
    static String percent(double p) {
        return String.format(Locale.ROOT, "%d%%", (int) Math.floor(p * 100 + 1e-9));
    }

    /** A parameter as written: 24 rather than 24.0. */
    public static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }

    static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
