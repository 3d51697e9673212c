package dev.pond.demo;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well512a;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic shop: product categories with priced products, and articles about topics. Drawn
 * from the seed, so the same seed gives the same shop. Some categories are consumables that run
 * out after a typical number of days, and a few pairs of categories go together (after buying the
 * first, customers come looking for the second).
 */
final class Catalog {

    /** A product for sale. */
    record Product(String id, String category, double price) {}

    /** A content piece the shop pushes. */
    record Article(String id, List<String> topics) {}

    /**
     * Buying category {@code from} sends some customers, days later, to look at {@code to}.
     *
     * @param visitChance the chance that a purchase of {@code from} by a customer who never bought
     *     {@code to} leads to such a visit
     */
    record Pair(int from, int to, double visitChance) {}

    static final String[] CATEGORIES = {
        "skincare", "makeup", "haircare", "fragrance", "baby", "snacks",
        "coffee", "tea", "pet", "supplements", "apparel", "home"
    };
    private static final double[] MEDIAN_PRICE = {180, 120, 90, 420, 150, 35, 60, 80, 110, 200, 260, 140};
    /**
     * How many days a consumable lasts a typical customer (0: it does not run out): a jar of cream
     * six weeks, nappies three, a bag of coffee or pet food a month, a tub of vitamins two months.
     */
    private static final double[] CYCLE_DAYS = {45, 0, 0, 0, 21, 14, 30, 40, 30, 60, 0, 0};
    /** The share of a consumable's buyers who make it a habit and rebuy it whenever it runs out. */
    private static final double[] HABIT_SHARE = {0.35, 0, 0, 0, 0.5, 0.25, 0.45, 0.4, 0.55, 0.4, 0, 0};
    /**
     * Makeup buyers want a remover and primer, coffee drinkers a biscuit, parents vitamins, pets a
     * bed. Strong enough that a year's orders show each pair at a lift well over 2, the least the
     * cross-sell trigger asks for by default.
     */
    static final List<Pair> PAIRS = List.of(
            new Pair(index("makeup"), index("skincare"), 0.8),
            new Pair(index("coffee"), index("snacks"), 0.8),
            new Pair(index("baby"), index("supplements"), 0.8),
            new Pair(index("pet"), index("home"), 0.8));
    static final String[] TOPICS = {
        "sensitive-skin", "anti-aging", "new-arrivals", "coffee-brewing", "baby-care", "pet-health",
        "fitness", "sustainability", "gift-ideas", "home-styling"
    };
    private static final int PRODUCTS_PER_CATEGORY = 20;
    private static final int ARTICLES = 60;

    final List<List<Product>> products = new ArrayList<>();
    final List<Article> articles = new ArrayList<>();

    Catalog(long seed) {
        RandomDataGenerator rng = RandomDataGenerator.of(new Well512a(new int[] {(int) seed, (int) (seed >>> 32), 7}));
        for (int c = 0; c < CATEGORIES.length; c++) {
            List<Product> list = new ArrayList<>();
            for (int p = 0; p < PRODUCTS_PER_CATEGORY; p++) {
                double price = Math.round(rng.nextLogNormal(0.5, Math.log(MEDIAN_PRICE[c])) * 10) / 10.0;
                list.add(new Product(String.format("%s-%02d", CATEGORIES[c], p), CATEGORIES[c], Math.max(1, price)));
            }
            products.add(list);
        }
        for (int a = 0; a < ARTICLES; a++) {
            int n = 1 + rng.nextInt(3);
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String t = TOPICS[rng.nextInt(TOPICS.length)];
                if (!topics.contains(t)) {
                    topics.add(t);
                }
            }
            articles.add(new Article(String.format("article-%03d", a), List.copyOf(topics)));
        }
    }

    Product product(int category, int index) {
        return products.get(category).get(index);
    }

    /** Whether customers run out of the category and buy it again. */
    static boolean consumable(int category) {
        return CYCLE_DAYS[category] > 0;
    }

    /** How many days the category lasts a typical customer; 0 if it does not run out. */
    static double cycleDays(int category) {
        return CYCLE_DAYS[category];
    }

    /** The share of the category's buyers who rebuy it on a cycle; 0 if it does not run out. */
    static double habitShare(int category) {
        return HABIT_SHARE[category];
    }

    /** The other category of the pair {@code category} belongs to (tastes go together), or -1. */
    static int partner(int category) {
        for (Pair p : PAIRS) {
            if (p.from() == category) {
                return p.to();
            }
            if (p.to() == category) {
                return p.from();
            }
        }
        return -1;
    }

    static int index(String category) {
        for (int c = 0; c < CATEGORIES.length; c++) {
            if (CATEGORIES[c].equals(category)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no category " + category);
    }
}
