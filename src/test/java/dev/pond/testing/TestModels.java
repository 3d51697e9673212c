package dev.pond.testing;

import dev.pond.model.Model;
import dev.pond.model.ModelLoader;

/**
 * Models for tests that look at one rule on its own. The default model sends every trigger through
 * the whole catalogue and the contact policy, so a cart test on it also sees HIGH_INTENT after a
 * few adds, WELCOME at a paid order, the cart cooldown and quiet hours. Tests of the cart rule's
 * own logic use {@link #cartOnly(boolean)} instead; tests of how the rules play together use the
 * default model.
 */
public final class TestModels {

    private TestModels() {}

    /**
     * The default model reduced to the cart rule: every other trigger off, and a neutral contact
     * policy (no daily or weekly cap, no quiet hours, no cart cooldown), so that a reminder goes out
     * at its rule's moment, whatever else is due.
     *
     * @param secondReminder whether the episode stays open for the second reminder as in the default
     *     model (24 h after the first, priority 45, CART10); false: the first reminder ends it
     */
    public static Model cartOnly(boolean secondReminder) {
        return ModelLoader.fromYaml(cartOnlyYaml(secondReminder), "the cart-only test model");
    }

    /** The overrides of {@link #cartOnly(boolean)}, for a test that lays more sections (not triggers or contact) over them. */
    public static String cartOnlyYaml(boolean secondReminder) {
        return """
                triggers:
                  cartAbandoned: {cooldownHours: 0, secondReminder: {enabled: %s}}
                  highIntent: {enabled: false}
                  churnRisk: {enabled: false}
                  winBack: {enabled: false}
                  replenishment: {enabled: false}
                  crossSell: {enabled: false}
                  tierUpgrade: {enabled: false}
                  welcome: {enabled: false}
                contact: {maxPerDay: 0, maxPerWeek: 0, quietStart: "00:00", quietEnd: "00:00"}
                """.formatted(secondReminder);
    }
}
