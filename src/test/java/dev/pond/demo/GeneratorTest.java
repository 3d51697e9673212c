package dev.pond.demo;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.io.JsonCodec;
import dev.pond.model.fit.CategoryCycles;
import dev.pond.model.fit.FitOptions;
import dev.pond.model.fit.FitResult;
import dev.pond.model.fit.ModelFit;
import dev.pond.model.fit.OrderFileReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator is deterministic (same seed, same events) and its users are individuals: nothing
 * that should differ from user to user is the same for all of them. A year of its orders has the
 * rhythms the replenishment and cross-sell triggers need, and {@code pond fit} finds them: the
 * consumables' repurchase cycles near their typical ones, and the related pairs, and no others.
 */
class GeneratorTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<SpecificRecord> a = generate(7, 200, 30);
        List<SpecificRecord> b = generate(7, 200, 30);
        List<SpecificRecord> c = generate(8, 200, 30);

        assertThat(a).hasSizeGreaterThan(1_000).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void usersSignUpOnDifferentChannelsAndReadDifferentFirstArticles() {
        Set<String> channels = new TreeSet<>();
        Map<String, String> firstArticle = new HashMap<>();
        for (SpecificRecord e : generate(7, 500, 30)) {
            if (e instanceof ClickEvent click && click.getType() == ClickType.SIGNUP) {
                channels.add(click.getChannel());
            } else if (e instanceof ArticleRead read) {
                firstArticle.putIfAbsent(read.getUserId(), read.getArticleId());
            }
        }

        assertThat(channels).containsExactly("app", "sms", "web", "wechat");
        assertThat(new TreeSet<>(firstArticle.values())).hasSizeGreaterThan(30);
    }

    /** The catalog's categories that run out: baby, coffee, pet, skincare, snacks, supplements, tea. */
    private static final Set<String> CONSUMABLES = IntStream.range(0, Catalog.CATEGORIES.length)
            .filter(Catalog::consumable).mapToObj(c -> Catalog.CATEGORIES[c]).collect(Collectors.toSet());

    @Test
    void aFitOnAYearOfOrdersGivesCyclesToTheConsumablesOnlyAndFindsTheRelatedPairs(@TempDir Path dir) throws IOException {
        Instant start = Instant.parse("2025-06-01T00:00:00Z");
        Generator generator = new Generator(new Generator.Config(
                11, 3_000, start, start.plus(Duration.ofDays(365)), Duration.ofDays(365).dividedBy(2)));
        Path orders = dir.resolve("orders.jsonl");
        try (BufferedWriter out = Files.newBufferedWriter(orders, StandardCharsets.UTF_8)) {
            while (generator.hasNext()) {
                if (generator.next() instanceof OrderEvent order) {
                    out.write(JsonCodec.write(order));
                    out.write('\n');
                }
            }
        }

        FitResult fit = ModelFit.run(new OrderFileReader(line -> { }).read(orders), FitOptions.defaults(null), 12);

        Map<String, Double> cycles = CategoryCycles.repurchaseDays(fit.cycles());
        // Catalog: coffee and pet 30 days, baby 21, snacks 14, tea 40, skincare 45, supplements 60.
        // The pooled median comes out a little short for long cycles: customers with shorter ones
        // rebuy more often within the year, and a cycle longer than the rest of the year is unseen.
        assertThat(cycles.get("coffee")).isBetween(27.0, 34.0);
        assertThat(cycles.get("pet")).isBetween(27.0, 34.0);
        assertThat(cycles.get("baby")).isBetween(19.0, 25.0);
        assertThat(cycles.get("snacks")).isBetween(12.0, 18.0);
        assertThat(cycles.get("tea")).isBetween(36.0, 44.0);
        assertThat(cycles.get("skincare")).isBetween(40.0, 50.0);
        assertThat(cycles.get("supplements")).isBetween(52.0, 66.0);
        // Only the consumables get a cycle: the others have plenty of gaps, but bought whenever it
        // pleases, they spread like random purchase times (1.8 to 2 here), far above the 1.25 allowed.
        // Consumables spread about 0.5; snacks more (0.9): the fewest of their buyers keep a habit
        // (a quarter), and coffee buyers come to look at them.
        assertThat(cycles).containsOnlyKeys(CONSUMABLES);
        assertThat(fit.cycles()).filteredOn(c -> !CONSUMABLES.contains(c.category())).allSatisfy(c -> {
            assertThat(c.verdict()).isEqualTo(CategoryCycles.Verdict.IRREGULAR);
            assertThat(c.dispersion()).isGreaterThan(1.6);
        }).extracting(CategoryCycles.Cycle::category)
                .containsExactly("apparel", "fragrance", "haircare", "home", "makeup");
        assertThat(fit.cycles()).filteredOn(c -> CONSUMABLES.contains(c.category()) && !c.category().equals("snacks"))
                .allSatisfy(c -> assertThat(c.dispersion()).isLessThan(0.7)).hasSize(6);
        assertThat(fit.related()).extracting(r -> r.category() + "->" + r.related()).containsExactlyInAnyOrder(
                "makeup->skincare", "skincare->makeup", "coffee->snacks", "snacks->coffee",
                "baby->supplements", "supplements->baby", "pet->home", "home->pet");
        // The cross-sell trigger suggests a related category only from a lift of 2 (its default).
        assertThat(fit.related()).allSatisfy(r -> assertThat(r.lift()).isGreaterThan(2.1));
    }

    static List<SpecificRecord> generate(long seed, int users, int days) {
        Generator generator = new Generator(new Generator.Config(
                seed, users, START, START.plus(Duration.ofDays(days)), Duration.ofDays(days).dividedBy(2)));
        List<SpecificRecord> out = new ArrayList<>();
        generator.forEachRemaining(out::add);
        return out;
    }
}
