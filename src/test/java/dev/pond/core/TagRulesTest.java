package dev.pond.core;

import dev.pond.core.value.CustomerValue;
import dev.pond.model.Model;
import dev.pond.out.Lifecycle;
import dev.pond.state.Decayed;
import dev.pond.state.DecayedCounts;
import dev.pond.state.IntentState;
import dev.pond.state.UserState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import static dev.pond.core.Events.days;
import static dev.pond.core.Events.history;
import static dev.pond.core.Events.ms;
import static dev.pond.core.Events.paid;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TagRules} with the default model, on one constructed user: three paid orders of 1000 (the
 * last 10 days ago, the first 100 days ago), intent 30 with categories skincare 8, makeup 6,
 * haircare 4, fragrance 3 and socks 1, deep reads about sensitive-skin (2.0) and anti-aging (1.0),
 * 10 recent shares and first touch via wechat. Covers the full tag set, the removal reasons (a
 * single-valued family names its replacement) and the moment the first fading tag goes.
 */
class TagRulesTest {

    private static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
    private static final long N = ms(NOW);
    private static final long HALF_LIFE = 72 * Times.HOUR;

    private final Model model = Events.defaults();
    private final Intent intent = new Intent(model);
    private final Engagement engagement = new Engagement(model);
    private final Orders orders = new Orders(model);
    private final StandingRules standing = new StandingRules(model, orders, new CustomerValue(model));
    private final TagRules rules = new TagRules(model, intent, engagement);

    private UserState user(Map<String, Double> categories) {
        UserState s = UserScorer.fresh(N - 200 * Times.DAY);
        s.setLastSeenAt(N);
        s.setOrders(history(model,
                paid("o1", days(NOW, -100), 1000),
                paid("o2", days(NOW, -40), 1000),
                paid("o3", days(NOW, -10), 1000)));
        s.setIntent(new IntentState(N, 30d, new HashMap<>(categories), new HashMap<>()));
        s.setTopics(new DecayedCounts(N, new HashMap<>(Map.of("sensitive-skin", 2d, "anti-aging", 1d))));
        s.setShares(new Decayed(N, 10d));
        s.setFirstTouchChannel("wechat");
        s.setFirstTouchAt(N - 200 * Times.DAY);
        return s;
    }

    private UserState user() {
        return user(Map.of("skincare", 8d, "makeup", 6d, "haircare", 4d, "fragrance", 3d, "socks", 1d));
    }

    private SortedMap<String, String> tagsAt(UserState s, long now) {
        return rules.explain(s, standing.evaluate(s.getOrders(), now), now);
    }

    /** Tags with their reasons as the operator gets them, worded on demand. */
    private static SortedMap<String, Supplier<String>> lazy(SortedMap<String, String> worded) {
        SortedMap<String, Supplier<String>> tags = new TreeMap<>();
        worded.forEach((tag, reason) -> tags.put(tag, () -> reason));
        return tags;
    }

    @Test
    void theFullTagSet() {
        SortedMap<String, String> tags = tagsAt(user(), N);

        assertThat(tags.keySet()).containsExactly(
                "channel:wechat",
                "high-intent",
                "interest:haircare",
                "interest:makeup",
                "interest:skincare",
                "koc",
                "lifecycle:active",
                "rfm:important-value",
                "tier:gold",
                "topic:sensitive-skin");
        assertThat(tags.get("lifecycle:active")).isEqualTo("churn risk 40% (sleeping from 80%), last order 10 days ago");
        assertThat(tags.get("rfm:important-value"))
                .isEqualTo("R5 F3 M4: last order 10 days ago, 3 orders and 3000.00 spent in 12 months");
        assertThat(tags.get("tier:gold")).isEqualTo("spent 3000.00 in 12 months (at least 2000.00 for gold)");
        assertThat(tags.get("channel:wechat")).isEqualTo("first came through wechat");
    }

    @Test
    void interestsAreTheTopThreeThatReachTheMinimumScore() {
        // haircare is third but under 2.0; fragrance, fourth, does not move up.
        UserState s = user(Map.of("skincare", 8d, "makeup", 6d, "haircare", 1.9d, "fragrance", 1.5d));

        assertThat(tagsAt(s, N).keySet()).filteredOn(t -> t.startsWith("interest:"))
                .containsExactly("interest:makeup", "interest:skincare");
    }

    @Test
    void aUserWhoNeverBoughtIsAProspectWithoutRfmOrTier() {
        UserState s = UserScorer.fresh(N);

        assertThat(tagsAt(s, N)).containsExactly(Map.entry("lifecycle:prospect", "no paid order yet"));
    }

    @Test
    void aLifecycleTagThatGoesNamesTheStageThatReplacesIt() {
        UserState s = user();
        // The moment the churn risk reaches 80%, 100 days after the last order.
        long later = new CustomerValue(model).reaches(s.getOrders(), N, 0.8);
        SortedMap<String, String> tags = tagsAt(s, later);

        assertThat(Times.daysBetween(s.getOrders().getLastOrderAt(), later)).isEqualTo(100);
        assertThat(tags).containsKey("lifecycle:sleeping").doesNotContainKey("lifecycle:active");
        assertThat(rules.removalReason("lifecycle:active", s, lazy(tags), later))
                .isEqualTo("now lifecycle:sleeping: churn risk 80% (sleeping from 80%), last order 100 days ago");
    }

