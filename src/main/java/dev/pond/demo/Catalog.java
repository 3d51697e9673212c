package dev.pond.demo;

import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well512a;

import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic shop: product categories with priced products, and articles about topics. Drawn
 * from the seed, so the same seed gives the same shop.
 */
final class Catalog {

    /** A product for sale. */
    record Product(String id, String category, double price) {}

    /** A content piece the shop pushes. */
    record Article(String id, List<String> topics) {}

    static final String[] CATEGORIES = {
        "skincare", "makeup", "haircare", "fragrance", "baby", "snacks",
        "coffee", "tea", "pet", "supplements", "apparel", "home"
    };
    private static final double[] MEDIAN_PRICE = {180, 120, 90, 420, 150, 35, 60, 80, 110, 200, 260, 140};
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
}
