package dev.pond.core;

import dev.pond.events.ArticleRead;
import dev.pond.model.Model;
import dev.pond.state.Decayed;
import dev.pond.state.DecayedCounts;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Content engagement: what an article read is worth as intent, which reads count as reading in
 * depth (and feed topic tags), and shares (which feed the KOC tag).
 */
public final class Engagement {

    private final Model.Article article;
    private final Model.TagParams tags;
    private final int maxTopics;

    public Engagement(Model model) {
        this.article = model.intent().article();
        this.tags = model.tags();
        this.maxTopics = model.limits().maxTopics();
    }

    /** Intent weight of a read: nothing much for an unopened push, more for a long, deep, shared read. */
    public double intentWeight(ArticleRead r) {
        if (!r.getOpened()) {
            return article.unopened();
        }
        double minutes = Math.min(r.getDwellMs() / 60_000d, article.maxDwellMinutes());
        double depth = article.minDepthFactor() + (1 - article.minDepthFactor()) * r.getScrollDepth();
        return (article.opened() + article.perDwellMinute() * minutes) * depth + article.perShare() * r.getShares();
    }

    /** Whether a read counts as reading in depth. */
    public boolean isDeep(ArticleRead r) {
        return r.getOpened()
                && r.getDwellMs() >= tags.deepReadMinDwellSeconds() * 1000
                && r.getScrollDepth() >= tags.deepReadMinScroll();
    }

    /** Adds one deep read at {@code t} to each of {@code topics}. */
    public void deepRead(DecayedCounts s, long t, List<String> topics) {
        double halfLife = topicHalfLifeMillis();
        s.setAsOf(Decay.advance(s.getValues(), s.getAsOf(), t, halfLife));
        double weight = Decay.late(1, t, s.getAsOf(), halfLife);
        for (String topic : new java.util.LinkedHashSet<>(topics)) { // a topic listed twice counts once
            s.getValues().merge(topic, weight, Double::sum);
        }
        Intent.evictBeyond(s.getValues(), maxTopics);
    }

    /** Adds {@code count} shares at {@code t}. */
    public void shared(Decayed s, long t, int count) {
        if (count <= 0) {
            return;
        }
        double halfLife = kocHalfLifeMillis();
        if (t > s.getAsOf()) {
            s.setValue(Decay.at(s.getValue(), s.getAsOf(), t, halfLife));
            s.setAsOf(t);
        }
        s.setValue(s.getValue() + Decay.late(count, t, s.getAsOf(), halfLife));
    }

    /** Decayed shares at {@code now}. */
    public double shares(Decayed s, long now) {
        return Decay.at(s.getValue(), s.getAsOf(), now, kocHalfLifeMillis());
    }

    /**
     * The topics read in depth enough to be tags at {@code now}, highest first: at most {@code
     * maxTopicTags}, each with a score of at least {@code threshold} of the topic.
     */
    public List<Map.Entry<String, Double>> topicTags(DecayedCounts s, long now, ToDoubleFunction<String> threshold) {
        double f = Decay.factor(now - s.getAsOf(), topicHalfLifeMillis());
        if (s.getValues().isEmpty()) {
            return List.of(); // most users read nothing in depth: no sorting, no allocation
        }
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(s.getValues().entrySet());
        ranked.sort(Intent.RANKING);
        List<Map.Entry<String, Double>> topics = new ArrayList<>();
        for (Map.Entry<String, Double> e : ranked) {
            if (topics.size() == tags.maxTopicTags()) {
                break;
            }
            if (e.getValue() * f >= threshold.applyAsDouble(e.getKey())) {
                topics.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue() * f));
            }
        }
        return topics;
    }

    /** Decayed deep-read score of {@code topic} at {@code now}. */
    public double topicScore(DecayedCounts s, String topic, long now) {
        return Decay.at(s.getValues().getOrDefault(topic, 0d), s.getAsOf(), now, topicHalfLifeMillis());
    }

    double topicHalfLifeMillis() {
        return tags.topicHalfLifeDays() * Times.DAY;
    }

    double kocHalfLifeMillis() {
        return tags.kocHalfLifeDays() * Times.DAY;
    }
}
