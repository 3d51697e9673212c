package dev.pond.demo;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.events.OrderStatus;
import org.apache.avro.specific.SpecificRecord;
import org.hipparchus.random.RandomDataGenerator;
import org.hipparchus.random.Well512a;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Realistic synthetic events, in event-time order: users who arrive over time, each with a latent
 * visit rate, cart and purchase propensities and a chance to drop out after each purchase (the
 * BG/NBD story); sessions of views, searches, carts and orders; evening article pushes that most
 * people never open and a few read in depth and share.
 *
 * <p>Deterministic: every random draw comes from a generator seeded by (seed, user, occasion), so
 * the same seed gives the same events, whatever is consumed in between. Memory stays bounded by
 * the users and the events not yet emitted, so it also serves endless streams.
 */
public final class Generator implements Iterator<SpecificRecord> {

    /**
     * What to generate.
     *
     * @param seed the seed
     * @param users how many users
     * @param start event time of the first possible event
     * @param end no events at or after this; null for an endless stream
     * @param arrivals users first arrive spread over this long after {@code start}
     */
    public record Config(long seed, int users, Instant start, Instant end, Duration arrivals) {
        public Config {
            if (users < 1) {
                throw new IllegalArgumentException("users must be at least 1, got " + users);
            }
            if (end != null && !end.isAfter(start)) {
                throw new IllegalArgumentException("the end must be after the start");
            }
        }
    }

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final String[] CHANNELS = {"wechat", "app", "web", "sms"};
    private static final double[] CHANNEL_WEIGHTS = {0.45, 0.25, 0.2, 0.1};
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final Config config;
    private final Catalog catalog;
    private final long end;
    private final User[] users;
    private final PriorityQueue<Occasion> occasions =
            new PriorityQueue<>(Comparator.comparingLong(Occasion::at).thenComparingInt(Occasion::user)
                    .thenComparingInt(o -> o.kind().ordinal()));
    private final PriorityQueue<Pending> ready =
            new PriorityQueue<>(Comparator.comparingLong(Pending::at).thenComparingInt(Pending::user)
                    .thenComparingLong(Pending::seq));

    public Generator(Config config) {
        this.config = config;
        this.catalog = new Catalog(config.seed());
        this.end = config.end() == null ? Long.MAX_VALUE : config.end().toEpochMilli();
        this.users = new User[config.users()];
        long start = config.start().toEpochMilli();
        for (int i = 0; i < users.length; i++) {
            RandomDataGenerator rng = rng(i, 0, 0);
            users[i] = new User(i, rng);
            long arrival = start + (long) (rng.nextDouble() * config.arrivals().toMillis());
            schedule(new Occasion(arrival, i, Kind.SESSION));
            schedule(new Occasion(nextEvening(arrival, rng), i, Kind.PUSH));
        }
    }

    @Override
    public boolean hasNext() {
        fill();
        return !ready.isEmpty();
    }

