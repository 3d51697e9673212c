package dev.pond.core;

import dev.pond.core.value.CustomerValue;
import dev.pond.events.OrderEvent;
import dev.pond.events.OrderItem;
import dev.pond.model.Model;
import dev.pond.model.TriggerParams;
import dev.pond.out.CategoryScore;
import dev.pond.out.Lifecycle;
import dev.pond.out.Offer;
import dev.pond.out.Rfm;
import dev.pond.out.RfmClass;
import dev.pond.out.Trigger;
import dev.pond.out.TriggerFacts;
import dev.pond.out.TriggerItem;
import dev.pond.out.TriggerType;
import dev.pond.state.OrderHistory;
import dev.pond.state.PointBatch;
import dev.pond.state.ReferralCredit;
import dev.pond.state.SuppressBy;
import dev.pond.state.UserState;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trigger catalogue beyond the cart ({@link CartRule}) and HIGH_INTENT ({@link HighIntentRule}): CHURN_RISK, WIN_BACK, REPLENISHMENT_DUE,
 * CROSS_SELL, TIER_UPGRADE, WELCOME, UPSELL, BIRTHDAY, POINTS_REMINDER and POINTS_EXPIRING. Each rule decides that a trigger is due, at which event-time
 * moment, with which facts and reason, and what later event would make it pointless; it hands the
 * trigger to the {@link ContactPolicy}, which releases it when the watermark reaches that moment.
 *
 * <p>Ids are deterministic: the type, the user and the episode's anchor (the order, the last order
 * before a quiet spell, the moment intent rose), so that the same input gives the same triggers.
 */
public final class TriggerRules {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final Model model;
    private final TriggerParams.Catalogue params;
    private final Intent intent;
    private final CustomerValue value;
    private final StandingRules standing;
    private final ContactPolicy policy;
    private final Birthdays birthdays;
    private final Points points;

    public TriggerRules(Model model, Intent intent, CustomerValue value, StandingRules standing, ContactPolicy policy,
                        Points points) {
        this.model = model;
        this.params = model.triggers();
        this.intent = intent;
        this.value = value;
        this.standing = standing;
        this.policy = policy;
        this.birthdays = new Birthdays(model);
        this.points = points;
    }

    /**
     * A paid order {@code e} was counted: WELCOME for the first, TIER_UPGRADE if it lifted the
     * tier from {@code tierBefore}, UPSELL if it made the customer a potential one (from {@code
     * classBefore}), and the replenishment and cross-sell it schedules.
     */
    public void purchased(UserState s, String userId, OrderEvent e, Model.Tier tierBefore, RfmClass classBefore,
                          Emissions out) {
        long t = e.getTs().toEpochMilli();
        OrderHistory h = s.getOrders();
        welcome(s, userId, e, t, h, out);
        tierUpgrade(s, userId, e, t, h, tierBefore, out);
        upsell(s, userId, e, t, h, classBefore, out);
        replenishment(s, userId, e, t, out);
        crossSell(s, userId, e, t, out);
    }

    /**
     * UPSELL: the order made the customer a potential one, the RFM class general-value (bought
     * recently and often, spending little): a larger basket is worth suggesting, with the offer.
     */
    private void upsell(UserState s, String userId, OrderEvent e, long t, OrderHistory h, RfmClass before,
                        Emissions out) {
        TriggerParams.Upsell p = params.upsell();
        if (!p.enabled() || before == RfmClass.GENERAL_VALUE) {
            return;
        }
        Standing now = standing.evaluate(h, t);
        Rfm rfm = now.rfm();
        if (rfm == null || rfm.getRfmClass() != RfmClass.GENERAL_VALUE) {
            return;
        }
        double perOrder = now.windowSpend() / Math.max(1, now.windowOrders());
        String reason = String.format(Locale.ROOT, "a potential customer (general-value, R%d F%d M%d): %d orders in"
                        + " %d months, %s an order on average", rfm.getR(), rfm.getF(), rfm.getM(), now.windowOrders(),
                model.rfm().windowMonths(), TagRules.money(perOrder));
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("windowSpend", now.windowSpend());
        scores.put("spendPerOrder", perOrder);
        Trigger trigger = trigger(TriggerType.UPSELL, userId, TriggerIds.of(TriggerType.UPSELL, userId, t), t, p,
                reason, scores, Map.of("windowOrders", (long) now.windowOrders()), items(e, null),
                List.of(e.getEventId()));
        policy.schedule(s, mostBought(s, trigger), t, SuppressBy.NOTHING, t, null, out);
    }

