package dev.pond.model.fit;

/**
 * What {@code pond fit} is asked to do.
 *
 * @param calibrationEnd where the calibration period ends; null for the day of the last purchase
 * @param cycles when a category gets a repurchase cycle
 * @param related when two categories count as related
 */
public record FitOptions(CalibrationEnd calibrationEnd, CategoryCycles.Thresholds cycles,
        RelatedCategories.Thresholds related) {

    public static final int MIN_CYCLE_GAPS = 20;
    /**
     * Between the consumables of the demo shop (0.45 to 0.55 on a year) and random purchase times
     * (1.6 and more), with room for real shops, whose habits are less tidy than a generator's.
     */
    public static final double MAX_CYCLE_DISPERSION = 1.25;
    public static final int MIN_SUPPORT = 20;
    public static final double MIN_LIFT = 1.5;
    public static final int MAX_RELATED = 3;

    public FitOptions {
        if (cycles.minGaps() < 1 || related.minSupport() < 1 || related.maxPerCategory() < 1) {
            throw new IllegalArgumentException("the minimum gaps, minimum support and related categories per category"
                    + " must be at least 1");
        }
        if (!(cycles.maxDispersion() > 0) || Double.isInfinite(cycles.maxDispersion())) {
            throw new IllegalArgumentException("the maximum cycle dispersion must be a positive number, got "
                    + cycles.maxDispersion());
        }
        if (!(related.minLift() > 0) || Double.isInfinite(related.minLift())) {
            throw new IllegalArgumentException("the minimum lift must be a positive number, got " + related.minLift());
        }
    }

    /** The defaults, with this calibration end (null: the last purchase day). */
    public static FitOptions defaults(CalibrationEnd calibrationEnd) {
        return new FitOptions(calibrationEnd, new CategoryCycles.Thresholds(MIN_CYCLE_GAPS, MAX_CYCLE_DISPERSION),
                new RelatedCategories.Thresholds(MIN_SUPPORT, MIN_LIFT, MAX_RELATED));
    }
}
