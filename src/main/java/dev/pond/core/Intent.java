package dev.pond.core;

import dev.pond.model.Model;
import dev.pond.out.CategoryScore;
import dev.pond.state.IntentState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Purchase intent: the exponentially time-decayed sum of weighted signals, in total and per
 * category. All values share one {@code asOf}, so moving forward in time is one multiplication per
 * category and reading is one more.
 */
public final class Intent {

    /** Highest score first; ties by name, so that the order never depends on a map's iteration. */
    static final Comparator<Map.Entry<String, Double>> RANKING =
            Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private final Model.Intent params;
    private final int maxCategories;

    public Intent(Model model) {
        this.params = model.intent();
        this.maxCategories = model.limits().maxCategories();
    }

    /** Adds a signal of weight {@code w} that happened at {@code t}, in {@code category} if not null. */
    public void add(IntentState s, long t, double w, String category) {
        if (w == 0 || (category != null && s.getSpent().getOrDefault(category, Long.MIN_VALUE) >= t)) {
            return; // nothing, or a signal of a category bought after it: spent, whatever the arrival order
        }
        advanceTo(s, t);
        double weight = Decay.late(w, t, s.getAsOf(), params.halfLifeMillis());
        s.setTotal(s.getTotal() + weight);
        if (category != null) {
            s.getCategories().merge(category, weight, Double::sum);
            evictBeyond(s.getCategories(), maxCategories);
        }
    }

    /**
     * A purchase in {@code category} at {@code t}: that category's intent is spent, and leaves the
     * total too.
     */
    public void purchased(IntentState s, long t, String category) {
        s.getSpent().merge(category, t, Math::max);
        while (s.getSpent().size() > maxCategories) {
            String oldest = s.getSpent().entrySet().stream()
                    .min(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                    .orElseThrow().getKey();
            s.getSpent().remove(oldest);
        }
        if (!s.getCategories().containsKey(category)) {
            return;
        }
        advanceTo(s, t);
        double spent = s.getCategories().remove(category);
        s.setTotal(s.getTotal() - spent);
    }

    private void advanceTo(IntentState s, long t) {
        double halfLife = params.halfLifeMillis();
        long asOf = Decay.advance(s.getCategories(), s.getAsOf(), t, halfLife);
        s.setTotal(Decay.at(s.getTotal(), s.getAsOf(), asOf, halfLife));
        s.setAsOf(asOf);
    }

    /**
     * Total intent at {@code now}. The stored sums are kept exactly (a removal that arrives before
     * the add it undoes still cancels it), and only what is read is floored at zero.
     */
    public double total(IntentState s, long now) {
        return Math.max(0, Decay.at(s.getTotal(), s.getAsOf(), now, params.halfLifeMillis()));
    }

    /** The {@code n} categories with the highest positive intent at {@code now}, highest first. */
    public List<CategoryScore> top(IntentState s, long now, int n) {
        double f = Decay.factor(now - s.getAsOf(), params.halfLifeMillis());
        // A plain loop, not a sorted stream: this runs at every event, over a handful of categories.
        List<Map.Entry<String, Double>> ranked = new ArrayList<>(s.getCategories().size());
        for (Map.Entry<String, Double> e : s.getCategories().entrySet()) {
            if (e.getValue() > 0) {
                ranked.add(e);
            }
        }
        ranked.sort(RANKING);
        List<CategoryScore> top = new ArrayList<>(Math.min(n, ranked.size()));
        for (int i = 0; i < ranked.size() && i < n; i++) {
            top.add(new CategoryScore(ranked.get(i).getKey(), ranked.get(i).getValue() * f));
        }
        return top;
    }

    public double halfLifeMillis() {
        return params.halfLifeMillis();
    }

    /** When intent {@code value} valid at {@code asOf} falls under {@code threshold}. */
    public long fallsBelow(double value, long asOf, double threshold) {
        return Decay.fallsBelow(value, asOf, threshold, params.halfLifeMillis());
    }

    /** Drops the smallest entries until at most {@code max} remain. */
    static void evictBeyond(Map<String, Double> values, int max) {
        while (values.size() > max) {
            String smallest = values.entrySet().stream().max(RANKING).orElseThrow().getKey();
            values.remove(smallest);
        }
    }
}