    /**
     * REFERRAL_REWARD to the friend, once: at their first payment ({@code firstPaidAt}, the
     * earliest PAID seen) if the referral is no later than it, by the same rule, on the same
     * events, as {@link dev.pond.scoring.ReferralRouter} credits the referrer; so either both get
     * their reward or neither, in whichever order the sign-up and the payment arrive.
     */
    public void referredFriend(UserState s, String userId, Emissions out) {
        TriggerParams.ReferralReward p = params.referralReward();
        Long paid = s.getFirstPaidAt();
        if (!p.enabled() || s.getReferrerId() == null || paid == null || s.getReferrerAt() > paid
                || s.getTriggerMarks().containsKey(FRIEND_MARK)) {
            return;
        }
        long t = paid;
        s.getTriggerMarks().put(FRIEND_MARK, t);
        String reason = "first order on " + DATE.format(Instant.ofEpochMilli(t)) + ", invited by " + s.getReferrerId();
        Trigger trigger = trigger(TriggerType.REFERRAL_REWARD, userId,
                TriggerIds.of(TriggerType.REFERRAL_REWARD, userId, t, "friend"), t, p, reason, Map.of(), Map.of(),
                List.of(), List.of());
        TriggerParams.Offer offer = p.friendOffer();
        trigger.setOffer(offer == null ? null : new Offer(offer.code(), offer.description()));
        policy.schedule(s, trigger, t, SuppressBy.NOTHING, t, null, out);
    }

    /** REFERRAL_REWARD to the referrer of {@code credit}, whose state {@code s} is. */
    public void referrer(UserState s, String userId, ReferralCredit credit, Emissions out) {
        TriggerParams.ReferralReward p = params.referralReward();
        s.setReferrals(s.getReferrals() + 1);
        if (!p.enabled()) {
            return;
        }
        long t = credit.getTs().toEpochMilli();
        String reason = String.format(Locale.ROOT, "invited %s, who made a first order on %s (%d friend%s so far)",
                credit.getFriendId(), DATE.format(credit.getTs()), s.getReferrals(), s.getReferrals() == 1 ? "" : "s");
        policy.schedule(s, trigger(TriggerType.REFERRAL_REWARD, userId,
                TriggerIds.of(TriggerType.REFERRAL_REWARD, userId, t, credit.getFriendId()), t, p, reason, Map.of(),
                Map.of("referrals", (long) s.getReferrals()), List.of(), List.of(credit.getEventId())),
                t, SuppressBy.NOTHING, t, null, out);
    }

    /** The mark of the friend's reward (the referrer's are one per friend, by their ids). */
    private static final String FRIEND_MARK = TriggerType.REFERRAL_REWARD.name();

    /** How many of the customer's most bought categories a trigger's facts name. */
    static final int TOP_CATEGORIES = 3;

    /**
     * Names the customer's most bought categories in the trigger's facts (most first), so that a
     * comeback or upsell message can show what is like what they bought.
     */
    private static Trigger mostBought(UserState s, Trigger trigger) {
        trigger.getFacts().getCategories().addAll(Orders.topCategories(s.getBoughtCategories(), TOP_CATEGORIES));
        return trigger;
    }

