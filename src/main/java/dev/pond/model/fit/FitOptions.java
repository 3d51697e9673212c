package dev.pond.model.fit;

/**
 * What {@code pond fit} is asked to do.
 *
 * @param calibrationEnd where the calibration period ends; null for the day of the last purchase
 * @param minCycleGaps gaps a category needs before it gets a repurchase cycle
 * @param related when two categories count as related
 */
public record FitOptions(CalibrationEnd calibrationEnd, int minCycleGaps, RelatedCategories.Thresholds related) {

    public static final int MIN_CYCLE_GAPS = 20;
    public static final int MIN_SUPPORT = 20;
    public static final double MIN_LIFT = 1.5;
    public static final int MAX_RELATED = 3;

    public FitOptions {
        if (minCycleGaps < 1 || related.minSupport() < 1 || related.maxPerCategory() < 1) {
            throw new IllegalArgumentException("the minimum gaps, minimum support and related categories per category"
                    + " must be at least 1");
        }
        if (!(related.minLift() > 0) || Double.isInfinite(related.minLift())) {
            throw new IllegalArgumentException("the minimum lift must be a positive number, got " + related.minLift());
        }
    }

    /** The defaults, with this calibration end (null: the last purchase day). */
    public static FitOptions defaults(CalibrationEnd calibrationEnd) {
        return new FitOptions(calibrationEnd, MIN_CYCLE_GAPS,
                new RelatedCategories.Thresholds(MIN_SUPPORT, MIN_LIFT, MAX_RELATED));
    }
}
