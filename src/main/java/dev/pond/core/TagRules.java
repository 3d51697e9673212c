package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.out.CategoryScore;
import dev.pond.state.UserState;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

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

    /** All tags at {@code now}, sorted, each with why it applies. */
    public SortedMap<String, String> evaluate(UserState s, Standing standing, long now) {
        SortedMap<String, String> tags = new TreeMap<>();
        tags.put("lifecycle:" + slug(standing.lifecycle().name()), lifecycleReason(s, standing, now));
        if (standing.rfm() != null) {
            var rfm = standing.rfm();
            tags.put("rfm:" + slug(rfm.getRfmClass().name()), String.format(Locale.ROOT,
                    "R%d F%d M%d: last order %d days ago, %d order%s and %s spent in %d months",
                    rfm.getR(), rfm.getF(), rfm.getM(), rfm.getRecencyDays(), rfm.getFrequency(),
                    rfm.getFrequency() == 1 ? "" : "s",
                    money(rfm.getMonetary()), windowMonths));
        }
        if (standing.tier() != null) {
            tags.put("tier:" + standing.tier().name(), String.format(Locale.ROOT,
                    "spent %s in %d months (at least %s for %s)", money(standing.windowSpend()), windowMonths,
                    money(standing.tier().minSpend()), standing.tier().name()));
        }
        List<CategoryScore> top = intent.top(s.getIntent(), now, params.topInterests());
        for (int i = 0; i < top.size(); i++) {
            CategoryScore c = top.get(i);
            if (c.getScore() >= params.interestMinScore()) {
                tags.put("interest:" + c.getCategory(), String.format(Locale.ROOT,
                        "intent %s in %s, #%d of the top %d", score(c.getScore()), c.getCategory(), i + 1,
                        params.topInterests()));
            }
        }
        double total = intent.total(s.getIntent(), now);
        if (total >= params.highIntent()) {
            tags.put("high-intent", String.format(Locale.ROOT, "intent %s (at least %s)", score(total),
                    score(params.highIntent())));
        }
        for (Map.Entry<String, Double> topic : engagement.topicTags(s.getTopics(), now)) {
            tags.put("topic:" + topic.getKey(), String.format(Locale.ROOT,
                    "read in depth about %s: score %s (at least %s)", topic.getKey(), score(topic.getValue()),
                    score(params.topicMinScore())));
        }
        double shares = engagement.shares(s.getShares(), now);
        if (shares >= params.kocMinShares()) {
            tags.put("koc", String.format(Locale.ROOT, "shared %s times recently (at least %s)", score(shares),
                    score(params.kocMinShares())));
        }
        if (s.getFirstTouchChannel() != null) {
            tags.put("channel:" + s.getFirstTouchChannel(), "first came through " + s.getFirstTouchChannel());
        }
        return tags;
    }

    /** Why {@code tag} no longer applies at {@code now}, given the new tags. */
    public String removalReason(String tag, UserState s, SortedMap<String, String> now, long at) {
        int colon = tag.indexOf(':');
        String family = colon < 0 ? tag : tag.substring(0, colon + 1);
        if (SINGLE_VALUED.contains(family)) {
            for (String current : now.keySet()) {
                if (current.startsWith(family)) {
                    return "now " + current + ": " + now.get(current);
                }
            }
        }
        String value = colon < 0 ? "" : tag.substring(colon + 1);
        return switch (family) {
            case "interest:" -> String.format(Locale.ROOT, "intent in %s is %s: below %s or out of the top %d",
                    value, score(categoryScore(s, value, at)), score(params.interestMinScore()), params.topInterests());
            case "topic:" -> String.format(Locale.ROOT, "reading about %s faded to %s (below %s or out of the top %d)",
                    value, score(engagement.topicScore(s.getTopics(), value, at)), score(params.topicMinScore()),
                    params.maxTopicTags());
            case "high-intent" -> String.format(Locale.ROOT, "intent fell to %s (below %s)",
                    score(intent.total(s.getIntent(), at)), score(params.highIntent()));
            case "koc" -> String.format(Locale.ROOT, "shares faded to %s (below %s)",
                    score(engagement.shares(s.getShares(), at)), score(params.kocMinShares()));
            case "tier:" -> "spend in the window is below the lowest tier";
            case "rfm:" -> "no paid order counts any more";
            default -> "no longer applies";
        };
    }

    /**
     * The first moment after {@code now} at which a fading score drops a tag the user has: total
     * intent under high-intent, a tagged category under its minimum, a topic, shares.
     */
    public long nextChange(UserState s, SortedMap<String, String> tags) {
        long next = Long.MAX_VALUE;
        var in = s.getIntent();
        if (tags.containsKey("high-intent")) {
            next = Math.min(next, intent.fallsBelow(in.getTotal(), in.getAsOf(), params.highIntent()));
        }
        for (Map.Entry<String, Double> c : in.getCategories().entrySet()) {
            if (tags.containsKey("interest:" + c.getKey())) {
                next = Math.min(next, intent.fallsBelow(c.getValue(), in.getAsOf(), params.interestMinScore()));
            }
        }
        var topics = s.getTopics();
        for (Map.Entry<String, Double> t : topics.getValues().entrySet()) {
            if (tags.containsKey("topic:" + t.getKey())) {
                next = Math.min(next, Decay.fallsBelow(t.getValue(), topics.getAsOf(), params.topicMinScore(),
                        engagement.topicHalfLifeMillis()));
            }
        }
        if (tags.containsKey("koc")) {
            next = Math.min(next, Decay.fallsBelow(s.getShares().getValue(), s.getShares().getAsOf(),
                    params.kocMinShares(), engagement.kocHalfLifeMillis()));
        }
        return next;
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
            case ACTIVE -> String.format(Locale.ROOT, "last order %d days ago (sleeping from %d)",
                    standing.daysSinceOrder(), lifecycle.sleepingDays());
            case SLEEPING -> String.format(Locale.ROOT, "last order %d days ago (at least %d)",
                    standing.daysSinceOrder(), lifecycle.sleepingDays());
            case CHURNED -> String.format(Locale.ROOT, "last order %d days ago (at least %d)",
                    standing.daysSinceOrder(), lifecycle.churnedDays());
        };
    }

    static String slug(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String score(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String money(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