    /**
     * POINTS_EXPIRING, once per month's points: {@code daysBefore} days before they expire, if at
     * least {@code minPoints} of them are left then. Every batch whose moment is at or before
     * {@code now} is seen to, oldest first; the mark is the expiry of the latest batch seen.
     */
    public void pointsExpiring(UserState s, String userId, long now, Emissions out) {
        TriggerParams.PointsExpiring p = params.pointsExpiring();
        if (!p.enabled()) {
            return;
        }
        while (true) {
            Long mark = s.getTriggerMarks().get(TriggerType.POINTS_EXPIRING.name());
            PointBatch batch = points.firstExpiringAfter(s, mark == null ? Long.MIN_VALUE : mark);
            if (batch == null) {
                return;
            }
            long expires = points.expiresAt(s, batch);
            long at = expires - p.daysBefore() * Times.DAY;
            if (at > now) {
                return;
            }
            s.getTriggerMarks().put(TriggerType.POINTS_EXPIRING.name(), expires);
            if (batch.getPoints() < p.minPoints()) {
                continue;
            }
            java.time.ZoneId zone = birthdays.zone(s);
            String reason = String.format(Locale.ROOT, "%d points earned in %s expire on %s (%s), in %d days",
                    batch.getPoints(), java.time.YearMonth.of(1970 + batch.getMonth() / 12, batch.getMonth() % 12 + 1),
                    Instant.ofEpochMilli(expires).atZone(zone).toLocalDate(), zone, p.daysBefore());
            Map<String, Long> counts = new LinkedHashMap<>();
            counts.put("expiringPoints", batch.getPoints());
            counts.put("points", points.pointsAt(s, at));
            Trigger trigger = trigger(TriggerType.POINTS_EXPIRING, userId,
                    TriggerIds.of(TriggerType.POINTS_EXPIRING, userId, expires), at, p, reason, Map.of(), counts,
                    List.of(), List.of());
            if (trigger.getExpiresAt().toEpochMilli() > expires) {
                trigger.setExpiresAt(Instant.ofEpochMilli(expires)); // pointless once they are gone
            }
            policy.schedule(s, trigger, at, SuppressBy.NOTHING, at, null, out);
        }
    }

    /** The next moment {@link #pointsExpiring} has something to do, for the review timer; Long.MAX_VALUE if none. */
    public long nextPointsExpiring(UserState s) {
        if (!params.pointsExpiring().enabled()) {
            return Long.MAX_VALUE;
        }
        Long mark = s.getTriggerMarks().get(TriggerType.POINTS_EXPIRING.name());
        PointBatch batch = points.firstExpiringAfter(s, mark == null ? Long.MIN_VALUE : mark);
        return batch == null ? Long.MAX_VALUE
                : points.expiresAt(s, batch) - params.pointsExpiring().daysBefore() * Times.DAY;
    }

    private void welcome(UserState s, String userId, OrderEvent e, long t, OrderHistory h, Emissions out) {
        TriggerParams.Welcome p = params.welcome();
        if (!p.enabled() || h.getLifetimeOrders() != 1 || s.getTriggerMarks().containsKey(TriggerType.WELCOME.name())) {
            return;
        }
        s.getTriggerMarks().put(TriggerType.WELCOME.name(), t);
        String reason = "first order (" + TagRules.money(e.getTotal()) + ") on " + DATE.format(e.getTs());
        policy.schedule(s, trigger(TriggerType.WELCOME, userId, TriggerIds.of(TriggerType.WELCOME, userId, t), t, p,
                reason, Map.of("orderTotal", e.getTotal()), Map.of(), items(e, null), List.of(e.getEventId())),
                t, SuppressBy.NOTHING, t, null, out);
    }

    private void tierUpgrade(UserState s, String userId, OrderEvent e, long t, OrderHistory h, Model.Tier before,
                             Emissions out) {
        tierUpgrade(s, userId, t, h, before, items(e, null), e.getEventId(), out);
    }