    @Test
    void aTierTagThatGoesNamesTheLowerTierOrSaysThereIsNone() {
        UserState s = user();
        var rfm = standing.evaluate(s.getOrders(), N).rfm();
        Model.Tier silver = model.tiers().get(0);
        var silverTags =
                rules.evaluate(s, new Standing(Lifecycle.ACTIVE, rfm, silver, 1, 600, 10, 0.3), N);
        var noTier =
                rules.evaluate(s, new Standing(Lifecycle.ACTIVE, rfm, null, 1, 100, 10, 0.3), N);

        assertThat(rules.removalReason("tier:gold", s, silverTags, N))
                .isEqualTo("now tier:silver: spent 600.00 in 12 months (at least 500.00 for silver)");
        assertThat(rules.removalReason("tier:gold", s, noTier, N))
                .isEqualTo("spend in the window is below the lowest tier");
    }

    @Test
    void rfmAndLifecycleAfterTheLastPurchaseIsUndone() {
        UserState s = user();
        var prospect =
                rules.evaluate(s, new Standing(Lifecycle.PROSPECT, null, null, 0, 0, -1, 0), N);

        assertThat(rules.removalReason("lifecycle:active", s, prospect, N))
                .isEqualTo("now lifecycle:prospect: no paid order yet");
        assertThat(rules.removalReason("rfm:important-value", s, prospect, N))
                .isEqualTo("no paid order counts any more");
    }

    @Test
    void fadingFlagsSayWhatTheyFadedTo() {
        UserState s = user();
        long later = N + 2 * HALF_LIFE; // intent 30 -> 7.5
        SortedMap<String, String> tags = tagsAt(s, later);

        assertThat(tags).doesNotContainKey("high-intent");
        // A tag the user has is kept down to its exit threshold, 0.8 of the threshold to get it.
        assertThat(rules.removalReason("high-intent", s, lazy(tags), later)).isEqualTo("intent fell to 7.5 (below 9.6)");

        long muchLater = N + 60 * Times.DAY; // shares 10 -> 2.5
        assertThat(tagsAt(s, muchLater)).doesNotContainKey("koc");
        assertThat(rules.removalReason("koc", s, lazy(tagsAt(s, muchLater)), muchLater))
                .isEqualTo("shares faded to 2.5 (below 4.0)");
    }

    /**
     * SUSPECTED BUG (TagRules.removalReason): interest (and topic) is a family with several tags at
     * once, but any remaining tag of the family is taken as the "replacement". Here haircare fades
     * from 2.2 to 1.1 after one half-life and drops out, while skincare (4.0) and makeup (3.0) stay
     * and no interest tag was added: nothing replaced haircare. The reason should be the interest
     * rule's own, "intent in haircare fell to 1.1 (below 1.6)" (1.6: the exit
     * threshold of a tag the user has); the code answered "now interest:makeup: ...".
     */
    @Test
    void anInterestThatFadesWhileOthersStaySaysItFaded() {
        UserState s = user(Map.of("skincare", 8d, "makeup", 6d, "haircare", 2.2d));
        assertThat(tagsAt(s, N)).containsKey("interest:haircare");
        long later = N + HALF_LIFE;
        SortedMap<String, String> tags = tagsAt(s, later);

        assertThat(tags.keySet()).filteredOn(t -> t.startsWith("interest:"))
                .containsExactly("interest:makeup", "interest:skincare");
        assertThat(rules.removalReason("interest:haircare", s, lazy(tags), later))
                .isEqualTo("intent in haircare fell to 1.1 (below 1.6)");
    }

    @Test
    void nextChangeIsWhenTheFirstFadingTagFallsBelowItsExitThreshold() {
        UserState s = user();
        SortedMap<String, String> tags = tagsAt(s, N);
        s.setTags(new java.util.ArrayList<>(tags.keySet()));
        // A tag the user has goes at 0.8 of its threshold. High-intent 30 -> 9.6 after 118.4 h;
        // interest:skincare 8 -> 1.6 after 167.2 h; makeup 6 -> 1.6 after 137.3 h; haircare 4 -> 1.6
        // after 95.2 h; topic 2 -> 1.2 after 22.1 days; koc 10 -> 4 after 39.7 days.
        long next = rules.nextChange(s, tags);

        assertThat(next).isEqualTo(N + (long) Math.floor(HALF_LIFE * Math.log(4 / 1.6) / Math.log(2)) + 1);
        assertThat(tagsAt(s, next - 1)).containsKey("interest:haircare");
        SortedMap<String, String> after = tagsAt(s, next);
        assertThat(after).doesNotContainKey("interest:haircare");
        assertThat(after.keySet()).containsAll(tags.keySet().stream()
                .filter(t -> !t.equals("interest:haircare")).toList());
    }

    @Test
    void aTagIsKeptDownToItsExitThresholdButNotGivenBelowItsThreshold() {
        UserState s = user(Map.of("skincare", 1.8d));
        assertThat(tagsAt(s, N)).doesNotContainKey("interest:skincare");

        s.setTags(new java.util.ArrayList<>(java.util.List.of("interest:skincare")));
        assertThat(tagsAt(s, N)).containsEntry("interest:skincare",
                "intent 1.8 in skincare, #1 of the top 3 (at least 1.6)");
    }

    @Test
    void nothingFadesWithoutFadingTags() {
        UserState s = user(Map.of("socks", 1d));
        s.setIntent(new IntentState(N, 1d, new HashMap<>(Map.of("socks", 1d)), new HashMap<>()));
        s.setTopics(new DecayedCounts(N, new HashMap<>()));
        s.setShares(new Decayed(N, 0d));

        assertThat(rules.nextChange(s, tagsAt(s, N))).isEqualTo(Long.MAX_VALUE);
    }
}
