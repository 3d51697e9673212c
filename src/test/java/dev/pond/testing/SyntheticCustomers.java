package dev.pond.testing;

import dev.pond.model.ChurnModel;
import dev.pond.model.fit.Purchase;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well19937c;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Purchases drawn from the models {@code pond fit} fits, with known parameters and a seed: each
 * customer buys at a rate λ ~ gamma(r, α) per week until dropping out (chance p ~ beta(a, b) after
 * each repeat purchase, and for MBG/NBD after the first one too); each purchase is worth
 * gamma(p, ν) with ν ~ gamma(q, γ) (Gamma-Gamma). Customers arrive uniformly over the first
 * {@code acquisitionDays} from {@code start}; purchases after {@code end} are not drawn.
 *
 * <p>Every customer buys one of two categories per purchase: even customers tea or coffee, odd
 * ones cake or soap, so that the pairs are related.
 *
 * <p>{@link #SHOP} is a small shop for tests that need a realistic order file.
 */
public record SyntheticCustomers(ChurnModel kind, double r, double alpha, double a, double b, double p, double q,
        double gamma) {

    /** A small shop: 2,000 customers over 2025, drawn from the CDNOW fits' neighbourhood. */
    public static final SyntheticCustomers SHOP = new SyntheticCustomers(ChurnModel.MBG_NBD, 0.8, 4.0, 0.9, 2.5, 6, 4, 15);

    /** {@link #SHOP}'s orders as {@code pond fit} CSV. */
    public static Path shopCsv(Path file) {
        return writeCsv(SHOP.draw(2_000, LocalDate.parse("2025-01-01"), 180, LocalDate.parse("2025-12-31"), 7), file);
    }

    /** The purchases as {@code pond fit} CSV, with date-times. */
    public static Path writeCsv(List<Purchase> purchases, Path file) {
        StringBuilder csv = new StringBuilder("user_id,order_time,total,categories\n");
        for (Purchase p : purchases) {
            csv.append(p.userId()).append(',').append(p.time()).append(',').append(p.total()).append(',')
                    .append(String.join("|", p.categories())).append('\n');
        }
        try {
            return Files.writeString(file, csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Purchase> draw(int customers, LocalDate start, int acquisitionDays, LocalDate end, long seed) {
        RandomDataGenerator random = RandomDataGenerator.of(new Well19937c(seed));
        Instant stop = end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Purchase> out = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String user = String.format("c%06d", i);
            Instant first = start.plusDays(random.nextInt(0, acquisitionDays - 1)).atStartOfDay(ZoneOffset.UTC)
                    .toInstant().plus(Duration.ofMinutes(random.nextInt(0, 24 * 60 - 1)));
            double lambda = random.nextGamma(r, 1 / alpha);
            double dropout = random.nextBeta(a, b);
            double nu = random.nextGamma(q, 1 / gamma);
            String[] categories = i % 2 == 0 ? new String[] {"coffee", "tea"} : new String[] {"cake", "soap"};
            double weeks = 0;
            boolean alive = kind == ChurnModel.BG_NBD || random.nextUniform(0, 1) >= dropout;
            out.add(purchase(user, first, weeks, random, nu, categories));
            while (alive) {
                weeks += random.nextExponential(1 / lambda);
                Instant at = first.plusMillis(Math.round(weeks * 7 * 86_400_000d));
                if (!at.isBefore(stop) || weeks > 52 * 100) {
                    break;
                }
                out.add(purchase(user, first, weeks, random, nu, categories));
                alive = random.nextUniform(0, 1) >= dropout;
            }
        }
        return out;
    }

    private Purchase purchase(String user, Instant first, double weeks, RandomDataGenerator random, double nu,
            String[] categories) {
        double value = Math.round(random.nextGamma(p, 1 / nu) * 100) / 100.0;
        return new Purchase(user, first.plusMillis(Math.round(weeks * 7 * 86_400_000d)), Math.max(0.01, value),
                List.of(categories[random.nextInt(0, 1)]));
    }
}