    /**
     * TIER_UPGRADE if the standing at {@code t} has a higher tier than {@code before}: after a
     * purchase, or (tiers by points) after an action whose points lifted it.
     */
    public void tierUpgrade(UserState s, String userId, long t, OrderHistory h, Model.Tier before,
                            List<TriggerItem> items, String eventId, Emissions out) {
        TriggerParams.TierUpgrade p = params.tierUpgrade();
        Standing now = standing.evaluate(h, t);
        Model.Tier after = now.tier();
        if (!p.enabled() || after == null || rank(after) <= rank(before)) {
            return;
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        String reason;
        if (model.tiersByPoints()) {
            reason = String.format(Locale.ROOT, "earned %d points in the last %d months, reaching %s (from %s; at least %d)",
                    now.windowPoints(), model.rfm().windowMonths(), after.name(),
                    before == null ? "no tier" : before.name(), after.minPoints());
            scores.put("windowPoints", (double) now.windowPoints());
            scores.put("tierMinPoints", (double) after.minPoints());
        } else {
            reason = String.format(Locale.ROOT, "spent %s in the last %d months, reaching %s (from %s; at least %s)",
                    TagRules.money(now.windowSpend()), model.rfm().windowMonths(), after.name(),
                    before == null ? "no tier" : before.name(), TagRules.money(after.minSpend()));
            scores.put("windowSpend", now.windowSpend());
            scores.put("tierMinSpend", after.minSpend());
        }
        policy.schedule(s, trigger(TriggerType.TIER_UPGRADE, userId,
                TriggerIds.of(TriggerType.TIER_UPGRADE, userId, t, after.name()), t, p, reason, scores,
                Map.of(), items, List.of(eventId)), t, SuppressBy.NOTHING, t, null, out);
    }

    private int rank(Model.Tier tier) {
        return tier == null ? -1 : model.tiers().indexOf(tier);
    }

    private void replenishment(UserState s, String userId, OrderEvent e, long t, Emissions out) {
        TriggerParams.Replenishment p = params.replenishment();
        Map<String, Double> cycles = model.categories().repurchaseDays();
        if (!p.enabled() || cycles.isEmpty()) {
            return;
        }
        for (String category : categories(e)) {
            Double days = cycles.get(category);
            if (days == null) {
                continue;
            }
            long due = t + Math.round(Math.max(days - p.leadDays(), days / 2) * Times.DAY);
            String reason = String.format(Locale.ROOT, "bought %s on %s; it is rebought every %s days, so it runs out"
                    + " around %s", category, DATE.format(e.getTs()), TagRules.number(days),
                    DATE.format(Instant.ofEpochMilli(t + Math.round(days * Times.DAY))));
            Map<String, Double> scores = Map.of("repurchaseDays", days);
            Trigger trigger = trigger(TriggerType.REPLENISHMENT_DUE, userId,
                    TriggerIds.of(TriggerType.REPLENISHMENT_DUE, userId, t, category), due, p, reason, scores,
                    Map.of(), items(e, category), List.of(e.getEventId()));
            trigger.getFacts().getCategories().add(category);
            policy.schedule(s, trigger, due, SuppressBy.CATEGORY_PURCHASE, t + 1, category, out);
        }
    }

    private void crossSell(UserState s, String userId, OrderEvent e, long t, Emissions out) {
        TriggerParams.CrossSell p = params.crossSell();
        if (!p.enabled() || model.categories().related().isEmpty()) {
            return;
        }
        List<String> bought = categories(e);
        Model.Related best = null;
        for (Model.Related r : model.categories().related()) {
            if (r.lift() < p.minLift() || !bought.contains(r.category()) || bought.contains(r.related())
                    || (best != null && r.lift() <= best.lift())) {
                continue;
            }
            Long last = s.getIntent().getSpent().get(r.related());
            if (last == null || last < t - Math.round(p.recentDays() * Times.DAY) || last > t) {
                best = r;
            }
        }
        if (best == null) {
            return;
        }
        long due = t + Math.round(p.afterDays() * Times.DAY);
        String reason = String.format(Locale.ROOT, "bought %s on %s; customers who buy %s buy %s %s times as often,"
                        + " and this one has not in the last %s days", best.category(), DATE.format(e.getTs()),
                best.category(), best.related(), TagRules.number(Math.round(best.lift() * 10) / 10d),
                TagRules.number(p.recentDays()));
        Trigger trigger = trigger(TriggerType.CROSS_SELL, userId,
                TriggerIds.of(TriggerType.CROSS_SELL, userId, t, best.category() + ">" + best.related()), due, p, reason,
                Map.of("lift", best.lift()), Map.of(), items(e, best.category()), List.of(e.getEventId()));
        trigger.getFacts().getCategories().add(best.category());
        trigger.getFacts().getCategories().add(best.related());
        policy.schedule(s, trigger, due, SuppressBy.CATEGORY_PURCHASE, t, best.related(), out);
    }

    /**
     * CHURN_RISK and WIN_BACK, once per quiet spell (the time since the last order): at the moment
     * the churn risk reached the trigger's threshold, found again from the history whenever it is
     * noticed, so that the trigger is the same whichever event or timer notices it.
     */
    public void standing(UserState s, String userId, Standing st, long now, Emissions out) {
        OrderHistory h = s.getOrders();
        if (!Orders.hasPurchases(h)) {
            return;
        }
        long lastOrder = h.getLastOrderAt();
        TriggerParams.ChurnRisk churn = params.churnRisk();
        if (churn.enabled() && st.churnRisk() >= churn.minRisk() && newSpell(s, TriggerType.CHURN_RISK, lastOrder)) {
            long at = value.reaches(h, lastOrder, churn.minRisk());
            if (at <= now) {
                churnRisk(s, userId, h, at, lastOrder, churn, out);
            }
        }
        TriggerParams.WinBack win = params.winBack();
        if (win.enabled() && st.lifecycle() == Lifecycle.CHURNED && newSpell(s, TriggerType.WIN_BACK, lastOrder)) {
            long at = Math.max(value.reaches(h, lastOrder, model.lifecycle().churnedRisk()),
                    h.getFirstOrderAt() + model.lifecycle().newDays() * Times.DAY);
            if (at <= now) {
                s.getTriggerMarks().put(TriggerType.WIN_BACK.name(), lastOrder);
                Standing then = standing.evaluate(h, at);
                String reason = String.format(Locale.ROOT, "churned: churn risk %s (at least %s), last order %d days ago",
                        TagRules.percent(then.churnRisk()), TagRules.percent(model.lifecycle().churnedRisk()),
                        then.daysSinceOrder());
                policy.schedule(s, mostBought(s, trigger(TriggerType.WIN_BACK, userId, TriggerIds.of(TriggerType.WIN_BACK,
                        userId, lastOrder), at, win, reason, riskScores(h, then, at), orderCounts(h, then), List.of(),
                        List.of())), at, SuppressBy.CHECKOUT, lastOrder + 1, null, out);
            }
        }
        pointsReminder(s, userId, h, st, now, out);
    }

    /**
     * POINTS_REMINDER, once per quiet spell: at the moment the customer became sleeping (their
     * churn risk reached {@code lifecycle.sleepingRisk}, once no longer new), if they hold at
     * least {@code minPoints} points then. Noticed late (already churned) it still fires at that moment.
     */
    private void pointsReminder(UserState s, String userId, OrderHistory h, Standing st, long now, Emissions out) {
        TriggerParams.PointsReminder p = params.pointsReminder();
        long lastOrder = h.getLastOrderAt();
        if (!p.enabled() || (st.lifecycle() != Lifecycle.SLEEPING && st.lifecycle() != Lifecycle.CHURNED)
                || !newSpell(s, TriggerType.POINTS_REMINDER, lastOrder)) {
            return;
        }
        long at = Math.max(value.reaches(h, lastOrder, model.lifecycle().sleepingRisk()),
                h.getFirstOrderAt() + model.lifecycle().newDays() * Times.DAY);
        if (at > now) {
            return;
        }
        s.getTriggerMarks().put(TriggerType.POINTS_REMINDER.name(), lastOrder);
        long balance = points.pointsAt(s, at);
        if (balance < p.minPoints()) {
            return; // too few points to remind of; the spell is marked all the same
        }
        Standing then = standing.evaluate(h, at);
        String reason = String.format(Locale.ROOT, "sleeping with %d points to redeem (at least %d): churn risk %s,"
                        + " last order %d days ago", balance, p.minPoints(), TagRules.percent(then.churnRisk()),
                then.daysSinceOrder());
        Map<String, Long> counts = orderCounts(h, then);
        counts.put("points", balance);
        policy.schedule(s, mostBought(s, trigger(TriggerType.POINTS_REMINDER, userId,
                TriggerIds.of(TriggerType.POINTS_REMINDER, userId, lastOrder), at, p, reason, riskScores(h, then, at),
                counts, List.of(), List.of())), at, SuppressBy.CHECKOUT, lastOrder + 1, null, out);
    }

    /**
     * BIRTHDAY, once a year: at the latest birthday moment up to {@code now} ({@link Birthdays}),
     * if the birthday was known by then and that moment has not had its trigger yet. The moment
     * is found again from the birthday whenever it is noticed, so the trigger is the same
     * whichever event or timer notices it.
     */
    public void birthday(UserState s, String userId, long now, Emissions out) {
        TriggerParams.Birthday p = params.birthday();
        if (!p.enabled() || s.getBirthday() == null) {
            return;
        }
        long at = birthdays.lastMoment(s, now);
        Long mark = s.getTriggerMarks().get(TriggerType.BIRTHDAY.name());
        if (at == Long.MIN_VALUE || at < s.getBirthdayAt() || (mark != null && mark >= at)) {
            return;
        }
        s.getTriggerMarks().put(TriggerType.BIRTHDAY.name(), at);
        String day = birthdays.birthdayDate(s, at);
        String reason = String.format(Locale.ROOT, "birthday on %s (%s), in %d days", day, birthdays.zone(s),
                p.daysBefore());
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("daysBefore", (long) p.daysBefore());
        policy.schedule(s, trigger(TriggerType.BIRTHDAY, userId, TriggerIds.of(TriggerType.BIRTHDAY, userId, at), at,
                p, reason, Map.of(), counts, List.of(), List.of()), at, SuppressBy.NOTHING, at, null, out);
    }

    /** The next moment {@link #birthday} has something to do, for the review timer; Long.MAX_VALUE if none. */
    public long nextBirthday(UserState s, long now) {
        return params.birthday().enabled() ? birthdays.nextMoment(s, now) : Long.MAX_VALUE;
    }

    private void churnRisk(UserState s, String userId, OrderHistory h, long at, long lastOrder,
                           TriggerParams.ChurnRisk p, Emissions out) {
        s.getTriggerMarks().put(TriggerType.CHURN_RISK.name(), lastOrder);
        Standing then = standing.evaluate(h, at);
        CustomerValue.Scores v = value.scores(h, at);
        Rfm rfm = then.rfm();
        boolean important = p.importantRfm() && rfm != null && rfm.getRfmClass().name().startsWith("IMPORTANT_");
        if (!important && v.clv() < p.minClv()) {
            return; // not valuable enough for a come-back offer; the spell is marked all the same
        }
        String why = important ? "an " + TagRules.slug(rfm.getRfmClass().name()) + " customer"
                : "a customer worth " + TagRules.money(v.clv()) + " in the coming months";
        String reason = String.format(Locale.ROOT, "%s at risk: churn risk %s (at least %s), last order %d days ago",
                why, TagRules.percent(then.churnRisk()), TagRules.percent(p.minRisk()), then.daysSinceOrder());
        Map<String, Double> scores = riskScores(h, then, at);
        scores.put("clv", v.clv());
        policy.schedule(s, mostBought(s, trigger(TriggerType.CHURN_RISK, userId, TriggerIds.of(TriggerType.CHURN_RISK,
                userId, lastOrder), at, p, reason, scores, orderCounts(h, then), List.of(), List.of())),
                at, SuppressBy.CHECKOUT, lastOrder + 1, null, out);
    }

    private static boolean newSpell(UserState s, TriggerType type, long lastOrder) {
        Long mark = s.getTriggerMarks().get(type.name());
        return mark == null || mark < lastOrder;
    }

    private Map<String, Double> riskScores(OrderHistory h, Standing then, long at) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("churnRisk", then.churnRisk());
        scores.put("lifetimeSpend", h.getLifetimeSpend());
        return scores;
    }

