package dev.pond.model;

import dev.pond.out.TriggerType;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

import static dev.pond.model.Model.notBlank;
import static dev.pond.model.Model.require;

/** Checks of the {@code triggers} and {@code contact} sections, naming the value that is wrong. */
final class TriggerChecks {

    private TriggerChecks() {}

    static void validate(TriggerParams.Catalogue triggers, TriggerParams.Contact contact) {
        for (TriggerType type : TriggerType.values()) {
            TriggerParams.Delivery d = triggers.of(type);
            String name = "triggers." + section(type);
            require(d != null, name + " is empty");
            require(d.validHours() > 0 && d.validHours() <= 24 * 3650, name + ".validHours must be between 0 and 87600");
            require(d.cooldownHours() >= 0 && d.cooldownHours() <= 24 * 3650,
                    name + ".cooldownHours must be between 0 and 87600");
            offer(name, d.offer());
        }
        TriggerParams.CartAbandoned cart = triggers.cartAbandoned();
        require(cart.delayMinutes() > 0, "triggers.cartAbandoned.delayMinutes must be positive");
        TriggerParams.SecondReminder second = cart.secondReminder();
        require(second != null, "triggers.cartAbandoned.secondReminder is empty");
        require(second.afterHours() > 0 && second.validHours() > 0,
                "triggers.cartAbandoned.secondReminder.afterHours and validHours must be positive");
        offer("triggers.cartAbandoned.secondReminder", second.offer());
        TriggerParams.HighIntent high = triggers.highIntent();
        require(high.minIntent() > 0, "triggers.highIntent.minIntent must be positive");
        require(high.topPercent() == null || (high.topPercent() > 0 && high.topPercent() <= 50),
                "triggers.highIntent.topPercent must be above 0 and at most 50, or null (minIntent as given)");
        require(high.activeDays() > 0 && high.activeDays() <= 3650,
                "triggers.highIntent.activeDays must be between 0 and 3650");
        require(triggers.highIntent().noOrderHours() >= 0, "triggers.highIntent.noOrderHours must not be negative");
        TriggerParams.ChurnRisk churn = triggers.churnRisk();
        require(churn.minRisk() > 0 && churn.minRisk() < 1, "triggers.churnRisk.minRisk must be between 0 and 1");
        require(churn.minClv() >= 0, "triggers.churnRisk.minClv must not be negative");
        require(triggers.replenishment().leadDays() >= 0, "triggers.replenishment.leadDays must not be negative");
        TriggerParams.CrossSell cross = triggers.crossSell();
        require(cross.afterDays() > 0 && cross.minLift() > 0 && cross.recentDays() >= 0,
                "triggers.crossSell.afterDays and minLift must be positive and recentDays not negative");
        TriggerParams.Birthday birthday = triggers.birthday();
        require(birthday.daysBefore() >= 0 && birthday.daysBefore() <= 60,
                "triggers.birthday.daysBefore must be between 0 and 60, got " + birthday.daysBefore());
        time("triggers.birthday.localTime", birthday.localTime());
        require(triggers.pointsReminder().minPoints() >= 1, "triggers.pointsReminder.minPoints must be at least 1");
        TriggerParams.PointsExpiring expiring = triggers.pointsExpiring();
        require(expiring.daysBefore() >= 1 && expiring.daysBefore() <= 60,
                "triggers.pointsExpiring.daysBefore must be between 1 and 60, got " + expiring.daysBefore());
        require(expiring.minPoints() >= 1, "triggers.pointsExpiring.minPoints must be at least 1");
        offer("triggers.referralReward.friend", triggers.referralReward().friendOffer());
        require(contact.maxPerDay() >= 0 && contact.maxPerWeek() >= 0,
                "contact.maxPerDay and contact.maxPerWeek must not be negative (0: no cap)");
        time("contact.quietStart", contact.quietStart());
        time("contact.quietEnd", contact.quietEnd());
        zone("contact.defaultTimeZone", contact.defaultTimeZone());
    }

    /** The section's name in the model file. */
    static String section(TriggerType type) {
        return switch (type) {
            case CART_ABANDONED -> "cartAbandoned";
            case HIGH_INTENT -> "highIntent";
            case CHURN_RISK -> "churnRisk";
            case WIN_BACK -> "winBack";
            case REPLENISHMENT_DUE -> "replenishment";
            case CROSS_SELL -> "crossSell";
            case TIER_UPGRADE -> "tierUpgrade";
            case WELCOME -> "welcome";
            case BIRTHDAY -> "birthday";
            case POINTS_REMINDER -> "pointsReminder";
            case POINTS_EXPIRING -> "pointsExpiring";
            case UPSELL -> "upsell";
            case REFERRAL_REWARD -> "referralReward";
        };
    }

    private static void offer(String name, TriggerParams.Offer offer) {
        require(offer == null || (notBlank(offer.code()) && notBlank(offer.description())),
                name + ".offer needs a code and a description");
    }

    private static void time(String name, String value) {
        try {
            require(value != null, name + " must be set (HH:mm)");
            LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            require(false, name + " must be a time of day as HH:mm, got " + value);
        }
    }

    private static void zone(String name, String value) {
        try {
            require(value != null, name + " must be set (e.g. Asia/Shanghai)");
            ZoneId.of(value);
        } catch (DateTimeException e) {
            require(false, name + " is not a known time zone: " + value);
        }
    }
}
