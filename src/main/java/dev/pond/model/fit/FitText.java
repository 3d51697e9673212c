package dev.pond.model.fit;

import dev.pond.core.TagRules;
import dev.pond.model.ChurnModel;
import dev.pond.model.Model.Related;

import java.util.List;
import java.util.Locale;

/** What {@code pond fit} prints: the fitted numbers and the fit report, as a few small tables. */
public final class FitText {

    private FitText() {}

    /** The whole report; {@code chosen} is the churn model written to the file. */
    public static String of(FitResult fit, ChurnModel chosen) {
        StringBuilder s = new StringBuilder();
        line(s, "read %,d lines (%s) from %s%s", fit.lines(), fit.format(), fit.input(),
                fit.undone() > 0 ? String.format(Locale.ROOT, "; %,d purchases undone by refunds or cancellations",
                        fit.undone()) : "");
        line(s, "calibration end %s: %,d customers, %,d purchases%s", fit.calibrationEnd().day(), fit.customers(),
                fit.purchases(), fit.later() > 0 ? String.format(Locale.ROOT, " (%,d later ones ignored)", fit.later())
                        : "");
        s.append('\n');
        churn(s, fit, chosen);
        GammaGammaFit gg = fit.gammaGamma();
        line(s, "value (Gamma-Gamma on %,d repeat customers%s): p %.6g  q %.6g  gamma %.6g  log-likelihood %.2f"
                        + "  (mean order value %.2f)", gg.customers(),
                gg.skipped() > 0 ? String.format(Locale.ROOT, "; %,d with zero spend left out", gg.skipped()) : "",
                gg.p(), gg.q(), gg.gamma(), gg.logLikelihood(), gg.populationMean());
        s.append('\n');
        RfmCuts rfm = fit.rfm();
        line(s, "rfm cut points (20/40/60/80 %% quantiles): recencyDays %s  frequency %s  monetary %s",
                rfm.recencyDays(), rfm.frequency(), rfm.monetary());
        rfm.notes().forEach(n -> line(s, "  note: %s", n));
        s.append('\n');
        cycles(s, fit.cycleThresholds(), fit.cycles());
        related(s, fit.related());
        s.append('\n');
        report(s, fit.report());
        if (fit.intent() != null) {
            s.append('\n');
            intent(s, fit.intent());
        }
        return s.toString();
    }

    private static void intent(StringBuilder s, IntentThreshold t) {
        line(s, "high intent: %,d signals of %,d users; peak intent of each active user (a signal in the %s days before)",
                t.signals(), t.users(), TagRules.number(t.activeDays()));
        line(s, "on each day %s to %s, %,d active user-days:", t.from(), t.to(), t.activeUserDays());
        StringBuilder q = new StringBuilder(" ");
        t.quantiles().forEach((p, v) -> q.append(String.format(Locale.ROOT, " p%d %.2f", p, v)));
        line(s, "%s", q);
        line(s, "  minIntent %s is reached by %.2f %% of them%s", t.minIntent(), 100 * t.share(),
                t.fitted() == null ? "" : " (before)");
        if (t.fitted() != null) {
            line(s, "  minIntent %s for the top %s %%: reached by %.2f %% of them (written to the model file)",
                    t.fitted(), TagRules.number(t.topPercent()), 100 * t.fittedShare());
        }
    }

    private static void churn(StringBuilder s, FitResult fit, ChurnModel chosen) {
        line(s, "%-10s %10s %10s %10s %10s %16s %12s", "churn", "r", "alpha", "a", "b", "log-likelihood",
                "evaluations");
        for (ChurnModel kind : ChurnModel.values()) {
            if (fit.churnFailures().containsKey(kind)) {
                line(s, "%-10s not fitted: %s", kind, fit.churnFailures().get(kind));
                continue;
            }
            BgNbdFit f = fit.churn(kind);
            line(s, "%-10s %10.6g %10.6g %10.6g %10.6g %16.2f %12d", kind + (kind == chosen ? " *" : ""), f.r(),
                    f.alpha(), f.a(), f.b(), f.logLikelihood(), f.evaluations());
        }
        line(s, "(* is written to the model file)");
        s.append('\n');
    }

    private static void cycles(StringBuilder s, CategoryCycles.Thresholds t, List<CategoryCycles.Cycle> cycles) {
        line(s, "repurchase cycles (median days between purchase days of a category, per customer), for categories");
        line(s, "with at least %,d gaps and a dispersion (Q3 - Q1) / median of at most %s:", t.minGaps(),
                t.maxDispersion());
        if (cycles.isEmpty()) {
            line(s, "  (no categories in the orders)");
            return;
        }
        line(s, "  %-20s %8s %8s %10s  %s", "category", "gaps", "median", "dispersion", "cycle");
        for (CategoryCycles.Cycle c : cycles) {
            line(s, "  %-20s %,8d %8s %10s  %s", c.category(), c.gaps(), number("%.1f", c.medianDays()),
                    number("%.2f", c.dispersion()), c.kept() ? "kept" : "none: " + c.verdict().text());
        }
    }

    private static void related(StringBuilder s, List<Related> related) {
        line(s, "related categories (lift):");
        if (related.isEmpty()) {
            line(s, "  (none)");
        }
        for (Related r : related) {
            line(s, "  %-20s -> %-20s %.3f", r.category(), r.related(), r.lift());
        }
    }

    private static void report(StringBuilder s, List<FitReport.Row> rows) {
        line(s, "repeat purchases in the calibration period, actual and expected:");
        line(s, "  %-7s %10s %10s %10s", "repeats", "actual", "BG_NBD", "MBG_NBD");
        for (FitReport.Row r : rows) {
            line(s, "  %-7s %,10d %10s %10s", r.label(), r.actual(), number("%,.1f", r.expected().get(0)),
                    number("%,.1f", r.expected().get(1)));
        }
    }

    /** {@code v} in {@code format}, or "-" for NaN (not fitted, no gaps). */
    private static String number(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