    private static Map<String, Long> orderCounts(OrderHistory h, Standing then) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("lifetimeOrders", (long) h.getLifetimeOrders());
        counts.put("daysSinceOrder", (long) then.daysSinceOrder());
        return counts;
    }

    private Trigger trigger(TriggerType type, String userId, String id, long at, TriggerParams.Delivery p,
                            String reason, Map<String, Double> scores, Map<String, Long> counts,
                            List<TriggerItem> items, List<String> eventIds) {
        TriggerParams.Offer offer = p.offer();
        return new Trigger(id, userId, type, Instant.ofEpochMilli(at), Instant.ofEpochMilli(at + p.validMillis()),
                p.priority(), reason,
                new TriggerFacts(new LinkedHashMap<>(scores), new LinkedHashMap<>(counts), new ArrayList<>(items),
                        new ArrayList<>(eventIds), new ArrayList<>()),
                offer == null ? null : new Offer(offer.code(), offer.description()),
                model.version(), null);
    }

    /** The order's categories, in order of first appearance. */
    private static List<String> categories(OrderEvent e) {
        List<String> categories = new ArrayList<>();
        for (OrderItem item : e.getItems()) {
            if (item.getCategory() != null && !categories.contains(item.getCategory())) {
                categories.add(item.getCategory());
            }
        }
        return categories;
    }

    /** The order's lines, of {@code category} only if not null. */
    private static List<TriggerItem> items(OrderEvent e, String category) {
        List<TriggerItem> items = new ArrayList<>();
        for (OrderItem item : e.getItems()) {
            if (category == null || category.equals(item.getCategory())) {
                items.add(new TriggerItem(item.getProductId(), item.getCategory(), item.getQuantity(),
                        item.getUnitPrice()));
            }
        }
        return items;
    }
}
