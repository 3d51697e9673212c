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
import java.util.Arrays;
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
 * <p>Two rhythms of a shop's order history: some buyers of a consumable (coffee, pet food, ...)
 * make it a habit and come back to rebuy it when it runs out, on a personal cycle around the
 * category's typical one, until they lapse or leave; and the two categories of a related pair
 * (makeup and skincare) go together: many who like one like the other, and a purchase of the first
 * brings some customers who never bought the second back within a few weeks to look at it. Nobody
 * buys a consumable again while the last one is still half full, or while it is their habit and
 * not yet used up. Every purchase, a rebuy too, is a chance to leave.
 *
 * <p>The membership programme: seven in ten give a birthday at sign-up, one in twelve names the
 * member who invited them, and one paid order in five redeems points, up to half its total.
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
    /** The chance that a user's second favourite category is the partner of the first, if it has one. */
    private static final double TASTE = 0.6;

    private final Config config;
    private final Catalog catalog;
    private final long end;
    private final User[] users;
    private final PriorityQueue<Occasion> occasions =
            new PriorityQueue<>(Comparator.comparingLong(Occasion::at).thenComparingInt(Occasion::user)
                    .thenComparingInt(o -> o.kind().ordinal()).thenComparingInt(Occasion::category));
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
            users[i] = new User(i, rng, rng(i, 3, 0));
            membership(users[i], rng(i, 7, 0));
            long arrival = start + (long) (rng.nextDouble() * config.arrivals().toMillis());
            schedule(new Occasion(arrival, i, Kind.SESSION));
            schedule(new Occasion(nextEvening(arrival, rng), i, Kind.PUSH));
        }
    }

    /**
     * The membership traits, from a generator of their own so that the rest of the shop is the same
     * with or without them: seven in ten members give a birthday at sign-up, one in twelve was
     * invited by another member.
     */
    private void membership(User u, RandomDataGenerator rng) {
        if (rng.nextDouble() < 0.7) {
            java.time.LocalDate day = java.time.LocalDate.ofYearDay(2024, 1 + rng.nextInt(366)); // a leap year
            u.birthday = String.format(java.util.Locale.ROOT, "%02d-%02d", day.getMonthValue(), day.getDayOfMonth());
        }
        if (u.index > 0 && rng.nextDouble() < 1 / 12d) {
            u.referrer = users[rng.nextInt(u.index)].id;
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
            switch (o.kind()) {
                case SESSION -> session(u, o.at());
                case PUSH -> push(u, o.at());
                case REPLENISH -> replenish(u, o.at(), o.category());
                case CROSS_SELL -> crossSell(u, o.at(), o.category());
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
        if (!u.alive) {
            return; // left at a rebuy or a cross-sell visit since this visit was planned
        }
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
        if (!u.stocked(focus, t) && rng.nextDouble() < u.cartProb) {
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
        leaveOrStay(u, rng, bought);
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
        // One paid order in five redeems points, up to half its total, from a stream of its own.
        OrderEvent paid = orderEvent(u, orderId, next, OrderStatus.PAID, items, total, channel);
        long redeemed = u.points > 0 && rng(u.index, 8, u.orders).nextDouble() < 0.2
                ? Math.min(u.points, (long) Math.floor(total / 2)) : 0;
        long earned = (long) Math.floor(total);
        paid.setPointsRedeemed((int) redeemed);
        u.points += earned - redeemed;
        emit(u, next, paid);
        if (rng.nextDouble() < 0.03) {
            long refund = next + 2 * DAY + (long) (rng.nextDouble() * 8 * DAY);
            OrderEvent refunded = orderEvent(u, orderId, refund, OrderStatus.REFUNDED, items, total, channel);
            refunded.setPointsRedeemed((int) redeemed);
            u.points = Math.max(0, u.points - earned + redeemed);
            emit(u, refund, refunded);
            return; // sent back: nothing to run out of, nothing to go with
        }
        bought(u, next, cart);
    }

    /**
     * After every visit, as in the BG/NBD story: a purchase is a chance to leave for good; a visit
     * without one, a small chance.
     */
    private static void leaveOrStay(User u, RandomDataGenerator rng, boolean bought) {
        if (bought ? rng.nextDouble() < u.dropout : rng.nextDouble() < 0.02) {
            u.alive = false;
        }
    }

    // ---- replenishment and cross-sell -----------------------------------------------------------

    /**
     * A kept purchase: a consumable the user rebuys by habit is due again after the user's cycle
     * (give or take), and a purchase of a pair's first category may bring the user back for the
     * second, until the user has bought it. Draws from its own generator, so that the visit's
     * draws do not depend on what was bought.
     */
    private void bought(User u, long paidAt, List<Catalog.Product> cart) {
        RandomDataGenerator rng = rng(u.index, 6, u.orders);
        int categories = 0;
        for (Catalog.Product p : cart) {
            int c = Catalog.index(p.category());
            categories |= 1 << c;
            u.lastBought[c] = paidAt;
            u.lastProduct[c] = p;
        }
        u.boughtCategories |= categories;
        for (int c = 0; c < Catalog.CATEGORIES.length; c++) {
            if ((categories & 1 << c) != 0 && u.cycleDays[c] > 0) {
                long due = awake(paidAt + (long) (u.cycleDays[c] * Math.exp(0.12 * rng.nextGaussian()) * DAY));
                u.replenishAt[c] = due;
                schedule(new Occasion(due, u.index, Kind.REPLENISH, c));
            }
        }
        for (Catalog.Pair pair : Catalog.PAIRS) {
            int to = 1 << pair.to();
            if ((categories & 1 << pair.from()) != 0 && (u.boughtCategories & to) == 0
                    && (u.crossSellPending & to) == 0 && rng.nextDouble() < pair.visitChance()) {
                u.crossSellPending |= to;
                long visit = paidAt + (long) ((2 + rng.nextGamma(2, 3.5)) * DAY);
                schedule(new Occasion(awake(visit), u.index, Kind.CROSS_SELL, pair.to()));
            }
        }
    }

    /**
     * The consumable has run out: the user comes back and buys the same product again, unless the
     * habit has lapsed (bought elsewhere, switched, stopped; a later purchase may start it again)
     * or the user has left.
     */
    private void replenish(User u, long at, int category) {
        if (!u.alive || u.replenishAt[category] != at) {
            return; // left, or a later purchase moved the due date
        }
        u.replenishAt[category] = Long.MIN_VALUE;
        RandomDataGenerator rng = rng(u.index, 4, u.replenishments++);
        if (rng.nextDouble() < 0.15) {
            return; // lapsed
        }
        String sessionId = "s-" + u.id + "-r" + u.replenishments;
        String channel = pick(rng, CHANNELS, CHANNEL_WEIGHTS);
        Catalog.Product p = u.lastProduct[category];
        long t = at;
        emit(u, t, click(u, t, ClickType.PAGE_VIEW, null, channel, sessionId));
        t += step(rng);
        emit(u, t, click(u, t, ClickType.PRODUCT_VIEW, p, channel, sessionId));
        t += step(rng);
        emit(u, t, click(u, t, ClickType.ADD_TO_CART, p, channel, sessionId));
        order(u, rng, t + MINUTE + (long) (rng.nextDouble() * 5 * MINUTE), List.of(p), channel);
        leaveOrStay(u, rng, true);
    }

    /** A visit for the second category of a pair, days after a purchase of the first. */
    private void crossSell(User u, long at, int category) {
        u.crossSellPending &= ~(1 << category);
        if (!u.alive || (u.boughtCategories & 1 << category) != 0) {
            return; // left, or has found it already
        }
        RandomDataGenerator rng = rng(u.index, 5, u.crossSells++);
        String sessionId = "s-" + u.id + "-x" + u.crossSells;
        String channel = pick(rng, CHANNELS, CHANNEL_WEIGHTS);
        long t = at;
        emit(u, t, click(u, t, ClickType.PAGE_VIEW, null, channel, sessionId));
        List<Catalog.Product> viewed = new ArrayList<>();
        for (int i = 0, n = 1 + rng.nextInt(3); i < n; i++) {
            t += step(rng);
            Catalog.Product p = catalog.product(category, rng.nextInt(20));
            viewed.add(p);
            emit(u, t, click(u, t, ClickType.PRODUCT_VIEW, p, channel, sessionId));
        }
        boolean bought = false;
        if (rng.nextDouble() < 0.8) {
            t += step(rng);
            emit(u, t, click(u, t, ClickType.ADD_TO_CART, viewed.get(0), channel, sessionId));
            if (rng.nextDouble() < u.buyProb) {
                long placedAt = t + 2 * MINUTE + (long) (rng.nextDouble() * 13 * MINUTE);
                order(u, rng, placedAt, List.of(viewed.get(0)), channel);
                bought = true;
            }
        }
        leaveOrStay(u, rng, bought);
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
                .setBirthday(type == ClickType.SIGNUP ? u.birthday : null)
                .setReferrerId(type == ClickType.SIGNUP ? u.referrer : null)
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

    private enum Kind { SESSION, PUSH, REPLENISH, CROSS_SELL }

    /** @param category the category a replenishment or cross-sell visit is about; -1 otherwise */
    private record Occasion(long at, int user, Kind kind, int category) {
        Occasion(long at, int user, Kind kind) {
            this(at, user, kind, -1);
        }
    }

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
        /** Days the user's supply of each category lasts if it is their habit to rebuy it; else 0. */
        final double[] cycleDays = new double[Catalog.CATEGORIES.length];
        final long[] lastBought = new long[Catalog.CATEGORIES.length];
        final Catalog.Product[] lastProduct = new Catalog.Product[Catalog.CATEGORIES.length];
        /** When a habitual rebuy of each category is due; {@link Long#MIN_VALUE} if none is. */
        final long[] replenishAt = new long[Catalog.CATEGORIES.length];
        int boughtCategories;
        /** Categories a cross-sell visit is planned for, so that there is one at a time. */
        int crossSellPending;
        boolean alive = true;
        /** MM-DD, named at sign-up; null for a member who does not say. */
        String birthday;
        /** Who invited the member, named at sign-up; null if nobody. */
        String referrer;
        /** The points the shop's own books would show: 1 per currency unit paid, less what was redeemed. */
        long points;
        int sessions;
        int pushes;
        int orders;
        int replenishments;
        int crossSells;
        long seq;

        /** @param habits a generator of its own, so that the other traits do not depend on the habits */
        User(int index, RandomDataGenerator rng, RandomDataGenerator habits) {
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
            Arrays.fill(lastBought, Long.MIN_VALUE / 2);
            Arrays.fill(replenishAt, Long.MIN_VALUE);
            for (int c = 0; c < cycleDays.length; c++) {
                boolean habit = habits.nextDouble() < Catalog.habitShare(c);
                double personal = Catalog.cycleDays(c) * Math.exp(0.2 * habits.nextGaussian());
                cycleDays[c] = habit ? personal : 0;
            }
            int partner = Catalog.partner(favourite[0]);
            if (partner >= 0 && habits.nextDouble() < TASTE) {
                favourite[1] = partner;
            }
        }

        /**
         * Whether the user still has enough of the category to not buy it now: a consumable bought
         * less than half its typical cycle ago, or one the user rebuys by habit when it runs out.
         */
        boolean stocked(int category, long at) {
            boolean halfFull = at - lastBought[category] < Catalog.cycleDays(category) / 2 * DAY;
            return Catalog.consumable(category) && (halfFull || replenishAt[category] > at);
        }
    }
}