    @Override
    public SpecificRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll().event();
    }

    /** Event time of the next event, or {@link Long#MAX_VALUE} at the end. */
    public long peekTime() {
        return hasNext() ? ready.peek().at() : Long.MAX_VALUE;
    }

    /** Generates occasions until the earliest ready event can no longer be preceded by a new one. */
    private void fill() {
        while (!occasions.isEmpty() && (ready.isEmpty() || occasions.peek().at() <= ready.peek().at())) {
            Occasion o = occasions.poll();
            User u = users[o.user()];
            if (o.kind() == Kind.SESSION) {
                session(u, o.at());
            } else {
                push(u, o.at());
            }
        }
    }

    private void schedule(Occasion o) {
        if (o.at() < end) {
            occasions.add(o);
        }
    }

    private void emit(User u, long at, SpecificRecord event) {
        if (at < end) {
            ready.add(new Pending(at, u.index, u.seq++, event));
        }
    }

    // ---- sessions -------------------------------------------------------------------------

    private void session(User u, long start) {
        RandomDataGenerator rng = rng(u.index, 1, u.sessions++);
        String sessionId = "s-" + u.id + "-" + u.sessions;
        String channel = u.sessions == 1 ? u.channel : pick(rng, CHANNELS, CHANNEL_WEIGHTS);
        long t = start;
        if (u.sessions == 1) {
            emit(u, t, click(u, t, ClickType.SIGNUP, null, channel, sessionId));
        }
        if (rng.nextDouble() < 0.15) {
            emit(u, t, click(u, t, ClickType.CHECKIN, null, channel, sessionId));
        }
        for (int i = 0, n = 1 + rng.nextInt(3); i < n; i++) {
            t += step(rng);
            emit(u, t, click(u, t, ClickType.PAGE_VIEW, null, channel, sessionId));
        }
        int focus = rng.nextDouble() < 0.75 ? u.favourite[rng.nextInt(2)] : rng.nextInt(Catalog.CATEGORIES.length);
        if (rng.nextDouble() < 0.3) {
            t += step(rng);
            ClickEvent search = click(u, t, ClickType.SEARCH, null, channel, sessionId);
            search.setCategory(Catalog.CATEGORIES[focus]);
            search.setQuery(Catalog.CATEGORIES[focus] + (rng.nextBoolean() ? " sale" : " best"));
            emit(u, t, search);
        }
        List<Catalog.Product> viewed = new ArrayList<>();
        for (int i = 0, n = 1 + rng.nextPoisson(2); i < n; i++) {
            t += step(rng);
            Catalog.Product p = catalog.product(focus, rng.nextInt(20));
            viewed.add(p);
            emit(u, t, click(u, t, ClickType.PRODUCT_VIEW, p, channel, sessionId));
        }
        if (rng.nextDouble() < u.shareProb) {
            t += step(rng);
            emit(u, t, click(u, t, ClickType.SHARE, viewed.get(0), channel, sessionId));
        }
        boolean bought = false;
        if (rng.nextDouble() < u.cartProb) {
            List<Catalog.Product> cart = new ArrayList<>();
            for (int i = 0, n = 1 + rng.nextInt(Math.min(3, viewed.size())); i < n; i++) {
                t += step(rng);
                Catalog.Product p = viewed.get(i);
                cart.add(p);
                emit(u, t, click(u, t, ClickType.ADD_TO_CART, p, channel, sessionId));
            }
            if (rng.nextDouble() < 0.1) {
                t += step(rng);
                Catalog.Product removed = cart.remove(cart.size() - 1);
                emit(u, t, click(u, t, ClickType.REMOVE_FROM_CART, removed, channel, sessionId));
            }
            if (!cart.isEmpty()) {
                if (rng.nextDouble() < u.buyProb) {
                    order(u, rng, t + 2 * MINUTE + (long) (rng.nextDouble() * 23 * MINUTE), cart, channel);
                    bought = true;
                } else if (rng.nextDouble() < 0.2) {
                    long back = t + HOUR + (long) (rng.nextDouble() * 20 * HOUR);
                    emit(u, back, click(u, back, ClickType.PAGE_VIEW, null, channel, sessionId + "-back"));
                    order(u, rng, back + 3 * MINUTE, cart, channel);
                    bought = true;
                }
            }
        }
        if (bought ? rng.nextDouble() < u.dropout : rng.nextDouble() < 0.02) {
            u.alive = false;
        }
        if (u.alive) {
            long next = start + (long) (rng.nextExponential(1 / u.sessionsPerDay) * DAY);
            schedule(new Occasion(awake(next), u.index, Kind.SESSION));
        }
    }

    private void order(User u, RandomDataGenerator rng, long placedAt, List<Catalog.Product> cart, String channel) {
        String orderId = "o-" + u.id + "-" + (++u.orders);
        List<OrderItem> items = new ArrayList<>();
        double total = 0;
        for (Catalog.Product p : cart) {
            int quantity = rng.nextDouble() < 0.2 ? 2 : 1;
            items.add(new OrderItem(p.id(), p.category(), quantity, p.price()));
            total += quantity * p.price();
        }
        total = Math.round(total * 100) / 100.0;
        emit(u, placedAt, orderEvent(u, orderId, placedAt, OrderStatus.PLACED, items, total, channel));
        long next = placedAt + 30_000 + (long) (rng.nextDouble() * 150_000);
        if (rng.nextDouble() < 0.03) {
            emit(u, next, orderEvent(u, orderId, next, OrderStatus.CANCELLED, items, total, channel));
            return;
        }
        emit(u, next, orderEvent(u, orderId, next, OrderStatus.PAID, items, total, channel));
        if (rng.nextDouble() < 0.03) {
            long refund = next + 2 * DAY + (long) (rng.nextDouble() * 8 * DAY);
            emit(u, refund, orderEvent(u, orderId, refund, OrderStatus.REFUNDED, items, total, channel));
        }
    }

    // ---- article pushes -----------------------------------------------------------------------

    private void push(User u, long at) {
        RandomDataGenerator rng = rng(u.index, 2, u.pushes++);
        Catalog.Article article = catalog.articles.get(rng.nextInt(catalog.articles.size()));
        boolean opened = rng.nextDouble() < (u.alive ? u.openRate : u.openRate * 0.2);
        long dwell = 0;
        double depth = 0;
        int shares = 0;
        if (opened) {
            dwell = (long) Math.min(20 * MINUTE, rng.nextLogNormal(1.0, Math.log(50_000)));
            depth = Math.round(Math.pow(rng.nextDouble(), 0.7) * 100) / 100.0;
            shares = rng.nextPoisson(u.shareProb > 0.2 ? 0.6 : 0.02);
        }
        long t = at + dwell;
        emit(u, t, ArticleRead.newBuilder()
                .setEventId("e-" + u.id + "-r" + u.pushes)
                .setUserId(u.id)
                .setTs(Instant.ofEpochMilli(t))
                .setArticleId(article.id())
                .setTopics(article.topics())
                .setOpened(opened)
                .setDwellMs(dwell)
                .setScrollDepth(depth)
                .setShares(shares)
                .build());
        schedule(new Occasion(nextEvening(at + HOUR, rng), u.index, Kind.PUSH));
    }

    /** 20:00 UTC plus up to 30 minutes, on a day a few days later (the shop pushes to ~35% a day). */
    private static long nextEvening(long after, RandomDataGenerator rng) {
        long day = Math.floorDiv(after, DAY);
        long evening = day * DAY + 20 * HOUR;
        int skip = 0;
        while (rng.nextDouble() > 0.35 && skip < 30) {
            skip++;
        }
        long t = evening + skip * DAY + (long) (rng.nextDouble() * 30 * MINUTE);
        return t <= after ? t + DAY : t;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private ClickEvent click(User u, long t, ClickType type, Catalog.Product p, String channel, String sessionId) {
        return ClickEvent.newBuilder()
                .setEventId("e-" + u.id + "-" + u.seq)
                .setUserId(u.id)
                .setTs(Instant.ofEpochMilli(t))
                .setType(type)
                .setProductId(p == null ? null : p.id())
                .setCategory(p == null ? null : p.category())
                .setPrice(p == null ? null : p.price())
                .setChannel(channel)
                .setSessionId(sessionId)
                .build();
    }

    private static OrderEvent orderEvent(User u, String orderId, long t, OrderStatus status, List<OrderItem> items,
                                         double total, String channel) {
        return OrderEvent.newBuilder()
                .setEventId("e-" + u.id + "-" + orderId + "-" + status.name().toLowerCase())
                .setOrderId(orderId)
                .setUserId(u.id)
                .setTs(Instant.ofEpochMilli(t))
                .setStatus(status)
                .setItems(items)
                .setTotal(total)
                .setCurrency("CNY")
                .setChannel(channel)
                .build();
    }

    /** Seconds to a minute and a half between clicks. */
    private static long step(RandomDataGenerator rng) {
        return 5_000 + (long) rng.nextExponential(40_000);
    }

    /** Nobody shops between 01:00 and 07:00 UTC in this shop: such a visit moves to the morning. */
    private static long awake(long t) {
        long hour = Math.floorMod(t, DAY) / HOUR;
        return hour >= 1 && hour < 7 ? t + 7 * HOUR : t;
    }

    private static String pick(RandomDataGenerator rng, String[] values, double[] weights) {
        double u = rng.nextDouble();
        for (int i = 0; i < values.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    /**
     * The generator for one (user, stream, occasion). Its whole state comes from hashing these with
     * the seed: seeded with the five numbers themselves, Well512a's first draw did not depend on the
     * user at all (every user signed up on the same channel and got the same article first).
     */
    private RandomDataGenerator rng(int user, int stream, int occasion) {
        long key = mix(mix(mix(config.seed()) + user) + stream) + occasion;
        int[] state = new int[16];
        for (int i = 0; i < state.length; i++) {
            state[i] = (int) mix(key + (i + 1) * GOLDEN_GAMMA);
        }
        return RandomDataGenerator.of(new Well512a(state));
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private enum Kind { SESSION, PUSH }

    private record Occasion(long at, int user, Kind kind) {}

    private record Pending(long at, int user, long seq, SpecificRecord event) {}

    /** A simulated customer and the latent traits that drive them. */
    private static final class User {
        final int index;
        final String id;
        final String channel;
        final int[] favourite = new int[2];
        final double sessionsPerDay;
        final double cartProb;
        final double buyProb;
        final double dropout;
        final double shareProb;
        final double openRate;
        boolean alive = true;
        int sessions;
        int pushes;
        int orders;
        long seq;

        User(int index, RandomDataGenerator rng) {
            this.index = index;
            this.id = String.format("u%06d", index);
            this.channel = pick(rng, CHANNELS, CHANNEL_WEIGHTS);
            this.favourite[0] = rng.nextInt(Catalog.CATEGORIES.length);
            this.favourite[1] = rng.nextInt(Catalog.CATEGORIES.length);
            this.sessionsPerDay = Math.max(0.01, rng.nextGamma(1.2, 0.25));
            this.cartProb = rng.nextBeta(2, 5);
            this.buyProb = rng.nextBeta(2, 3);
            this.dropout = rng.nextBeta(1, 5);
            this.shareProb = rng.nextDouble() < 0.06 ? 0.4 : 0.03;
            this.openRate = rng.nextBeta(2, 4);
        }
    }
}
