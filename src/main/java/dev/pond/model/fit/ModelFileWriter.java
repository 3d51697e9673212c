package dev.pond.model.fit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.pond.core.TagRules;
import dev.pond.model.ChurnModel;
import dev.pond.model.Model;
import dev.pond.model.TriggerParams;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the fitted model file: the base model with the learnt sections replaced (churn
 * parameters, Gamma-Gamma parameters, RFM cut points, categories) and a new version, under a
 * comment header that says where the numbers came from. The file is a complete model that
 * {@link dev.pond.model.ModelLoader} loads as it is; the header also says which categories got
 * no repurchase cycle and why. No clock is read: the same fit gives the same bytes.
 */
public final class ModelFileWriter {

    private static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** Six significant digits: far below the parameters' standard errors, and readable. */
    private static final MathContext DIGITS = new MathContext(6);

    private ModelFileWriter() {}

    /**
     * The base model with the fitted sections of {@code fit}; the churn section takes the
     * {@code chosen} model, the horizon and everything else stay as in {@code base}.
     *
     * @throws IllegalArgumentException if the result does not validate
     */
    public static Model fitted(Model base, FitResult fit, ChurnModel chosen, String version) {
        BgNbdFit churn = fit.churn(chosen);
        GammaGammaFit gg = fit.gammaGamma();
        Model.Churn c = base.churn();
        Model.Value v = base.value();
        Model.RfmParams rfm = base.rfm();
        RfmCuts cuts = fit.rfm();
        return new Model(version, base.intent(),
                new Model.RfmParams(rfm.windowMonths(), cuts.recencyDays(), cuts.frequency(), cuts.monetary(),
                        rfm.highScore()),
                base.lifecycle(),
                new Model.Churn(chosen, round(churn.r()), round(churn.alpha()), round(churn.a()), round(churn.b()),
                        c.horizonDays()),
                new Model.Value(round(gg.p()), round(gg.q()), round(gg.gamma()), v.clvMonths(), v.annualDiscountRate(),
                        v.expectedPurchasesDays()),
                new Model.Categories(CategoryCycles.repurchaseDays(fit.cycles()), fit.related()),
                base.tiers(), base.tags(), triggers(base.triggers(), fit.intent()), base.contact(), base.profile(),
                base.limits(), base.segments(), base.points())
                .validate();
    }

    /** The base catalogue, with HIGH_INTENT's threshold replaced where the model asks for a top share. */
    private static TriggerParams.Catalogue triggers(TriggerParams.Catalogue base, IntentThreshold intent) {
        if (intent == null || intent.fitted() == null) {
            return base;
        }
        return new TriggerParams.Catalogue(base.cartAbandoned(), base.highIntent().withMinIntent(intent.fitted()),
                base.churnRisk(), base.winBack(), base.replenishment(), base.crossSell(), base.tierUpgrade(),
                base.welcome(), base.birthday(), base.pointsReminder(),
                base.pointsExpiring(), base.upsell(), base.referralReward());
    }

    /**
     * The model file's text.
     *
     * @param baseName what the base model was ("the defaults", or its file name)
     */
    public static String write(Model model, FitResult fit, String baseName) {
        List<String> header = new ArrayList<>(List.of(
                "Pond model written by `pond fit` from " + fit.input() + " (" + fit.format() + ", "
                        + count(fit.lines()) + " lines" + (fit.undone() > 0
                        ? ", " + count(fit.undone()) + " purchases undone by refunds or cancellations" : "") + ").",
                "Calibration end " + fit.calibrationEnd().day() + " (" + fit.calibrationEnd().last() + "): "
                        + count(fit.customers()) + " customers, " + count(fit.purchases()) + " purchases"
                        + (fit.later() > 0 ? "; " + count(fit.later()) + " later purchases ignored" : "") + ".",
                "churn is " + model.churn().model() + ". Log-likelihoods: BG_NBD " + ll(fit.bgNbd())
                        + ", MBG_NBD " + ll(fit.mbgNbd()) + ".",
                "value: Gamma-Gamma on " + count(fit.gammaGamma().customers()) + " repeat customers, log-likelihood "
                        + ll(fit.gammaGamma().logLikelihood()) + ".",
                "Fitted: churn (r, alpha, a, b), value (p, q, gamma), rfm cut points, categories"
                        + (fit.intent() != null && fit.intent().fitted() != null
                        ? ", triggers.highIntent.minIntent" : "") + ", version."));
        if (fit.intent() != null) {
            header.add(intent(fit.intent()));
        }
        if (!fit.cycles().isEmpty()) {
            header.add(cycles(fit.cycleThresholds(), fit.cycles()));
        }
        header.add("Everything else is from " + baseName + ".");
        StringBuilder out = new StringBuilder();
        for (String line : header) {
            out.append("# ").append(line.replace('\n', ' ')).append('\n');
        }
        out.append('\n');
        try {
            out.append(YAML.writeValueAsString(model));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Which categories got a repurchase cycle and why the others did not, so that a category
     * missing from {@code categories.repurchaseDays} is explained where it is missed.
     */
    private static String cycles(CategoryCycles.Thresholds t, List<CategoryCycles.Cycle> cycles) {
        List<String> left = new ArrayList<>();
        for (CategoryCycles.Cycle c : cycles) {
            if (!c.kept()) {
                left.add(c.category() + " (" + c.verdict().text() + (c.gaps() == 0 ? ""
                        : String.format(Locale.ROOT, ": %,d gaps, dispersion %.2f", c.gaps(), c.dispersion())) + ")");
            }
        }
        return "Repurchase cycles for " + (cycles.size() - left.size()) + " of " + cycles.size()
                + " categories (at least " + count(t.minGaps()) + " gaps, dispersion (Q3 - Q1) / median at most "
                + t.maxDispersion() + ")" + (left.isEmpty() ? "." : "; none for " + String.join(", ", left) + ".");
    }

    /** Where HIGH_INTENT's threshold came from, or how the clicks and reads judge the one kept. */
    private static String intent(IntentThreshold t) {
        String sample = String.format(Locale.ROOT, "%,d active user-days, %s to %s", t.activeUserDays(), t.from(),
                t.to());
        if (t.fitted() != null) {
            return String.format(Locale.ROOT, "triggers.highIntent.minIntent %s: the intent that only the top %s %% of"
                            + " active users reach on a day (%.2f %% of %s).", t.fitted(),
                    TagRules.number(t.topPercent()), 100 * t.fittedShare(), sample);
        }
        return String.format(Locale.ROOT, "triggers.highIntent.minIntent %s is reached by %.2f %% of active users on a"
                + " day (%s).", t.minIntent(), 100 * t.share(), sample);
    }

    static double round(double value) {
        return new BigDecimal(value).round(DIGITS).doubleValue();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String ll(BgNbdFit fit) {
        return fit == null ? "not fitted" : ll(fit.logLikelihood());
    }

    private static String ll(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
