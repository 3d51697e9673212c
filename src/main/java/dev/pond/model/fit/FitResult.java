package dev.pond.model.fit;

import dev.pond.model.ChurnModel;
import dev.pond.model.Model.Related;

import java.util.List;

/**
 * Everything {@code pond fit} learnt from an order file, before it is written as a model.
 *
 * @param purchases purchases in the calibration period
 * @param later purchases after the calibration end, ignored
 * @param report actual against expected repeat purchases; expected columns BG/NBD, MBG/NBD
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
        GammaGammaFit gammaGamma,
        RfmCuts rfm,
        List<CategoryCycles.Cycle> cycles,
        List<Related> related,
        List<FitReport.Row> report) {

    /** The fit of {@code kind}. */
    public BgNbdFit churn(ChurnModel kind) {
        return kind == ChurnModel.BG_NBD ? bgNbd : mbgNbd;
    }
}
