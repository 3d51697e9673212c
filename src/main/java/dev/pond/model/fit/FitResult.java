package dev.pond.model.fit;

import dev.pond.model.ChurnModel;
import dev.pond.model.Model.Related;

import java.util.List;
import java.util.Map;

/**
 * Everything {@code pond fit} learnt from an order file, before it is written as a model.
 *
 * @param purchases purchases in the calibration period
 * @param later purchases after the calibration end, ignored
 * @param bgNbd the BG/NBD fit, or null if it failed (see {@code churnFailures})
 * @param mbgNbd the MBG/NBD fit, or null if it failed
 * @param churnFailures why a churn model could not be fitted
 * @param cycleThresholds what the {@code cycles} were kept by
 * @param cycles every category's gaps and whether it got a repurchase cycle
 * @param report actual against expected repeat purchases; expected columns BG/NBD, MBG/NBD (NaN for
 *     a model that could not be fitted)
 * @param intent what clicks and reads say about HIGH_INTENT's threshold; null without them
 */
public record FitResult(
        String input,
        String format,
        long lines,
        int undone,
        CalibrationEnd calibrationEnd,
        int customers,
        long purchases,
        long later,
        BgNbdFit bgNbd,
        BgNbdFit mbgNbd,
        Map<ChurnModel, String> churnFailures,
        GammaGammaFit gammaGamma,
        RfmCuts rfm,
        CategoryCycles.Thresholds cycleThresholds,
        List<CategoryCycles.Cycle> cycles,
        List<Related> related,
        List<FitReport.Row> report,
        IntentThreshold intent) {

    /** This fit with what the clicks and reads said about HIGH_INTENT's threshold. */
    public FitResult withIntent(IntentThreshold threshold) {
        return new FitResult(input, format, lines, undone, calibrationEnd, customers, purchases, later, bgNbd, mbgNbd,
                churnFailures, gammaGamma, rfm, cycleThresholds, cycles, related, report, threshold);
    }

    /**
     * The fit of {@code kind}.
     *
     * @throws IllegalArgumentException with the reason, if it could not be fitted
     */
    public BgNbdFit churn(ChurnModel kind) {
        BgNbdFit fit = kind == ChurnModel.BG_NBD ? bgNbd : mbgNbd;
        if (fit == null) {
            throw new IllegalArgumentException(churnFailures.get(kind) + " (the other churn model could be fitted: "
                    + "try --churn-model " + (kind == ChurnModel.BG_NBD ? ChurnModel.MBG_NBD : ChurnModel.BG_NBD) + ")");
        }
        return fit;
    }
}
